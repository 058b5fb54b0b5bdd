#pragma once
// Small deterministic model A instances for tests (Table I geometry of seed 000), independent of the
// scenario generator so that builder tests do not depend on it.
#include <cmath>
#include <complex>
#include <random>

#include "host/model_a/instance.hpp"

namespace isacbf::model_a::fixtures {

inline double path_gain(double d, double exponent) { return std::pow(10.0, -3.0) * std::pow(1.0 / d, exponent); }

inline Instance table1_instance(int Nt, unsigned seed, double snr_offset_dB = 30.0, int K = 3) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> n(0.0, std::sqrt(0.5));
  std::uniform_real_distribution<double> phase(0.0, 2.0 * M_PI);
  Instance inst;
  inst.Nt = Nt;
  inst.K = K;
  inst.P_dBm = 18.0;
  inst.gamma_s_dB = 24.0;
  inst.gamma_se_dB = 5.0;
  inst.sigma_u_dBm = -80.0 - snr_offset_dB;
  inst.sigma_t_dBm = -80.0 - snr_offset_dB;
  inst.sigma_b_dBm = -100.0 - snr_offset_dB;
  inst.snr_offset_dB = snr_offset_dB;
  const double d_ut[] = {25.0, 25.0, 30.0};
  for (int k = 0; k < K; ++k) {
    Eigen::VectorXcd g(Nt);
    for (int i = 0; i < Nt; ++i) g(i) = std::sqrt(path_gain(30.0, 3.3)) * std::complex<double>(n(rng), n(rng));
    inst.g.push_back(g);
  }
  const double beta = std::sqrt(1.0 * path_gain(50.0, 2.0));
  inst.h_ce.resize(Nt);
  for (int i = 0; i < Nt; ++i) inst.h_ce(i) = beta;  // theta_t = 0: a(0) = all ones
  inst.h_e.resize(K);
  for (int k = 0; k < K; ++k)
    inst.h_e(k) = std::sqrt(path_gain(d_ut[k % 3], 2.3)) * std::polar(1.0, phase(rng));
  inst.seed = seed;
  return inst;
}

}  // namespace isacbf::model_a::fixtures
