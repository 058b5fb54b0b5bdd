#include "host/conic/psd_lapack.hpp"

#include <cmath>
#include <string>

#include "host/common/errors.hpp"
#include "host/conic/psd_rebuild.hpp"
#include "kernels/psd.hpp"

#ifdef ISACBF_HAVE_LAPACK
#include <mutex>

#include "host/conic/lapack_symbols.hpp"
#endif

namespace isacbf::conic {

namespace kn = isacbf::kernels;
using cplx = std::complex<double>;

bool lapack_available() {
#ifdef ISACBF_HAVE_LAPACK
  return true;
#else
  return false;
#endif
}

bool lapack_calls_concurrent() {
#ifdef ISACBF_HAVE_LAPACK
  static const bool concurrent = openblas_get_parallel() != 0;
  return concurrent;
#else
  return true;  // no LAPACK: nothing to serialise
#endif
}

namespace {

void unpack(int n, const double* x, double* a) { kn::svec_unpack(n, x, a); }
void unpack(int n, const double* x, cplx* a) { kn::hvec_unpack(n, x, reinterpret_cast<double*>(a)); }
void pack(int n, const double* a, double* x) { kn::svec_pack(n, a, x); }
void pack(int n, const cplx* a, double* x) { kn::hvec_pack(n, reinterpret_cast<const double*>(a), x); }

#ifdef ISACBF_HAVE_LAPACK
// LAPACK calls run concurrently only where the library locks its buffer pool. OpenBLAS's threaded builds
// (pthreads or OpenMP; Debian libopenblas0-pthread, the package scripts/install_deps.sh installs) do, and
// with one thread each call runs in its caller's thread. The sequential build (Debian
// libopenblas0-serial, 0.3.21) is built without USE_LOCKING: concurrent eigensolver calls from the batch
// solver's threads corrupted each other's results (model A's full form at Nt 16 ended max_iterations or
// optimal at random with two instances at once, 2026-11-23), so there every call takes this mutex and
// LAPACK-sized blocks are projected one at a time across a batch's threads.
std::mutex g_lapack_mutex;
class LapackCallGuard {
 public:
  LapackCallGuard() : lock_(g_lapack_mutex, std::defer_lock) {
    if (!lapack_calls_concurrent()) lock_.lock();
  }

