// Common layer: reproducible RNG, JSON helpers (field paths in errors), steering vectors, PSD checks.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <random>

#include "host/common/array.hpp"
#include "host/common/errors.hpp"
#include "host/common/json_io.hpp"
#include "host/common/psd_check.hpp"
#include "host/common/random.hpp"
#include "tests/input_error_field.hpp"

using namespace isacbf;
using nlohmann::json;

using isacbf::testing::field_of;

TEST(Rng, RawEngineIsTheStandardMt19937_64) {
  // The C++ standard fixes the 10000th output of a default-seeded mt19937_64.
  Rng rng(5489u);
  std::uint64_t x = 0;
  for (int i = 0; i < 10000; ++i) x = rng.next_u64();
  EXPECT_EQ(x, 9981545732273789042ull);
}

TEST(Rng, UniformIsTop53BitsOfTheRawDraw) {
  Rng rng(42), raw(42);
  for (int i = 0; i < 1000; ++i) {
    const double expected = std::ldexp(static_cast<double>(raw.next_u64() >> 11), -53);
    const double u = rng.uniform();
    ASSERT_EQ(u, expected);
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
  }
}

TEST(Rng, NormalIsBoxMullerOfTwoUniforms) {
  Rng rng(7), raw(7);
  for (int i = 0; i < 100; ++i) {
    const double u1 = 1.0 - raw.uniform(), u2 = raw.uniform();
    const double r = std::sqrt(-2.0 * std::log(u1)), t = 2.0 * 3.14159265358979323846 * u2;
    ASSERT_EQ(rng.normal(), r * std::cos(t));
    ASSERT_EQ(rng.normal(), r * std::sin(t));
  }
}

TEST(Rng, SameSeedSameStreamDifferentSeedDifferentStream) {
  Rng a(123), b(123), c(124);
  for (int i = 0; i < 100; ++i) {
    const double x = a.normal();
    ASSERT_EQ(x, b.normal());
    if (i == 0) {
      EXPECT_NE(x, c.normal());
    }
  }
}

TEST(Rng, ComplexNormalMomentsWithinFiveSigma) {
  // |z|^2 / v ~ Exp(1) (mean 1, std 1); Re z and Im z have variance v/2 and are uncorrelated.
  Rng rng(2024);
  const int n = 200000;
  const double v = 3.0;
  double sum_abs2 = 0, sum_re2 = 0, sum_reim = 0;
  std::complex<double> sum{};
  for (int i = 0; i < n; ++i) {
    const auto z = rng.complex_normal(v);
    sum += z;
    sum_abs2 += std::norm(z);
    sum_re2 += z.real() * z.real();
    sum_reim += z.real() * z.imag();
  }
  const double bound = 5.0 / std::sqrt(n);
  EXPECT_NEAR(sum_abs2 / n / v, 1.0, bound);
  EXPECT_NEAR(sum_re2 / n / v, 0.5, bound);       // std of re^2/v is 0.5*sqrt(2) < 1
  EXPECT_NEAR(sum_reim / n / v, 0.0, bound);
  EXPECT_NEAR(std::abs(sum) / n / std::sqrt(v), 0.0, bound);
}

TEST(Array, SteeringVectorHasHalfWavelengthPhases) {
  // sin(30 deg) = 1/2, so entry n is exp(j pi n / 2) = 1, j, -1, -j.
  const auto a = steering_vector_deg(4, 30.0);
  const std::complex<double> expected[] = {{1, 0}, {0, 1}, {-1, 0}, {0, -1}};
  for (int n = 0; n < 4; ++n) EXPECT_LT(std::abs(a(n) - expected[n]), 1e-12) << n;
  EXPECT_EQ(field_of([] { steering_vector(0, 0.0); }), "Nt");
}

TEST(Array, BeamPatternPeaksAtTheBeamDirection) {
  const auto a = steering_vector_deg(8, 20.0);
  const Eigen::MatrixXcd R = a * a.adjoint();
  std::vector<double> theta;
  for (int t = -90; t <= 90; ++t) theta.push_back(t);
  const auto p = normalised_beam_pattern(8, R, theta);
  const auto peak = std::max_element(p.begin(), p.end()) - p.begin();
  EXPECT_EQ(theta[static_cast<std::size_t>(peak)], 20.0);
  EXPECT_DOUBLE_EQ(p[static_cast<std::size_t>(peak)], 1.0);
  const auto zero = normalised_beam_pattern(8, Eigen::MatrixXcd::Zero(8, 8), theta);
  EXPECT_EQ(*std::max_element(zero.begin(), zero.end()), 0.0);
  EXPECT_EQ(field_of([&] { normalised_beam_pattern(4, R, theta); }), "R");
}

