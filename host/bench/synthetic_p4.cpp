#include "host/bench/synthetic_p4.hpp"

#include <cmath>
#include <complex>
#include <random>
#include <vector>

#include "host/common/errors.hpp"

namespace isacbf::bench {

namespace {
// hvec of g g^H (host/conic/problem.hpp order): diagonal as is, off-diagonal sqrt(2) (Re, Im) of X_ij, i > j.
std::vector<double> hvec_outer(const std::vector<std::complex<double>>& g) {
  const int d = static_cast<int>(g.size());
  std::vector<double> v;
  for (int j = 0; j < d; ++j) {
    v.push_back(std::norm(g[j]));
    for (int i = j + 1; i < d; ++i) {
      const std::complex<double> x = g[i] * std::conj(g[j]);
      v.push_back(std::sqrt(2.0) * x.real());
      v.push_back(std::sqrt(2.0) * x.imag());
    }
  }
  return v;
}
}  // namespace

SyntheticP4 synthetic_p4(int users, int order, std::uint64_t seed) {
  if (users < 1) throw InputError("users", "must be >= 1");
  if (order < 1) throw InputError("order", "must be >= 1");
  const int K = users, d = order, dd = d * d;
  const int n = (K + 1) * dd + K;
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform(1.5, 3.0);
  const double gamma = 0.1, Gamma = 0.1, P = 2.0 * K + 1.0;

  SyntheticP4 out;
  conic::ConicProblem& p = out.problem;
  p.cones.nonneg = K + 2;
  p.cones.psd_complex.assign(K + 1, d);
  p.cones.exp_primal = K;
  const int m = p.cones.dimension();
  p.b = Eigen::VectorXd::Zero(m);
  p.c = Eigen::VectorXd::Zero(n);
  std::vector<Eigen::Triplet<double>> t;
  std::vector<std::vector<double>> G;
  for (int k = 0; k <= K; ++k) {
    std::vector<std::complex<double>> g(d);
    double norm2 = 0.0;
    for (auto& x : g) { x = {normal(rng), normal(rng)}; norm2 += std::norm(x); }
    for (auto& x : g) x /= std::sqrt(norm2);
    G.push_back(hvec_outer(g));
  }
  auto diag_pos = [&](int j) { return 2 * d * j - j * j; };  // X_jj inside an hvec block
  int row = 0;
  // power budget: sum tr X_k <= P  (s = P - sum tr)
  for (int k = 0; k <= K; ++k)
    for (int j = 0; j < d; ++j) t.emplace_back(row, k * dd + diag_pos(j), 1.0);
  p.b[row++] = P;
  // gains: <G_k, X_k> >= gamma_k  (s = <G_k, X_k> - gamma_k)
  for (int k = 0; k <= K; ++k) {
    for (int e = 0; e < dd; ++e) t.emplace_back(row, k * dd + e, -G[k][e]);
    p.b[row++] = -(k < K ? gamma : Gamma);
  }
  // PSD blocks: s = hvec(X_k)
  for (int k = 0; k <= K; ++k)
    for (int e = 0; e < dd; ++e) t.emplace_back(row++, k * dd + e, -1.0);
  // rates: (r_k, 1, 1 + <G_k, X_k>) in K_exp
  double optimum = Gamma;
  for (int k = 0; k < K; ++k) {
    const double mu = uniform(rng);
    t.emplace_back(row++, (K + 1) * dd + k, -1.0);
    p.b[row++] = 1.0;
    for (int e = 0; e < dd; ++e) t.emplace_back(row, k * dd + e, -G[k][e]);
    p.b[row++] = 1.0;
    p.c[(K + 1) * dd + k] = -mu;
    optimum += mu - 1.0 - mu * std::log(mu);
  }
  for (int k = 0; k <= K; ++k)
    for (int j = 0; j < d; ++j) p.c[k * dd + diag_pos(j)] = 1.0;
  p.A.resize(m, n);
  p.A.setFromTriplets(t.begin(), t.end());
  p.A.makeCompressed();
  out.optimum = optimum;
  return out;
}

}  // namespace isacbf::bench
