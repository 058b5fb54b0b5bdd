#include "host/model_b/comm_only.hpp"

#include <cmath>

#include "host/common/array.hpp"
#include "host/common/units.hpp"
#include "host/model_b/cone_rows.hpp"
#include "host/model_b/digital_fp.hpp"
#include "host/model_b/io.hpp"
#include "host/model_b/metrics.hpp"
#include "host/model_b/reduction.hpp"

namespace isacbf::model_b {

conic::ConicProblem build_comm_only_relaxation(const Instance& inst) {
  validate(inst);
  const Instance view = design_view(inst);
  const Eigen::MatrixXcd Q = design_basis(inst);
  const int d = static_cast<int>(Q.cols());
  const double P = power_budget_W(inst);
  ConeRows rows(d * d);
  Affine power;
  power.constant = 1.0;
  power.add(hermitian_functional(Eigen::MatrixXcd::Identity(d, d), 0), -static_cast<double>(inst.K));
  rows.add_nonneg(power);
  const double cap = db_to_linear(inst.Gamma_e_dB), threshold = db_to_linear(inst.Gamma_s_dB);
  for (int j = 0; j < inst.J; ++j) {
    const Eigen::VectorXcd g = std::sqrt(P / sigma_e2(inst)) * Q.adjoint() * inst.g_est[static_cast<std::size_t>(j)];
    Affine eve = hermitian_functional(-(g * g.adjoint()) / cap, 0);
    eve.constant = 1.0;
    rows.add_nonneg(eve);
    const Eigen::VectorXcd a = Q.adjoint() * steering_vector_deg(inst.Nt, view.theta_ae_deg[static_cast<std::size_t>(j)]);
    const double c = inst.L_s * std::norm(inst.alpha(j)) * inst.Nr * P / sigma_r2(inst) * inst.K / threshold;
    Affine sense = hermitian_functional(c * a * a.adjoint(), 0);
    sense.constant = -1.0;
    rows.add_nonneg(sense);
  }
  rows.add_psd_complex_variable(d, 0);
  return rows.build();
}

}  // namespace isacbf::model_b
