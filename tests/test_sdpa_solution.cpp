// A solution in an SDPA file's own terms (host/conic/sdpa_solution.hpp, `isacbf conic --solution`): the
// blocks are checked against F_i . Y and sum x_i F_i - F_0 computed here from the file's entry list.
#include <gtest/gtest.h>

#include <Eigen/Eigenvalues>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "cli_test_util.hpp"
#include "host/common/errors.hpp"
#include "host/conic/sdpa_reader.hpp"
#include "host/conic/sdpa_solution.hpp"

using namespace isacbf::conic;

namespace {

struct Entry {
  int matrix, block, i, j;  // 1-based i, j as in the file
  double value;
};

struct SdpaText {
  std::vector<long> sizes;
  std::vector<double> c;
  std::vector<Entry> entries;

  std::string text() const {
    std::ostringstream f;
    f.precision(17);
    f << c.size() << "\n" << sizes.size() << "\n";
    for (const long s : sizes) f << s << " ";
    f << "\n";
    for (const double v : c) f << v << " ";
    f << "\n";
    for (const Entry& e : entries) f << e.matrix << " " << e.block << " " << e.i << " " << e.j << " " << e.value << "\n";
    return f.str();
  }

  // Dense block k of F_matrix (a diagonal block as a diagonal matrix).
  Eigen::MatrixXd dense(int matrix, std::size_t k) const {
    const long n = std::labs(sizes[k]);
    Eigen::MatrixXd m = Eigen::MatrixXd::Zero(n, n);
    for (const Entry& e : entries)
      if (e.matrix == matrix && e.block == static_cast<int>(k) + 1) m(e.i - 1, e.j - 1) = m(e.j - 1, e.i - 1) = e.value;
    return m;
  }
};

// A returned block as a dense matrix (diagonal blocks come as their diagonal).
Eigen::MatrixXd as_dense(const Eigen::MatrixXd& block, long size) {
  return size < 0 ? Eigen::MatrixXd(block.col(0).asDiagonal()) : block;
}

Eigen::MatrixXd json_block(const nlohmann::json& j, long size) {
  const long n = std::labs(size);
  Eigen::MatrixXd m = Eigen::MatrixXd::Zero(n, n);
  for (long i = 0; i < n; ++i) {
    if (size < 0) m(i, i) = j.at(i).get<double>();
    else
      for (long k = 0; k < n; ++k) m(i, k) = j.at(i).at(k).get<double>();
  }
  return m;
}

// SDPA's own example 1 (SDPA user's manual): optimum x = (-1.1, -2.7375, -0.55), objective -41.9.
SdpaText sdpa_example1() {
  return {{2}, {48, -8, 20}, {{0, 1, 1, 1, -11}, {0, 1, 2, 2, 23}, {1, 1, 1, 1, 10}, {1, 1, 1, 2, 4}, {2, 1, 2, 2, -8}, {3, 1, 1, 2, -8}, {3, 1, 2, 2, -2}}};
}

// Writes the problem into this test's folder and runs `conic FILE --solution FLAGS`: the output object
// (a failed run is recorded and gives null).
nlohmann::json solve_with_solution(const SdpaText& f, const std::string& name, const std::string& flags) {
  const auto path = isacbf::testing::test_dir() / name;
  std::ofstream(path) << f.text();
  const auto r = isacbf::testing::run_isacbf("conic " + isacbf::testing::quoted(path) + " --solution " + flags);
  EXPECT_EQ(r.code, 0) << r.err;
  return r.code == 0 ? nlohmann::json::parse(r.out) : nlohmann::json(nullptr);
}

}  // namespace

