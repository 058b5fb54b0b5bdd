// CPU PSD projection micro-benchmark: Eigen vs LAPACK full (dsyevd/zheevd, dsyevr/zheevr) vs LAPACK
// partial spectrum (dsyevr/zheevr RANGE='V'), through ConeProjector on a one-block cone, so the numbers
// include unpack / rebuild / pack exactly as the ADMM pays them. Each matrix is Q diag(l) Q^H with a
// chosen fraction of positive eigenvalues; it is projected repeatedly (copied back each time), so the
// partial method runs in its steady state (history from the previous projection of the same block).
//   build/bench/bench_eig_cpu [--real 16,26,...] [--complex 8,16,...] [--fractions 0.1,0.5] [--reps N]
// Prints one row per (kind, n, fraction): microseconds per projection, median of 5 timed runs.
#include <Eigen/Dense>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "host/bench/random_unitary.hpp"
#include "host/conic/cone_projector.hpp"
#include "kernels/psd.hpp"

namespace {

using isacbf::conic::ConeProjector;
using isacbf::conic::ConeSpec;
using isacbf::conic::PsdMethod;

std::vector<double> parse_list(const char* s) {
  std::vector<double> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) out.push_back(std::stod(item));
  return out;
}

// svec / hvec of Q diag(l) Q^H: round(fraction * n) eigenvalues in [0.1, 1], the others in [-1, -0.1].
template <class Scalar>
std::vector<double> test_matrix(int n, double fraction, std::mt19937& rng) {
  using Mat = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
  std::normal_distribution<double> g;
  std::uniform_real_distribution<double> mag(0.1, 1.0);
  const Mat q = isacbf::bench::random_unitary<Scalar>(n, g, rng);
  const int npos = static_cast<int>(fraction * n + 0.5);
  Eigen::VectorXd l(n);
  for (int k = 0; k < n; ++k) l[k] = k < npos ? mag(rng) : -mag(rng);
  const Mat x = q * l.asDiagonal() * q.adjoint();
  const bool real = std::is_same_v<Scalar, double>;
  std::vector<double> v(real ? isacbf::kernels::svec_size(n) : isacbf::kernels::hvec_size(n));
  if constexpr (std::is_same_v<Scalar, double>) isacbf::kernels::svec_pack(n, x.data(), v.data());
  else isacbf::kernels::hvec_pack(n, reinterpret_cast<const double*>(x.data()), v.data());
  return v;
}

double time_us(bool complex, int n, const std::vector<double>& x0, PsdMethod method, int reps) {
  ConeSpec k;
  (complex ? k.psd_complex : k.psd_real).push_back(n);
  ConeProjector proj(k, 0, method);  // eig_threshold 0: never the Jacobi kernel
  std::vector<double> x(x0);
  proj.project_dual(x.data());  // warm-up (and the partial method's first, full, projection)
  std::vector<double> runs;
  for (int r = 0; r < 5; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < reps; ++i) {
      std::copy(x0.begin(), x0.end(), x.begin());
      proj.project_dual(x.data());
    }
    runs.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() / reps);
  }
  std::sort(runs.begin(), runs.end());
  return runs[2];
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<double> real{16, 26, 37, 50, 64, 100, 124, 161}, cplx{8, 16, 32, 64}, fractions{0.1, 0.5};
  int budget_reps = 0;  // 0: scale with n
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--real") real = parse_list(argv[i + 1]);
    else if (a == "--complex") cplx = parse_list(argv[i + 1]);
    else if (a == "--fractions") fractions = parse_list(argv[i + 1]);
    else if (a == "--reps") budget_reps = std::atoi(argv[i + 1]);
    else {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      return 2;
    }
  }
  const bool lapack = isacbf::conic::lapack_available();
  std::printf("us per projection (median of 5); fraction = share of positive eigenvalues; LAPACK %s\n",
              lapack ? "on" : "off (Eigen only)");
  std::printf("%-8s %4s %6s %10s %10s %10s %10s %8s\n", "kind", "n", "frac", "eigen", "evd", "evr", "partial",
              "auto");
  std::mt19937 rng(12345);
  for (int pass = 0; pass < 2; ++pass) {
    const bool complex = pass == 1;
    for (double nd : complex ? cplx : real)
      for (double f : fractions) {
        const int n = static_cast<int>(nd);
        const auto x0 = complex ? test_matrix<std::complex<double>>(n, f, rng) : test_matrix<double>(n, f, rng);
        const int reps = budget_reps > 0 ? budget_reps : std::max(5, 400000 / (n * n * (complex ? 4 : 1)));
        std::printf("%-8s %4d %6.2f", complex ? "complex" : "real", n, f);
        for (PsdMethod m : {PsdMethod::eigen, PsdMethod::lapack_evd, PsdMethod::lapack_evr, PsdMethod::lapack_partial}) {
          if (m != PsdMethod::eigen && !lapack) std::printf(" %10s", "-");
          else std::printf(" %10.1f", time_us(complex, n, x0, m, reps));
        }
        std::printf(" %8s\n", to_string(isacbf::conic::choose_psd_method(n, complex)));
        std::fflush(stdout);
      }
  }
  return 0;
}