 private:
  std::unique_lock<std::mutex> lock_;
};
// Overloads so that project_impl is written once for both scalar types. Return LAPACK's info.
int syevr(const char* range, int n, double* a, double vl, double vu, int* m, double* w, double* z, int* isuppz,
          double* work, int lwork, double* /*rwork*/, int /*lrwork*/, int* iwork, int liwork) {
  const int one = 1;
  const double abstol = 0.0;  // LAPACK's default tolerance
  int info = 0;
  const LapackCallGuard guard;
  dsyevr_("V", range, "L", &n, a, &n, &vl, &vu, &one, &n, &abstol, m, w, z, &n, isuppz, work, &lwork, iwork, &liwork,
          &info, 1, 1, 1);
  return info;
}
int syevr(const char* range, int n, cplx* a, double vl, double vu, int* m, double* w, cplx* z, int* isuppz,
          cplx* work, int lwork, double* rwork, int lrwork, int* iwork, int liwork) {
  const int one = 1;
  const double abstol = 0.0;
  int info = 0;
  const LapackCallGuard guard;
  zheevr_("V", range, "L", &n, a, &n, &vl, &vu, &one, &n, &abstol, m, w, z, &n, isuppz, work, &lwork, rwork, &lrwork,
          iwork, &liwork, &info, 1, 1, 1);
  return info;
}
int syevd(int n, double* a, double* w, double* work, int lwork, double* /*rwork*/, int /*lrwork*/, int* iwork,
          int liwork) {
  int info = 0;
  const LapackCallGuard guard;
  dsyevd_("V", "L", &n, a, &n, w, work, &lwork, iwork, &liwork, &info, 1, 1);
  return info;
}
int syevd(int n, cplx* a, double* w, cplx* work, int lwork, double* rwork, int lrwork, int* iwork, int liwork) {
  int info = 0;
  const LapackCallGuard guard;
  zheevd_("V", "L", &n, a, &n, w, work, &lwork, rwork, &lrwork, iwork, &liwork, &info, 1, 1);
  return info;
}

// Workspace queries (lwork = -1) of the routine(s) a method calls: the largest sizes LAPACK asks for.
template <class Scalar>
void query_workspace(PsdMethod method, int n, int* lwork, int* lrwork, int* liwork) {
  *lwork = *lrwork = *liwork = 1;
  for (const bool evd : {true, false}) {
    if (evd ? method == PsdMethod::lapack_evr : method == PsdMethod::lapack_evd) continue;
    Scalar a{}, z{}, work{};
    double w = 0.0, rwork = 0.0;
    int iwork = 0, isuppz = 0, m = 0;
    const int info = evd ? syevd(n, &a, &w, &work, -1, &rwork, -1, &iwork, -1)
                         : syevr("A", n, &a, 0.0, 0.0, &m, &w, &z, &isuppz, &work, -1, &rwork, -1, &iwork, -1);
    if (info != 0) throw std::runtime_error("LAPACK workspace query failed (info " + std::to_string(info) + ")");
    *lwork = std::max(*lwork, static_cast<int>(std::real(work)));
    *lrwork = std::max(*lrwork, static_cast<int>(rwork));
    *liwork = std::max(*liwork, iwork);
  }
}
#endif

}  // namespace

LapackPsdBlock::LapackPsdBlock(int n, bool complex, PsdMethod method) : n_(n), complex_(complex), method_(method) {
  if (method != PsdMethod::lapack_evd && method != PsdMethod::lapack_evr && method != PsdMethod::lapack_partial)
    throw InputError("psd_method", std::string("'") + to_string(method) + "' is not a LAPACK method");
  if (!lapack_available())
    throw InputError("psd_method", std::string("'") + to_string(method) +
                                       "' needs LAPACK; this build has none (CMake ISACBF_WITH_LAPACK)");
#ifdef ISACBF_HAVE_LAPACK
  // The batch solver already runs one instance per thread: keep OpenBLAS to one thread whichever variant
  // (serial, pthread, openmp) the loader picked.
  static std::once_flag single_thread;
  std::call_once(single_thread, [] { openblas_set_num_threads(1); });
  if (complex) query_workspace<cplx>(method, n, &lwork_, &lrwork_, &liwork_);
  else query_workspace<double>(method, n, &lwork_, &lrwork_, &liwork_);
  const std::size_t scal = complex ? 2 : 1, nn = static_cast<std::size_t>(n) * n;
  a_.resize(scal * nn);
  z_.resize(scal * nn);
  u_.resize(scal * nn);
  w_.resize(n);
  work_.resize(scal * lwork_);
  rwork_.resize(lrwork_);
  iwork_.resize(liwork_);
  isuppz_.resize(2 * static_cast<std::size_t>(n));
#endif
}

void LapackPsdBlock::project(double* x) {
  if (complex_) project_impl<cplx>(x);
  else project_impl<double>(x);
}

template <class Scalar>
bool LapackPsdBlock::eig([[maybe_unused]] Scalar* a, [[maybe_unused]] int range_side, [[maybe_unused]] int* m) {
#ifdef ISACBF_HAVE_LAPACK
  Scalar* z = buf<Scalar>(z_);
  Scalar* work = buf<Scalar>(work_);
  // Full spectrum: divide and conquer unless evr was asked for (measured faster at every order here).
  if (method_ == PsdMethod::lapack_evd || (method_ == PsdMethod::lapack_partial && range_side == 0)) {
    // eigenvectors overwrite the input: leave them in z
    std::copy(a, a + static_cast<std::ptrdiff_t>(n_) * n_, z);
    *m = n_;
    return syevd(n_, z, w_.data(), work, lwork_, rwork_.data(), lrwork_, iwork_.data(), liwork_) == 0;
  }
  const double vl = range_side < 0 ? -bound_ : 0.0, vu = range_side < 0 ? 0.0 : bound_;
  return syevr(range_side == 0 ? "A" : "V", n_, a, vl, vu, m, w_.data(), z, isuppz_.data(), work, lwork_,
               rwork_.data(), lrwork_, iwork_.data(), liwork_) == 0;
#else
  return false;
#endif
}

template <class Scalar>
void LapackPsdBlock::project_impl(double* x) {
  const int n = n_;
  const int len = complex_ ? kn::hvec_size(n) : kn::svec_size(n);
  double norm2 = 0.0;  // ||X||_F = ||x||_2 (svec/hvec are isometries) bounds every |eigenvalue|
  for (int i = 0; i < len; ++i) norm2 += x[i] * x[i];
  if (norm2 == 0.0) return;  // P(0) = 0
  bound_ = 2.0 * std::sqrt(norm2);  // margin: no eigenvalue near the interval's outer end
  Scalar* a = buf<Scalar>(a_);
  Scalar* z = buf<Scalar>(z_);
  Scalar* u = buf<Scalar>(u_);
  int m = 0;

  int side = 0;  // +1: ask for the positive pairs, -1: the non-positive ones, 0: all
  if (method_ == PsdMethod::lapack_partial && prev_positive_ >= 0 && std::isfinite(bound_)) {
    const int pos = prev_positive_, neg = n - pos;
    if (std::min(pos, neg) <= kPartialMaxFraction * n) side = pos <= neg ? 1 : -1;
  }
  if (side != 0) {
    unpack(n, x, a);
    if (eig(a, side, &m)) {
      if (side < 0) unpack(n, x, a);  // LAPACK overwrote the lower triangle; X - sum needs X
      psd_rebuild_lower(n, m, w_.data(), z, side > 0, a, u);
      pack(n, a, x);
      prev_positive_ = side > 0 ? m : n - m;
      ++counts_.partial;
      return;
    }
    ++counts_.failures;
  }

  unpack(n, x, a);
  const bool ok = eig(a, 0, &m);
  unpack(n, x, a);
  if (ok) {
    psd_rebuild_from_full(n, w_.data(), z, a, u);
    int npos = 0;
    for (int k = 0; k < n; ++k) npos += w_[k] > 0.0;
    prev_positive_ = npos;
  } else {
    psd_project_eigen(n, a, u);
    prev_positive_ = -1;
  }
  pack(n, a, x);
  ++counts_.full;
}

}  // namespace isacbf::conic
