#include "host/model_b/manifold.hpp"

#include <cmath>
#include <string>

#include "host/common/errors.hpp"
#include "kernels/riemannian.hpp"

namespace isacbf::model_b {
namespace {

using kernels::Cx;
// std::complex<double> is layout-compatible with double[2] (and so with Cx).
const Cx* cx(const Eigen::MatrixXcd& m) { return reinterpret_cast<const Cx*>(m.data()); }
Cx* cx(Eigen::MatrixXcd& m) { return reinterpret_cast<Cx*>(m.data()); }

struct KernelView {
  kernels::ManifoldDims dims;
  kernels::ManifoldCost cost;
  std::vector<double> pen_a;  // flattened
};

KernelView view_of(const ManifoldProblem& p, const Eigen::MatrixXcd& F) {
  KernelView v;
  v.dims = {static_cast<int>(F.rows()), static_cast<int>(F.cols()), static_cast<int>(probe_count(p, F)), static_cast<int>(p.B.cols()),
            static_cast<int>(p.pen_a.size()), p.identity_probes ? 1 : 0};
  for (const auto& a : p.pen_a) v.pen_a.insert(v.pen_a.end(), a.data(), a.data() + a.size());
  v.cost = {p.a.data(), cx(p.beta), p.kappa, p.pi, v.pen_a.data(), p.pen_pi.data(), p.pen_kappa.data(), p.mu.data()};
  return v;
}

struct Products {
  Eigen::MatrixXcd FB, M;
  double power = 0.0;
};

Products products(const ManifoldProblem& p, const KernelView& v, const Eigen::MatrixXcd& F) {
  Products out;
  out.FB.resize(F.rows(), p.B.cols());
  out.M.resize(v.dims.P, p.B.cols());
  kernels::probe_products(v.dims, cx(p.C), cx(F), cx(p.B), cx(out.FB), cx(out.M));
  out.power = kernels::frob2(static_cast<int>(out.FB.size()), cx(out.FB));
  return out;
}

}  // namespace

void validate(const ManifoldProblem& p, const Eigen::MatrixXcd& F) {
  if (F.size() == 0 || !F.allFinite()) throw InputError("F", "must be non-empty and finite");
  if (p.identity_probes ? p.C.size() != 0 : p.C.rows() != F.rows())
    throw InputError("C", p.identity_probes ? "must be empty with identity_probes" : "expected Nt rows (as F)");
  if (p.B.rows() != F.cols()) throw InputError("B", "expected N_RF rows (as F's columns)");
  const Eigen::Index P = probe_count(p, F);
  if (p.a.rows() != P || p.a.cols() != p.B.cols()) throw InputError("a", "expected P x L");
  if (p.beta.rows() != P || p.beta.cols() != p.B.cols()) throw InputError("beta", "expected P x L");
  const std::size_t n = p.pen_a.size();
  if (p.pen_pi.size() != n || p.pen_kappa.size() != n || p.mu.size() != n)
    throw InputError("pen_pi", "pen_a, pen_pi, pen_kappa and mu must have the same length");
  for (std::size_t c = 0; c < n; ++c)
    if (p.pen_a[c].rows() != P || p.pen_a[c].cols() != p.B.cols())
      throw InputError("pen_a[" + std::to_string(c) + "]", "expected P x L");
  if (!p.C.allFinite() || !p.B.allFinite() || !p.a.allFinite() || !p.beta.allFinite()) throw InputError("C", "data not finite");
  if (!std::isfinite(p.kappa) || !std::isfinite(p.pi)) throw InputError("kappa", "kappa and pi must be finite");
  for (std::size_t c = 0; c < n; ++c) {
    if (!p.pen_a[c].allFinite() || !std::isfinite(p.pen_pi[c]) || !std::isfinite(p.pen_kappa[c]))
      throw InputError("pen_a[" + std::to_string(c) + "]", "penalty data not finite");
    if (!(p.mu[c] >= 0) || !std::isfinite(p.mu[c])) throw InputError("mu[" + std::to_string(c) + "]", "must be finite and >= 0");
  }
}

double manifold_cost(const ManifoldProblem& p, const Eigen::MatrixXcd& F) {
  validate(p, F);
  const KernelView v = view_of(p, F);
  const Products pr = products(p, v, F);
  return kernels::manifold_cost(v.dims, v.cost, cx(pr.M), pr.power);
}

std::vector<double> penalty_values(const ManifoldProblem& p, const Eigen::MatrixXcd& F) {
  validate(p, F);
  const KernelView v = view_of(p, F);
  const Products pr = products(p, v, F);
  std::vector<double> out;
  for (int c = 0; c < v.dims.num_penalties; ++c) out.push_back(kernels::penalty_value(v.dims, v.cost, c, cx(pr.M), pr.power));
  return out;
}

void validate(const ManifoldOptions& o) {
  if (o.max_iterations < 0) throw InputError("max_iterations", "must be >= 0");
  if (!(o.gradient_tolerance >= 0)) throw InputError("gradient_tolerance", "must be >= 0");
  if (!(o.relative_decrease >= 0)) throw InputError("relative_decrease", "must be >= 0");
  if (!(o.armijo > 0 && o.armijo < 1)) throw InputError("armijo", "must be in (0, 1)");
}

Eigen::Index probe_count(const ManifoldProblem& p, const Eigen::MatrixXcd& F) { return p.identity_probes ? F.rows() : p.C.cols(); }

Eigen::MatrixXcd euclidean_gradient(const ManifoldProblem& p, const Eigen::MatrixXcd& F) {
  validate(p, F);
  const KernelView v = view_of(p, F);
  const Products pr = products(p, v, F);
  Eigen::MatrixXcd G(pr.M.rows(), pr.M.cols()), CG(F.rows(), p.B.cols()), grad(F.rows(), F.cols());
  const double w = kernels::probe_gradient(v.dims, v.cost, cx(pr.M), pr.power, cx(G));
  kernels::euclidean_gradient(v.dims, cx(p.C), cx(G), cx(p.B), cx(pr.FB), w, cx(CG), cx(grad));
  return grad;
}

Eigen::MatrixXcd riemannian_gradient(const Eigen::MatrixXcd& F, const Eigen::MatrixXcd& egrad) {
  if (F.rows() != egrad.rows() || F.cols() != egrad.cols()) throw InputError("egrad", "must have F's shape");
  Eigen::MatrixXcd out(F.rows(), F.cols());
  kernels::riemannian_gradient(static_cast<int>(F.size()), cx(F), cx(egrad), cx(out));
  return out;
}

Eigen::MatrixXcd retract(const Eigen::MatrixXcd& F, const Eigen::MatrixXcd& direction, double step) {
  if (F.rows() != direction.rows() || F.cols() != direction.cols()) throw InputError("direction", "must have F's shape");
  Eigen::MatrixXcd out(F.rows(), F.cols());
  kernels::retract(static_cast<int>(F.size()), cx(F), cx(direction), step, cx(out));
  return out;
}

kernels::CgOptions to_cg_options(const ManifoldOptions& o) {
  return {o.max_iterations, o.gradient_tolerance, o.relative_decrease, o.armijo, o.conjugate_gradient};
}

ManifoldResult minimise_on_circle_manifold(const ManifoldProblem& p, const Eigen::MatrixXcd& F0, const ManifoldOptions& o) {
  validate(p, F0);
  validate(o);
  const kernels::CgOptions co = to_cg_options(o);
  const int n = static_cast<int>(F0.size());
  auto inner = [n](const Eigen::MatrixXcd& x, const Eigen::MatrixXcd& y) { return kernels::real_inner(n, cx(x), cx(y)); };
  ManifoldResult r;
  r.F = retract(F0, Eigen::MatrixXcd::Zero(F0.rows(), F0.cols()), 0.0);  // onto the manifold
  Eigen::MatrixXcd grad = riemannian_gradient(r.F, euclidean_gradient(p, r.F));
  Eigen::MatrixXcd dir = grad;  // we step along -dir
  kernels::CgScalars s;
  kernels::cg_start(s, manifold_cost(p, r.F), grad.squaredNorm());
  r.cost_trace.push_back(s.f);
  Eigen::MatrixXcd F_new;
  while (s.phase != kernels::kCgDone) {
    kernels::cg_begin(s, grad.squaredNorm(), inner(grad, dir), co);
    if (s.restart) dir = grad;
    while (s.phase == kernels::kCgTrial) {
      F_new = retract(r.F, dir, s.t);
      kernels::cg_trial(s, manifold_cost(p, F_new), co);
    }
    if (s.phase != kernels::kCgAccepted) break;
    const Eigen::MatrixXcd grad_new = riemannian_gradient(F_new, euclidean_gradient(p, F_new));
    // Transport the old direction and gradient by projection onto the new tangent space.
    const Eigen::MatrixXcd dir_t = riemannian_gradient(F_new, dir);
    const Eigen::MatrixXcd grad_t = riemannian_gradient(F_new, grad);
    dir = grad_new + kernels::cg_beta(inner(grad_new, grad_new - grad_t), s.g2, co) * dir_t;
    grad = grad_new;
    r.F = F_new;
    kernels::cg_accept(s, co);
    r.cost_trace.push_back(s.f);
  }
  r.iterations = s.iterations;
  return r;
}

}  // namespace isacbf::model_b
