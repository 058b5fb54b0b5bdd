// The adaptive-scale rule shared by the CPU reference and the GPU backend (kernels/adaptive_scale.hpp),
// driven with ratio sequences and checked against a direct re-computation: the decisions as a list of
// windows (product of the window's ratios, factor^2 against 10) rather than a running log sum.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "kernels/adaptive_scale.hpp"

namespace {
namespace kn = isacbf::kernels;

struct Change {
  int iter;
  double scale;
};

// Checks at iterations 0, interval, 2 interval, ... with ratios[i] at the i-th check.
std::vector<Change> run_rule(double scale0, const std::vector<double>& ratios, int interval, int min_iters) {
  kn::AdaptiveScale a;
  a.scale = scale0;
  std::vector<Change> out;
  for (size_t i = 0; i < ratios.size(); ++i) {
    const int iter = static_cast<int>(i) * interval;
    if (kn::adaptive_scale_observe(a, ratios[i], iter, min_iters)) out.push_back({iter, a.scale});
  }
  return out;
}

std::vector<Change> reference(double scale0, const std::vector<double>& ratios, int interval, int min_iters) {
  std::vector<Change> out;
  double scale = scale0;
  std::vector<double> window;
  int last = 0;
  for (size_t i = 0; i < ratios.size(); ++i) {
    const int iter = static_cast<int>(i) * interval;
    window.push_back(ratios[i]);
    if (iter - last < min_iters) continue;
    long double product = 1.0L;  // long double: windows of up to 300 ratios of e^{+-15} stay finite
    for (double r : window) product *= r;
    const double factor = static_cast<double>(std::pow(product, 0.5L / window.size()));  // sqrt of the geometric mean
    if (factor * factor > 10.0 || factor * factor < 0.1) {
      const double next = std::min(std::max(scale * factor, 1e-6), 1e6);
      if (next != scale) out.push_back({iter, next});
      scale = next;
    }
    window.clear();
    last = iter;
  }
  return out;
}

void expect_same(const std::vector<Change>& got, const std::vector<Change>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].iter, want[i].iter) << "change " << i;
    EXPECT_NEAR(got[i].scale, want[i].scale, 1e-12 * want[i].scale) << "change " << i;
  }
}

TEST(AdaptiveScale, ConstantLargeRatioRaisesTheScaleEveryWindow) {
  // ratio 100 -> factor 10 at the first decision (iteration 100, five checks), then every 100 iterations
  const std::vector<double> ratios(13, 100.0);
  const auto got = run_rule(0.1, ratios, 25, 100);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].iter, 100);
  EXPECT_NEAR(got[0].scale, 1.0, 1e-12);
  EXPECT_EQ(got[1].iter, 200);
  EXPECT_NEAR(got[2].scale, 100.0, 1e-9);
  expect_same(got, reference(0.1, ratios, 25, 100));
}

TEST(AdaptiveScale, RatioInsideTheBandNeverChangesTheScale) {
  // factor = sqrt(ratio) in [1/sqrt(10), sqrt(10)] for ratio in [0.1, 10]
  std::vector<double> ratios;
  for (int i = 0; i < 40; ++i) ratios.push_back(i % 2 ? 9.5 : 0.11);
  EXPECT_TRUE(run_rule(1.0, ratios, 25, 100).empty());
  EXPECT_TRUE(reference(1.0, ratios, 25, 100).empty());
}

TEST(AdaptiveScale, ClampedAtTheBoundsAndNoChangeReportedThere) {
  const std::vector<double> up(20, 1e8), down(20, 1e-8);
  const auto hi = run_rule(1e5, up, 25, 100);
  ASSERT_EQ(hi.size(), 1u);  // 1e5 * 1e4 clamps to 1e6; later windows leave it there (no change)
  EXPECT_EQ(hi[0].scale, 1e6);
  const auto lo = run_rule(1e-5, down, 25, 100);
  ASSERT_EQ(lo.size(), 1u);
  EXPECT_EQ(lo[0].scale, 1e-6);
  expect_same(hi, reference(1e5, up, 25, 100));
  expect_same(lo, reference(1e-5, down, 25, 100));
}

