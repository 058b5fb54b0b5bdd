#include "host/conic/problem.hpp"

#include <cmath>
#include <string>

#include "host/common/errors.hpp"

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
