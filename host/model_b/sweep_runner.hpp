#pragma once
// Runs a model-B sweep into DIR, with the layout, resumption and sharding of model A's
// (host/common/sweep_dir.hpp, docs/sweep.md): DIR/config.json, DIR/results.csv (or one file per shard;
// one row per instance, appended and fsync'ed per batch), DIR/summary.csv (per grid point). A batch's
// instances of one scheme and RF-chain count go to model_b::solve_instances together, which runs
// them as one lockstep batch (HAD's analog steps on the GPU with backend gpu).
#include <cstddef>
#include <functional>
#include <string>

#include "host/common/sweep_dir.hpp"
#include "host/common/sweep_shard.hpp"
#include "host/model_b/solve.hpp"
#include "host/model_b/sweep_config.hpp"

namespace isacbf::model_b {

using SweepReport = sweep::Report;
using SweepProgressFn = sweep::ProgressFn;  // (done, total) after every batch

SweepReport run_sweep(const SweepConfig& config, const std::string& dir, const SolveOptions& options,
                      const SweepProgressFn& progress = {}, const sweep::Shard& shard = {});

// Rewrites DIR/summary.csv from every results file in DIR; merge_shards gathers them into results.csv.
void write_summary(const SweepConfig& config, const std::string& dir);
std::size_t merge_shards(const SweepConfig& config, const std::string& dir);

std::string results_header(const SweepConfig& config);

}  // namespace isacbf::model_b
