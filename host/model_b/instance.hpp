#pragma once
// Model B instance (model-b.md, formats.md "Model B").
#include <Eigen/Dense>
#include <complex>
#include <cstdint>
#include <optional>
#include <vector>

namespace isacbf::model_b {

inline constexpr const char* kModelName = "aerial_eavesdroppers";

struct Clutter {
  double theta_deg = 0.0;
  std::complex<double> beta;
};

struct Instance {
  int Nt = 0, Nr = 0, K = 0, J = 0, Ns = 0;
  int N_RF = 0;  // 0: fully digital
  double P_dBm = 0.0;
  double Gamma_e_dB = 0.0;  // AE SINR cap (15a)
  double Gamma_s_dB = 0.0;  // sensing SCNR threshold (15b)
  double sigma_dBm = 0.0, sigma_e_dBm = 0.0, sigma_r_dBm = 0.0;
  int L_s = 0;
  std::vector<Eigen::VectorXcd> h;       // K, length Nt
  std::vector<Eigen::VectorXcd> g_true;  // J, length Nt
  std::vector<Eigen::VectorXcd> g_est;   // J, length Nt (defaults to g_true)
  std::vector<double> theta_ae_deg;      // J
  std::vector<double> theta_ae_est_deg;  // J (defaults to theta_ae_deg)
  Eigen::VectorXcd alpha;                // J round-trip coefficients
  std::vector<Clutter> clutter;
  std::optional<std::uint64_t> seed;
};

// A design: W (Nt x K) and S (Nt x Ns) or a sensing covariance R_s; receive beamformers U (Nr x J).
struct Design {
  Eigen::MatrixXcd W;
  Eigen::MatrixXcd R_s;  // = S S^H
  Eigen::MatrixXcd S;    // Nt x Ns sensing beams when given explicitly (empty when only R_s is known)
  Eigen::MatrixXcd U;    // Nr x J; empty: MVDR receivers computed from the design
};

}  // namespace isacbf::model_b
