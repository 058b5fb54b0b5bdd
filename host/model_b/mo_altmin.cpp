#include "host/model_b/mo_altmin.hpp"

#include <cmath>
#include <random>

#include "host/common/errors.hpp"
#include "host/model_b/manifold.hpp"

namespace isacbf::model_b {

AltMinResult mo_altmin(const Eigen::MatrixXcd& T, int n_rf, const AltMinOptions& o) {
  if (T.size() == 0 || !T.allFinite()) throw InputError("T", "must be non-empty and finite");
  if (n_rf < 1 || n_rf > T.rows()) throw InputError("N_RF", "must be in [1, Nt]");
  if (o.max_rounds < 1) throw InputError("max_rounds", "must be >= 1");
  const Eigen::Index Nt = T.rows(), L = T.cols();
  std::mt19937_64 rng(o.seed);
  std::uniform_real_distribution<double> phase(0.0, 2.0 * 3.14159265358979323846);
  AltMinResult r;
  r.F.resize(Nt, n_rf);
  for (Eigen::Index i = 0; i < r.F.size(); ++i) r.F(i) = std::polar(1.0, phase(rng));
  // ||T - F B||^2 = sum |M|^2 - 2 Re(conj(T) M) + ||T||^2 with probes C = I (M = F B), not stored.
  ManifoldProblem p;
  p.identity_probes = true;
  p.a = Eigen::MatrixXd::Ones(Nt, L);
  p.beta = -2.0 * T;
  p.kappa = T.squaredNorm();
  ManifoldOptions mo;
  mo.max_iterations = o.manifold_iterations;
  double previous = INFINITY;
  for (int round = 0; round < o.max_rounds; ++round) {
    r.B = r.F.completeOrthogonalDecomposition().solve(T);  // least squares
    const double residual = (T - r.F * r.B).norm();
    r.residual_trace.push_back(residual);
    ++r.rounds;
    if (round > 0 && previous - residual <= o.tolerance * previous) break;
    previous = residual;
    p.B = r.B;
    r.F = minimise_on_circle_manifold(p, r.F, mo).F;
  }
  return r;
}

}  // namespace isacbf::model_b
