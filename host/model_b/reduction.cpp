#include "host/model_b/reduction.hpp"

#include "host/common/array.hpp"
#include "host/model_b/io.hpp"

namespace isacbf::model_b {

Eigen::MatrixXcd design_basis(const Instance& inst) {
  validate(inst);
  std::vector<Eigen::VectorXcd> vectors(inst.h.begin(), inst.h.end());
  for (int j = 0; j < inst.J; ++j) {
    vectors.push_back(inst.g_est[static_cast<std::size_t>(j)]);
    vectors.push_back(steering_vector_deg(inst.Nt, inst.theta_ae_est_deg[static_cast<std::size_t>(j)]));
  }
  for (const auto& c : inst.clutter) vectors.push_back(steering_vector_deg(inst.Nt, c.theta_deg));
  Eigen::MatrixXcd M(inst.Nt, static_cast<Eigen::Index>(vectors.size()));
  for (std::size_t i = 0; i < vectors.size(); ++i) M.col(static_cast<Eigen::Index>(i)) = vectors[i].normalized();
  Eigen::BDCSVD<Eigen::MatrixXcd> svd(M, Eigen::ComputeThinU);
  const auto& sv = svd.singularValues();
  int rank = 0;
  while (rank < sv.size() && sv(rank) > 1e-10 * sv(0)) ++rank;
  return svd.matrixU().leftCols(rank);
}

}  // namespace isacbf::model_b
