#pragma once
// Settings::verbose: the ADMM's progress on std::clog (standard error), as SCS prints its own: a header
// with the problem's size and the settings that decide the run, a row every kRowInterval iterations (and at
// the first and last check), a line at every change of the dual scale, and the outcome. Each line is
// written whole under one lock, so the threads of a CPU batch never interleave within a line; in a batch
// every line starts with "[i] ", the instance's index. The GPU backend logs its device batch as a whole
// (batch_row) and each instance's outcome. Writing to std::clog lets a caller (or a test)
// redirect the log with std::clog.rdbuf().
#include <string>

#include "host/conic/problem.hpp"

namespace isacbf::conic {

// One logged check, unscaled (the quantities of the termination test, docs/solver.md).
struct ProgressRow {
  int iteration = 0;         // 1-based: iterations done
  bool have_point = false;   // tau > 0; otherwise only the iteration and scale are shown
  double primal_residual = 0, dual_residual = 0, gap = 0;
  double primal_objective = 0, dual_objective = 0;
  double scale = 0;
  double seconds = 0;
};

class ProgressLog {
 public:
  static constexpr int kRowInterval = 250;

  // instance < 0: a batch of one (no prefix). Logs nothing unless `on`.
  ProgressLog(bool on, int instance);

  bool on() const { return on_; }
  void header(const ConicProblem& problem, const Settings& settings, const std::string& linear_solver) const;
  // A row when it is due (the first check, then every kRowInterval iterations) or `force`d (the last one).
  void row(const ProgressRow& row, bool force = false);
  // The GPU backend's row for a whole device batch (its residuals stay on the device): due like row().
  void batch_row(int iteration, int running, int batch, double seconds, bool force = false);
  // After the first factorisation: the x-system's back end, what it holds, and the set-up time so far; then
  // the rows' column header.
  void factored(const std::string& linear_solver, const std::string& detail, double seconds) const;
  void scale_change(int iteration, double from, double to) const;
  // The CG-first back end has built its factor (linsys.hpp), during a solve up to `iteration`.
  void x_system_switch(int iteration, const std::string& linear_solver, const std::string& detail) const;
  void outcome(const Solution& solution) const;
  // Any other line (the GPU backend's cut of a batch into device batches).
  void note(const std::string& line) const;

  // The line every backend writes for a finished instance (the GPU has no per-check rows).
  static std::string outcome_line(const Solution& solution);

 private:
  void write(const std::string& line) const;
  bool due(int iteration, bool force);  // advances the schedule when it says yes

  bool on_;
  int instance_;
  int next_row_ = 1;
  int last_row_ = 0;
};

}  // namespace isacbf::conic
