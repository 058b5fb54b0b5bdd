#pragma once
// Runs a sweep into DIR: DIR/config.json (the config, to refuse resuming a different sweep),
// DIR/results.csv (one row per instance, appended per batch, resumable), DIR/summary.csv (per grid
// point: count, feasibility fraction, mean/std secrecy rate, ...; rewritten at the end). A shard
// (sweep_shard.hpp) solves its share into DIR/results.shard-I-of-N.csv; the summary always covers the
// rows of every results file in DIR, and merge_shards gathers them into results.csv.
#include <functional>
#include <string>

#include "host/conic/batch_solver.hpp"
#include "host/model_a/sweep_config.hpp"
#include "host/common/sweep_dir.hpp"
#include "host/common/sweep_shard.hpp"

namespace isacbf::model_a {

using sweep::Shard;

using SweepReport = sweep::Report;
using SweepProgressFn = sweep::ProgressFn;  // (done, total) after every batch

SweepReport run_sweep(const SweepConfig& config, const std::string& dir, conic::BatchSolver& solver,
                      const std::string& backend_name, const std::string& solver_detail,
                      const SweepProgressFn& progress = {}, const Shard& shard = {});

// Rewrites DIR/summary.csv from the rows of every results file in DIR (a key counted once).
void write_summary(const SweepConfig& config, const std::string& dir);

// Gathers the rows of every results file in DIR into DIR/results.csv (sorted by point and realisation,
// a key once), removes the shard files and rewrites the summary. Returns the number of rows. Run it once
// all shards have finished; InputError("CONFIG") when DIR holds a different sweep.
std::size_t merge_shards(const SweepConfig& config, const std::string& dir);

// The results.csv header for a config (grid keys are columns).
std::string results_header(const SweepConfig& config);

}  // namespace isacbf::model_a
