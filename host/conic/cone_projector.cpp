#include "host/conic/cone_projector.hpp"

#include <algorithm>
#include <complex>

#include "kernels/cone_block.hpp"
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
namespace {
// a <- P_PSD(a) from its eigendecomposition (eigenvalues ascending), as a rank-r GEMM over the smaller
// of the positive / negative eigenpair sets (same rule as kernels::psd_rebuild_*, with BLAS-3 speed).
template <class Solver, class Matrix>
void rebuild_from_eig(const Solver& es, Matrix& a) {
  const auto& w = es.eigenvalues();
  const auto& V = es.eigenvectors();
  const Eigen::Index n = w.size();
  Eigen::Index npos = 0;
  for (Eigen::Index k = 0; k < n; ++k) npos += w[k] > 0.0;
  if (2 * npos <= n) {
    const auto Vp = V.rightCols(npos);
    const Matrix scaled = Vp * w.tail(npos).asDiagonal();
    a.noalias() = scaled * Vp.adjoint();
  } else {
    const Eigen::Index nneg = n - npos;
    const auto Vn = V.leftCols(nneg);
    const Matrix scaled = Vn * w.head(nneg).asDiagonal();
    a.noalias() -= scaled * Vn.adjoint();
  }
}
}  // namespace

int ConeProjector::default_eig_threshold() { return 4; }

static_assert(static_cast<int>(BlockKind::zero) == kn::kZero && static_cast<int>(BlockKind::nonneg) == kn::kNonneg &&
              static_cast<int>(BlockKind::soc) == kn::kSoc && static_cast<int>(BlockKind::psd_real) == kn::kPsdReal &&
              static_cast<int>(BlockKind::psd_complex) == kn::kPsdComplex &&
              static_cast<int>(BlockKind::exp_primal) == kn::kExpPrimal &&
              static_cast<int>(BlockKind::exp_dual) == kn::kExpDual,
              "BlockKind must match kernels::ConeKind");

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
  rebuild_from_eig(es, a);
  kn::svec_pack(n, a.data(), x);
}

void ConeProjector::project_psd_complex(int n, double* x) {
  if (n <= eig_threshold_) {
    kn::project_psd_herm_jacobi(n, x, scratch_.data());
    return;
  }
  Eigen::MatrixXcd a(n, n);
  kn::hvec_unpack(n, x, reinterpret_cast<double*>(a.data()));
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXcd> es(a);
  rebuild_from_eig(es, a);
  kn::hvec_pack(n, reinterpret_cast<const double*>(a.data()), x);
}

void ConeProjector::project_dual(double* y) {
  for (const auto& b : blocks_) {
    double* v = y + b.offset;
    if (b.kind == BlockKind::psd_real && b.order > eig_threshold_) project_psd_real(b.order, v);
    else if (b.kind == BlockKind::psd_complex && b.order > eig_threshold_) project_psd_complex(b.order, v);
    else kn::project_dual_block(static_cast<int>(b.kind), b.size, b.order, v, scratch_.data());
  }
}

void ConeProjector::project_primal(double* s) {
  for (const auto& b : blocks_) {
    double* v = s + b.offset;
    if (b.kind == BlockKind::psd_real && b.order > eig_threshold_) project_psd_real(b.order, v);
    else if (b.kind == BlockKind::psd_complex && b.order > eig_threshold_) project_psd_complex(b.order, v);
    else kn::project_primal_block(static_cast<int>(b.kind), b.size, b.order, v, scratch_.data());
  }
}

}  // namespace isacbf::conic
