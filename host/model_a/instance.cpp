#include "host/model_a/instance.hpp"

#include <string>

#include "host/common/errors.hpp"

namespace isacbf::model_a {

namespace {
void check_user(const Instance& inst, int k) {
  if (k < 0 || k >= inst.K || k >= static_cast<int>(inst.g.size()) || k >= inst.h_e.size())
    throw InputError("k", "user index " + std::to_string(k) + " out of range [0, " + std::to_string(inst.K) + ")");
}
}  // namespace

Eigen::RowVectorXcd Instance::h_se(int k) const {
  check_user(*this, k);
  return h_e(k) * h_ce.adjoint();
}

Eigen::RowVectorXcd Instance::h(int k) const {
  check_user(*this, k);
  return g[static_cast<std::size_t>(k)].adjoint() + h_se(k);
}

}  // namespace isacbf::model_a