TEST(AdaptiveScale, RandomSequencesMatchTheWindowedRecomputation) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> log_ratio(0.0, 3.0);
  std::uniform_int_distribution<int> pick(0, 3);
  int changes = 0;
  for (int trial = 0; trial < 200; ++trial) {
    const int interval = std::vector<int>{1, 10, 25, 40}[pick(rng)];
    const int min_iters = std::vector<int>{0, 50, 100, 300}[pick(rng)];
    std::vector<double> ratios(60);
    const double drift = log_ratio(rng);
    for (double& r : ratios) r = std::exp(drift + log_ratio(rng));
    const auto got = run_rule(0.1, ratios, interval, min_iters);
    changes += static_cast<int>(got.size());
    SCOPED_TRACE("trial " + std::to_string(trial));
    expect_same(got, reference(0.1, ratios, interval, min_iters));
  }
  EXPECT_GT(changes, 100);  // the sequences exercise the update, not only the band
}

// The rule with decisions every 100 iterations, the default trial back-off and the balance floor off,
// trial steps as asked.
kn::ScaleRule rule_without_floor(bool trials) { return {100, trials, 3, 0.0}; }

// Trial steps: checks every 25 iterations, decisions every 100, ratio 1 (the ratio rule keeps the scale).
struct TrialRun {
  kn::AdaptiveScale a;
  kn::ScaleRule rule = rule_without_floor(true);
  int iter = 0;
  bool check(double distance) {  // one check at `iter`, then the next check's iteration
    const bool changed = kn::adaptive_scale_step(a, 1.0, distance, 1.0, iter, rule);
    iter += 25;
    return changed;
  }
};

TEST(AdaptiveScale, SlowProgressTriesALargerScaleAndKeepsItWhenTheTrialWindowDoesBetter) {
  TrialRun t;
  t.a.scale = 0.5;
  // window 0-100: distance 100 -> 80 (progress 1.25 < 2): at the decision the scale is tried 3x larger
  for (double d : {100.0, 95.0, 90.0, 85.0}) EXPECT_FALSE(t.check(d));
  EXPECT_TRUE(t.check(80.0));
  EXPECT_DOUBLE_EQ(t.a.scale, 1.5);
  // trial window 100-200: 80 -> 20 (progress 4 >= 1.25): kept, nothing changes
  for (double d : {60.0, 40.0, 30.0}) EXPECT_FALSE(t.check(d));
  EXPECT_FALSE(t.check(20.0));
  EXPECT_DOUBLE_EQ(t.a.scale, 1.5);
  // fast progress afterwards (20 -> 5, progress 4): no further trial
  for (double d : {15.0, 10.0, 8.0}) EXPECT_FALSE(t.check(d));
  EXPECT_FALSE(t.check(5.0));
  EXPECT_DOUBLE_EQ(t.a.scale, 1.5);
}

TEST(AdaptiveScale, ATrialThatDoesWorseIsUndoneAndNotRetriedDuringTheCooldown) {
  TrialRun t;
  t.a.scale = 2.0;
  for (double d : {100.0, 100.0, 100.0, 100.0}) t.check(d);
  ASSERT_TRUE(t.check(80.0));  // progress 1.25: trial at 6
  EXPECT_DOUBLE_EQ(t.a.scale, 6.0);
  for (double d : {79.0, 78.0, 77.0}) t.check(d);
  ASSERT_TRUE(t.check(76.0));  // progress 80/76 < 1.25: undone
  EXPECT_DOUBLE_EQ(t.a.scale, 2.0);
  for (int window = 0; window < kn::kTrialCooldown; ++window) {  // slow, but cooling down
    for (int c = 0; c < 3; ++c) EXPECT_FALSE(t.check(75.0));
    EXPECT_FALSE(t.check(75.0));
  }
  for (int c = 0; c < 3; ++c) t.check(74.0);
  EXPECT_TRUE(t.check(74.0));  // then tried again
  EXPECT_DOUBLE_EQ(t.a.scale, 6.0);
}

// Drives slow windows (distance falling 1 % per check) until the next trial starts; returns the number of
// decisions without a trial before it.
int decisions_until_a_trial(TrialRun& t, double& distance) {
  for (int decisions = 0; decisions < 100; ++decisions) {
    for (int c = 0; c < 3; ++c) EXPECT_FALSE(t.check(distance *= 0.99));
    const double before = t.a.scale;
    if (t.check(distance *= 0.99)) {
      EXPECT_DOUBLE_EQ(t.a.scale, kn::kTrialFactor * before);
      return decisions;
    }
  }
  ADD_FAILURE() << "no trial within 100 decisions";
  return -1;
}

