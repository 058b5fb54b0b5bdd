#pragma once
// The scalar decisions of one instance's Riemannian conjugate gradient with Armijo backtracking on
// the complex circle manifold (model-b.md "HAD"), written once for the CPU loop
// (host/model_b/manifold.cpp) and the batched GPU driver (cuda/manifold_batched.cu), so that both
// take the same accept / backtrack / restart / stop decisions from the same reduced numbers.
//
// One iteration, per instance:
//   begin:  g2 = ||grad||^2, slope = Re<grad, dir>; stop when ||grad|| is small or the iteration limit
//           is reached; restart dir = grad when dir is not a descent direction; first trial step
//           t = 2 * last accepted step.
//   trial:  F_new = retract(F, dir, t), f_new = cost(F_new); Armijo accepts, or t halves (at most
//           kMaxBacktracks trials, then the instance stops where it is).
//   accept: grad_new at F_new; Polak-Ribiere+ beta with the old gradient transported by projection;
//           dir = grad_new + beta * transported dir; stop when the decrease is negligible.
#include <math.h>

#include "kernels/hd.hpp"

namespace isacbf::kernels {

struct CgOptions {
  int max_iterations;
  double gradient_tolerance;  // stop when ||grad|| <= tol * max(1, |f|)
  double relative_decrease;   // stop when an accepted step lowers f by <= this * max(1, |f|)
  double armijo;              // sufficient-decrease constant
  bool conjugate_gradient;    // false: steepest descent
};

constexpr int kMaxBacktracks = 60;

enum CgPhase : int { kCgBegin = 0, kCgTrial = 1, kCgAccepted = 2, kCgDone = 3 };

// Everything an instance carries between the phases besides its matrices.
struct CgScalars {
  double f;           // cost at F
  double g2;          // ||grad||^2 at the start of the iteration
  double slope;       // Re<grad, dir> (descent rate along -dir)
  double step;        // last accepted step
  double t;           // current trial step
  double f_new;       // cost at the trial point
  int iterations;     // accepted steps
  int backtracks;     // trials of the current iteration
  int phase;          // CgPhase
  int restart;        // begin set dir = grad (the caller copies it)
};

// Start: F on the manifold with cost f and Riemannian gradient norm^2 g2; dir = grad.
ISACBF_HD_INLINE void cg_start(CgScalars& s, double f, double g2) {
  s.f = f;
  s.g2 = g2;
  s.slope = g2;
  s.step = 1.0 / fmax(sqrt(g2), 1e-300);
  s.t = 0.0;
  s.f_new = f;
  s.iterations = 0;
  s.backtracks = 0;
  s.phase = kCgBegin;
  s.restart = 0;
}

// Begin an iteration from the reduced g2 = ||grad||^2 and slope = Re<grad, dir>.
ISACBF_HD_INLINE void cg_begin(CgScalars& s, double g2, double slope, const CgOptions& o) {
  s.g2 = g2;
  s.restart = 0;
  if (s.iterations >= o.max_iterations || sqrt(g2) <= o.gradient_tolerance * fmax(1.0, fabs(s.f))) {
    s.phase = kCgDone;
    return;
  }
  if (slope <= 0) {  // not a descent direction: restart with steepest descent
    s.restart = 1;
    slope = g2;
  }
  s.slope = slope;
  s.t = 2.0 * s.step;
  s.backtracks = 0;
  s.phase = kCgTrial;
}

// Armijo test of the trial point's cost.
ISACBF_HD_INLINE void cg_trial(CgScalars& s, double f_new, const CgOptions& o) {
  s.f_new = f_new;
  if (f_new <= s.f - o.armijo * s.t * s.slope) {
    s.phase = kCgAccepted;
    return;
  }
  s.t *= 0.5;
  if (++s.backtracks >= kMaxBacktracks) s.phase = kCgDone;  // no acceptable step: stay at F
}

// Polak-Ribiere+ coefficient from num = Re<grad_new, grad_new - transported grad> and the old g2.
ISACBF_HD_INLINE double cg_beta(double num, double g2_old, const CgOptions& o) {
  return o.conjugate_gradient ? fmax(0.0, num / fmax(g2_old, 1e-300)) : 0.0;
}

// After the caller moved F to F_new and updated grad and dir: bookkeeping and the decrease test.
ISACBF_HD_INLINE void cg_accept(CgScalars& s, const CgOptions& o) {
  const double decrease = s.f - s.f_new;
  s.step = s.t;
  s.f = s.f_new;
  ++s.iterations;
  s.phase = decrease <= o.relative_decrease * fmax(1.0, fabs(s.f)) ? kCgDone : kCgBegin;
}

}  // namespace isacbf::kernels