TEST(JsonIo, ComplexVectorAndMatrixRoundTripExactly) {
  Eigen::VectorXcd v(3);
  v << std::complex<double>(0.1, -1e-300), std::complex<double>(1.0 / 3.0, 2e10), std::complex<double>(-7, 0);
  const json jv = json::parse(json_io::to_json(v).dump());
  EXPECT_EQ(json_io::complex_vector(jv, "v", 3), v);
  Eigen::MatrixXcd m = Eigen::MatrixXcd::Random(2, 3);
  const json jm = json::parse(json_io::to_json(m).dump());
  EXPECT_EQ(json_io::complex_matrix(jm, "m", 2, 3), m);
}

TEST(JsonIo, ErrorsNameTheExactField) {
  const json good = {{"re", {1, 2}}, {"im", {3, 4}}};
  EXPECT_EQ(field_of([&] { json_io::complex_vector(good, "g[1]", 3); }), "g[1].re");
  json bad = good;
  bad["im"][1] = "NaN";
  EXPECT_EQ(field_of([&] { json_io::complex_vector(bad, "g[1]", 2); }), "g[1].im[1]");
  bad = good;
  bad["re"][0] = nullptr;
  EXPECT_EQ(field_of([&] { json_io::complex_vector(bad, "h", -1); }), "h.re[0]");
  EXPECT_EQ(field_of([&] { json_io::complex_vector(json{{"re", {1}}}, "h", -1); }), "h.im");
  EXPECT_EQ(field_of([&] { json_io::require_positive(json{{"x", 0}}, "a", "x"); }), "a.x");
  EXPECT_EQ(field_of([&] { json_io::require_int(json{{"Nt", 2.5}}, "", "Nt", 1, 10); }), "Nt");
  EXPECT_EQ(field_of([&] { json_io::require_int(json{{"Nt", 11}}, "", "Nt", 1, 10); }), "Nt");
  EXPECT_EQ(field_of([&] { json_io::complex_matrix(json{{"re", {{1, 2}, {3}}}, {"im", {{0, 0}, {0, 0}}}}, "S"); }), "S.re[1]");
}

TEST(JsonIo, ParseErrorsNameThePathReached) {
  EXPECT_EQ(field_of([] { json_io::parse_text(R"({"channels": {"h_ce": {"re": [1, 2, 1e999]}}})"); }), "channels.h_ce.re[2]");
  EXPECT_EQ(field_of([] { json_io::parse_text(R"({"a": [1, {"b": tru}]})"); }), "a[1].b");
  EXPECT_EQ(field_of([] { json_io::parse_file("/nonexistent/dir/x.json"); }), "<file>");
  try {
    json_io::parse_text("{", "f.json");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("f.json"), std::string::npos);
  }
}

TEST(JsonIo, DumpIsDeterministicAndRoundTrips) {
  const json j = {{"x", 0.1}, {"y", 1.0 / 3.0}, {"z", 1e-300}};
  EXPECT_EQ(json_io::dump(j), json_io::dump(json::parse(json_io::dump(j))));
  EXPECT_EQ(json::parse(json_io::dump(j))["y"].get<double>(), 1.0 / 3.0);
}

TEST(PsdCheck, AcceptsSolverAccuracyRejectsRealViolations) {
  Eigen::MatrixXcd X = Eigen::MatrixXcd::Random(4, 4);
  X = X * X.adjoint();
  Eigen::MatrixXcd noisy = X;
  noisy(0, 1) += 1e-9 * X.norm();
  EXPECT_NO_THROW(check_hermitian_psd(noisy, 4, "Q", 1e-6));
  Eigen::MatrixXcd asym = X;
  asym(0, 1) += 1e-3 * X.norm();
  EXPECT_EQ(field_of([&] { check_hermitian_psd(asym, 4, "Q[0]", 1e-6); }), "Q[0]");
  const Eigen::MatrixXcd negative = -X;
  EXPECT_EQ(field_of([&] { check_hermitian_psd(negative, 4, "S", 1e-6); }), "S");
  EXPECT_EQ(field_of([&] { check_hermitian_psd(X, 3, "S", 1e-6); }), "S");
  EXPECT_NO_THROW(check_hermitian_psd(Eigen::MatrixXcd::Zero(4, 4), 4, "S", 1e-6));
}