// Runs the trial window: progress 1.5 (better than the slow windows' 1.04) keeps it, 1.001 undoes it.
void finish_trial(TrialRun& t, double& distance, bool keep) {
  const double from = distance, end = keep ? distance / 1.5 : distance / 1.001;
  for (int c = 1; c <= 3; ++c) EXPECT_FALSE(t.check(from + (end - from) * c / 4.0));
  distance = end;
  EXPECT_EQ(t.check(distance), !keep);
}

TEST(AdaptiveScale, EachTrialUndoneInARowDoublesTheCooldownAndAKeptTrialResetsIt) {
  TrialRun t;
  t.a.scale = 1.0;
  double distance = 1000.0;
  EXPECT_FALSE(t.check(distance));  // iteration 0 starts the first window; decisions fall at 100, 200, ...
  EXPECT_EQ(decisions_until_a_trial(t, distance), 0);
  // undone trials in a row: 2, 4, 8, 16 decisions without a trial, then 16 again (the doubling is capped)
  for (const int cooldown : {2, 4, 8, 16, 16}) {
    finish_trial(t, distance, /*keep=*/false);
    EXPECT_DOUBLE_EQ(t.a.scale, 1.0);
    EXPECT_EQ(t.a.trial_cooldown, cooldown);
    EXPECT_EQ(decisions_until_a_trial(t, distance), cooldown);
  }
  EXPECT_EQ(kn::trial_cooldown_after(0, 3), kn::kTrialCooldown);
  EXPECT_EQ(kn::trial_cooldown_after(8, 3), kn::kTrialCooldown << 3);
  // a kept trial: the next slow window tries again at once, and its undoing waits only kTrialCooldown
  finish_trial(t, distance, /*keep=*/true);
  EXPECT_DOUBLE_EQ(t.a.scale, 3.0);
  EXPECT_EQ(decisions_until_a_trial(t, distance), 0);
  finish_trial(t, distance, /*keep=*/false);
  EXPECT_DOUBLE_EQ(t.a.scale, 3.0);
  EXPECT_EQ(decisions_until_a_trial(t, distance), kn::kTrialCooldown);
}

TEST(AdaptiveScale, NoDoublingsKeepTheCooldownFixed) {
  TrialRun t;
  t.a.scale = 1.0;
  t.rule.trial_doublings = 0;  // Settings::scale_trial_doublings = 0 (model A's P4)
  double distance = 1000.0;
  EXPECT_FALSE(t.check(distance));
  EXPECT_EQ(decisions_until_a_trial(t, distance), 0);
  for (int undone = 0; undone < 4; ++undone) {
    finish_trial(t, distance, /*keep=*/false);
    EXPECT_EQ(decisions_until_a_trial(t, distance), kn::kTrialCooldown);
  }
}

TEST(AdaptiveScale, TrialsOffOrARatioDecisionLeaveTheRatioRuleAlone) {
  // Without trials the step is the ratio rule exactly (random sequences, distances that would trigger trials).
  std::mt19937_64 rng(11);
  std::normal_distribution<double> log_ratio(0.0, 3.0);
  for (int trial = 0; trial < 50; ++trial) {
    kn::AdaptiveScale with_step, ratio_only;
    with_step.scale = ratio_only.scale = 0.1;
    for (int i = 0; i < 60; ++i) {
      const double r = std::exp(log_ratio(rng));
      EXPECT_EQ(kn::adaptive_scale_step(with_step, r, 50.0, 1.0, 25 * i, rule_without_floor(false)),
                kn::adaptive_scale_observe(ratio_only, r, 25 * i, 100));
      EXPECT_EQ(with_step.scale, ratio_only.scale);
    }
  }
  // A ratio decision (ratio 100: factor 10) wins over a trial the slow progress would have started.
  TrialRun t;
  t.a.scale = 1.0;
  for (double d : {100.0, 100.0, 100.0, 100.0}) kn::adaptive_scale_step(t.a, 100.0, d, 1.0, (t.iter += 25) - 25, t.rule);
  EXPECT_TRUE(kn::adaptive_scale_step(t.a, 100.0, 99.0, 1.0, 100, t.rule));
  EXPECT_NEAR(t.a.scale, 10.0, 1e-12);
  EXPECT_EQ(t.a.trial_from, 0.0);
  // The distance in tolerance units: the largest of the three ratios.
  EXPECT_DOUBLE_EQ(kn::termination_distance(2.0, 1.0, 3.0, 2.0, 0.5, 0.1), 5.0);
  EXPECT_DOUBLE_EQ(kn::termination_distance(0.5, 1.0, 0.2, 1.0, 0.1, 1.0), 0.5);
}

