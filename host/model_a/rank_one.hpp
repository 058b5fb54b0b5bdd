#pragma once
// Rank-one check of Lemma 1 (model-a.md "Rank one"): per Q_k the ratio lambda_max / Tr and the
// extracted beamformer w_k = sqrt(lambda_max) e_max.
#include <Eigen/Dense>
#include <vector>

#include "host/model_a/instance.hpp"

namespace isacbf::model_a {

struct RankOne {
  std::vector<double> ratio;            // lambda_max(Q_k) / Tr(Q_k); 1 for Q_k = 0 (trivially rank <= 1)
  std::vector<Eigen::VectorXcd> w;      // sqrt(lambda_max) e_max
};

RankOne rank_one(const Design& design);  // throws InputError if a Q_k is not square

}  // namespace isacbf::model_a
