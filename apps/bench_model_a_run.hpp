#pragma once
// One backend's run of Algorithm 1 on a batch of model-A instances for `isacbf bench --model-a`:
// the wall time of run_sca, its outcomes and the conic solver's counts, and the comparisons the
// benchmark reports between two such runs.
#include <string>
#include <vector>

#include "apps/counting_solver.hpp"
#include "host/model_a/sca.hpp"

namespace isacbf::apps {

struct BackendRun {
  double seconds = 0.0;                       // wall time of run_sca on the whole batch
  std::vector<model_a::ScaOutcome> outcomes;
  std::vector<double> secrecy_rate;           // per instance; NaN unless optimal
  SolveCounts counts;
  int optimal() const;
  long long sca_iterations() const;           // sum over instances
  std::string status_summary() const;         // "optimal:14;max_iterations:2" (no commas: a CSV field)
  double mean_secrecy_rate() const;           // over optimal instances; NaN when none
};

// backend: cpu | gpu | cvxopt (apps/model_a_solver_choice.hpp); options as `isacbf solve` sets them
// for that backend. The CPU reference uses all cores (options.solver.threads = 0 by default); CVXOPT
// runs one instance at a time.
BackendRun run_backend(const std::vector<model_a::Instance>& instances, model_a::ScaOptions options,
                       const std::string& backend);

struct Agreement {
  int same_status = 0;
  int both_optimal = 0;
  double max_rel_secrecy_rate_diff = 0.0;  // |a - b| / max(|b|, 1e-9) over instances both optimal
};
Agreement compare(const BackendRun& a, const BackendRun& b);

}  // namespace isacbf::apps