// Balance floor: checks every 25 iterations from iteration 0, decisions every 100, trial steps off.
struct FloorRun {
  kn::AdaptiveScale a;
  int iter = 0;
  bool check(double ratio, double balance, double floor_factor = 0.5) {
    const bool changed = kn::adaptive_scale_step(a, ratio, 50.0, balance, iter, {100, false, 3, floor_factor});
    iter += 25;
    return changed;
  }
};

TEST(AdaptiveScale, BalanceCheckpointsDoubleAndTheBalanceIsSteadyWithinOneAndAHalf) {
  kn::AdaptiveScale a;
  EXPECT_FALSE(kn::balance_steady(a, 4.0, 25));  // first checkpoint, no reference yet
  EXPECT_FALSE(kn::balance_steady(a, 4.0, 49));  // < 2 x 25: still no reference
  EXPECT_TRUE(kn::balance_steady(a, 5.0, 50));   // checkpoint 50, reference 4.0 (from 25): 5 / 4 < 1.5
  EXPECT_EQ(a.checkpoint_iter, 50);
  EXPECT_TRUE(kn::balance_steady(a, 5.9, 75));   // reference still 4.0: 5.9 / 4 < 1.5
  EXPECT_FALSE(kn::balance_steady(a, 6.1, 99));  // 6.1 / 4 > 1.5 (and 6.1 / 5.0 < 1.5: no jump)
  EXPECT_EQ(a.checkpoint_iter, 50);
  EXPECT_TRUE(kn::balance_steady(a, 6.5, 100));  // checkpoint 100, reference 5.0 (from 50)
  EXPECT_EQ(a.balance_reference, 5.0);
  EXPECT_EQ(a.balance_checkpoint, 6.5);
}

TEST(AdaptiveScale, ABalanceJumpRestartsTheCheckpointsAndIsAcceptedAfterOneDoubling) {
  kn::AdaptiveScale a;
  for (int iter : {25, 50, 100}) kn::balance_steady(a, 0.03, iter);
  ASSERT_TRUE(kn::balance_steady(a, 0.03, 150));
  EXPECT_FALSE(kn::balance_steady(a, 1.6, 160));  // 1.6 / 0.03 > 1.5: a new sequence from 160
  EXPECT_EQ(a.checkpoint_iter, 160);
  EXPECT_EQ(a.balance_reference, 0.0);
  EXPECT_FALSE(kn::balance_steady(a, 1.7, 300));  // no reference until 2 x 160
  EXPECT_TRUE(kn::balance_steady(a, 1.7, 320));   // reference 1.6 from the jump
  EXPECT_EQ(a.balance_reference, 1.6);
  // a balance falling 2x per doubling (gpp's drift) keeps restarting and is never steady
  kn::AdaptiveScale drift;
  for (int iter = 25; iter < 100000; iter += 25) EXPECT_FALSE(kn::balance_steady(drift, 1000.0 / iter, iter)) << iter;
}

TEST(AdaptiveScale, FloorLiftsTheScaleToHalfASteadyBalanceAndHoldsTheRatioRuleThere) {
  FloorRun t;
  t.a.scale = 0.01;
  // ratio 1 keeps the scale; the balance 20 is steady from iteration 25, so the decision at 100 lifts it
  for (int c = 0; c < 4; ++c) EXPECT_FALSE(t.check(1.0, 20.0));
  EXPECT_TRUE(t.check(1.0, 20.0));
  EXPECT_DOUBLE_EQ(t.a.scale, 10.0);
  // the ratio rule asks for 100x less (ratio 1e-4): the scale stays on the floor, no refactorisation
  for (int c = 0; c < 3; ++c) EXPECT_FALSE(t.check(1e-4, 20.0));
  EXPECT_FALSE(t.check(1e-4, 20.0));
  EXPECT_DOUBLE_EQ(t.a.scale, 10.0);
  // it may still move the scale up (ratio 1e4: factor 100)
  for (int c = 0; c < 3; ++c) t.check(1e4, 20.0);
  EXPECT_TRUE(t.check(1e4, 20.0));
  EXPECT_NEAR(t.a.scale, 1000.0, 1e-9);
  // and back down to the floor, not below it (from 1000 the rule asks for 10, then 0.1)
  for (int c = 0; c < 3; ++c) t.check(1e-4, 20.0);
  EXPECT_TRUE(t.check(1e-4, 20.0));
  EXPECT_NEAR(t.a.scale, 10.0, 1e-9);
  for (int c = 0; c < 3; ++c) t.check(1e-4, 20.0);
  EXPECT_FALSE(t.check(1e-4, 20.0));
  EXPECT_NEAR(t.a.scale, 10.0, 1e-9);
}

