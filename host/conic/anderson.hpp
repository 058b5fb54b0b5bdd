#pragma once
// Anderson acceleration of the fixed-point map w -> T(w) of the ADMM (memory m, type I or II, Tikhonov
// regularisation, safeguard). The bookkeeping (ring, safeguard, counters) is kernels/anderson.hpp, shared
// with the GPU backend; this class holds one instance's pairs as Eigen columns and solves with Eigen.
//   f_k = T(w_k) - w_k,  S = [w_{i+1} - w_i],  Y = [f_{i+1} - f_i]  (last m pairs)
//   type II: gamma = argmin ||f_k - Y gamma||  -> (Y^T Y + lambda I) gamma = Y^T f_k
//   type I : (S^T Y + lambda I) gamma = S^T f_k
//   w_{k+1} = T(w_k) - (S + Y) gamma
// lambda = reg * ||.||_F of the normal matrix. A failed solve or a huge gamma gives the plain step.
// Safeguard: at the step after an extrapolation, ||f|| > safeguard * (||f|| it started from) rejects it.
#include <Eigen/Dense>

#include "kernels/anderson.hpp"

namespace isacbf::conic {

class Anderson {
 public:
  Anderson(Eigen::Index dim, int memory, bool type1 = true, double reg = 1e-8, double safeguard = 1.0,
           bool reset_on_reject = false);
  // Forget the pairs and the pending safeguard test (after a scale change).
  void restart();
  // out <- next input from w, Tw and fnorm = ||Tw - w||; true when extrapolated (not the plain Tw).
  bool step(const Eigen::VectorXd& w, const Eigen::VectorXd& Tw, double fnorm, Eigen::VectorXd& out);

  // The ADMM loop's two places (host/conic/admm.cpp), in its order:
  // at the top of iteration k, after T(w): true when the safeguard undoes the previous extrapolation, w
  // then being that extrapolation's plain T(w_k) (the loop skips the rest of the iteration);
  bool undo_if_rejected(double fnorm, Eigen::VectorXd& w);
  // at the end: w <- the extrapolated step every `interval` iterations, the plain T(w) otherwise.
  void advance(int k, int interval, const Eigen::VectorXd& Tw, double fnorm, Eigen::VectorXd& w);
  const kernels::AndersonState& state() const { return state_; }

 private:
  int memory_;
  bool type1_;
  double reg_, safeguard_;
  bool reset_on_reject_;
  kernels::AndersonState state_;
  Eigen::MatrixXd S_, Y_;
  Eigen::VectorXd w_prev_, f_prev_;
  Eigen::VectorXd tw_saved_, w_next_;  // the latest extrapolation's plain T(w_k); scratch
};

}  // namespace isacbf::conic
