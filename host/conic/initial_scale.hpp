#pragma once
// The initial dual scale of the ADMM (docs/solver.md, "Initial scale"), shared by the CPU reference
// (admm.cpp) and the GPU batch preparation (cuda/batch_prep.cpp), so both start every instance alike.
#include <Eigen/Dense>
#include <cmath>

#include "kernels/adaptive_scale.hpp"

namespace isacbf::conic {

// Used when b or c is zero (a pure feasibility problem or a homogeneous one): SCS 3's fixed default.
constexpr double kFallbackScale = 0.1;

// Settings::scale when it is positive. Zero asks for the data's scale: the DR iterate's cone part is
// w_y = y + scale * s, and its two terms are balanced when scale ~ ||y*|| / ||s*||. With A equilibrated
// (rows and columns of unit size) the dual is about the size of c and the slack about that of b, so
// scale0 = ||c_hat||_2 / ||b_hat||_2 of the equilibrated data (clamped like every scale).
inline double initial_scale(double setting, const Eigen::VectorXd& b_hat, const Eigen::VectorXd& c_hat) {
  if (setting > 0.0) return kernels::clamp_scale(setting);
  const double nb = b_hat.norm(), nc = c_hat.norm();
  if (!(nb > 0.0) || !(nc > 0.0) || !std::isfinite(nb) || !std::isfinite(nc)) return kFallbackScale;
  return kernels::clamp_scale(nc / nb);
}

}  // namespace isacbf::conic
