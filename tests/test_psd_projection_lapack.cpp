// ConeProjector's PSD paths (Eigen, LAPACK dsyevd/zheevd, dsyevr/zheevr, partial spectrum) against an
// independent projection computed here (Eigen eigendecomposition, clipped, full product), on random
// symmetric / Hermitian matrices with mixed, rank-deficient, all-negative and all-positive spectra; and
// the partial method's choice between one side and the full spectrum. LAPACK cases skip in builds
// without LAPACK (CMake ISACBF_WITH_LAPACK).
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <complex>
#include <fstream>
#include <string>
#include <random>
#include <thread>
#include <vector>

#include "host/common/errors.hpp"
#include "host/bench/random_unitary.hpp"
#include "host/conic/cone_projector.hpp"
#include "host/conic/psd_lapack.hpp"
#include "kernels/psd.hpp"

using namespace isacbf::conic;
namespace kn = isacbf::kernels;

namespace {

enum class Spectrum { mixed, rank_deficient, all_negative, all_positive, few_positive };

// Q diag(l) Q^H with a random unitary Q and eigenvalues of the given pattern.
template <class Scalar>
Eigen::Matrix<Scalar, -1, -1> random_matrix(int n, Spectrum s, std::mt19937& rng) {
  using Mat = Eigen::Matrix<Scalar, -1, -1>;
  std::normal_distribution<double> g;
  const Mat q = isacbf::bench::random_unitary<Scalar>(n, g, rng);
  Eigen::VectorXd l(n);
  for (int k = 0; k < n; ++k) {
    const double mag = 0.5 + std::abs(g(rng));
    switch (s) {
      case Spectrum::mixed: l[k] = k % 2 ? mag : -mag; break;
      case Spectrum::rank_deficient: l[k] = k % 3 == 0 ? 0.0 : (k % 3 == 1 ? mag : -mag); break;
      case Spectrum::all_negative: l[k] = -mag; break;
      case Spectrum::all_positive: l[k] = mag; break;
      case Spectrum::few_positive: l[k] = k < 2 ? mag : -mag; break;
    }
  }
  return q * l.asDiagonal() * q.adjoint();
}

template <class Scalar>
std::vector<double> vec(const Eigen::Matrix<Scalar, -1, -1>& X) {
  const int n = static_cast<int>(X.rows());
  if constexpr (std::is_same_v<Scalar, double>) {
    std::vector<double> x(kn::svec_size(n));
    kn::svec_pack(n, X.data(), x.data());
    return x;
  } else {
    std::vector<double> x(kn::hvec_size(n));
    kn::hvec_pack(n, reinterpret_cast<const double*>(X.data()), x.data());
    return x;
  }
}

template <class Scalar>
std::vector<double> reference_projection(const Eigen::Matrix<Scalar, -1, -1>& X) {
  const Eigen::SelfAdjointEigenSolver<Eigen::Matrix<Scalar, -1, -1>> es(X);
  const Eigen::VectorXd lp = es.eigenvalues().cwiseMax(0.0);
  const Eigen::Matrix<Scalar, -1, -1> P = es.eigenvectors() * lp.cast<Scalar>().asDiagonal() * es.eigenvectors().adjoint();
  return vec<Scalar>(P);
}

ConeSpec one_block(int n, bool complex) {
  ConeSpec k;
  (complex ? k.psd_complex : k.psd_real).push_back(n);
  return k;
}

bool needs_lapack(PsdMethod m) { return m != PsdMethod::eigen && m != PsdMethod::automatic; }

// Projects a sequence of matrices through one projector (so the partial method has history) and
// compares each with the reference to 1e-10 (1 + ||X||_F).
template <class Scalar>
void check_method(PsdMethod method, const std::vector<int>& orders) {
  const bool complex = !std::is_same_v<Scalar, double>;
  std::mt19937 rng(7);
  for (int n : orders) {
    ConeProjector proj(one_block(n, complex), 0, method);
    for (Spectrum s : {Spectrum::mixed, Spectrum::few_positive, Spectrum::rank_deficient, Spectrum::all_negative,
                       Spectrum::all_positive, Spectrum::mixed}) {
      const auto X = random_matrix<Scalar>(n, s, rng);
      std::vector<double> x = vec<Scalar>(X);
      const std::vector<double> ref = reference_projection<Scalar>(X);
      proj.project_dual(x.data());
      const double tol = 1e-10 * (1.0 + X.norm());
      for (std::size_t i = 0; i < x.size(); ++i)
        ASSERT_NEAR(x[i], ref[i], tol) << to_string(method) << " n " << n << " spectrum " << static_cast<int>(s);
    }
    std::vector<double> zero(complex ? kn::hvec_size(n) : kn::svec_size(n), 0.0);
    proj.project_dual(zero.data());
    for (double v : zero) EXPECT_EQ(v, 0.0);
  }
}

class PsdMethods : public ::testing::TestWithParam<PsdMethod> {
 protected:
  void SetUp() override {
    if (needs_lapack(GetParam()) && !lapack_available()) GTEST_SKIP() << "built without LAPACK (ISACBF_WITH_LAPACK)";
  }
};

TEST_P(PsdMethods, RealMatchesReference) { check_method<double>(GetParam(), {5, 16, 37, 64}); }
TEST_P(PsdMethods, HermitianMatchesReference) { check_method<std::complex<double>>(GetParam(), {5, 16, 32}); }

INSTANTIATE_TEST_SUITE_P(All, PsdMethods,
                         ::testing::Values(PsdMethod::automatic, PsdMethod::eigen, PsdMethod::lapack_evd,
                                           PsdMethod::lapack_evr, PsdMethod::lapack_partial),
                         [](const auto& info) { return std::string(to_string(info.param)); });

// The partial method: full spectrum first (no history), then the side that was smaller last time; the
// full spectrum again whenever that side held more than kPartialMaxFraction of the pairs.
TEST(PsdPartial, UsesOneSideAfterHistoryAndFallsBackToFull) {
  if (!lapack_available()) GTEST_SKIP() << "built without LAPACK (ISACBF_WITH_LAPACK)";
  const int n = 40;
  std::mt19937 rng(11);
  ConeProjector proj(one_block(n, false), 0, PsdMethod::lapack_partial);
  auto project = [&](Spectrum s) {
    const auto X = random_matrix<double>(n, s, rng);
    std::vector<double> x = vec<double>(X);
    const std::vector<double> ref = reference_projection<double>(X);
    proj.project_dual(x.data());
    for (std::size_t i = 0; i < x.size(); ++i) ASSERT_NEAR(x[i], ref[i], 1e-10 * (1.0 + X.norm()));
  };
  project(Spectrum::few_positive);  // no history: full
  EXPECT_EQ(proj.psd_path_counts().full, 1);
  EXPECT_EQ(proj.psd_path_counts().partial, 0);
  project(Spectrum::all_negative);  // 2 positive last time: positive side only (finds none)
  project(Spectrum::all_positive);  // 0 positive last time: positive side again (finds all n: still exact)
  EXPECT_EQ(proj.psd_path_counts().partial, 2);
  project(Spectrum::mixed);         // n positive last time: the non-positive side (finds n/2)
  EXPECT_EQ(proj.psd_path_counts().partial, 3);
  project(Spectrum::mixed);         // n/2 on each side last time
  const bool half_is_partial = 0.5 * n <= LapackPsdBlock::kPartialMaxFraction * n;
  EXPECT_EQ(proj.psd_path_counts().partial, half_is_partial ? 4 : 3);
  EXPECT_EQ(proj.psd_path_counts().full, half_is_partial ? 1 : 2);
  EXPECT_EQ(proj.psd_path_counts().failures, 0);
}

TEST(PsdMethodNames, RoundTripAndRejectUnknown) {
  for (PsdMethod m : {PsdMethod::automatic, PsdMethod::eigen, PsdMethod::lapack_evd, PsdMethod::lapack_evr,
                      PsdMethod::lapack_partial})
    EXPECT_EQ(psd_method_from_string(to_string(m)), m);
  try {
    psd_method_from_string("lapack");
    FAIL() << "no InputError";
  } catch (const isacbf::InputError& e) {
    EXPECT_EQ(e.field(), "psd_method");
  }
}

TEST(PsdMethodNames, LapackMethodWithoutLapackNamesTheField) {
  if (lapack_available()) GTEST_SKIP() << "this build has LAPACK";
  try {
    ConeProjector proj(one_block(20, false), 0, PsdMethod::lapack_evr);
    FAIL() << "no InputError";
  } catch (const isacbf::InputError& e) {
    EXPECT_EQ(e.field(), "psd_method");
  }
}

}  // namespace

