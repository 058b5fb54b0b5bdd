#pragma once
// The S Random baseline's draw (model-a.md "Baselines"): a Wishart-type Hermitian PSD matrix G G^H with
// G complex Gaussian Nt x Nt, scaled to a fraction of the budget drawn uniformly from (0, 1).
#include <Eigen/Dense>
#include <cstdint>
#include <random>

namespace isacbf::model_a {

Eigen::MatrixXcd draw_random_sensing_covariance(int Nt, double P_W, std::mt19937_64& rng);

// A per-instance stream: mixes the run's seed with the instance's own seed (or its index).
std::mt19937_64 sensing_rng(std::uint64_t run_seed, std::uint64_t instance_key);

}  // namespace isacbf::model_a