TEST(AdaptiveScale, FloorLeavesAScaleNearItAloneAndMovesOneFarBelowIt) {
  // A scale in [floor / sqrt(10), 1.2 floor] stays; one below floor / sqrt(10) moves to the floor.
  for (double scale0 : {3.3, 11.9, 3.1}) {
    FloorRun t;
    t.a.scale = scale0;
    for (int c = 0; c < 4; ++c) EXPECT_FALSE(t.check(1e-4, 20.0));
    const bool changed = t.check(1e-4, 20.0);  // the decision: the ratio rule asks for scale0 / 100
    const bool stays = scale0 >= 10.0 / std::sqrt(10.0) && scale0 <= 12.0;
    EXPECT_EQ(changed, !stays) << scale0;
    EXPECT_DOUBLE_EQ(t.a.scale, stays ? scale0 : 10.0) << scale0;
  }
}

TEST(AdaptiveScale, FloorOffOrADriftingBalanceLeaveTheRuleAlone) {
  std::mt19937_64 rng(13);
  std::normal_distribution<double> log_ratio(0.0, 3.0);
  for (int trial = 0; trial < 50; ++trial) {
    // balance halving at every check (never steady), or a steady one with the floor off
    for (bool drifting : {true, false}) {
      FloorRun with_floor;
      kn::AdaptiveScale plain;
      with_floor.a.scale = plain.scale = 0.1;
      double balance = 1e6;
      for (int i = 0; i < 80; ++i) {
        const double r = std::exp(log_ratio(rng));
        const int iter = with_floor.iter;
        const bool want = kn::adaptive_scale_step(plain, r, 50.0, 1.0, iter, rule_without_floor(false));
        EXPECT_EQ(with_floor.check(r, balance, drifting ? 0.5 : 0.0), want);
        EXPECT_EQ(with_floor.a.scale, plain.scale);
        if (drifting) balance *= 0.5;
      }
    }
  }
}

TEST(AdaptiveScale, WithASteadyBalanceNoDecisionLeavesTheScaleFarBelowTheFloor) {
  std::mt19937_64 rng(17);
  std::normal_distribution<double> log_ratio(0.0, 3.0);
  std::uniform_real_distribution<double> wobble(0.9, 1.1);
  int lifted = 0;
  for (int trial = 0; trial < 50; ++trial) {
    FloorRun t;
    t.a.scale = 1e-3;
    for (int i = 0; i < 80; ++i) {
      const double balance = 8.0 * wobble(rng), before = t.a.scale;
      const bool changed = t.check(std::exp(log_ratio(rng) - 2.0), balance);  // the ratio rule pulls down
      EXPECT_EQ(changed, t.a.scale != before);
      if (t.a.log_ratio_count == 0 && t.iter > 50) {  // a decision with the balance steady
        EXPECT_GE(t.a.scale, 0.5 * balance / std::sqrt(10.0) * (1 - 1e-12)) << "trial " << trial << " check " << i;
        lifted += changed && t.a.scale == 0.5 * balance;
      }
    }
  }
  EXPECT_GT(lifted, 20);  // the floor acted, the property is not vacuous
}

TEST(AdaptiveScale, MetricDiagonalAndResidualRatio) {
  std::vector<double> r(2 + 3 + 1);
  kn::metric_diagonal(2, 3, 1, 1e-6, 4.0, r.data());
  const std::vector<double> want{1e-6, 1e-6, 1e-3 / 4.0, 0.25, 0.25, 1.0};
  for (size_t i = 0; i < r.size(); ++i) EXPECT_DOUBLE_EQ(r[i], want[i]) << i;
  // (pri / (eps_pri - eps_abs)) / (dual / (eps_dual - eps_abs)), each term + 1e-18
  EXPECT_NEAR(kn::residual_ratio(2e-3, 1e-5 + 1e-4, 1e-6, 1e-5 + 1e-2, 1e-5), (2e-3 / 1e-4) / (1e-6 / 1e-2), 1e-6);
  EXPECT_GT(kn::residual_ratio(1.0, 1e-5, 1.0, 1e-5, 1e-5), 0.0);  // zero relative scales stay finite
  EXPECT_EQ(kn::clamp_scale(1e9), 1e6);
  EXPECT_EQ(kn::clamp_scale(0.0), 1e-6);
}

}  // namespace
