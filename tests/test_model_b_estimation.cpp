// Model B AE angle estimation: MUSIC and MLE recover the AE angles at high SCNR within a small
// fraction of the receive beamwidth, and the RMSE grows as the SCNR falls.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "host/common/errors.hpp"
#include "host/model_b/angle_estimation.hpp"
#include "host/model_b/generator.hpp"
#include "host/model_b/metrics.hpp"
#include "host/model_b/simple_designs.hpp"

using namespace isacbf;
using namespace isacbf::model_b;

namespace {

Instance estimation_instance(double sigma_r_dBm) {
  Scenario s;
  s.Nt = 16;
  s.Nr = 16;
  s.K = 2;
  s.J = 2;
  s.Ns = 2;
  s.L_s = 256;
  s.theta_user_deg = {-40.0, 40.0};
  s.theta_ae_deg = {-12.0, 20.0};
  s.sigma_r_dBm = sigma_r_dBm;
  return generate(s, 7);
}

constexpr double kBeamwidthDeg = 2.0 / 16 * 180 / 3.14159265358979323846;  // ~2/Nr rad

}  // namespace

TEST(ModelBEstimation, MusicAndMleRecoverAnglesAtHighScnr) {
  const Instance inst = estimation_instance(-120);
  const Design design = mrt_design(inst, 0.5);
  const Metrics m = evaluate(inst, design);
  for (double sc : m.scnr) ASSERT_GT(10 * std::log10(sc), 25.0) << "test premise: high SCNR";
  const Echo echo = simulate_echo(inst, design, 3);
  std::vector<double> truth = inst.theta_ae_deg;
  std::sort(truth.begin(), truth.end());
  const auto music = music_estimate(inst, echo);
  const auto mle = mle_estimate(inst, echo);
  ASSERT_EQ(music.size(), 2u);
  ASSERT_EQ(mle.size(), 2u);
  for (int j = 0; j < 2; ++j) {
    // MUSIC can be biased by the correlated sources (every echo is a filtered copy of the same X), so
    // it gets a looser bound than the MLE, which models that correlation exactly.
    EXPECT_LT(std::abs(music[j] - truth[j]), kBeamwidthDeg / 20) << "MUSIC AE " << j << ": " << music[j];
    EXPECT_LT(std::abs(mle[j] - truth[j]), kBeamwidthDeg / 50) << "MLE AE " << j << ": " << mle[j];
  }
}

TEST(ModelBEstimation, RmseGrowsAsScnrFalls) {
  const Instance good = estimation_instance(-120), poor = estimation_instance(-100);
  const double rmse_good = angle_rmse_deg(good, mrt_design(good, 0.5), Estimator::mle, 3, 11);
  const double rmse_poor = angle_rmse_deg(poor, mrt_design(poor, 0.5), Estimator::mle, 3, 11);
  EXPECT_LT(rmse_good, rmse_poor);
  EXPECT_LT(rmse_poor, kBeamwidthDeg);  // still resolved, just noisier
}

TEST(ModelBEstimation, BadInputsNameTheField) {
  const Instance inst = estimation_instance(-120);
  Echo echo = simulate_echo(inst, mrt_design(inst, 0.5), 1);
  echo.X = echo.X.topRows(3);
  try {
    music_estimate(inst, echo);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "X");
  }
  EstimatorOptions o;
  o.grid_step_deg = 0;
  try {
    mle_estimate(inst, simulate_echo(inst, mrt_design(inst, 0.5), 1), o);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "grid_step_deg");
  }
}
