#include "host/conic/progress_log.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <string>
#include <vector>

namespace isacbf::conic {

namespace {

std::mutex g_log_mutex;  // one per process: every solver thread writes to the same std::clog

std::string format(const char* fmt, auto... args) {
  char text[320];
  std::snprintf(text, sizeof text, fmt, args...);
  return text;
}

// "3 of order <= 50" style summary of a list of block sizes; empty when there are none.
std::string blocks(const char* kind, const std::vector<int>& sizes, const char* size_word) {
  if (sizes.empty()) return {};
  return format(", %s %zu (%s up to %d)", kind, sizes.size(), size_word, *std::max_element(sizes.begin(), sizes.end()));
}

std::string cone_summary(const ConeSpec& k) {
  std::string out = format("zero %d, nonneg %d", k.zero, k.nonneg);
  out.append(blocks("soc", k.soc, "size"));
  out.append(blocks("psd", k.psd_real, "order"));
  out.append(blocks("hermitian psd", k.psd_complex, "order"));
  if (k.exp_primal > 0) out.append(format(", exp %d", k.exp_primal));
  if (k.exp_dual > 0) out.append(format(", exp* %d", k.exp_dual));
  return out;
}

}  // namespace

ProgressLog::ProgressLog(bool on, int instance) : on_(on), instance_(instance) {}

void ProgressLog::write(const std::string& line) const {
  std::string text = instance_ >= 0 ? format("[%d] ", instance_) : std::string();
  text.append(line).append("\n");
  const std::lock_guard<std::mutex> lock(g_log_mutex);
  std::clog << text << std::flush;
}

void ProgressLog::header(const ConicProblem& p, const Settings& st, const std::string& linear_solver) const {
  if (!on_) return;
  write(format("conic ADMM: %lld variables, %lld rows, %lld nonzeros; cones: ", static_cast<long long>(p.A.cols()),
               static_cast<long long>(p.A.rows()), static_cast<long long>(p.A.nonZeros()))
            .append(cone_summary(p.cones)));
  write(format("eps_abs %.1e, eps_rel %.1e, max_iters %d, alpha %.2f, anderson memory %d, linear system %s",
               st.eps_abs, st.eps_rel, st.max_iters, st.alpha, st.anderson_memory, linear_solver.c_str()));
}

bool ProgressLog::due(int iteration, bool force) {
  if (!on_ || iteration == last_row_ || (!force && iteration < next_row_)) return false;
  last_row_ = iteration;
  while (next_row_ <= iteration) next_row_ = next_row_ == 1 ? kRowInterval : next_row_ + kRowInterval;
  return true;
}

void ProgressLog::batch_row(int iteration, int running, int batch, double seconds, bool force) {
  if (due(iteration, force))
    write(format("%8d %d of %d instances running, %.3f s", iteration, running, batch, seconds));
}

void ProgressLog::row(const ProgressRow& r, bool force) {
  if (!due(r.iteration, force)) return;
  if (r.have_point) {
    write(format("%8d %10.3e %10.3e %10.3e %13.6e %13.6e %9.2e %9.3f", r.iteration, r.primal_residual, r.dual_residual,
                 r.gap, r.primal_objective, r.dual_objective, r.scale, r.seconds));
  } else {
    write(format("%8d %10s %10s %10s %13s %13s %9.2e %9.3f", r.iteration, "-", "-", "-", "(tau = 0)", "-", r.scale,
                 r.seconds));
  }
}

void ProgressLog::factored(const std::string& linear_solver, const std::string& detail, double seconds) const {
  if (!on_) return;
  std::string line = "x-system " + linear_solver;
  if (!detail.empty()) line.append(" (").append(detail).append(")");
  write(line.append(format(", set up in %.3f s", seconds)));
  write(format("%8s %10s %10s %10s %13s %13s %9s %9s", "iter", "pri res", "dual res", "gap", "primal obj", "dual obj",
               "scale", "seconds"));
}

void ProgressLog::scale_change(int iteration, double from, double to) const {
  if (on_) write(format("%8d scale %.3e -> %.3e (refactored)", iteration, from, to));
}

void ProgressLog::x_system_switch(int iteration, const std::string& linear_solver, const std::string& detail) const {
  if (on_) write(format("%8d x-system %s (%s)", iteration, linear_solver.c_str(), detail.c_str()));
}

std::string ProgressLog::outcome_line(const Solution& s) {
  std::string line = format("%s after %d iterations, %.3f s", to_string(s.status), s.iterations, s.seconds);
  if ((s.status == Status::optimal || s.status == Status::max_iterations) && std::isfinite(s.primal_objective))
    line.append(format(": objective %.9g, pri res %.3e, dual res %.3e, gap %.3e", s.primal_objective,
                       s.primal_residual, s.dual_residual, s.gap));
  line.append(format("; scale %.3e (%d updates), anderson %d accepted / %d rejected", s.scale, s.scale_updates,
                     s.anderson_accepted, s.anderson_rejected));
  if (!s.message.empty()) line.append("; ").append(s.message);
  return line;
}

void ProgressLog::outcome(const Solution& s) const {
  if (on_) write(outcome_line(s));
}

void ProgressLog::note(const std::string& line) const {
  if (on_) write(line);
}

}  // namespace isacbf::conic
