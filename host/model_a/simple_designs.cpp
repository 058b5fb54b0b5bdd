#include "host/model_a/simple_designs.hpp"

#include <cmath>

#include "host/common/errors.hpp"
#include "host/model_a/io.hpp"
#include "host/model_a/metrics.hpp"

namespace isacbf::model_a {

Design mrt_design(const Instance& inst, double comm_fraction) {
  validate(inst);
  if (!(comm_fraction >= 0.0 && comm_fraction <= 1.0)) throw InputError("comm_fraction", "must be in [0, 1]");
  const double P = power_budget_W(inst);
  Design design;
  for (int k = 0; k < inst.K; ++k) {
    const Eigen::VectorXcd direction = inst.h(k).adjoint().normalized();
    design.Q.push_back(comm_fraction * P / inst.K * direction * direction.adjoint());
  }
  design.S = (1.0 - comm_fraction) * P / inst.Nt * Eigen::MatrixXcd::Identity(inst.Nt, inst.Nt);
  return design;
}

}  // namespace isacbf::model_a
