#pragma once
// Model A instance (model-a.md, formats.md "Model A"): one problem with explicit channels.
#include <Eigen/Dense>
#include <cstdint>
#include <optional>
#include <vector>

namespace isacbf::model_a {

inline constexpr const char* kModelName = "target_eavesdropper";

struct Instance {
  int Nt = 0;
  int K = 0;
  double P_dBm = 0.0;
  double gamma_s_dB = 0.0;    // sensing performance threshold on SCNR_b, (28)
  double gamma_se_dB = 0.0;   // sensing security threshold on SCNR_u,k, (27)
  double sigma_u_dBm = 0.0;   // noise power at every CU (any generator snr_offset_dB already applied)
  double sigma_t_dBm = 0.0;   // noise power at the target
  double sigma_b_dBm = 0.0;   // noise power at the BS radar receiver
  std::vector<Eigen::VectorXcd> g;  // K vectors of length Nt: BS -> CU k
  Eigen::VectorXcd h_ce;            // Nt: BS -> target
  Eigen::VectorXcd h_e;             // K: target -> CU k
  std::optional<std::uint64_t> seed;  // generator seed, when generated
  double snr_offset_dB = 0.0;         // recorded for provenance only (already applied to the noises)

  // Derived quantities (model-a.md "Channels").
  Eigen::RowVectorXcd h_se(int k) const;  // h_e,k h_ce^H
  Eigen::RowVectorXcd h(int k) const;     // g_k^H + h_se,k
};

// A design: covariances Q_k (K of Nt x Nt) and the sensing covariance S (Nt x Nt), all Hermitian PSD.
struct Design {
  std::vector<Eigen::MatrixXcd> Q;
  Eigen::MatrixXcd S;
};

}  // namespace isacbf::model_a
