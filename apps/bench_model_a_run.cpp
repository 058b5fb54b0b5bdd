#include "apps/bench_model_a_run.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>

#include "apps/model_a_solver_choice.hpp"
#include "host/model_a/metrics.hpp"

namespace isacbf::apps {

int BackendRun::optimal() const {
  return static_cast<int>(std::count_if(outcomes.begin(), outcomes.end(), [](const auto& o) { return o.status == "optimal"; }));
}

long long BackendRun::sca_iterations() const {
  long long n = 0;
  for (const auto& o : outcomes) n += o.iterations;
  return n;
}

std::string BackendRun::status_summary() const {
  std::map<std::string, int> count;
  for (const auto& o : outcomes) ++count[o.status];
  std::string s;
  for (const auto& [status, n] : count) s += (s.empty() ? "" : ";") + status + ":" + std::to_string(n);
  return s;
}

double BackendRun::mean_secrecy_rate() const {
  double sum = 0.0;
  int n = 0;
  for (double sr : secrecy_rate)
    if (!std::isnan(sr)) sum += sr, ++n;
  return n > 0 ? sum / n : std::numeric_limits<double>::quiet_NaN();
}

BackendRun run_backend(const std::vector<model_a::Instance>& instances, model_a::ScaOptions options,
                       const std::string& backend) {
  auto choice = choose_solver(backend);
  // One Python process: CVXOPT's time per instance, not per instance and core.
  if (choice.detail == "cvxopt") {
    crosscheck::CvxoptOptions one = crosscheck::CvxoptOptions::ill_conditioned();
    one.processes = 1;
    choice.solver = std::make_unique<crosscheck::CvxoptSolver>(one);
  }
  options.primal_start = choice.detail == "cvxopt";  // as `isacbf solve` sets them per backend
  options.target_rescaling = choice.detail != "cvxopt";
  CountingSolver counting(*choice.solver);
  BackendRun run;
  const auto t0 = std::chrono::steady_clock::now();
  run.outcomes = model_a::run_sca(instances, options, counting);
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  run.counts = counting.counts();
  for (std::size_t i = 0; i < instances.size(); ++i) {
    const auto& o = run.outcomes[i];
    const bool solved = o.status == "optimal" && o.has_design;
    run.secrecy_rate.push_back(solved ? model_a::evaluate(instances[i], o.design).secrecy_rate
                                      : std::numeric_limits<double>::quiet_NaN());
  }
  return run;
}

Agreement compare(const BackendRun& a, const BackendRun& b) {
  Agreement g;
  for (std::size_t i = 0; i < a.outcomes.size() && i < b.outcomes.size(); ++i) {
    g.same_status += a.outcomes[i].status == b.outcomes[i].status;
    if (std::isnan(a.secrecy_rate[i]) || std::isnan(b.secrecy_rate[i])) continue;
    ++g.both_optimal;
    // Same measure as bench/compare_backends.py.
    const double rel = std::abs(a.secrecy_rate[i] - b.secrecy_rate[i]) / std::max(std::abs(b.secrecy_rate[i]), 1e-9);
    g.max_rel_secrecy_rate_diff = std::max(g.max_rel_secrecy_rate_diff, rel);
  }
  return g;
}

}  // namespace isacbf::apps
