#pragma once
// Runs a sweep into DIR: DIR/config.json (the config, to refuse resuming a different sweep),
// DIR/results.csv (one row per instance, appended per batch, resumable), DIR/summary.csv (per grid
// point: count, feasibility fraction, mean/std secrecy rate, ...; rewritten at the end).
#include <functional>
#include <string>

#include "host/conic/batch_solver.hpp"
#include "host/model_a/sweep_config.hpp"

namespace isacbf::model_a {

struct SweepReport {
  std::size_t total = 0;      // instances in the sweep
  std::size_t skipped = 0;    // already in results.csv when this run started
  std::size_t solved = 0;     // solved by this run
};

// progress(done, total): called after every batch (done counts rows already present too).
using SweepProgressFn = std::function<void(std::size_t done, std::size_t total)>;

SweepReport run_sweep(const SweepConfig& config, const std::string& dir, conic::BatchSolver& solver,
                      const std::string& backend_name, const std::string& solver_detail,
                      const SweepProgressFn& progress = {});

// Rewrites DIR/summary.csv from DIR/results.csv.
void write_summary(const SweepConfig& config, const std::string& dir);

// The results.csv header for a config (grid keys are columns).
std::string results_header(const SweepConfig& config);

}  // namespace isacbf::model_a
