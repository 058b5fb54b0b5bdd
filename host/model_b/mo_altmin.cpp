#include "host/model_b/mo_altmin.hpp"

#include <cmath>
#include <random>
#include <string>

#include "host/common/errors.hpp"
#include "host/common/parallel_for.hpp"
#include "host/model_b/manifold.hpp"

namespace isacbf::model_b {
namespace {

Eigen::MatrixXcd random_unit_modulus(Eigen::Index rows, Eigen::Index cols, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> phase(0.0, 2.0 * 3.14159265358979323846);
  Eigen::MatrixXcd F(rows, cols);
  for (Eigen::Index i = 0; i < F.size(); ++i) F(i) = std::polar(1.0, phase(rng));
  return F;
}

// ||T - F B||^2 = sum |M|^2 - 2 Re(conj(T) M) + ||T||^2 with probes C = I (M = F B), not stored.
ManifoldProblem fit_problem(const Eigen::MatrixXcd& T) {
  ManifoldProblem p;
  p.identity_probes = true;
  p.a = Eigen::MatrixXd::Ones(T.rows(), T.cols());
  p.beta = -2.0 * T;
  p.kappa = T.squaredNorm();
  return p;
}

void check_target(const Eigen::MatrixXcd& T, int n_rf, const std::string& name) {
  if (T.size() == 0 || !T.allFinite()) throw InputError(name, "must be non-empty and finite");
  if (n_rf < 1 || n_rf > T.rows()) throw InputError("N_RF", "must be in [1, Nt] (" + name + " has Nt = " + std::to_string(T.rows()) + ")");
}

}  // namespace

AltMinResult mo_altmin(const Eigen::MatrixXcd& T, int n_rf, const AltMinOptions& o) {
  check_target(T, n_rf, "T");  // errors name "T", not "T[0]"
  const auto one_thread = make_cpu_manifold_solver(1);
  return mo_altmin_batch({T}, n_rf, *one_thread, o).front();
}

std::vector<AltMinResult> mo_altmin_batch(const std::vector<Eigen::MatrixXcd>& T, int n_rf, ManifoldBatchSolver& manifold,
                                          const AltMinOptions& o) {
  if (o.max_rounds < 1) throw InputError("max_rounds", "must be >= 1");
  for (std::size_t i = 0; i < T.size(); ++i) check_target(T[i], n_rf, "T[" + std::to_string(i) + "]");
  const std::size_t n = T.size();
  std::vector<AltMinResult> r(n);
  std::vector<ManifoldProblem> fit(n);
  std::vector<double> previous(n, INFINITY);
  for (std::size_t i = 0; i < n; ++i) {
    r[i].F = random_unit_modulus(T[i].rows(), n_rf, o.seed);
    fit[i] = fit_problem(T[i]);
  }
  ManifoldOptions mo;
  mo.max_iterations = o.manifold_iterations;
  std::vector<std::size_t> running(n);
  for (std::size_t i = 0; i < n; ++i) running[i] = i;
  for (int round = 0; round < o.max_rounds && !running.empty(); ++round) {
    std::vector<char> improving(running.size(), 0);
    parallel_for(running.size(), [&](std::size_t k) {
      const std::size_t i = running[k];
      r[i].B = r[i].F.completeOrthogonalDecomposition().solve(T[i]);  // least squares
      const double residual = (T[i] - r[i].F * r[i].B).norm();
      r[i].residual_trace.push_back(residual);
      ++r[i].rounds;
      improving[k] = round == 0 || previous[i] - residual > o.tolerance * previous[i];
      previous[i] = residual;
    });
    // No F step after the last B step: F and B stay a matched pair and the trace ends on their residual.
    if (round + 1 == o.max_rounds) break;
    std::vector<std::size_t> next;
    std::vector<ManifoldProblem> batch;
    std::vector<Eigen::MatrixXcd> F0;
    for (std::size_t k = 0; k < running.size(); ++k) {
      if (!improving[k]) continue;
      const std::size_t i = running[k];
      next.push_back(i);
      fit[i].B = r[i].B;
      batch.push_back(fit[i]);
      F0.push_back(r[i].F);
    }
    std::vector<ManifoldResult> res = minimise_by_shape(manifold, batch, F0, mo);
    for (std::size_t k = 0; k < next.size(); ++k) r[next[k]].F = std::move(res[k].F);
    running = std::move(next);
  }
  return r;
}

}  // namespace isacbf::model_b
