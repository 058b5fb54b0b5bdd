#pragma once
// Which eigensolver projects a PSD block on the CPU (ConeProjector; measured in docs/solver.md,
// "PSD projection on the CPU"). Blocks of order <= eig_threshold always use the Jacobi kernels.
#include <string>

namespace isacbf::conic {

enum class PsdMethod {
  automatic,       // per block, by order and kind (choose_psd_method)
  eigen,           // Eigen SelfAdjointEigenSolver, full spectrum
  lapack_evd,      // LAPACK dsyevd / zheevd (divide and conquer), full spectrum
  lapack_evr,      // LAPACK dsyevr / zheevr (MRRR), full spectrum
  lapack_partial,  // dsyevr / zheevr RANGE='V' for the side that was small at the previous projection, else evd
};

const char* to_string(PsdMethod method);
// "auto", "eigen", "lapack_evd", "lapack_evr", "lapack_partial"; else InputError("psd_method").
PsdMethod psd_method_from_string(const std::string& name);

// True when built with LAPACK (CMake ISACBF_WITH_LAPACK found OpenBLAS).
bool lapack_available();

// What `automatic` uses for a block of order n (> eig_threshold): the measured choice when LAPACK is
// available, else eigen.
PsdMethod choose_psd_method(int n, bool complex);

}  // namespace isacbf::conic
