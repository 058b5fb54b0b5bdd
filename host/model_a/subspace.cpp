#include "host/model_a/subspace.hpp"

#include <algorithm>
#include <string>

#include "host/common/errors.hpp"

namespace isacbf::model_a {

Eigen::RowVectorXcd user_channel(const Instance& inst, int k) {
  if (k < 0 || k >= inst.K || k >= static_cast<int>(inst.g.size()) || k >= inst.h_e.size())
    throw InputError("k", "user index " + std::to_string(k) + " out of range");
  return inst.g[static_cast<std::size_t>(k)].adjoint() + inst.h_e(k) * inst.h_ce.adjoint();
}

Subspace make_subspace(const Instance& inst, Form form) {
  if (inst.Nt < 1) throw InputError("Nt", "must be >= 1");
  if (inst.K < 1) throw InputError("K", "must be >= 1");
  if (inst.h_ce.size() != inst.Nt) throw InputError("channels.h_ce", "length must equal Nt");
  Subspace sub;
  // Columns: h_ce first, so the basis' first vector is along h_ce (ScaledModel rescales that direction,
  // see scaled_model.cpp); then h_1^H..h_K^H. M = Q R with R upper trapezoidal, so span(M) lies in the
  // first min(K+1, Nt) columns of Q even when M is rank deficient. The full form takes all Nt columns
  // of Q (a unitary change of basis: X = U Y U^H is a congruence, the problem is unchanged).
  Eigen::MatrixXcd M(inst.Nt, inst.K + 1);
  M.col(0) = inst.h_ce;
  for (int k = 0; k < inst.K; ++k) M.col(k + 1) = user_channel(inst, k).adjoint();
  const int d = form == Form::full ? inst.Nt : std::min(inst.K + 1, inst.Nt);
  Eigen::HouseholderQR<Eigen::MatrixXcd> qr(M);
  sub.U = qr.householderQ() * Eigen::MatrixXcd::Identity(inst.Nt, d);
  for (int k = 0; k < inst.K; ++k) sub.user.push_back(sub.U.adjoint() * user_channel(inst, k).adjoint());
  sub.target = sub.U.adjoint() * inst.h_ce;
  return sub;
}

Eigen::MatrixXcd lift(const Subspace& sub, const Eigen::MatrixXcd& Y) {
  if (Y.rows() != sub.d() || Y.cols() != sub.d()) throw InputError("Y", "block size must equal the subspace dimension");
  return sub.U * Y * sub.U.adjoint();
}

}  // namespace isacbf::model_a