// The reader's A column i is -svec(F_i), so for any row vector y, -A_i^T y = sum_k F_i,k . Y_k with Y the
// blocks of y: this pins the block layout (diagonal blocks first in the rows, file order in the output).
TEST(SdpaSolution, BlocksInvertTheReadersLayout) {
  std::mt19937 rng(7);
  std::normal_distribution<double> g;
  SdpaText f{{3, -2, 1, 4, -1}, {1.0, 2.0}, {}};
  for (int mat = 0; mat <= 2; ++mat)
    for (std::size_t k = 0; k < f.sizes.size(); ++k) {
      const int n = static_cast<int>(std::labs(f.sizes[k]));
      for (int j = 1; j <= n; ++j)
        for (int i = 1; i <= j; ++i)
          if (f.sizes[k] > 0 || i == j) f.entries.push_back({mat, static_cast<int>(k) + 1, i, j, g(rng)});
    }
  std::istringstream in(f.text());
  const SdpaFile file = parse_sdpa_file(in);
  ASSERT_EQ(file.block_sizes, f.sizes);
  Eigen::VectorXd y(file.problem.A.rows());
  for (Eigen::Index r = 0; r < y.size(); ++r) y[r] = g(rng);
  const auto blocks = sdpa_blocks(file.block_sizes, y);
  ASSERT_EQ(blocks.size(), f.sizes.size());
  for (int mat = 1; mat <= 2; ++mat) {
    double direct = 0.0;
    for (std::size_t k = 0; k < blocks.size(); ++k)
      direct += (f.dense(mat, k).array() * as_dense(blocks[k], f.sizes[k]).array()).sum();
    const double via_a = -file.problem.A.col(mat - 1).dot(y);
    EXPECT_NEAR(via_a, direct, 1e-12 * (1.0 + std::abs(direct))) << "F_" << mat;
  }
  // F_0 . Y = -b^T y
  double f0 = 0.0;
  for (std::size_t k = 0; k < blocks.size(); ++k) f0 += (f.dense(0, k).array() * as_dense(blocks[k], f.sizes[k]).array()).sum();
  EXPECT_NEAR(-file.problem.b.dot(y), f0, 1e-12 * (1.0 + std::abs(f0)));
  EXPECT_THROW(sdpa_blocks(file.block_sizes, Eigen::VectorXd::Zero(y.size() - 1)), isacbf::InputError);
}

// sdpa_rows inverts sdpa_blocks, takes a block's symmetric part, and names a block of the wrong shape.
TEST(SdpaSolution, RowsInvertBlocks) {
  const std::vector<long> sizes{3, -2, 1, 4, -1};
  std::mt19937 rng(11);
  std::normal_distribution<double> g;
  Eigen::VectorXd rows(6 + 2 + 1 + 10 + 1);
  for (Eigen::Index r = 0; r < rows.size(); ++r) rows[r] = g(rng);
  std::vector<Eigen::MatrixXd> blocks = sdpa_blocks(sizes, rows);
  EXPECT_LT((sdpa_rows(sizes, blocks) - rows).cwiseAbs().maxCoeff(), 1e-15);
  const Eigen::MatrixXd skew = Eigen::MatrixXd::Random(4, 4);
  blocks[3] += skew - skew.transpose();  // an antisymmetric part carries no information of a symmetric block
  EXPECT_LT((sdpa_rows(sizes, blocks) - rows).cwiseAbs().maxCoeff(), 1e-14);
  blocks[1] = Eigen::MatrixXd::Zero(2, 2);  // a diagonal block given as a matrix
  try {
    sdpa_rows(sizes, blocks);
    ADD_FAILURE() << "a 2 x 2 diagonal block was accepted";
  } catch (const isacbf::InputError& e) {
    EXPECT_EQ(e.field(), "blocks[1]");
  }
  blocks.pop_back();
  EXPECT_THROW(sdpa_rows(sizes, blocks), isacbf::InputError);
}

// `conic --solution` on SDPA's example 1: the manual's x, and X and Y that are the file's matrices at
// that point: X = sum x_i F_i - F_0 as computed here, F_i . Y = c_i, F_0 . Y = the objective, both PSD.
TEST(CliConicSolution, PrintsXAndTheMatricesInTheFilesTerms) {
  const SdpaText f = sdpa_example1();
  const auto j = solve_with_solution(f, "example1.dat-s", "--tol 1e-8");
  ASSERT_TRUE(j.is_object());
  ASSERT_EQ(j["status"], "optimal");
  const std::vector<double> x = j["x"].get<std::vector<double>>();
  ASSERT_EQ(x.size(), 3u);
  const double expected[] = {-1.1, -2.7375, -0.55};
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(x[i], expected[i], 1e-5) << "x_" << i + 1;
  const Eigen::MatrixXd X = json_block(j["X"].at(0), 2), Y = json_block(j["Y"].at(0), 2);
  Eigen::MatrixXd direct = -f.dense(0, 0);
  for (int i = 0; i < 3; ++i) direct += x[i] * f.dense(i + 1, 0);
  EXPECT_LT((X - direct).cwiseAbs().maxCoeff(), 1e-6) << X << "\n" << direct;
  for (int i = 0; i < 3; ++i) EXPECT_NEAR((f.dense(i + 1, 0).array() * Y.array()).sum(), f.c[i], 1e-5) << "F_" << i + 1 << " . Y";
  EXPECT_NEAR((f.dense(0, 0).array() * Y.array()).sum(), j["objective"].get<double>(), 1e-5);
  EXPECT_GT(Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(Y).eigenvalues().minCoeff(), -1e-6);
  EXPECT_GT(Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(X).eigenvalues().minCoeff(), -1e-6);
  // without the flag the output has no point
  const auto plain = isacbf::testing::run_isacbf("conic " + isacbf::testing::quoted(isacbf::testing::test_dir() / "example1.dat-s"));
  ASSERT_EQ(plain.code, 0) << plain.err;
  EXPECT_FALSE(nlohmann::json::parse(plain.out).contains("Y"));
}

