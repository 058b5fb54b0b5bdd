#pragma once
// Small conic problems with known answers, one per cone type, shared by the GPU tests.
#include <Eigen/Dense>
#include <Eigen/SparseCore>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "host/bench/synthetic_p4.hpp"
#include "host/conic/problem.hpp"

namespace gpu_test {

using isacbf::conic::ConeSpec;
using isacbf::conic::ConicProblem;
using Trip = Eigen::Triplet<double>;

inline ConicProblem make(const ConeSpec& cones, int n, const std::vector<Trip>& a, std::vector<double> b,
                         std::vector<double> c) {
  ConicProblem p;
  p.cones = cones;
  p.A.resize(cones.dimension(), n);
  p.A.setFromTriplets(a.begin(), a.end());
  p.A.makeCompressed();
  p.b = Eigen::Map<Eigen::VectorXd>(b.data(), static_cast<Eigen::Index>(b.size()));
  p.c = Eigen::Map<Eigen::VectorXd>(c.data(), static_cast<Eigen::Index>(c.size()));
  return p;
}

// minimise <C, X> subject to tr X = 1, X PSD -> lambda_min(C)
inline ConicProblem min_eig_problem(int n, bool cplx, std::uint64_t seed, double* lmin) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  Eigen::MatrixXcd C(n, n);
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < n; ++i) C(i, j) = {normal(rng), cplx ? normal(rng) : 0.0};
  C = (C + C.adjoint()).eval() / 2.0;
  *lmin = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXcd>(C).eigenvalues()[0];
  ConeSpec k;
  k.zero = 1;
  (cplx ? k.psd_complex : k.psd_real) = {n};
  const int len = cplx ? n * n : n * (n + 1) / 2;
  std::vector<Trip> a;
  std::vector<double> c;
  int e = 0;
  for (int j = 0; j < n; ++j) {
    a.emplace_back(0, e, 1.0);  // tr X
    c.push_back(C(j, j).real());
    ++e;
    for (int i = j + 1; i < n; ++i) {
      c.push_back(std::sqrt(2.0) * C(i, j).real());
      ++e;
      if (cplx) { c.push_back(std::sqrt(2.0) * C(i, j).imag()); ++e; }
    }
  }
  for (int q = 0; q < len; ++q) a.emplace_back(1 + q, q, -1.0);
  std::vector<double> b(1 + len, 0.0);
  b[0] = 1.0;
  return make(k, len, a, b, c);
}

struct Named {
  std::string name;
  ConicProblem problem;
  double optimum;  // NaN for infeasible / unbounded
};

// One problem per cone type and size class of the PSD projection, plus certificates.
inline std::vector<Named> cone_problems() {
  std::vector<Named> out;
  const double nan = std::nan("");
  {
    ConeSpec k;
    k.zero = 1;
    k.nonneg = 3;
    out.push_back({"lp_simplex", make(k, 3, {{0, 0, 1}, {0, 1, 1}, {0, 2, 1}, {1, 0, -1}, {2, 1, -1}, {3, 2, -1}},
                                      {1, 0, 0, 0}, {0.3, -0.2, 0.5}), -0.2});
  }
  {
    ConeSpec k;
    k.soc = {4};
    out.push_back({"soc", make(k, 3, {{1, 0, -1}, {2, 1, -1}, {3, 2, -1}}, {1, 0, 0, 0}, {-1.0, 2.0, -2.0}), -3.0});
  }
  for (auto [n, cplx] : std::vector<std::pair<int, bool>>{{3, false}, {4, true}, {6, true}, {13, true}, {40, true}}) {
    double lmin = 0.0;
    auto p = min_eig_problem(n, cplx, 5 + n, &lmin);
    out.push_back({std::string(cplx ? "psd_complex_" : "psd_real_") + std::to_string(n), std::move(p), lmin});
  }
  {
    ConeSpec k;
    k.nonneg = 1;
    k.exp_primal = 1;
    out.push_back({"exp_primal", make(k, 2, {{0, 1, 1}, {1, 0, -1}, {3, 1, -1}}, {2, 0, 1, 0}, {-1, 0}), -std::log(2.0)});
  }
  {
    ConeSpec k;
    k.zero = 2;
    k.exp_dual = 1;
    out.push_back({"exp_dual",
                   make(k, 3, {{0, 0, 1}, {1, 1, 1}, {2, 0, -1}, {3, 1, -1}, {4, 2, -1}}, {-1, 0, 0, 0, 0}, {0, 0, 1}),
                   std::exp(-1.0)});
  }
  {
    ConeSpec k;
    k.nonneg = 2;
    out.push_back({"infeasible", make(k, 1, {{0, 0, -1}, {1, 0, 1}}, {-1, -1}, {1}), nan});
    ConeSpec k2;
    k2.nonneg = 1;
    out.push_back({"unbounded", make(k2, 1, {{0, 0, -1}}, {0}, {-1}), nan});
  }
  for (int d : {4, 6}) {
    auto s = isacbf::bench::synthetic_p4(3, d, 42 + d);
    out.push_back({"synthetic_p4_d" + std::to_string(d), std::move(s.problem), s.optimum});
  }
  return out;
}

}  // namespace gpu_test