// Many threads projecting at once must get what one thread gets: the serial OpenBLAS is not thread-safe
// without a lock (psd_lapack.cpp), and concurrent calls used to return corrupted projections.
TEST(PsdLapack, ConcurrentProjectionsMatchSerialOnes) {
  if (!lapack_available()) GTEST_SKIP() << "built without LAPACK (ISACBF_WITH_LAPACK)";
  const int n = 24, count = 64;
  std::mt19937 rng(11);
  std::vector<std::vector<double>> inputs, expected;
  for (int k = 0; k < count; ++k) {
    inputs.push_back(vec<std::complex<double>>(random_matrix<std::complex<double>>(n, Spectrum::mixed, rng)));
    std::vector<double> x = inputs.back();
    ConeProjector(one_block(n, true), 0, PsdMethod::lapack_evd).project_dual(x.data());
    expected.push_back(x);
  }
  std::vector<std::vector<double>> got(count);
  std::vector<std::thread> pool;
  for (int t = 0; t < 4; ++t)
    pool.emplace_back([&, t] {
      ConeProjector proj(one_block(n, true), 0, PsdMethod::lapack_evd);
      for (int rep = 0; rep < 20; ++rep)
        for (int k = t; k < count; k += 4) {
          std::vector<double> x = inputs[k];
          proj.project_dual(x.data());
          if (got[k].empty() || x != expected[k]) got[k] = x;  // the first result, or any mismatch
        }
    });
  for (auto& th : pool) th.join();
  for (int k = 0; k < count; ++k) EXPECT_EQ(got[k], expected[k]) << "matrix " << k;
}

// The serialisation follows the OpenBLAS variant this process loaded (Debian installs each in its own
// folder): the sequential build has no locking, the threaded ones do. Read from /proc/self/maps, not
// from the library's own report that psd_lapack.cpp uses. The ctest psd_lapack_sequential_openblas runs
// this with the sequential library in front.
TEST(PsdLapack, SerialisedExactlyWhereTheLibraryDoesNotLock) {
  if (!lapack_available()) GTEST_SKIP() << "built without LAPACK (ISACBF_WITH_LAPACK)";
  ConeProjector(one_block(20, true), 0, PsdMethod::lapack_evd);  // the library is loaded and initialised
  std::ifstream maps("/proc/self/maps");
  std::string line, variant;
  while (std::getline(maps, line))
    for (const char* v : {"openblas-serial", "openblas-pthread", "openblas-openmp"})
      if (line.find(std::string(v) + "/libopenblas") != std::string::npos) variant = v;
  if (variant.empty()) GTEST_SKIP() << "OpenBLAS not loaded from a Debian variant folder";
  EXPECT_EQ(lapack_calls_concurrent(), variant != "openblas-serial") << variant;
}