// An infeasible file: Y is the certificate in the file's terms, F_i . Y = 0 for every i and F_0 . Y = 1,
// with a diagonal block in the output as its diagonal.
TEST(CliConicSolution, InfeasibleFilePrintsTheCertificateAsY) {
  // block 1: diag(x, -1) >= 0 is impossible; block 2 (diagonal): (1, x) >= 0
  const SdpaText f{{2, -2}, {1.0}, {{0, 1, 2, 2, 1.0}, {1, 1, 1, 1, 1.0}, {0, 2, 1, 1, -1.0}, {1, 2, 2, 2, 1.0}}};
  const auto j = solve_with_solution(f, "infeasible.dat-s", "");
  ASSERT_TRUE(j.is_object());
  ASSERT_EQ(j["status"], "infeasible");
  ASSERT_EQ(j["Y"].size(), 2u);
  ASSERT_TRUE(j["Y"][1].is_array() && j["Y"][1].size() == 2u && j["Y"][1][0].is_number());
  double f1 = 0.0, f0 = 0.0;
  for (std::size_t k = 0; k < 2; ++k) {
    const Eigen::MatrixXd Y = json_block(j["Y"][k], f.sizes[k]);
    f1 += (f.dense(1, k).array() * Y.array()).sum();
    f0 += (f.dense(0, k).array() * Y.array()).sum();
    EXPECT_GT(Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(Y).eigenvalues().minCoeff(), -1e-9);
  }
  EXPECT_NEAR(f1, 0.0, 1e-6);
  EXPECT_NEAR(f0, 1.0, 1e-9);
}

// --warm-start reads a --solution output back: started at its own solution a problem stops at the first
// check with the same objective; in a batch, null leaves that file cold (the cold run's iterations); an
// x of the wrong length exits 2 naming the field.
TEST(CliConicSolution, WarmStartFromASolutionOutput) {
  using isacbf::testing::quoted;
  using isacbf::testing::run_isacbf;
  const auto dir = isacbf::testing::test_dir();
  const auto example = dir / "example1.dat-s", lp = dir / "lp.dat-s";
  std::ofstream(example) << sdpa_example1().text();
  std::ofstream(lp) << "1\n1\n2\n1.0\n0 1 1 1 3.0\n1 1 1 1 1.0\n";  // min x s.t. diag(x - 3, 0) >= 0 -> 3
  const auto cold = run_isacbf("conic " + quoted(example) + " --tol 1e-7 --solution");
  ASSERT_EQ(cold.code, 0) << cold.err;
  const auto c = nlohmann::json::parse(cold.out);
  std::ofstream(dir / "solution.json") << cold.out;
  const auto warm = run_isacbf("conic " + quoted(example) + " --tol 1e-7 --warm-start " + quoted(dir / "solution.json"));
  ASSERT_EQ(warm.code, 0) << warm.err;
  const auto w = nlohmann::json::parse(warm.out);
  EXPECT_EQ(w["status"], "optimal");
  EXPECT_LT(w["iterations"].get<int>(), c["iterations"].get<int>());
  EXPECT_NEAR(w["objective"].get<double>(), c["objective"].get<double>(), 1e-6 * 41.9);

  const auto lp_cold = run_isacbf("conic " + quoted(lp) + " --tol 1e-7");
  ASSERT_EQ(lp_cold.code, 0) << lp_cold.err;
  std::ofstream(dir / "batch.json") << "[" << cold.out << ", null]";
  const auto batch = run_isacbf("conic " + quoted(example) + " " + quoted(lp) + " --tol 1e-7 --warm-start " + quoted(dir / "batch.json"));
  ASSERT_EQ(batch.code, 0) << batch.err;
  const auto b = nlohmann::json::parse(batch.out);
  EXPECT_EQ(b[0]["iterations"], w["iterations"]);
  EXPECT_EQ(b[1]["iterations"], nlohmann::json::parse(lp_cold.out)["iterations"]);

  std::ofstream(dir / "short.json") << R"({"x": [1, 2]})";
  const auto bad = run_isacbf("conic " + quoted(example) + " --warm-start " + quoted(dir / "short.json"));
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("field 'x'"), std::string::npos) << bad.err;
  const auto one_for_two = run_isacbf("conic " + quoted(example) + " " + quoted(lp) + " --warm-start " + quoted(dir / "solution.json"));
  EXPECT_EQ(one_for_two.code, 2);
  EXPECT_NE(one_for_two.err.find("warm start"), std::string::npos) << one_for_two.err;
}
