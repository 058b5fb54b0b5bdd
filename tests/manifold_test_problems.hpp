#pragma once
// Random manifold problems for the manifold tests (CPU, batch and GPU): every ingredient of the HAD
// analog-step cost (quadratic and linear probe terms, power, penalties of which one is active).
#include <Eigen/Dense>
#include <cmath>
#include <random>
#include <vector>

#include "host/model_b/manifold.hpp"

namespace isacbf::model_b::test_problems {

inline Eigen::MatrixXcd random_complex(int r, int c, std::mt19937_64& rng) {
  std::normal_distribution<double> n;
  Eigen::MatrixXcd m(r, c);
  for (Eigen::Index i = 0; i < m.size(); ++i) m(i) = {n(rng), n(rng)};
  return m;
}
inline Eigen::MatrixXcd random_unit_modulus(int r, int c, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0, 2 * 3.14159265358979323846);
  Eigen::MatrixXcd m(r, c);
  for (Eigen::Index i = 0; i < m.size(); ++i) m(i) = std::polar(1.0, u(rng));
  return m;
}

// A cost with every ingredient: quadratic and linear probe terms, power, and two penalties of which
// one is active at the test point (mu > 0).
inline ManifoldProblem random_problem(int Nt, int n_rf, int P, int L, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0.1, 1.0);
  ManifoldProblem p;
  p.C = random_complex(Nt, P, rng) / std::sqrt(Nt);
  p.B = random_complex(n_rf, L, rng) / std::sqrt(n_rf);
  p.a = Eigen::MatrixXd::NullaryExpr(P, L, [&] { return u(rng); });
  p.beta = random_complex(P, L, rng);
  p.kappa = 0.3;
  p.pi = 0.05;
  for (int c = 0; c < 2; ++c) {
    p.pen_a.push_back(Eigen::MatrixXd::NullaryExpr(P, L, [&] { return u(rng) - 0.3; }));
    p.pen_pi.push_back(0.01 * (c + 1));
    p.pen_kappa.push_back(c == 0 ? -1e6 : -0.1);  // penalty 0 inactive, penalty 1 (likely) active
    p.mu.push_back(2.0);
  }
  return p;
}

// count random problems of one shape with random unit-modulus starts.
struct RandomBatch {
  std::vector<ManifoldProblem> problems;
  std::vector<Eigen::MatrixXcd> F0;
};
inline RandomBatch random_batch(int count, int Nt, int n_rf, int P, int L, std::mt19937_64& rng) {
  RandomBatch b;
  for (int i = 0; i < count; ++i) {
    b.problems.push_back(random_problem(Nt, n_rf, P, L, rng));
    b.F0.push_back(random_unit_modulus(Nt, n_rf, rng));
  }
  return b;
}

}  // namespace isacbf::model_b::test_problems
