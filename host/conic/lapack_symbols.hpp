#pragma once
// The few LAPACK routines the CPU PSD projection calls, declared by their Fortran symbols (OpenBLAS
// exports them; no LAPACKE needed). Arguments by pointer, column-major; every CHARACTER argument adds a
// hidden trailing length (gfortran ABI, as in LAPACK's own lapack.h). Only compiled with
// ISACBF_HAVE_LAPACK (CMake option ISACBF_WITH_LAPACK).
#include <complex>
#include <cstddef>

extern "C" {
// Real symmetric: eigenvalues (ascending) and eigenvectors; RANGE 'A' all, 'V' those in (vl, vu].
void dsyevr_(const char* jobz, const char* range, const char* uplo, const int* n, double* a, const int* lda,
             const double* vl, const double* vu, const int* il, const int* iu, const double* abstol, int* m,
             double* w, double* z, const int* ldz, int* isuppz, double* work, const int* lwork, int* iwork,
             const int* liwork, int* info, std::size_t jobz_len, std::size_t range_len, std::size_t uplo_len);
// Real symmetric, divide and conquer, all eigenpairs (eigenvectors overwrite a).
void dsyevd_(const char* jobz, const char* uplo, const int* n, double* a, const int* lda, double* w, double* work,
             const int* lwork, int* iwork, const int* liwork, int* info, std::size_t jobz_len,
             std::size_t uplo_len);
// Complex Hermitian counterparts.
void zheevr_(const char* jobz, const char* range, const char* uplo, const int* n, std::complex<double>* a,
             const int* lda, const double* vl, const double* vu, const int* il, const int* iu, const double* abstol,
             int* m, double* w, std::complex<double>* z, const int* ldz, int* isuppz, std::complex<double>* work,
             const int* lwork, double* rwork, const int* lrwork, int* iwork, const int* liwork, int* info,
             std::size_t jobz_len, std::size_t range_len, std::size_t uplo_len);
void zheevd_(const char* jobz, const char* uplo, const int* n, std::complex<double>* a, const int* lda, double* w,
             std::complex<double>* work, const int* lwork, double* rwork, const int* lrwork, int* iwork,
             const int* liwork, int* info, std::size_t jobz_len, std::size_t uplo_len);
// OpenBLAS: threads for later calls (the batch solver runs one instance per thread, so we want 1).
void openblas_set_num_threads(int num_threads);
// OpenBLAS: 0 for the sequential build, 1 pthreads, 2 OpenMP (whether its calls may run concurrently).
int openblas_get_parallel(void);
}
