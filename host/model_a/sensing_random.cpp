#include "host/model_a/sensing_random.hpp"

#include <cmath>

#include "host/common/errors.hpp"

namespace isacbf::model_a {

Eigen::MatrixXcd draw_random_sensing_covariance(int Nt, double P_W, std::mt19937_64& rng) {
  if (Nt < 1) throw InputError("Nt", "must be >= 1");
  if (!(P_W > 0.0) || !std::isfinite(P_W)) throw InputError("P", "budget must be positive and finite");
  std::normal_distribution<double> normal(0.0, std::sqrt(0.5));
  std::uniform_real_distribution<double> fraction(0.0, 1.0);
  Eigen::MatrixXcd G(Nt, Nt);
  for (int j = 0; j < Nt; ++j)
    for (int i = 0; i < Nt; ++i) G(i, j) = {normal(rng), normal(rng)};
  Eigen::MatrixXcd S = G * G.adjoint();
  S = 0.5 * (S + S.adjoint()).eval();
  const double f = fraction(rng);
  return S * (f * P_W / S.trace().real());
}

std::mt19937_64 sensing_rng(std::uint64_t run_seed, std::uint64_t instance_key) {
  // splitmix64 of the pair, so nearby seeds give unrelated streams
  std::uint64_t z = run_seed * 0x9E3779B97F4A7C15ULL + instance_key + 0x632BE59BD9B4E019ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return std::mt19937_64(z ^ (z >> 31));
}

}  // namespace isacbf::model_a
