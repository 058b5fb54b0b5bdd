#include "host/model_b/had_step.hpp"

#include <cmath>
#include <string>

#include "host/common/errors.hpp"
#include "host/model_b/cone_rows.hpp"

namespace isacbf::model_b {
namespace {

int column_offset(const HadStepData& d, int l) { return 2 * static_cast<int>(d.F.cols()) * l; }

// Taylor lower bound of |c^H b_l|^2 at b0_l, added to r with weight w: w (2 Re(conj(c^H b0) c^H b) - |c^H b0|^2).
void add_taylor(Affine& r, const HadStepData& d, const Eigen::VectorXcd& c, int l, double w) {
  const std::complex<double> at0 = c.dot(d.B0.col(l));
  r.add(inner(at0 * c, column_offset(d, l)).re, 2.0 * w);
  r.constant -= w * std::norm(at0);
}

}  // namespace

void validate(const HadStepData& d) {
  if (d.K < 1) throw InputError("K", "must be >= 1");
  if (d.Ns < 0) throw InputError("Ns", "must be >= 0");
  if (d.F.size() == 0 || !d.F.allFinite()) throw InputError("F", "must be non-empty and finite");
  const Eigen::Index Nt = d.F.rows();
  auto check = [&](const std::vector<Eigen::VectorXcd>& vs, const std::string& name) {
    for (std::size_t i = 0; i < vs.size(); ++i)
      if (vs[i].size() != Nt || !vs[i].allFinite()) throw InputError(name + "[" + std::to_string(i) + "]", "expected finite length Nt");
  };
  if (static_cast<int>(d.h.size()) != d.K) throw InputError("h", "expected K vectors");
  check(d.h, "h");
  check(d.g, "g");
  check(d.a, "a");
  const int J = static_cast<int>(d.g.size());
  if (static_cast<int>(d.a.size()) < J) throw InputError("a", "expected J + C steering vectors");
  if (J > 0 && (d.coef.rows() != J || d.coef.cols() != static_cast<Eigen::Index>(d.a.size())))
    throw InputError("coef", "expected J x (J + C)");
  if (static_cast<int>(d.rho.size()) != d.K) throw InputError("rho", "expected K values");
  if (static_cast<int>(d.y.size()) != d.K) throw InputError("y", "expected K values");
  if (d.B0.rows() != d.F.cols() || d.B0.cols() != d.K + d.Ns) throw InputError("B0", "expected N_RF x (K + Ns)");
  if (!(d.Gamma_e > 0) || !(d.Gamma_s > 0)) throw InputError("Gamma_e", "thresholds must be positive");
}

conic::ConicProblem build_had_step(const HadStepData& d) {
  validate(d);
  const int N = static_cast<int>(d.F.cols()), Lc = d.K + d.Ns, J = static_cast<int>(d.g.size());
  const int t_index = 2 * N * Lc;
  ConeRows rows(t_index + 1);
  rows.objective()(t_index) = 1.0;
  Affine one;
  one.constant = 1.0;
  auto eff = [&](const Eigen::VectorXcd& c) -> Eigen::VectorXcd { return d.F.adjoint() * c; };  // (F^H c)^H b = c^H F b

  std::vector<Affine> e;
  for (int k = 0; k < d.K; ++k) {
    const Eigen::VectorXcd f = d.y[static_cast<std::size_t>(k)] * eff(d.h[static_cast<std::size_t>(k)]);
    for (int l = 0; l < Lc; ++l) {
      ComplexAffine z = inner(f, column_offset(d, l));
      if (l == k) z.re.constant -= std::sqrt(1.0 + d.rho[static_cast<std::size_t>(k)]);
      e.push_back(z.re);
      e.push_back(z.im);
    }
  }
  Affine t;
  t.add(t_index, 1.0);
  rows.add_rotated_soc(t, one, e);

  // Power ||F B||^2 = sum_l ||L^H b_l||^2 with F^H F = L L^H.
  {
    const Eigen::MatrixXcd Lf = Eigen::LLT<Eigen::MatrixXcd>(d.F.adjoint() * d.F).matrixL();
    std::vector<Affine> z;
    for (int l = 0; l < Lc; ++l)
      for (int i = 0; i < N; ++i) {
        const ComplexAffine c = inner(Lf.col(i), column_offset(d, l));  // (L^H b)_i = L(:, i)^H b
        z.push_back(c.re);
        z.push_back(c.im);
      }
    rows.add_rotated_soc(one, one, z);
  }

  // (15a): |g^H F b_k|^2 / Gamma_e <= 1 + sum_s Taylor(|g^H F s|^2) (35).
  for (int j = 0; j < J; ++j) {
    const Eigen::VectorXcd g = eff(d.g[static_cast<std::size_t>(j)]);
    Affine r = one;
    for (int s = d.K; s < Lc; ++s) add_taylor(r, d, g, s, 1.0);
    for (int k = 0; k < d.K; ++k) {
      const ComplexAffine z = inner(g / std::sqrt(d.Gamma_e), column_offset(d, k));
      rows.add_rotated_soc(r, one, {z.re, z.im});
    }
  }

  // (15b): sum_{i != j} coef_ji ||b^H F^H a_i||^2 <= (coef_jj / Gamma_s) sum_l Taylor(|a_j^H F b_l|^2) - 1 (36).
  for (int j = 0; j < J; ++j) {
    const Eigen::VectorXcd aj = eff(d.a[static_cast<std::size_t>(j)]);
    Affine r;
    r.constant = -1.0;
    for (int l = 0; l < Lc; ++l) add_taylor(r, d, aj, l, d.coef(j, j) / d.Gamma_s);
    std::vector<Affine> z;
    for (std::size_t i = 0; i < d.a.size(); ++i) {
      const double c = d.coef(j, static_cast<Eigen::Index>(i));
      if (static_cast<int>(i) == j || c == 0.0) continue;
      const Eigen::VectorXcd ai = std::sqrt(c) * eff(d.a[i]);
      for (int l = 0; l < Lc; ++l) {
        const ComplexAffine zi = inner(ai, column_offset(d, l));
        z.push_back(zi.re);
        z.push_back(zi.im);
      }
    }
    rows.add_rotated_soc(r, one, z);
  }
  return rows.build();
}

Eigen::MatrixXcd decode_had_step(const HadStepData& d, const Eigen::VectorXd& x) {
  const int N = static_cast<int>(d.F.cols()), Lc = d.K + d.Ns;
  if (x.size() != 2 * N * Lc + 1) throw InputError("x", "expected 2 N_RF (K + Ns) + 1 variables");
  Eigen::MatrixXcd B(N, Lc);
  for (int l = 0; l < Lc; ++l)
    for (int i = 0; i < N; ++i) B(i, l) = {x(column_offset(d, l) + 2 * i), x(column_offset(d, l) + 2 * i + 1)};
  return B;
}

Eigen::VectorXd encode_had_step(const HadStepData& d, const Eigen::MatrixXcd& B, double t) {
  const int N = static_cast<int>(d.F.cols()), Lc = d.K + d.Ns;
  Eigen::VectorXd x(2 * N * Lc + 1);
  for (int l = 0; l < Lc; ++l)
    for (int i = 0; i < N; ++i) {
      x(column_offset(d, l) + 2 * i) = B(i, l).real();
      x(column_offset(d, l) + 2 * i + 1) = B(i, l).imag();
    }
  x(2 * N * Lc) = t;
  return x;
}

void update_auxiliaries(HadStepData& d, const Eigen::MatrixXcd& B) {
  d.rho.assign(static_cast<std::size_t>(d.K), 0.0);
  d.y.assign(static_cast<std::size_t>(d.K), 0.0);
  const Eigen::MatrixXcd FB = d.F * B;
  for (int k = 0; k < d.K; ++k) {
    const Eigen::RowVectorXcd gains = d.h[static_cast<std::size_t>(k)].adjoint() * FB;  // data and sensing columns
    const double total = gains.squaredNorm() + 1.0;
    const double rho = std::norm(gains(k)) / (total - std::norm(gains(k)));
    d.rho[static_cast<std::size_t>(k)] = rho;
    d.y[static_cast<std::size_t>(k)] = std::sqrt(1.0 + rho) * gains(k) / total;
  }
}

}  // namespace isacbf::model_b
