#pragma once
// The adaptive dual scale of the ADMM (docs/solver.md, "Adaptive scale"), one instance's scalars, written
// once for the CPU reference (host/conic/admm.cpp) and the GPU backend (cuda/admm_batched.cu):
//   at every check with tau > 0, log(ratio) of the relative primal / relative dual residual is summed;
//   once at least `min_iters` iterations have passed since the last decision, factor = sqrt(exp(mean));
//   if factor is outside [1/sqrt(10), sqrt(10)] the scale becomes clamp(scale * factor, 1e-6, 1e6);
//   either way the sum restarts there. A changed scale means a new metric R (metric_diagonal), a
//   refactorisation and w re-expressed as u + R^{-1} v: the caller does those.
#include <math.h>

#include "kernels/hd.hpp"

namespace isacbf::kernels {

constexpr double kMinScale = 1e-6;
constexpr double kMaxScale = 1e6;
constexpr double kZeroConeFactor = 1e-3;  // r_y on equality rows = kZeroConeFactor / scale
constexpr double kRtau = 1.0;

ISACBF_HD_INLINE double clamp_scale(double scale) {
  return scale < kMinScale ? kMinScale : (kMaxScale < scale ? kMaxScale : scale);  // as std::clamp
}

// The diagonal of R (length n + m + 1): rho_x on x, 1 / scale on cone rows (kZeroConeFactor / scale on
// the first `zero` rows, the equalities), kRtau on tau.
ISACBF_HD_INLINE void metric_diagonal(int n, int m, int zero, double rho_x, double scale, double* r) {
  for (int j = 0; j < n; ++j) r[j] = rho_x;
  for (int i = 0; i < m; ++i) r[n + i] = (i < zero ? kZeroConeFactor : 1.0) / scale;
  r[n + m] = kRtau;
}

// Relative primal over relative dual residual of the unscaled iterate: eps_pri - eps_abs is eps_rel times
// the (capped) relative scale of the termination test, so no second scale is computed.
ISACBF_HD_INLINE double residual_ratio(double pri, double eps_pri, double dual, double eps_dual, double eps_abs) {
  const double pden = eps_pri - eps_abs, dden = eps_dual - eps_abs;
  return (pri / (pden < 1e-18 ? 1e-18 : pden) + 1e-18) / (dual / (dden < 1e-18 ? 1e-18 : dden) + 1e-18);
}

struct AdaptiveScale {
  double scale = 0.1;          // current dual scale
  double log_ratio_sum = 0.0;  // since the last decision
  int log_ratio_count = 0;
  int last_decision_iter = 0;  // iteration index (0-based) of the last decision
  // Trial steps (adaptive_scale_step): distance to termination where the current window started (0: not
  // yet), the scale a pending trial came from (0: none), the progress of the window before it, how many
  // decisions to wait after a trial was undone, and how many trials in a row were undone.
  double window_distance = 0.0;
  double trial_from = 0.0;
  double trial_baseline = 0.0;
  int trial_cooldown = 0;
  int trials_undone = 0;
  // Balance floor (adaptive_scale_step): the balance at the latest checkpoint, the iteration of that
  // checkpoint (0: none yet) and the balance at the checkpoint before it (0: none yet).
  double balance_checkpoint = 0.0;
  int checkpoint_iter = 0;
  double balance_reference = 0.0;
};

// Trial steps (docs/solver.md, "Adaptive scale"): when the ratio rule keeps the scale and the distance to
// termination shrank by less than kTrialMinProgress over the window, the scale is tried kTrialFactor
// times larger for one window, kept if that window made at least the progress of the one before, undone
// otherwise. After an undone trial no trial follows for kTrialCooldown decisions, doubled for each trial
// undone in a row before it, at most ScaleRule::trial_doublings times (the default 3: 2, 4, 8, 16
// decisions): where larger scales keep failing (the hinf problems) each trial costs a refactorisation, a
// cleared Anderson memory and a window at a worse scale. A kept trial starts the count again. Measured on
// SDPLIB and unseen problems (docs/solver.md, "Undone trials back off").
constexpr double kTrialFactor = 3.0;
constexpr double kTrialMinProgress = 2.0;
constexpr int kTrialCooldown = 2;
constexpr int kMaxTrialDoublings = 10;  // Settings::scale_trial_doublings at most

// The rule's settings, the same for every instance of a solve (conic::Settings::scale_update_min_iters,
// scale_trials, scale_trial_doublings, scale_floor); the per-instance state is AdaptiveScale.
struct ScaleRule {
  int min_iters;        // iterations between two decisions at least
  bool trials;          // trial steps on
  int trial_doublings;  // how often the cooldown after undone trials doubles at most
  double floor_factor;  // balance floor: not below this times the balance (0: off)
};

// Decisions to wait after an undone trial that followed `undone_before` undone trials in a row.
ISACBF_HD_INLINE int trial_cooldown_after(int undone_before, int doublings) {
  return kTrialCooldown << (undone_before < doublings ? undone_before : doublings);
}

// Balance floor (docs/solver.md, "Adaptive scale"). The cone part of the ADMM iterate is w_y = y + scale s
// (equilibrated space), which weighs the dual and the slack alike when the scale is the iterate's balance
// ||y|| / ||s||. The ratio rule can settle far below it (arch0: 0.25 against a balance of 25, where a
// fixed scale of 15 converges in a third of SCS's iterations), so at its decisions the scale may not fall
// below floor_factor x balance. Where the optimum is not attained the norms drift (gpp: ||s|| grows without
// bound and the balance falls with it) and the balance is no guide: the floor holds only while the balance
// is within kBalanceDrift of its value at a checkpoint between k/4 and k/2 (checkpoints at doubling
// iteration counts). A balance that moves by more than kBalanceDrift from the latest checkpoint starts a
// new sequence there (a jump, as on hinf7 near iteration 1500, is then accepted after doubling once, not
// only after k has grown 4x). A scale already within [floor / sqrt(10), kFloorSlack x floor] is left as it
// is, so a scale resting on the floor is not refactorised at every decision. Measured on SDPLIB and unseen
// problems.
constexpr double kBalanceDrift = 1.5;
constexpr double kFloorSlack = 1.2;

// Advances the doubling checkpoints with this check's balance (restarting them after a jump); true when the
// balance is steady.
ISACBF_HD_INLINE bool balance_steady(AdaptiveScale& a, double balance, int iter) {
  if (a.checkpoint_iter > 0 && iter >= 2 * a.checkpoint_iter) {
    a.balance_reference = a.balance_checkpoint;
    a.balance_checkpoint = balance;
    a.checkpoint_iter = iter;
  }
  const bool jump = balance > kBalanceDrift * a.balance_checkpoint || a.balance_checkpoint > kBalanceDrift * balance;
  if (a.checkpoint_iter <= 0 || jump) {  // the first check, or a new regime: a sequence starts here
    a.checkpoint_iter = iter > 0 ? iter : 1;
    a.balance_checkpoint = balance;
    a.balance_reference = 0.0;
  }
  const double ref = a.balance_reference;
  return ref > 0.0 && balance < kBalanceDrift * ref && ref < kBalanceDrift * balance;
}

// How far an iterate is from the termination test, in units of its tolerances (<= 1: it passes).
ISACBF_HD_INLINE double termination_distance(double pri, double eps_pri, double dual, double eps_dual, double gap,
                                             double eps_gap) {
  const double p = pri / (eps_pri > 1e-300 ? eps_pri : 1e-300), d = dual / (eps_dual > 1e-300 ? eps_dual : 1e-300),
               g = gap / (eps_gap > 1e-300 ? eps_gap : 1e-300);
  return p > d ? (p > g ? p : g) : (d > g ? d : g);
}

// One check at iteration `iter` (0-based) with a usable point (tau > 0). Returns true when the scale
// changed (a.scale holds the new value).
ISACBF_HD_INLINE bool adaptive_scale_observe(AdaptiveScale& a, double ratio, int iter, int min_iters) {
  a.log_ratio_sum += log(ratio);
  ++a.log_ratio_count;
  if (iter - a.last_decision_iter < min_iters) return false;
  const double factor = sqrt(exp(a.log_ratio_sum / a.log_ratio_count));
  bool changed = false;
  if (factor > sqrt(10.0) || factor < 1.0 / sqrt(10.0)) {
    const double next = clamp_scale(a.scale * factor);
    changed = next != a.scale;
    a.scale = next;
  }
  a.last_decision_iter = iter;
  a.log_ratio_sum = 0.0;
  a.log_ratio_count = 0;
  return changed;
}

// The ratio rule (adaptive_scale_observe) and, with rule.trials, the trial steps at its decisions. Returns
// true when the scale changed.
ISACBF_HD_INLINE bool adaptive_scale_ratio_and_trials(AdaptiveScale& a, double ratio, double distance, int iter,
                                                      const ScaleRule& rule) {
  const bool changed = adaptive_scale_observe(a, ratio, iter, rule.min_iters);
  if (!rule.trials) return changed;
  const bool decision = a.log_ratio_count == 0;  // observe restarts its sum exactly at a decision
  if (!(distance > 0.0)) distance = 1e-300;  // (a point at zero distance has stopped already)
  if (a.window_distance <= 0.0) a.window_distance = distance;  // the first window starts at the first check
  if (!decision) return changed;
  const double progress = a.window_distance / distance;
  a.window_distance = distance;
  if (changed) {  // the ratio rule acted: a pending trial is superseded
    a.trial_from = 0.0;
    return true;
  }
  if (a.trial_from > 0.0) {  // judge the trial window against the one before it
    const double from = a.trial_from;
    a.trial_from = 0.0;
    if (progress >= a.trial_baseline) {
      a.trials_undone = 0;
      return false;
    }
    a.scale = from;
    a.trial_cooldown = trial_cooldown_after(a.trials_undone, rule.trial_doublings);
    if (a.trials_undone < rule.trial_doublings) ++a.trials_undone;
    return true;
  }
  if (a.trial_cooldown > 0) {
    --a.trial_cooldown;
    return false;
  }
  if (progress >= kTrialMinProgress || distance <= 1.0) return false;
  const double next = clamp_scale(a.scale * kTrialFactor);
  if (next == a.scale) return false;
  a.trial_from = a.scale;
  a.trial_baseline = progress;
  a.scale = next;
  return true;
}

// One check of the full rule: the ratio rule, the trial steps (with rule.trials) and the balance floor (with
// rule.floor_factor > 0) at its decisions. `distance` is termination_distance of the same iterate,
// `balance` its ||y|| / ||s|| in the equilibrated space. Returns true when the scale changed (a.scale holds
// the new value).
ISACBF_HD_INLINE bool adaptive_scale_step(AdaptiveScale& a, double ratio, double distance, double balance, int iter,
                                          const ScaleRule& rule) {
  const double before = a.scale;
  bool changed = adaptive_scale_ratio_and_trials(a, ratio, distance, iter, rule);
  if (!(rule.floor_factor > 0.0)) return changed;
  const bool steady = balance_steady(a, balance, iter);
  const bool decision = a.log_ratio_count == 0;
  const double floor = rule.floor_factor * balance;
  if (!decision || !steady || !(a.scale < floor)) return changed;
  a.trial_from = 0.0;  // a pending trial is superseded
  if (before >= floor / sqrt(10.0) && before <= kFloorSlack * floor) {
    a.scale = before;
    return false;
  }
  a.scale = clamp_scale(floor);
  return a.scale != before;
}

}  // namespace isacbf::kernels
