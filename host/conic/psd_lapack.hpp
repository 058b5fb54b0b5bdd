#pragma once
// One PSD block's projection through LAPACK (OpenBLAS): dsyevd/dsyevr for real symmetric blocks,
// zheevd/zheevr for complex Hermitian ones. Buffers and the LAPACK workspace are sized once at
// construction (workspace query), so projecting allocates nothing. The partial method remembers how
// many eigenvalues were positive at this block's previous projection and asks dsyevr only for the side
// that had fewer (RANGE='V'); with no history yet, or when that side was larger than
// kPartialMaxFraction * n, or when LAPACK reports a failure, it computes the full spectrum (dsyevd /
// zheevd). One side costs a bisection + inverse iteration per pair, so it pays only for few pairs.
// Constructing one in a build without LAPACK throws InputError("psd_method").
#include <complex>
#include <vector>

#include "host/conic/psd_method.hpp"

namespace isacbf::conic {

// Whether LAPACK calls from several threads run at once: true for OpenBLAS's threaded builds (pthreads,
// OpenMP), which lock their buffers; false for its sequential build, whose calls this file serialises
// (psd_lapack.cpp). True without LAPACK.
bool lapack_calls_concurrent();

struct PsdPathCounts {
  long full = 0;      // projections from the full spectrum (incl. the partial method's fallbacks)
  long partial = 0;   // projections from one side of the spectrum
  long failures = 0;  // partial calls LAPACK rejected (then redone on the full spectrum)
};

class LapackPsdBlock {
 public:
  // The partial method uses the full spectrum when its side had more than this fraction of the pairs.
  static constexpr double kPartialMaxFraction = 0.1;  // measured: at 0.2 dsyevd is already faster

  LapackPsdBlock(int n, bool complex, PsdMethod method);  // method: lapack_evd, lapack_evr or lapack_partial
  void project(double* x);  // svec (real) or hvec (complex) of order n, in place
  const PsdPathCounts& counts() const { return counts_; }
  int order() const { return n_; }
  PsdMethod method() const { return method_; }

 private:
  template <class Scalar>
  void project_impl(double* x);
  template <class Scalar>
  bool eig(Scalar* a, int range_side, int* m);  // range_side 0 all, +1 (0, B], -1 (-B, 0]; false: LAPACK failed
  template <class Scalar>
  Scalar* buf(std::vector<double>& v) { return reinterpret_cast<Scalar*>(v.data()); }

  int n_;
  bool complex_;
  PsdMethod method_;
  int prev_positive_ = -1;  // positive eigenvalues at the previous projection (-1: none yet)
  double bound_ = 0.0;      // |eigenvalue| bound of the current matrix (Frobenius norm, with margin)
  std::vector<double> a_, z_, u_, w_, work_, rwork_;  // complex buffers hold interleaved doubles
  std::vector<int> iwork_, isuppz_;
  int lwork_ = 0, lrwork_ = 0, liwork_ = 0;
  PsdPathCounts counts_;
};

}  // namespace isacbf::conic
