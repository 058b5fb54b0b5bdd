#include "host/conic/cone_projector.hpp"

#include <algorithm>
#include <complex>

#include "kernels/cones.hpp"
#include "kernels/psd.hpp"

namespace isacbf::conic {

namespace kn = isacbf::kernels;

std::vector<ConeBlock> cone_blocks(const ConeSpec& k) {
  std::vector<ConeBlock> blocks;
  int off = 0;
  if (k.zero > 0) blocks.push_back({BlockKind::zero, off, k.zero, k.zero}), off += k.zero;
  if (k.nonneg > 0) blocks.push_back({BlockKind::nonneg, off, k.nonneg, k.nonneg}), off += k.nonneg;
  for (int q : k.soc) blocks.push_back({BlockKind::soc, off, q, q}), off += q;
  for (int n : k.psd_real) blocks.push_back({BlockKind::psd_real, off, n * (n + 1) / 2, n}), off += n * (n + 1) / 2;
  for (int n : k.psd_complex) blocks.push_back({BlockKind::psd_complex, off, n * n, n}), off += n * n;
  for (int i = 0; i < k.exp_primal; ++i) blocks.push_back({BlockKind::exp_primal, off, 3, 3}), off += 3;
  for (int i = 0; i < k.exp_dual; ++i) blocks.push_back({BlockKind::exp_dual, off, 3, 3}), off += 3;
  return blocks;
}

// Measured (docs/solver.md): the Jacobi kernel beats Eigen only up to order 4 on this CPU.
int ConeProjector::default_eig_threshold() { return 4; }

ConeProjector::ConeProjector(const ConeSpec& cones, int eig_threshold)
    : blocks_(cone_blocks(cones)), eig_threshold_(eig_threshold < 0 ? default_eig_threshold() : eig_threshold) {
  int need = 0;
  for (const auto& b : blocks_) {
    if (b.kind == BlockKind::psd_real && b.order <= eig_threshold_) need = std::max(need, kn::psd_real_scratch(b.order));
    if (b.kind == BlockKind::psd_complex && b.order <= eig_threshold_) need = std::max(need, kn::psd_herm_scratch(b.order));
  }
  scratch_.resize(static_cast<std::size_t>(need));
}

void ConeProjector::project_psd_real(int n, double* x) {
  if (n <= eig_threshold_) {
    kn::project_psd_real_jacobi(n, x, scratch_.data());
    return;
  }
  Eigen::MatrixXd a(n, n);
  kn::svec_unpack(n, x, a.data());
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(a);
  Eigen::MatrixXd v = es.eigenvectors();
  kn::psd_rebuild_real(n, v.data(), es.eigenvalues().data(), x);
}

void ConeProjector::project_psd_complex(int n, double* x) {
  if (n <= eig_threshold_) {
    kn::project_psd_herm_jacobi(n, x, scratch_.data());
    return;
  }
  Eigen::MatrixXcd a(n, n);
  kn::hvec_unpack(n, x, reinterpret_cast<double*>(a.data()));
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXcd> es(a);
  Eigen::MatrixXcd v = es.eigenvectors();
  kn::psd_rebuild_herm(n, reinterpret_cast<const double*>(v.data()), es.eigenvalues().data(), x);
}

void ConeProjector::project_dual(double* y) {
  for (const auto& b : blocks_) {
    double* v = y + b.offset;
    switch (b.kind) {
      case BlockKind::zero: break;  // dual of {0} is free
      case BlockKind::nonneg: kn::project_nonneg(b.size, v); break;
      case BlockKind::soc: kn::project_soc(b.size, v); break;
      case BlockKind::psd_real: project_psd_real(b.order, v); break;
      case BlockKind::psd_complex: project_psd_complex(b.order, v); break;
      case BlockKind::exp_primal: kn::project_exp_dual(v); break;
      case BlockKind::exp_dual: kn::project_exp_primal(v); break;
    }
  }
}

void ConeProjector::project_primal(double* s) {
  for (const auto& b : blocks_) {
    double* v = s + b.offset;
    switch (b.kind) {
      case BlockKind::zero: kn::project_zero(b.size, v); break;
      case BlockKind::nonneg: kn::project_nonneg(b.size, v); break;
      case BlockKind::soc: kn::project_soc(b.size, v); break;
      case BlockKind::psd_real: project_psd_real(b.order, v); break;
      case BlockKind::psd_complex: project_psd_complex(b.order, v); break;
      case BlockKind::exp_primal: kn::project_exp_primal(v); break;
      case BlockKind::exp_dual: kn::project_exp_dual(v); break;
    }
  }
}

}  // namespace isacbf::conic
