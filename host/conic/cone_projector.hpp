#pragma once
// Projection of the dual iterate y onto K* for one ConeSpec (the cone step of the ADMM), and the
// block layout used by equilibration. Small PSD blocks use the Jacobi kernels (kernels/psd.hpp);
// blocks of order > eig_threshold use Eigen's SelfAdjointEigenSolver or LAPACK (PsdMethod, chosen per
// block; crossovers measured, see docs/solver.md). One ConeProjector per thread (it owns scratch and the
// LAPACK blocks' workspaces and spectrum history).
#include <Eigen/Dense>
#include <memory>
#include <vector>

#include "host/conic/problem.hpp"
#include "host/conic/psd_lapack.hpp"
#include "host/conic/psd_method.hpp"

namespace isacbf::conic {

// Same numbering as kernels::ConeKind (kernels/cone_block.hpp).
enum class BlockKind { zero = 0, nonneg, soc, psd_real, psd_complex, exp_primal, exp_dual };

struct ConeBlock {
  BlockKind kind;
  int offset;  // first row
  int size;    // rows (vector length)
  int order;   // matrix order for PSD blocks, else size
};

// Blocks in ConeSpec order; zero and nonneg rows are one block each (row-separable cones).
std::vector<ConeBlock> cone_blocks(const ConeSpec& cones);

class ConeProjector {
 public:
  explicit ConeProjector(const ConeSpec& cones, int eig_threshold = -1, PsdMethod method = PsdMethod::automatic);
  // y <- P_{K*}(y): free on the zero cone rows, R_+, SOC, PSD (self-dual), exp primal rows onto the
  // dual exp cone and exp dual rows onto the primal exp cone.
  void project_dual(double* y);
  // s <- P_K(s) (used by tests and for cleaning certificates).
  void project_primal(double* s);
  const std::vector<ConeBlock>& blocks() const { return blocks_; }
  static int default_eig_threshold();
  // Method used for block i (automatic = not a PSD block, or the Jacobi kernel), and the LAPACK blocks'
  // path counters summed (tests, benchmarks).
  PsdMethod block_method(std::size_t i) const;
  PsdPathCounts psd_path_counts() const;

 private:
  // Block i when it is a PSD block above eig_threshold (LAPACK or Eigen; the same projection for P_K and
  // P_K*, PSD being self-dual); false for every other block (the kernels do those).
  bool project_large_psd(std::size_t i, double* v);
  std::vector<ConeBlock> blocks_;
  int eig_threshold_;
  std::vector<double> scratch_;
  std::vector<std::unique_ptr<LapackPsdBlock>> lapack_;  // per block; null where Jacobi or Eigen
};

}  // namespace isacbf::conic
