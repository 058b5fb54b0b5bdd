#include "host/conic/cone_projector.hpp"

#include <algorithm>
#include <complex>

#include "host/conic/psd_rebuild.hpp"
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
int ConeProjector::default_eig_threshold() { return 4; }

static_assert(static_cast<int>(BlockKind::zero) == kn::kZero && static_cast<int>(BlockKind::nonneg) == kn::kNonneg &&
              static_cast<int>(BlockKind::soc) == kn::kSoc && static_cast<int>(BlockKind::psd_real) == kn::kPsdReal &&
              static_cast<int>(BlockKind::psd_complex) == kn::kPsdComplex &&
              static_cast<int>(BlockKind::exp_primal) == kn::kExpPrimal &&
              static_cast<int>(BlockKind::exp_dual) == kn::kExpDual,
              "BlockKind must match kernels::ConeKind");

ConeProjector::ConeProjector(const ConeSpec& cones, int eig_threshold, PsdMethod method)
    : blocks_(cone_blocks(cones)), eig_threshold_(eig_threshold < 0 ? default_eig_threshold() : eig_threshold) {
  int need = 0;
  lapack_.resize(blocks_.size());
  for (std::size_t i = 0; i < blocks_.size(); ++i) {
    const auto& b = blocks_[i];
    const bool real = b.kind == BlockKind::psd_real, complex = b.kind == BlockKind::psd_complex;
    if (!real && !complex) continue;
    if (b.order <= eig_threshold_) {
      need = std::max(need, real ? kn::psd_real_scratch(b.order) : kn::psd_herm_scratch(b.order));
      continue;
    }
    const PsdMethod m = method == PsdMethod::automatic ? choose_psd_method(b.order, complex) : method;
    if (m != PsdMethod::eigen) lapack_[i] = std::make_unique<LapackPsdBlock>(b.order, complex, m);
  }
  scratch_.resize(static_cast<std::size_t>(need));
}

PsdMethod ConeProjector::block_method(std::size_t i) const {
  const auto& b = blocks_.at(i);
  if (b.kind != BlockKind::psd_real && b.kind != BlockKind::psd_complex) return PsdMethod::automatic;
  if (b.order <= eig_threshold_) return PsdMethod::automatic;  // Jacobi kernel
  return lapack_[i] ? lapack_[i]->method() : PsdMethod::eigen;
}

PsdPathCounts ConeProjector::psd_path_counts() const {
  PsdPathCounts total;
  for (const auto& l : lapack_)
    if (l) total.full += l->counts().full, total.partial += l->counts().partial, total.failures += l->counts().failures;
  return total;
}

bool ConeProjector::project_large_psd(std::size_t i, double* v) {
  const ConeBlock& b = blocks_[i];
  const int n = b.order;
  if (lapack_[i]) {
    lapack_[i]->project(v);
  } else if (b.kind == BlockKind::psd_real && n > eig_threshold_) {
    Eigen::MatrixXd a(n, n), u(n, n);
    kn::svec_unpack(n, v, a.data());
    psd_project_eigen(n, a.data(), u.data());
    kn::svec_pack(n, a.data(), v);
  } else if (b.kind == BlockKind::psd_complex && n > eig_threshold_) {
    Eigen::MatrixXcd a(n, n), u(n, n);
    kn::hvec_unpack(n, v, reinterpret_cast<double*>(a.data()));
    psd_project_eigen(n, a.data(), u.data());
    kn::hvec_pack(n, reinterpret_cast<const double*>(a.data()), v);
  } else {
    return false;
  }
  return true;
}

void ConeProjector::project_dual(double* y) {
  for (std::size_t i = 0; i < blocks_.size(); ++i) {
    const auto& b = blocks_[i];
    double* v = y + b.offset;
    if (!project_large_psd(i, v)) kn::project_dual_block(static_cast<int>(b.kind), b.size, b.order, v, scratch_.data());
  }
}

void ConeProjector::project_primal(double* s) {
  for (std::size_t i = 0; i < blocks_.size(); ++i) {
    const auto& b = blocks_[i];
    double* v = s + b.offset;
    if (!project_large_psd(i, v)) kn::project_primal_block(static_cast<int>(b.kind), b.size, b.order, v, scratch_.data());
  }
}

}  // namespace isacbf::conic
