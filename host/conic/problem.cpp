#include "host/conic/problem.hpp"

#include <cmath>
#include <string>

#include "host/common/errors.hpp"
#include "host/conic/psd_method.hpp"

namespace isacbf::conic {

int ConeSpec::dimension() const {
  int m = zero + nonneg + 3 * (exp_primal + exp_dual);
  for (int q : soc) m += q;
  for (int n : psd_real) m += n * (n + 1) / 2;
  for (int n : psd_complex) m += n * n;
  return m;
}

namespace {
void require_positive_sizes(const std::vector<int>& sizes, const std::string& field) {
  for (std::size_t i = 0; i < sizes.size(); ++i)
    if (sizes[i] < 1) throw InputError(field + "[" + std::to_string(i) + "]", "cone size must be >= 1");
}
void require_finite(const Eigen::Ref<const Eigen::VectorXd>& v, const std::string& field) {
  for (Eigen::Index i = 0; i < v.size(); ++i)
    if (!std::isfinite(v[i])) throw InputError(field + "[" + std::to_string(i) + "]", "must be finite");
}
}  // namespace

bool same_sparsity_pattern(const Eigen::SparseMatrix<double>& a, const Eigen::SparseMatrix<double>& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols() || a.nonZeros() != b.nonZeros()) return false;
  for (Eigen::Index j = 0; j < a.outerSize(); ++j) {
    Eigen::SparseMatrix<double>::InnerIterator ia(a, j), ib(b, j);
    for (; ia && ib; ++ia, ++ib)
      if (ia.index() != ib.index()) return false;
    if (ia || ib) return false;
  }
  return true;
}

void validate_warm_starts(std::size_t batch_size, const std::vector<WarmStart>& warm_starts) {
  if (!warm_starts.empty() && warm_starts.size() != batch_size)
    throw InputError("warm_starts", "has " + std::to_string(warm_starts.size()) + " entries for a batch of " +
                                        std::to_string(batch_size));
}

void validate(const ConicProblem& p) {
  if (p.cones.zero < 0) throw InputError("cones.zero", "must be >= 0");
  if (p.cones.nonneg < 0) throw InputError("cones.nonneg", "must be >= 0");
  if (p.cones.exp_primal < 0) throw InputError("cones.exp_primal", "must be >= 0");
  if (p.cones.exp_dual < 0) throw InputError("cones.exp_dual", "must be >= 0");
  require_positive_sizes(p.cones.soc, "cones.soc");
  require_positive_sizes(p.cones.psd_real, "cones.psd_real");
  require_positive_sizes(p.cones.psd_complex, "cones.psd_complex");
  const auto m = static_cast<Eigen::Index>(p.cones.dimension());
  if (p.A.rows() != m)
    throw InputError("A", "has " + std::to_string(p.A.rows()) + " rows but the cones need " + std::to_string(m));
  if (p.b.size() != m) throw InputError("b", "has length " + std::to_string(p.b.size()) + ", expected " + std::to_string(m));
  if (p.c.size() != p.A.cols())
    throw InputError("c", "has length " + std::to_string(p.c.size()) + ", expected " + std::to_string(p.A.cols()));
  if (p.A.cols() < 1) throw InputError("A", "has no columns (no variables)");
  require_finite(p.b, "b");
  require_finite(p.c, "c");
  const auto* values = p.A.valuePtr();
  for (Eigen::Index i = 0; i < p.A.nonZeros(); ++i)
    if (!std::isfinite(values[i])) throw InputError("A", "has a non-finite entry");
}

