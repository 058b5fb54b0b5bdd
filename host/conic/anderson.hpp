#pragma once
// Anderson acceleration of the fixed-point map w -> T(w) of the ADMM (memory m, type I or II,
// Tikhonov regularisation). The safeguard (reject a step whose fixed-point residual grew) lives in
// the ADMM loop, which owns the residual norms (admm.cpp).
//   f_k = T(w_k) - w_k,  S = [w_{i+1} - w_i],  Y = [f_{i+1} - f_i]  (last m pairs)
//   type II: gamma = argmin ||f_k - Y gamma||  -> (Y^T Y + lambda I) gamma = Y^T f_k
//   type I : (S^T Y + lambda I) gamma = S^T f_k
//   w_{k+1} = T(w_k) - (S + Y) gamma
// lambda = reg * ||.||_F of the normal matrix. A non-finite or huge gamma gives the plain step.
#include <Eigen/Dense>

namespace isacbf::conic {

class Anderson {
 public:
  Anderson(Eigen::Index dim, int memory, bool type1 = true, double reg = 1e-8);
  void reset();
  // out <- next input; returns true when an extrapolated (non-plain) step was produced.
  bool step(const Eigen::VectorXd& w, const Eigen::VectorXd& Tw, Eigen::VectorXd& out);

 private:
  int memory_;
  bool type1_;
  double reg_;
  Eigen::MatrixXd S_, Y_;
  Eigen::VectorXd w_prev_, f_prev_;
  int count_ = 0;  // stored pairs
  int next_ = 0;   // ring-buffer slot
  bool have_prev_ = false;
};

}  // namespace isacbf::conic
