#include "host/model_b/simple_designs.hpp"

#include <cmath>

#include "host/common/errors.hpp"
#include "host/model_b/io.hpp"
#include "host/model_b/metrics.hpp"

namespace isacbf::model_b {

Design mrt_design(const Instance& inst, double comm_fraction) {
  validate(inst);
  if (!(comm_fraction >= 0.0 && comm_fraction <= 1.0)) throw InputError("comm_fraction", "must be in [0, 1]");
  const double P = power_budget_W(inst);
  Eigen::MatrixXcd H(inst.Nt, inst.K);
  for (int k = 0; k < inst.K; ++k) H.col(k) = inst.h[static_cast<std::size_t>(k)];
  Design design;
  design.W = std::sqrt(comm_fraction * P) * H / H.norm();
  design.R_s = (1.0 - comm_fraction) * P / inst.Nt * Eigen::MatrixXcd::Identity(inst.Nt, inst.Nt);
  return design;
}

}  // namespace isacbf::model_b
