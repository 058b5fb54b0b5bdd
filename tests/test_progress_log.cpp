// Settings::verbose: the ADMM's progress log (host/conic/progress_log.hpp), parsed back and checked
// against the Solution it describes: the last row is the returned point, one scale line per scale update,
// the outcome line names the status and the iterations, and a batch's lines carry their instance.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "cli_test_util.hpp"
#include "conic_test_util.hpp"
#include "host/conic/progress_log.hpp"

using namespace isacbf::conic;

namespace {

// std::clog into a string for the lifetime of the object.
class ClogCapture {
 public:
  ClogCapture() : old_(std::clog.rdbuf(text_.rdbuf())) {}
  ~ClogCapture() { std::clog.rdbuf(old_); }
  std::string text() const { return text_.str(); }

 private:
  std::ostringstream text_;
  std::streambuf* old_;
};

struct Row {
  int iteration;
  double pri, dual, gap, primal_objective, dual_objective, scale;
};

// One instance's lines, parsed.
struct Log {
  std::vector<std::string> header;
  std::vector<Row> rows;
  std::vector<double> scale_to;  // the new scale of each scale line
  std::vector<std::string> outcome;
  int batch_rows = 0;  // the GPU backend's rows for a whole device batch
  std::vector<std::string> x_system;  // the CPU's line after the first factorisation
};

const std::string kNumber = R"(([-+]?[0-9.]+(?:e[-+][0-9]+)?))";

// Lines of the log by instance (-1: no prefix). A line that is none of the known kinds fails the test.
std::map<int, Log> parse(const std::string& text) {
  const std::regex prefix(R"(^\[(\d+)\] (.*)$)");
  const std::regex row("^ *([0-9]+) +" + kNumber + " +" + kNumber + " +" + kNumber + " +" + kNumber + " +" + kNumber +
                       " +" + kNumber + " +" + kNumber + "$");
  const std::regex tau_zero(R"(^ *[0-9]+ +- +- +- +\(tau = 0\) +- .*$)");
  const std::regex scale("^ *[0-9]+ scale " + kNumber + " -> " + kNumber + R"( \(refactored\)$)");
  const std::regex x_system(R"(^x-system [a-z_]+( \(.*\))?, set up in [0-9.]+ s$)");
  const std::regex batch_row(R"(^ *[0-9]+ [0-9]+ of [0-9]+ instances running, [0-9.]+ s$)");
  const std::regex outcome(R"(^(optimal|infeasible|unbounded|max_iterations|numerical_error) after ([0-9]+) iterations.*$)");
  std::map<int, Log> logs;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    int instance = -1;
    std::smatch m;
    if (std::regex_match(line, m, prefix)) {
      instance = std::stoi(m[1]);
      line = m[2];
    }
    Log& log = logs[instance];
    if (std::regex_match(line, m, row)) {
      log.rows.push_back({std::stoi(m[1]), std::stod(m[2]), std::stod(m[3]), std::stod(m[4]), std::stod(m[5]),
                          std::stod(m[6]), std::stod(m[7])});
    } else if (std::regex_match(line, m, scale)) {
      log.scale_to.push_back(std::stod(m[2]));
    } else if (std::regex_match(line, m, outcome)) {
      log.outcome.push_back(line);
    } else if (std::regex_match(line, tau_zero)) {
      // a check before tau > 0: nothing to compare
    } else if (std::regex_match(line, x_system)) {
      log.x_system.push_back(line);
    } else if (std::regex_match(line, batch_row)) {
      ++log.batch_rows;
    } else if (log.rows.empty() && log.header.size() < 3) {
      log.header.push_back(line);
    } else {
      ADD_FAILURE() << "unexpected log line: " << line;
    }
  }
  return logs;
}

// Printed to 4 significant digits (%.3e): equal to the Solution's value within that rounding.
void expect_printed(double printed, double exact, const char* what) {
  EXPECT_NEAR(printed, exact, 6e-4 * std::abs(exact) + 1e-300) << what;
}

