// Batched eigendecompositions and PSD projections on the device against Eigen, instance by instance.
#include <gtest/gtest.h>

#ifdef ISACBF_HAVE_CUDA
#include <Eigen/Dense>
#include <cmath>
#include <random>
#include <vector>

#include "cuda/check.hpp"
#include "cuda/psd_batched.hpp"

namespace {
using isacbf::gpu::DeviceBuffer;
using isacbf::gpu::EigMethod;
using Mat = Eigen::MatrixXcd;

Mat random_hermitian(int n, std::mt19937_64& rng, int rank = -1) {
  std::normal_distribution<double> normal;
  Mat g(n, n);
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < n; ++i) g(i, j) = {normal(rng), normal(rng)};
  if (rank >= 0) {  // low rank PSD minus a small multiple of the identity: few positive eigenvalues
    Mat l = g.leftCols(std::max(rank, 1));
    return l * l.adjoint() * (rank == 0 ? 0.0 : 1.0) - 0.1 * Mat::Identity(n, n);
  }
  return (g + g.adjoint()) / 2.0;
}

// hvec (complex) or svec (real) of a Hermitian matrix, as in host/conic/problem.hpp.
std::vector<double> vectorise(const Mat& x, bool cplx) {
  std::vector<double> v;
  const double r2 = std::sqrt(2.0);
  for (int j = 0; j < x.cols(); ++j) {
    v.push_back(x(j, j).real());
    for (int i = j + 1; i < x.rows(); ++i) {
      v.push_back(r2 * x(i, j).real());
      if (cplx) v.push_back(r2 * x(i, j).imag());
    }
  }
  return v;
}

Mat project(const Mat& x) {
  Eigen::SelfAdjointEigenSolver<Mat> es(x);
  return es.eigenvectors() * es.eigenvalues().cwiseMax(0.0).asDiagonal() * es.eigenvectors().adjoint();
}

class GpuPsd : public ::testing::TestWithParam<std::tuple<int, EigMethod>> {
 protected:
  void SetUp() override {
    if (!isacbf::gpu::device_present()) GTEST_SKIP() << "no CUDA device";
  }
};

TEST_P(GpuPsd, EigenpairsMatchEigen) {
  const auto [n, method] = GetParam();
  const int batch = 257;
  std::mt19937_64 rng(1000 + n);
  std::vector<Mat> mats;
  std::vector<double> host(2ull * n * n * batch);
  for (int b = 0; b < batch; ++b) {
    mats.push_back(random_hermitian(n, rng));
    std::copy_n(reinterpret_cast<const double*>(mats.back().data()), 2 * n * n, host.data() + 2ull * n * n * b);
  }
  DeviceBuffer<double> a, w(static_cast<size_t>(n) * batch), v(host.size());
  a.upload(host.data(), host.size());
  isacbf::gpu::PsdEngine engine;
  engine.eig(n, batch, a.get(), w.get(), v.get(), method);
  std::vector<double> hw(static_cast<size_t>(n) * batch), hv(host.size());
  w.download(hw.data(), hw.size());
  v.download(hv.data(), hv.size());
  for (int b = 0; b < batch; ++b) {
    Eigen::SelfAdjointEigenSolver<Mat> es(mats[b]);
    const double scale = mats[b].norm();
    Eigen::Map<const Eigen::VectorXd> lam(hw.data() + static_cast<size_t>(n) * b, n);
    Eigen::Map<const Mat> vecs(reinterpret_cast<const std::complex<double>*>(hv.data() + 2ull * n * n * b), n, n);
    ASSERT_LE((lam - es.eigenvalues()).cwiseAbs().maxCoeff(), 1e-12 * scale) << "instance " << b;
    ASSERT_LE((mats[b] * vecs - vecs * lam.asDiagonal()).norm(), 1e-11 * scale) << "instance " << b;
    ASSERT_LE((vecs.adjoint() * vecs - Mat::Identity(n, n)).norm(), 1e-11) << "instance " << b;
  }
}

TEST_P(GpuPsd, ProjectionMatchesEigenAndRespectsMask) {
  const auto [n, method] = GetParam();
  for (bool cplx : {true, false}) {
    const int batch = 131, blocks = 2;
    const long long len = cplx ? 1LL * n * n : 1LL * n * (n + 1) / 2;
    const long long offset = 3, stride = offset + blocks * len + 5;  // blocks sit inside longer vectors
    std::mt19937_64 rng(77 + n);
    std::vector<double> host(stride * batch, 0.5);
    std::vector<Mat> mats;
    std::vector<int> active(batch);
    for (int b = 0; b < batch; ++b) {
      active[b] = b % 7 != 3;
      for (int j = 0; j < blocks; ++j) {
        Mat m = random_hermitian(n, rng, (b + j) % 3 == 0 ? 1 : -1);
        if (!cplx) m = m.real().cast<std::complex<double>>();
        mats.push_back(m);
        const auto v = vectorise(m, cplx);
        std::copy(v.begin(), v.end(), host.begin() + b * stride + offset + j * len);
      }
    }
    DeviceBuffer<double> x;
    x.upload(host.data(), host.size());
    DeviceBuffer<int> act, flag(1);
    act.upload(active.data(), active.size());
    isacbf::gpu::check(cudaMemset(flag.get(), 0, sizeof(int)), "cudaMemset");
    isacbf::gpu::PsdEngine engine;
    engine.project({n, blocks, cplx, offset}, batch, x.get(), stride, act.get(), method, flag.get());
    std::vector<double> out(host.size());
    x.download(out.data(), out.size());
    int failed = 1;
    flag.download(&failed, 1);
    ASSERT_EQ(failed, 0);
    for (int b = 0; b < batch; ++b) {
      for (int j = 0; j < blocks; ++j) {
        const Mat& m = mats[b * blocks + j];
        const auto expect = active[b] ? vectorise(project(m), cplx) : vectorise(m, cplx);
        const double* got = out.data() + b * stride + offset + j * len;
        double err = 0.0;
        for (long long k = 0; k < len; ++k) err = std::max(err, std::abs(got[k] - expect[k]));
        ASSERT_LE(err, 1e-11 * (1.0 + m.norm())) << "instance " << b << " block " << j << " complex " << cplx;
      }
      for (long long k = 0; k < offset; ++k) ASSERT_EQ(out[b * stride + k], 0.5);  // untouched outside the blocks
      for (long long k = offset + blocks * len; k < stride; ++k) ASSERT_EQ(out[b * stride + k], 0.5);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Jacobi, GpuPsd,
                         ::testing::Combine(::testing::Values(1, 2, 3, 4, 5, 8, 13, 16, 32),
                                            ::testing::Values(EigMethod::jacobi)));
INSTANTIATE_TEST_SUITE_P(Cusolver, GpuPsd,
                         ::testing::Combine(::testing::Values(1, 4, 13, 33, 40),
                                            ::testing::Values(EigMethod::cusolver)));

}  // namespace
#else
TEST(GpuPsd, SkippedWithoutCuda) { GTEST_SKIP() << "built without CUDA"; }
#endif
