#pragma once
// Projection of the dual iterate y onto K* for one ConeSpec (the cone step of the ADMM), and the
// block layout used by equilibration. Small PSD blocks use the Jacobi kernels (kernels/psd.hpp);
// blocks of order > eig_threshold use Eigen's SelfAdjointEigenSolver (crossover measured, see
// docs/solver.md). One ConeProjector per thread (it owns scratch).
#include <Eigen/Dense>
#include <vector>

#include "host/conic/problem.hpp"

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
  explicit ConeProjector(const ConeSpec& cones, int eig_threshold = -1);
  // y <- P_{K*}(y): free on the zero cone rows, R_+, SOC, PSD (self-dual), exp primal rows onto the
  // dual exp cone and exp dual rows onto the primal exp cone.
  void project_dual(double* y);
  // s <- P_K(s) (used by tests and for cleaning certificates).
  void project_primal(double* s);
  const std::vector<ConeBlock>& blocks() const { return blocks_; }
  static int default_eig_threshold();

 private:
  void project_psd_real(int n, double* x);
  void project_psd_complex(int n, double* x);
  std::vector<ConeBlock> blocks_;
  int eig_threshold_;
  std::vector<double> scratch_;
};

}  // namespace isacbf::conic