// The log of one solve says what the Solution says.
void expect_log_matches(const Log& log, const Solution& s) {
  ASSERT_EQ(log.header.size(), 3u);
  EXPECT_NE(log.header[0].find("variables"), std::string::npos) << log.header[0];
  EXPECT_NE(log.header[1].find("linear system " + s.linear_solver), std::string::npos) << log.header[1];
  ASSERT_EQ(log.x_system.size(), 1u);
  EXPECT_EQ(log.x_system[0].rfind("x-system " + s.linear_solver + " (", 0), 0u) << log.x_system[0];
  ASSERT_EQ(log.outcome.size(), 1u);
  EXPECT_EQ(log.outcome[0].rfind(std::string(to_string(s.status)) + " after " + std::to_string(s.iterations) + " iterations", 0), 0u)
      << log.outcome[0];
  EXPECT_EQ(static_cast<int>(log.scale_to.size()), s.scale_updates);
  if (!log.scale_to.empty()) expect_printed(log.scale_to.back(), s.scale, "last scale line");
  if (s.status != Status::optimal && s.status != Status::max_iterations) return;
  ASSERT_FALSE(log.rows.empty());
  for (std::size_t k = 1; k < log.rows.size(); ++k) EXPECT_GT(log.rows[k].iteration, log.rows[k - 1].iteration);
  const Row& last = log.rows.back();
  EXPECT_EQ(last.iteration, s.iterations);
  expect_printed(last.pri, s.primal_residual, "primal residual");
  expect_printed(last.dual, s.dual_residual, "dual residual");
  expect_printed(last.gap, s.gap, "gap");
  EXPECT_NEAR(last.primal_objective, s.primal_objective, 1e-6 * std::abs(s.primal_objective)) << "primal objective";
  EXPECT_NEAR(last.dual_objective, s.dual_objective, 1e-6 * std::abs(s.dual_objective)) << "dual objective";
  EXPECT_NEAR(last.scale, s.scale, 6e-3 * s.scale) << "scale (3 significant digits)";
}

// The max-cut relaxation min tr(C X) s.t. diag X = 1, X >= 0 of a fixed random C, over x = svec X:
// hundreds of iterations at tight tolerances, and a poor initial scale (long_run) makes the scale move.
ConicProblem test_problem(int n, unsigned seed) {
  std::srand(seed);
  const Eigen::MatrixXd G = Eigen::MatrixXd::Random(n, n);
  const Eigen::MatrixXd C = G + G.transpose();
  const int N = n * (n + 1) / 2;
  ConicProblem p;
  p.cones.zero = n;
  p.cones.psd_real = {n};
  Eigen::MatrixXd A = Eigen::MatrixXd::Zero(n + N, N);
  for (int i = 0; i < n; ++i) A(i, isacbf::kernels::svec_position(n, i, i)) = 1.0;
  A.bottomRows(N) = -Eigen::MatrixXd::Identity(N, N);
  p.A = conic_test::sparse(A);
  p.b = Eigen::VectorXd::Zero(n + N);
  p.b.head(n).setOnes();
  p.c.resize(N);
  isacbf::kernels::svec_pack(n, C.data(), p.c.data());
  return p;
}

Settings long_run() {
  Settings st;
  st.eps_abs = 0.0;  // a test no rounded iterate passes: rows at 1, 250, 500 and the last
  st.eps_rel = 1e-300;
  st.max_iters = 640;
  st.scale = 1e4;
  st.verbose = true;
  st.threads = 1;
  return st;
}

// LP: x >= 1 and x <= 0, primal infeasible.
ConicProblem infeasible_lp() {
  ConicProblem p;
  p.cones.nonneg = 2;
  Eigen::MatrixXd A(2, 1);
  A << -1.0, 1.0;
  p.A = conic_test::sparse(A);
  p.b = Eigen::Vector2d(-1.0, 0.0);
  p.c = Eigen::VectorXd::Ones(1);
  return p;
}

}  // namespace

TEST(ProgressLog, SilentUnlessVerbose) {
  ClogCapture capture;
  Settings st = long_run();
  st.verbose = false;
  const Solution s = conic_test::solve_one(test_problem(6, 1), st);
  EXPECT_EQ(s.iterations, 640);
  EXPECT_EQ(capture.text(), "");
}

TEST(ProgressLog, RowsScaleLinesAndOutcomeMatchTheSolution) {
  ClogCapture capture;
  const Solution s = conic_test::solve_one(test_problem(6, 1), long_run());
  const auto logs = parse(capture.text());
  ASSERT_EQ(logs.size(), 1u) << capture.text();
  ASSERT_TRUE(logs.count(-1)) << "a batch of one has no prefix";
  const Log& log = logs.at(-1);
  EXPECT_EQ(s.status, Status::max_iterations);
  EXPECT_GT(s.scale_updates, 0) << "the test wants the scale to move";
  ASSERT_GE(log.rows.size(), 3u) << capture.text();
  EXPECT_GE(log.rows[log.rows.size() - 2].iteration, 500) << "a row every ProgressLog::kRowInterval iterations";
  expect_log_matches(log, s);
}

// Two threads over three instances, one of them infeasible: every line is whole and prefixed, and each
// instance's lines match its own Solution.
TEST(ProgressLog, BatchLinesCarryTheirInstance) {
  ClogCapture capture;
  Settings st = long_run();
  st.threads = 2;
  const std::vector<ConicProblem> batch{test_problem(6, 1), infeasible_lp(), test_problem(8, 2)};
  const auto sols = make_cpu_solver()->solve(batch, st);
  const auto logs = parse(capture.text());
  ASSERT_EQ(logs.size(), 3u) << capture.text();
  for (int i = 0; i < 3; ++i) {
    SCOPED_TRACE("instance " + std::to_string(i));
    ASSERT_TRUE(logs.count(i));
    expect_log_matches(logs.at(i), sols[i]);
  }
  EXPECT_EQ(sols[1].status, Status::infeasible);
}

