#include "host/model_b/digital_step.hpp"

#include <cmath>
#include <string>

#include "host/common/errors.hpp"
#include "host/model_b/cone_rows.hpp"

namespace isacbf::model_b {
namespace {

int v_offset(const DigitalStepLayout& L, int k) { return 2 * L.d * k; }

void check_vectors(const std::vector<Eigen::VectorXcd>& vs, int d, const std::string& name) {
  for (std::size_t i = 0; i < vs.size(); ++i) {
    if (vs[i].size() != d) throw InputError(name + "[" + std::to_string(i) + "]", "expected length d = " + std::to_string(d));
    if (!vs[i].allFinite()) throw InputError(name + "[" + std::to_string(i) + "]", "not finite");
  }
}

}  // namespace

DigitalStepLayout digital_step_layout(const DigitalStepData& data) {
  DigitalStepLayout L;
  L.d = data.d;
  L.K = data.K;
  L.has_X = data.has_sensing_covariance;
  L.x_offset = 2 * data.d * data.K;
  L.t_index = L.x_offset + (L.has_X ? data.d * data.d : 0);
  L.num_vars = L.t_index + 1;
  if (data.feasibility_phase) L.slack_index = L.num_vars++;
  return L;
}

void validate(const DigitalStepData& data) {
  if (data.d < 1) throw InputError("d", "must be >= 1");
  if (data.K < 1) throw InputError("K", "must be >= 1");
  if (static_cast<int>(data.h.size()) != data.K) throw InputError("h", "expected K vectors");
  check_vectors(data.h, data.d, "h");
  check_vectors(data.g, data.d, "g");
  check_vectors(data.a, data.d, "a");
  const int J = static_cast<int>(data.g.size());
  if (!data.eve_on.empty()) {
    if (static_cast<int>(data.eve_on.size()) != J) throw InputError("eve_on", "expected J rows");
    for (const auto& row : data.eve_on)
      if (static_cast<int>(row.size()) != data.K) throw InputError("eve_on", "expected K entries per row");
  }
  if (data.sensing_constraints && J > 0) {
    if (static_cast<int>(data.a.size()) < J) throw InputError("a", "expected J + C steering vectors");
    if (data.coef.rows() != J || data.coef.cols() != static_cast<Eigen::Index>(data.a.size()))
      throw InputError("coef", "expected J x (J + C)");
    if (!data.coef.allFinite() || (data.coef.array() < 0).any()) throw InputError("coef", "must be finite and >= 0");
  }
  if (!(data.Gamma_e > 0 && std::isfinite(data.Gamma_e))) throw InputError("Gamma_e", "must be positive");
  if (!(data.Gamma_s > 0 && std::isfinite(data.Gamma_s))) throw InputError("Gamma_s", "must be positive");
  if (static_cast<int>(data.rho.size()) != data.K) throw InputError("rho", "expected K values");
  if (static_cast<int>(data.y.size()) != data.K) throw InputError("y", "expected K values");
  for (int k = 0; k < data.K; ++k) {
    if (!(data.rho[static_cast<std::size_t>(k)] >= 0) || !std::isfinite(data.rho[static_cast<std::size_t>(k)]))
      throw InputError("rho[" + std::to_string(k) + "]", "must be finite and >= 0");
    if (!std::isfinite(std::abs(data.y[static_cast<std::size_t>(k)]))) throw InputError("y[" + std::to_string(k) + "]", "not finite");
  }
  if (data.V0.rows() != data.d || data.V0.cols() != data.K) throw InputError("V0", "expected d x K");
  if (!data.V0.allFinite()) throw InputError("V0", "not finite");
}

conic::ConicProblem build_digital_step(const DigitalStepData& data) {
  validate(data);
  const DigitalStepLayout L = digital_step_layout(data);
  const int J = static_cast<int>(data.g.size());
  ConeRows rows(L.num_vars);
  auto X_functional = [&](const Eigen::VectorXcd& v) {  // v^H X v
    return L.has_X ? hermitian_functional(v * v.adjoint(), L.x_offset) : Affine{};
  };

  // Objective: t + sum_k |y_k|^2 h_k^H X h_k, with ||e||^2 <= t.
  if (data.feasibility_phase) {
    rows.objective()(L.slack_index) = 1.0;
    rows.add_nonneg(Affine{}.add(L.slack_index, 1.0));
  } else {
    rows.objective()(L.t_index) = 1.0;
  }
  std::vector<Affine> e;
  for (int k = 0; k < data.K; ++k) {
    const auto& yk = data.y[static_cast<std::size_t>(k)];
    const Eigen::VectorXcd f = yk * data.h[static_cast<std::size_t>(k)];  // f^H v = y^* h^H v
    for (int i = 0; i < data.K; ++i) {
      ComplexAffine z = inner(f, v_offset(L, i));
      if (i == k) z.re.constant -= std::sqrt(1.0 + data.rho[static_cast<std::size_t>(k)]);
      e.push_back(z.re);
      e.push_back(z.im);
    }
    if (L.has_X && !data.feasibility_phase) {
      const Affine interference = X_functional(data.h[static_cast<std::size_t>(k)]);
      for (const auto& [var, c] : interference.terms) rows.objective()(var) += std::norm(yk) * c;
    }
  }
  Affine t;
  t.add(L.t_index, 1.0);
  Affine one;
  one.constant = 1.0;
  rows.add_rotated_soc(t, one, e);

  // Power: ||V||_F^2 <= 1 - tr X.
  {
    Affine r = one;
    if (L.has_X) r.add(hermitian_functional(Eigen::MatrixXcd::Identity(L.d, L.d), L.x_offset), -1.0);
    std::vector<Affine> z;
    for (int i = 0; i < 2 * L.d * L.K; ++i) z.push_back(Affine{}.add(i, 1.0));
    rows.add_rotated_soc(r, one, z);
  }

  // (15a): |g_j^H v_k|^2 / Gamma_e <= g_j^H X g_j + 1.
  for (int j = 0; j < J; ++j) {
    const Eigen::VectorXcd& g = data.g[static_cast<std::size_t>(j)];
    Affine r = X_functional(g);
    r.constant += 1.0;
    for (int k = 0; k < data.K; ++k) {
      if (!data.eve_on.empty() && !data.eve_on[static_cast<std::size_t>(j)][static_cast<std::size_t>(k)]) continue;
      const ComplexAffine z = inner(g / std::sqrt(data.Gamma_e), v_offset(L, k));
      rows.add_rotated_soc(r, one, {z.re, z.im});
    }
  }

  // (15b), Taylor-restricted (21)-(22): sum_{i != j} coef_ji ||V^H a_i||^2 <=
  //   (coef_jj / Gamma_s) (T_j(V) + a_j^H X a_j) - 1 - sum_{i != j} coef_ji a_i^H X a_i,
  // T_j(V) = 2 Re sum_k (a_j^H v0_k)^* (a_j^H v_k) - ||V0^H a_j||^2.
  if (data.sensing_constraints) {
    for (int j = 0; j < J; ++j) {
      const Eigen::VectorXcd& aj = data.a[static_cast<std::size_t>(j)];
      const double signal = data.coef(j, j) / data.Gamma_s;
      Affine r = X_functional(aj).scaled(signal);
      r.constant -= 1.0;
      r.constant -= signal * (data.V0.adjoint() * aj).squaredNorm();
      if (data.feasibility_phase) {
        r.constant -= 0.01;
        r.add(L.slack_index, 1.0);
      }
      for (int k = 0; k < data.K; ++k) {
        const std::complex<double> at0 = aj.dot(data.V0.col(k));  // a^H v0_k
        r.add(inner(at0 * aj, v_offset(L, k)).re, 2.0 * signal);
      }
      std::vector<Affine> z;
      for (std::size_t i = 0; i < data.a.size(); ++i) {
        if (static_cast<int>(i) == j) continue;
        const double c = data.coef(j, static_cast<Eigen::Index>(i));
        if (c == 0.0) continue;
        r.add(X_functional(data.a[i]), -c);
        for (int k = 0; k < data.K; ++k) {
          const ComplexAffine zi = inner(std::sqrt(c) * data.a[i], v_offset(L, k));
          z.push_back(zi.re);
          z.push_back(zi.im);
        }
      }
      rows.add_rotated_soc(r, one, z);
    }
  }
  if (L.has_X) rows.add_psd_complex_variable(L.d, L.x_offset);
  return rows.build();
}

DigitalStepPoint decode_digital_step(const DigitalStepData& data, const Eigen::VectorXd& x) {
  const DigitalStepLayout L = digital_step_layout(data);
  if (x.size() != L.num_vars) throw InputError("x", "expected " + std::to_string(L.num_vars) + " variables");
  DigitalStepPoint p;
  p.V.resize(L.d, L.K);
  for (int k = 0; k < L.K; ++k)
    for (int i = 0; i < L.d; ++i) p.V(i, k) = {x(v_offset(L, k) + 2 * i), x(v_offset(L, k) + 2 * i + 1)};
  p.X = L.has_X ? unhvec(x.segment(L.x_offset, L.d * L.d), L.d) : Eigen::MatrixXcd::Zero(L.d, L.d);
  p.t = x(L.t_index);
  return p;
}

Eigen::VectorXd encode_digital_step(const DigitalStepData& data, const DigitalStepPoint& p) {
  const DigitalStepLayout L = digital_step_layout(data);
  Eigen::VectorXd x = Eigen::VectorXd::Zero(L.num_vars);
  for (int k = 0; k < L.K; ++k)
    for (int i = 0; i < L.d; ++i) {
      x(v_offset(L, k) + 2 * i) = p.V(i, k).real();
      x(v_offset(L, k) + 2 * i + 1) = p.V(i, k).imag();
    }
  if (L.has_X) x.segment(L.x_offset, L.d * L.d) = hvec(p.X);
  x(L.t_index) = p.t;
  return x;
}

double fp_surrogate(const DigitalStepData& data, const Eigen::MatrixXcd& V, const Eigen::MatrixXcd& X) {
  double f = 0.0;
  for (int k = 0; k < data.K; ++k) {
    const double rho = data.rho[static_cast<std::size_t>(k)];
    const auto y = data.y[static_cast<std::size_t>(k)];
    const Eigen::VectorXcd& h = data.h[static_cast<std::size_t>(k)];
    const Eigen::RowVectorXcd gains = h.adjoint() * V;
    const double interference = gains.squaredNorm() - std::norm(gains(k)) + (h.adjoint() * X * h)(0).real();
    f += std::log1p(rho) - rho + (1.0 + rho) - std::norm(std::conj(y) * gains(k) - std::sqrt(1.0 + rho)) -
         std::norm(y) * (interference + 1.0);
  }
  return f;
}

void update_auxiliaries(DigitalStepData& data, const Eigen::MatrixXcd& V, const Eigen::MatrixXcd& X) {
  data.rho.assign(static_cast<std::size_t>(data.K), 0.0);
  data.y.assign(static_cast<std::size_t>(data.K), 0.0);
  for (int k = 0; k < data.K; ++k) {
    const Eigen::VectorXcd& h = data.h[static_cast<std::size_t>(k)];
    const Eigen::RowVectorXcd gains = h.adjoint() * V;
    const double total = gains.squaredNorm() + (h.adjoint() * X * h)(0).real() + 1.0;
    const double rho = std::norm(gains(k)) / (total - std::norm(gains(k)));
    data.rho[static_cast<std::size_t>(k)] = rho;
    data.y[static_cast<std::size_t>(k)] = std::sqrt(1.0 + rho) * gains(k) / total;
  }
}

}  // namespace isacbf::model_b