void validate(const Settings& s) {
  auto positive = [](double v) { return std::isfinite(v) && v > 0.0; };
  if (!(std::isfinite(s.eps_abs) && s.eps_abs >= 0.0)) throw InputError("settings.eps_abs", "must be finite and >= 0");
  if (!(std::isfinite(s.eps_rel) && s.eps_rel >= 0.0)) throw InputError("settings.eps_rel", "must be finite and >= 0");
  if (s.eps_abs == 0.0 && s.eps_rel == 0.0) throw InputError("settings.eps_abs", "eps_abs and eps_rel are both 0");
  if (!(s.norm_cap >= 0.0)) throw InputError("settings.norm_cap", "must be >= 0");
  if (!positive(s.eps_infeas)) throw InputError("settings.eps_infeas", "must be > 0");
  if (s.max_iters < 1) throw InputError("settings.max_iters", "must be >= 1");
  if (!(std::isfinite(s.time_limit_s) && s.time_limit_s >= 0.0)) throw InputError("settings.time_limit_s", "must be >= 0");
  if (!(s.alpha > 0.0 && s.alpha < 2.0)) throw InputError("settings.alpha", "must be in (0, 2)");
  if (!(std::isfinite(s.scale) && s.scale >= 0.0)) throw InputError("settings.scale", "must be >= 0 (0: from the data)");
  if (!positive(s.rho_x)) throw InputError("settings.rho_x", "must be > 0");
  if (s.equilibration_passes < 0 || s.equilibration_passes > kMaxEquilibrationPasses)
    throw InputError("settings.equilibration_passes", "must be in [0, " + std::to_string(kMaxEquilibrationPasses) + "]");
  if (!(std::isfinite(s.memory_limit_gb) && s.memory_limit_gb >= 0.0))
    throw InputError("settings.memory_limit_gb", "must be finite and >= 0 (0: the machine's memory)");
  if (s.anderson_memory < 0 || s.anderson_memory > kMaxAndersonMemory)
    throw InputError("settings.anderson_memory", "must be in [0, " + std::to_string(kMaxAndersonMemory) + "]");
  if (s.anderson_interval < 1) throw InputError("settings.anderson_interval", "must be >= 1");
  if (!(std::isfinite(s.anderson_reg) && s.anderson_reg >= 0.0)) throw InputError("settings.anderson_reg", "must be >= 0");
  if (!positive(s.anderson_safeguard)) throw InputError("settings.anderson_safeguard", "must be > 0");
  if (s.check_interval < 1) throw InputError("settings.check_interval", "must be >= 1");
  if (s.threads < 0) throw InputError("settings.threads", "must be >= 0");
  if (s.gpu_max_batch < 0) throw InputError("settings.gpu_max_batch", "must be >= 0 (0: as many as fit the device)");
  if (s.scale_update_min_iters < 1) throw InputError("settings.scale_update_min_iters", "must be >= 1");
  if (s.scale_trial_doublings < 0 || s.scale_trial_doublings > kernels::kMaxTrialDoublings)
    throw InputError("settings.scale_trial_doublings", std::string("must be in [0, ")
                                                           .append(std::to_string(kernels::kMaxTrialDoublings))
                                                           .append("] (0: a fixed cooldown)"));
  if (!(std::isfinite(s.scale_floor) && s.scale_floor >= 0.0))
    throw InputError("settings.scale_floor", "must be finite and >= 0 (0: off)");
  if (!s.linear_solver.empty() && s.linear_solver != "woodbury" && s.linear_solver != "dense_llt" &&
      s.linear_solver != "sparse_ldlt" && s.linear_solver != "cg")
    throw InputError("settings.linear_solver", "must be '', 'woodbury', 'dense_llt', 'sparse_ldlt' or 'cg'");
  if (s.psd_equilibration != "auto" && s.psd_equilibration != "block" && s.psd_equilibration != "congruence")
    throw InputError("settings.psd_equilibration", "must be 'auto', 'block' or 'congruence'");
  PsdMethod method = PsdMethod::automatic;
  try {
    method = psd_method_from_string(s.psd_method);
  } catch (const InputError& e) {
    throw e.nested_in("settings");
  }
  if (method != PsdMethod::automatic && method != PsdMethod::eigen && !lapack_available())
    throw InputError("settings.psd_method", "'" + s.psd_method + "' needs LAPACK; this build has none");
}

const char* to_string(Status status) {
  switch (status) {
    case Status::optimal: return "optimal";
    case Status::infeasible: return "infeasible";
    case Status::unbounded: return "unbounded";
    case Status::max_iterations: return "max_iterations";
    case Status::numerical_error: return "numerical_error";
  }
  return "numerical_error";
}

}  // namespace isacbf::conic