// The flag on the command line: the log goes to standard error and the JSON result is the same as
// without it (apart from the time).
TEST(CliConicVerbose, LogsToStandardErrorAndLeavesTheResultAlone) {
  using isacbf::testing::quoted;
  using isacbf::testing::run_isacbf;
  const auto file = isacbf::testing::test_dir() / "lp.dat-s";
  // min x1 + x2 s.t. diag(x1 - 1, x2 - 2, x1 + x2 - 4) >= 0: optimum 4
  std::ofstream(file) << "2\n1\n-3\n1 1\n0 1 1 1 1\n0 1 2 2 2\n0 1 3 3 4\n1 1 1 1 1\n1 1 3 3 1\n2 1 2 2 1\n2 1 3 3 1\n";
  const auto plain = run_isacbf("conic " + quoted(file));
  const auto verbose = run_isacbf("conic --verbose " + quoted(file));
  ASSERT_EQ(plain.code, 0) << plain.err;
  ASSERT_EQ(verbose.code, 0) << verbose.err;
  EXPECT_EQ(plain.err, "");
  auto a = nlohmann::json::parse(plain.out), b = nlohmann::json::parse(verbose.out);
  EXPECT_NEAR(a["objective"].get<double>(), 4.0, 1e-4);
  a.erase("seconds");
  b.erase("seconds");
  EXPECT_EQ(a, b);
  const auto logs = parse(verbose.err);
  ASSERT_EQ(logs.size(), 1u) << verbose.err;
  const Log& log = logs.at(-1);
  ASSERT_EQ(log.outcome.size(), 1u) << verbose.err;
  EXPECT_EQ(log.outcome[0].rfind("optimal after " + std::to_string(b["iterations"].get<int>()) + " iterations", 0), 0u);
  ASSERT_FALSE(log.rows.empty());
  EXPECT_EQ(log.rows.back().iteration, b["iterations"].get<int>());
  EXPECT_NEAR(log.rows.back().primal_objective, b["objective"].get<double>(), 1e-6 * 4.0);
}

// --backend gpu: the device batch's header and rows without a prefix, then each file's outcome line with
// its index, matching that file's JSON result; exit 3 without a device.
TEST(CliConicVerbose, GpuBackendLogsTheBatchAndEachOutcomeOrExitsThree) {
  using isacbf::testing::quoted;
  const auto dir = isacbf::testing::test_dir();
  // two LPs of one shape: min x1 + x2 s.t. x1 >= a, x2 >= b, x1 + x2 >= c (optima 4 and 7)
  std::ofstream(dir / "a.dat-s") << "2\n1\n-3\n1 1\n0 1 1 1 1\n0 1 2 2 2\n0 1 3 3 4\n1 1 1 1 1\n1 1 3 3 1\n2 1 2 2 1\n2 1 3 3 1\n";
  std::ofstream(dir / "b.dat-s") << "2\n1\n-3\n1 1\n0 1 1 1 3\n0 1 2 2 1\n0 1 3 3 7\n1 1 1 1 1\n1 1 3 3 1\n2 1 2 2 1\n2 1 3 3 1\n";
  const auto r = isacbf::testing::run_isacbf("conic --backend gpu --verbose " + quoted(dir / "a.dat-s") + " " +
                                             quoted(dir / "b.dat-s"));
  if (isacbf::testing::exited_without_gpu(r)) return;
  const auto results = nlohmann::json::parse(r.out);
  ASSERT_EQ(results.size(), 2u);
  const auto logs = parse(r.err);
  ASSERT_TRUE(logs.count(-1)) << r.err;
  EXPECT_EQ(logs.at(-1).header.size(), 2u) << r.err;
  EXPECT_GE(logs.at(-1).batch_rows, 1) << r.err;
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(logs.count(i)) << r.err;
    ASSERT_EQ(logs.at(i).outcome.size(), 1u) << r.err;
    EXPECT_EQ(logs.at(i).outcome[0].rfind(results[i]["status"].get<std::string>() + " after " +
                                              std::to_string(results[i]["iterations"].get<int>()) + " iterations", 0),
              0u)
        << logs.at(i).outcome[0];
  }
  EXPECT_NEAR(results[0]["objective"].get<double>(), 4.0, 1e-3);
  EXPECT_NEAR(results[1]["objective"].get<double>(), 7.0, 1e-3);
}
