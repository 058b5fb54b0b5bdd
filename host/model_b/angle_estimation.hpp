#pragma once
// AE angle estimation from the radar echo (model-b.md "Radar", "Angle estimation"):
//   Y = sum_j alpha_j b(theta_j) a^H(theta_j) X + sum_c beta_c b(theta_c) a^H(theta_c) X + N,
// X = W c + S s over L_s samples (c, s i.i.d. CN(0, I): Gaussian stand-ins for the data and the
// pseudo-random sensing sequences), N i.i.d. CN(0, sigma_r^2). The clutter angles are known to the BS.
// MUSIC: noise subspace of the sample covariance of Y (by default after projection onto the row space
// of the known X, i.e. the matched filter; J + C sources), pseudo-spectrum peaks
// away from the clutter, refined by golden-section search. MLE: with X known, the concentrated
// likelihood of the angles is the energy of vec(Y) projected on span{vec(b_m a_m^H X)} (AEs and known
// clutter); joint grid search over the J angles (J <= 2; coordinate-wise grid search for J > 2),
// then cyclic golden-section refinement.
#include <Eigen/Dense>
#include <cstdint>
#include <vector>

#include "host/model_b/instance.hpp"

namespace isacbf::model_b {

struct Echo {
  Eigen::MatrixXcd X;  // Nt x L_s transmitted samples
  Eigen::MatrixXcd Y;  // Nr x L_s received echo
};

// One echo holds (Nt + Nr) L_s complex samples (X and Y): at most kMaxEchoSamples (256 MiB), so an
// instance's L_s (up to 2^30, a plain gain in the metrics) cannot exhaust memory here. check_echo_size:
// InputError naming L_s beyond it. angle_rmse_deg takes at most kMaxTrials trials (field "trials").
inline constexpr long long kMaxEchoSamples = 1LL << 24;
inline constexpr int kMaxTrials = 10000;
void check_echo_size(const Instance& inst);

// Uses the TRUE AE angles; L_s samples from the instance. Design must carry W and S (or R_s: its
// PSD square root is used).
Echo simulate_echo(const Instance& inst, const Design& design, std::uint64_t seed);

struct EstimatorOptions {
  double grid_step_deg = 0.5;          // coarse search grid over [-90, 90]
  double clutter_exclusion_deg = 3.0;  // MUSIC peaks this close to a known clutter angle are ignored
  double refine_tolerance_deg = 1e-4;
  bool matched_filter = true;  // MUSIC on Y projected onto the row space of X (see the .cpp)
};

std::vector<double> music_estimate(const Instance& inst, const Echo& echo, const EstimatorOptions& options = {});
std::vector<double> mle_estimate(const Instance& inst, const Echo& echo, const EstimatorOptions& options = {});

// RMSE (deg) of an estimator over `trials` echoes (seeds seed, seed+1, ...), estimates matched to the
// true angles in sorted order.
enum class Estimator { music, mle };
double angle_rmse_deg(const Instance& inst, const Design& design, Estimator estimator, int trials, std::uint64_t seed,
                      const EstimatorOptions& options = {});

}  // namespace isacbf::model_b
