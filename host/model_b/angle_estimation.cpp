#include "host/model_b/angle_estimation.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>

#include "host/common/array.hpp"
#include "host/common/errors.hpp"
#include "host/common/random.hpp"
#include "host/model_b/io.hpp"
#include "host/model_b/metrics.hpp"

namespace isacbf::model_b {
namespace {

Eigen::MatrixXcd sqrt_psd(const Eigen::MatrixXcd& R) {
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXcd> es(0.5 * (R + R.adjoint()));
  return es.eigenvectors() * es.eigenvalues().cwiseMax(0.0).cwiseSqrt().asDiagonal();
}

// Maximise f on [lo, hi] (unimodal near the start) by golden-section search.
double golden_max(const std::function<double(double)>& f, double lo, double hi, double tol) {
  const double r = (std::sqrt(5.0) - 1) / 2;
  double c = hi - r * (hi - lo), d = lo + r * (hi - lo), fc = f(c), fd = f(d);
  while (hi - lo > tol) {
    if (fc > fd) {
      hi = d; d = c; fd = fc; c = hi - r * (hi - lo); fc = f(c);
    } else {
      lo = c; c = d; fc = fd; d = lo + r * (hi - lo); fd = f(d);
    }
  }
  return 0.5 * (lo + hi);
}

std::vector<double> grid(double step) {
  std::vector<double> g;
  for (double t = -90.0; t <= 90.0 + 1e-9; t += step) g.push_back(t);
  return g;
}

void check(const Instance& inst, const Echo& echo, const EstimatorOptions& o) {
  if (echo.Y.rows() != inst.Nr || echo.Y.cols() < 1) throw InputError("Y", "expected Nr x L_s");
  if (echo.X.rows() != inst.Nt || echo.X.cols() != echo.Y.cols()) throw InputError("X", "expected Nt x L_s");
  if (!(o.grid_step_deg > 0 && o.grid_step_deg <= 10)) throw InputError("grid_step_deg", "must be in (0, 10]");
  if (!(o.refine_tolerance_deg > 0)) throw InputError("refine_tolerance_deg", "must be > 0");
}

// Concentrated ML objective: ||P_span vec(Y)||^2 over the sources at `angles` (AEs then clutter).
struct MleModel {
  const Instance& inst;
  Eigen::MatrixXcd YXh, XXh;  // Y X^H (Nr x Nt), X X^H (Nt x Nt)
  double operator()(const std::vector<double>& angles) const {
    const int m = static_cast<int>(angles.size());
    std::vector<Eigen::VectorXcd> a, b;
    for (double t : angles) {
      a.push_back(steering_vector_deg(inst.Nt, t));
      b.push_back(steering_vector_deg(inst.Nr, t));
    }
    Eigen::MatrixXcd G(m, m);
    Eigen::VectorXcd z(m);
    for (int p = 0; p < m; ++p) {
      z(p) = b[p].dot(YXh * a[p]);  // <b_p a_p^H X, Y> = b_p^H Y X^H a_p
      for (int q = 0; q < m; ++q) G(p, q) = b[p].dot(b[q]) * a[q].dot(XXh * a[p]);  // (b_p^H b_q)(a_q^H X X^H a_p)
    }
    const Eigen::VectorXcd coef = G.ldlt().solve(z);
    const double energy = z.dot(coef).real();
    return std::isfinite(energy) ? energy : -INFINITY;  // coincident angles: singular Gram
  }
};

}  // namespace

void check_echo_size(const Instance& inst) {
  if (inst.L_s < 1) throw InputError("L_s", "must be >= 1");
  const long long samples = static_cast<long long>(inst.Nt + inst.Nr) * inst.L_s;
  if (samples > kMaxEchoSamples)
    throw InputError("L_s", "(Nt + Nr) L_s = " + std::to_string(samples) + " echo samples exceeds the limit 2^24 = " +
                                std::to_string(kMaxEchoSamples) + " of angle estimation (L_s <= " +
                                std::to_string(kMaxEchoSamples / (inst.Nt + inst.Nr)) + " here)");
}

Echo simulate_echo(const Instance& inst, const Design& design, std::uint64_t seed) {
  validate(inst);
  validate(design, inst);
  check_echo_size(inst);
  Rng rng(seed);
  const int L = inst.L_s;
  const Eigen::MatrixXcd S = design.S.size() > 0 ? design.S : sqrt_psd(design.R_s);
  Echo e;
  e.X = Eigen::MatrixXcd::Zero(inst.Nt, L);
  for (int l = 0; l < L; ++l) {
    if (design.W.cols() > 0) e.X.col(l) += design.W * rng.complex_normal_vector(static_cast<int>(design.W.cols()), 1.0);
    if (S.cols() > 0) e.X.col(l) += S * rng.complex_normal_vector(static_cast<int>(S.cols()), 1.0);
  }
  e.Y = Eigen::MatrixXcd::Zero(inst.Nr, L);
  auto reflect = [&](double theta, std::complex<double> coef) {
    const Eigen::VectorXcd b = steering_vector_deg(inst.Nr, theta), a = steering_vector_deg(inst.Nt, theta);
    e.Y += coef * b * (a.adjoint() * e.X);
  };
  for (int j = 0; j < inst.J; ++j) reflect(inst.theta_ae_deg[static_cast<std::size_t>(j)], inst.alpha(j));
  for (const auto& c : inst.clutter) reflect(c.theta_deg, c.beta);
  for (int l = 0; l < L; ++l) e.Y.col(l) += rng.complex_normal_vector(inst.Nr, sigma_r2(inst));
  return e;
}

std::vector<double> music_estimate(const Instance& inst, const Echo& echo, const EstimatorOptions& o) {
  check(inst, echo, o);
  const int sources = inst.J + static_cast<int>(inst.clutter.size());
  if (sources >= inst.Nr) throw InputError("Nr", "MUSIC needs more receive antennas than sources (J + C)");
  // Sample covariance of the echo after projecting onto the row space of the known X (the matched
  // filter): every echo lies there, while only rank(X)/L_s of the noise does. Without it the per-sample
  // SNR at the spec's SCNRs (which include the L_s Nr gain) is ~-26 dB and the signal eigenvalues
  // drown in the sample-noise spread; options.matched_filter = false gives the raw covariance of Y.
  Eigen::MatrixXcd R;
  if (o.matched_filter) {
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXcd> ex(echo.X * echo.X.adjoint());
    const Eigen::VectorXd& lx = ex.eigenvalues();
    Eigen::VectorXd inv = Eigen::VectorXd::Zero(lx.size());
    for (Eigen::Index i = 0; i < lx.size(); ++i)
      if (lx(i) > 1e-9 * lx.maxCoeff()) inv(i) = 1.0 / lx(i);
    const Eigen::MatrixXcd YXh = echo.Y * echo.X.adjoint() * ex.eigenvectors();
    R = YXh * inv.asDiagonal() * YXh.adjoint() / static_cast<double>(echo.Y.cols());
  } else {
    R = echo.Y * echo.Y.adjoint() / static_cast<double>(echo.Y.cols());
  }
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXcd> es(R);  // ascending eigenvalues
  const Eigen::MatrixXcd En = es.eigenvectors().leftCols(inst.Nr - sources);
  auto spectrum = [&](double t) { return -std::log((En.adjoint() * steering_vector_deg(inst.Nr, t)).squaredNorm()); };
  const std::vector<double> g = grid(o.grid_step_deg);
  std::vector<double> val;
  for (double t : g) val.push_back(spectrum(t));
  auto near_clutter = [&](double t) {
    for (const auto& c : inst.clutter)
      if (std::abs(t - c.theta_deg) < o.clutter_exclusion_deg) return true;
    return false;
  };
  std::vector<std::pair<double, double>> peaks;  // (value, angle)
  for (std::size_t i = 0; i < g.size(); ++i) {
    const bool left = i == 0 || val[i] >= val[i - 1], right = i + 1 == g.size() || val[i] >= val[i + 1];
    if (left && right && !near_clutter(g[i])) peaks.emplace_back(val[i], g[i]);
  }
  std::sort(peaks.rbegin(), peaks.rend());
  std::vector<double> out;
  for (int j = 0; j < inst.J && j < static_cast<int>(peaks.size()); ++j) {
    const double t = peaks[static_cast<std::size_t>(j)].second;
    out.push_back(golden_max(spectrum, std::max(-90.0, t - o.grid_step_deg), std::min(90.0, t + o.grid_step_deg), o.refine_tolerance_deg));
  }
  while (static_cast<int>(out.size()) < inst.J) out.push_back(out.empty() ? 0.0 : out.back());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<double> mle_estimate(const Instance& inst, const Echo& echo, const EstimatorOptions& o) {
  check(inst, echo, o);
  MleModel model{inst, echo.Y * echo.X.adjoint(), echo.X * echo.X.adjoint()};
  std::vector<double> clutter;
  for (const auto& c : inst.clutter) clutter.push_back(c.theta_deg);
  auto objective = [&](const std::vector<double>& ae) {
    std::vector<double> all = ae;
    all.insert(all.end(), clutter.begin(), clutter.end());
    return model(all);
  };
  const std::vector<double> g = grid(o.grid_step_deg);
  std::vector<double> est(static_cast<std::size_t>(inst.J), 0.0);
  if (inst.J == 1 || inst.J == 2) {  // joint grid search
    double best = -INFINITY;
    for (std::size_t i = 0; i < g.size(); ++i) {
      if (inst.J == 1) {
        const double v = objective({g[i]});
        if (v > best) { best = v; est = {g[i]}; }
        continue;
      }
      for (std::size_t k = i + 1; k < g.size(); ++k) {
        const double v = objective({g[i], g[k]});
        if (v > best) { best = v; est = {g[i], g[k]}; }
      }
    }
  } else {  // greedy: add one angle at a time on the grid, then the cyclic refinement below
    std::vector<double> chosen;
    for (int j = 0; j < inst.J; ++j) {
      double best = -INFINITY, arg = 0.0;
      for (double t : g) {
        std::vector<double> trial = chosen;
        trial.push_back(t);
        const double v = objective(trial);
        if (v > best) { best = v; arg = t; }
      }
      chosen.push_back(arg);
    }
    est = chosen;
  }
  for (int sweep = 0; sweep < 3; ++sweep)  // cyclic golden-section refinement of each angle
    for (int j = 0; j < inst.J; ++j) {
      auto f = [&](double t) {
        std::vector<double> trial = est;
        trial[static_cast<std::size_t>(j)] = t;
        return objective(trial);
      };
      const double t = est[static_cast<std::size_t>(j)];
      est[static_cast<std::size_t>(j)] =
          golden_max(f, std::max(-90.0, t - o.grid_step_deg), std::min(90.0, t + o.grid_step_deg), o.refine_tolerance_deg);
    }
  std::sort(est.begin(), est.end());
  return est;
}

double angle_rmse_deg(const Instance& inst, const Design& design, Estimator estimator, int trials, std::uint64_t seed,
                      const EstimatorOptions& options) {
  if (trials < 1 || trials > kMaxTrials) throw InputError("trials", "must be in [1, " + std::to_string(kMaxTrials) + "]");
  std::vector<double> truth = inst.theta_ae_deg;
  std::sort(truth.begin(), truth.end());
  double se = 0.0;
  for (int t = 0; t < trials; ++t) {
    const Echo e = simulate_echo(inst, design, seed + static_cast<std::uint64_t>(t));
    const std::vector<double> est = estimator == Estimator::music ? music_estimate(inst, e, options) : mle_estimate(inst, e, options);
    for (std::size_t j = 0; j < truth.size(); ++j) se += (est[j] - truth[j]) * (est[j] - truth[j]);
  }
  return std::sqrt(se / (static_cast<double>(trials) * static_cast<double>(truth.size())));
}

}  // namespace isacbf::model_b
