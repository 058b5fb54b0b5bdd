#pragma once
// The exact subspace reduction of P4 (model-a.md): every term touches Q_k and S only through quadratic
// forms with vectors in span{h_1^H, ..., h_K^H, h_ce} and through the trace, so X = U Y U^H with U an
// orthonormal Nt x d basis of that span (d = min(K+1, Nt)) loses nothing; its first column is along h_ce.
// The full form is a unitary U (d = Nt), also with its first column along h_ce.
#include <Eigen/Dense>
#include <vector>

#include "host/model_a/instance.hpp"

namespace isacbf::model_a {

enum class Form { reduced, full };

struct Subspace {
  Eigen::MatrixXcd U;                   // Nt x d, orthonormal columns, U.col(0) parallel to h_ce
  std::vector<Eigen::VectorXcd> user;   // K vectors U^H h_k^H (length d): h_k X h_k^H = user_k^H Y user_k
  Eigen::VectorXcd target;              // U^H h_ce (length d)
  int d() const { return static_cast<int>(U.cols()); }
};

// Row channel of CU k, h_k = g_k^H + h_e,k h_ce^H (computed here so the builder needs only the fields).
Eigen::RowVectorXcd user_channel(const Instance& inst, int k);

// Always returns d = min(K+1, Nt) columns (padding a rank-deficient span keeps every batch's cone shape equal).
Subspace make_subspace(const Instance& inst, Form form);

// X = U Y U^H (lift a d x d block back to Nt x Nt).
Eigen::MatrixXcd lift(const Subspace& sub, const Eigen::MatrixXcd& Y);

}  // namespace isacbf::model_a
