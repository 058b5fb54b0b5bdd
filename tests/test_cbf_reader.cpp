// CBF reader (host/conic/cbf_reader.hpp): each cone of the format on a small problem with a closed-form
// optimum, the mapping against a problem written out row by row, and the errors. `isacbf conic` on .cbf
// files: the file's objective sense and constant, --solution and --warm-start.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "cli_test_util.hpp"
#include "conic_test_util.hpp"
#include "host/common/errors.hpp"
#include "host/conic/cbf_reader.hpp"

using namespace isacbf::conic;

namespace {

CbfFile parse(const std::string& text) {
  std::istringstream in(text);
  return parse_cbf(in, "test.cbf");
}

// Solves a CBF text at tol 1e-8 and returns the objective in the file's terms.
double optimum(const std::string& text) {
  const CbfFile f = parse(text);
  EXPECT_NO_THROW(validate(f.problem));
  const Solution s = conic_test::solve_one(f.problem, conic_test::tight());
  EXPECT_EQ(s.status, Status::optimal) << s.message;
  return f.layout.objective(s.primal_objective);
}

std::string field_of(const std::string& text) {
  try {
    parse(text);
  } catch (const isacbf::InputError& e) {
    EXPECT_EQ(e.file(), "test.cbf");
    return e.field();
  }
  return "no error";
}

const char* kSoc =
    "# min x0 s.t. (x0, x1 - 3, x2 - 4) in Q, x1 = x2 = 0  -> 5\n"
    "VER\n3\n\nOBJSENSE\nMIN\n\nVAR\n3 1\nF 3\n\nCON\n5 2\nL= 2\nQ 3\n\n"
    "OBJACOORD\n1\n0 1.0\n\nACOORD\n5\n0 1 1.0\n1 2 1.0\n2 0 1.0\n3 1 1.0\n4 2 1.0\n\nBCOORD\n2\n3 -3.0\n4 -4.0\n";

// max -t + 10 s.t. (t, 2, 4) in QR (2 * t * 2 >= 16) and t - 100 in L-  -> 6
const char* kRotatedMax =
    "VER\n3\nOBJSENSE\nMAX\nVAR\n1 1\nF 1\nCON\n4 2\nL- 1\nQR 3\nOBJACOORD\n1\n0 -1\nOBJBCOORD\n10\n"
    "ACOORD\n2\n0 0 1\n1 0 1\nBCOORD\n3\n0 -100\n2 2\n3 4\n";

// min <C, X> s.t. tr X = 1, X psd, C = [2 1; 1 3]: lambda_min(C)
const char* kPsdVariable =
    "VER\n3\nOBJSENSE\nMIN\nPSDVAR\n1\n2\nCON\n1 1\nL= 1\nOBJFCOORD\n3\n0 0 0 2\n0 1 0 1\n0 1 1 3\n"
    "FCOORD\n2\n0 0 0 0 1\n0 0 1 1 1\nBCOORD\n1\n0 -1\n";

// One small problem per kind of cone, with its closed-form optimum in the file's terms.
struct Case {
  const char* name;
  std::string text;
  double optimum;
};

std::vector<Case> closed_form_cases() {
  return {
      {"soc", kSoc, 5.0},
      // min t s.t. (t, 1, x) in EXP (t >= exp(x)), x = 2  -> e^2
      {"exp", "VER\n3\nOBJSENSE\nMIN\nVAR\n2 1\nF 2\nCON\n4 2\nL= 1\nEXP 3\nOBJACOORD\n1\n0 1\n"
              "ACOORD\n3\n0 1 1\n1 0 1\n3 1 1\nBCOORD\n2\n0 -2\n2 1\n",
       std::exp(2.0)},
      // min t s.t. (t, x, -1) in EXP* (t >= exp(x / -1 - 1)), x = 1  -> e^-2
      {"dual_exp", "VER\n3\nOBJSENSE\nMIN\nVAR\n2 1\nF 2\nCON\n4 2\nL= 1\nEXP* 3\nOBJACOORD\n1\n0 1\n"
                   "ACOORD\n3\n0 1 1\n1 0 1\n2 1 1\nBCOORD\n2\n0 -1\n3 -1\n",
       std::exp(-2.0)},
      {"rotated_max", kRotatedMax, 6.0},
      {"psd_variable", kPsdVariable, (5.0 - std::sqrt(5.0)) / 2.0},
      // min t s.t. t I - C psd (PSDCON with HCOORD / DCOORD): lambda_max(C)
      {"psd_constraint", "VER\n3\nOBJSENSE\nMIN\nVAR\n1 1\nF 1\nPSDCON\n1\n2\nOBJACOORD\n1\n0 1\n"
                         "HCOORD\n2\n0 0 0 0 1\n0 0 1 1 1\nDCOORD\n3\n0 0 0 -2\n0 1 0 -1\n0 1 1 -3\n",
       (5.0 + std::sqrt(5.0)) / 2.0},
      // cones on the variables: min x0 + 2 x1 s.t. x in L+ (VAR), x0 + x1 - 1 in L+  -> 1
      {"var_nonneg", "VER\n3\nOBJSENSE\nMIN\nVAR\n2 1\nL+ 2\nCON\n1 1\nL+ 1\nOBJACOORD\n2\n0 1\n1 2\n"
                     "ACOORD\n2\n0 0 1\n0 1 1\nBCOORD\n1\n0 -1\n",
       1.0},
      // max x0 - 2.5 with x0 in L-  -> -2.5
      {"var_nonpos_max", "VER\n3\nOBJSENSE\nMAX\nVAR\n1 1\nL- 1\nOBJACOORD\n1\n0 1\nOBJBCOORD\n-2.5\n", -2.5},
  };
}

}  // namespace

TEST(CbfReader, EachConeGivesItsClosedFormOptimum) {
  for (const Case& c : closed_form_cases()) {
    SCOPED_TRACE(c.name);
    EXPECT_NEAR(optimum(c.text), c.optimum, 1e-6 * std::max(1.0, std::abs(c.optimum)));
  }
}

// The same problems as one `conic --backend gpu` batch (mixed cone shapes: one device batch each):
// every file's status and objective as on the CPU where a device is present, exit 3 where not.
TEST(CliConicCbf, GpuBackendAgreesWithTheCpuOrExitsThree) {
  using isacbf::testing::quoted;
  using isacbf::testing::run_isacbf;
  const auto dir = isacbf::testing::test_dir();
  std::string files;
  for (const Case& c : closed_form_cases()) {
    auto path = dir / c.name;
    path += ".cbf";
    std::ofstream(path) << c.text;
    files.append(" ").append(quoted(path));  // appended: GCC 12's -Wrestrict misfires on " " + s
  }
  const auto cpu = run_isacbf("conic" + files + " --tol 1e-7");
  ASSERT_EQ(cpu.code, 0) << cpu.err;
  const auto gpu = run_isacbf("conic" + files + " --tol 1e-7 --backend gpu");
  if (isacbf::testing::exited_without_gpu(gpu) || gpu.code != 0) return;
  const auto c = nlohmann::json::parse(cpu.out), g = nlohmann::json::parse(gpu.out);
  ASSERT_EQ(g.size(), c.size());
  for (std::size_t i = 0; i < c.size(); ++i) {
    SCOPED_TRACE(c[i]["file"].get<std::string>());
    EXPECT_EQ(g[i]["backend"], "gpu");
    EXPECT_EQ(g[i]["status"], c[i]["status"]);
    const double co = c[i]["objective"].get<double>(), go = g[i]["objective"].get<double>();
    EXPECT_NEAR(go, co, 1e-5 * (1.0 + std::abs(co)));
  }
}

// A problem in our form written out as CBF, one CON block per cone in our order (PSD rows as PSDCON
// matrices, exponential rows in CBF's order), must read back as the same A, b, c and cones.
TEST(CbfReader, ReadsBackAProblemWrittenRowByRow) {
  ConicProblem p;
  p.cones.zero = 2;
  p.cones.nonneg = 3;
  p.cones.soc = {3, 1};
  p.cones.psd_real = {3, 1};
  p.cones.exp_primal = 1;
  p.cones.exp_dual = 1;
  const int m = p.cones.dimension(), n = 4;
  std::mt19937 rng(5);
  std::normal_distribution<double> g;
  Eigen::MatrixXd A(m, n);
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) A(i, j) = g(rng);
  p.A = A.sparseView();
  p.b = Eigen::VectorXd(m);
  p.c = Eigen::VectorXd(n);
  for (int i = 0; i < m; ++i) p.b[i] = g(rng);
  for (int j = 0; j < n; ++j) p.c[j] = g(rng);

  // CON rows g = b - A x for every non-PSD row; the exponential triples reversed ((r,s,t) -> (t,s,r)).
  const int psd_rows = 6 + 1, first_exp = 2 + 3 + 4 + psd_rows;
  std::vector<int> con;  // our row of each CON row
  for (int r = 0; r < 2 + 3 + 4; ++r) con.push_back(r);
  for (int e = 0; e < 2; ++e)
    for (int k = 2; k >= 0; --k) con.push_back(first_exp + 3 * e + k);
  std::ostringstream f;
  f.precision(17);
  f << "VER\n3\nVAR\n" << n << " 1\nF " << n << "\nPSDCON\n2\n3\n1\nCON\n" << con.size() << " 6\nL= 2\nL+ 3\nQ 3\nQ 1\nEXP 3\nEXP* 3\n";
  f << "OBJACOORD\n" << n << "\n";
  for (int j = 0; j < n; ++j) f << j << " " << p.c[j] << "\n";
  f << "ACOORD\n" << con.size() * n << "\n";
  for (std::size_t i = 0; i < con.size(); ++i)
    for (int j = 0; j < n; ++j) f << i << " " << j << " " << -A(con[i], j) << "\n";
  f << "BCOORD\n" << con.size() << "\n";
  for (std::size_t i = 0; i < con.size(); ++i) f << i << " " << p.b[con[i]] << "\n";
  // PSD rows: svec(D + sum_j x_j H_j) = b - A x, so D = smat(b), H_j = smat(-A_j) (off-diagonal / sqrt2)
  struct Entry {
    int con, k, l, row;
    double w;
  };
  std::vector<Entry> psd;
  const int first_psd = 2 + 3 + 4;
  for (int k = 0; k < 3; ++k) {  // svec column-major lower triangle of the order-3 block
    for (int l = k; l < 3; ++l) psd.push_back({0, l, k, 0, l == k ? 1.0 : 1.0 / std::sqrt(2.0)});
  }
  for (std::size_t e = 0; e < psd.size(); ++e) psd[e].row = first_psd + static_cast<int>(e);
  psd.push_back({1, 0, 0, first_psd + 6, 1.0});
  f << "HCOORD\n" << psd.size() * n << "\n";
  for (const Entry& e : psd)
    for (int j = 0; j < n; ++j) f << e.con << " " << j << " " << e.k << " " << e.l << " " << -A(e.row, j) * e.w << "\n";
  f << "DCOORD\n" << psd.size() << "\n";
  for (const Entry& e : psd) f << e.con << " " << e.k << " " << e.l << " " << p.b[e.row] * e.w << "\n";

  const CbfFile read = parse(f.str());
  EXPECT_EQ(read.problem.cones, p.cones);
  ASSERT_EQ(read.problem.A.rows(), m);
  EXPECT_LT((Eigen::MatrixXd(read.problem.A) - A).cwiseAbs().maxCoeff(), 1e-14);
  EXPECT_LT((read.problem.b - p.b).cwiseAbs().maxCoeff(), 1e-14);
  EXPECT_EQ(read.problem.c, p.c);
  EXPECT_FALSE(read.layout.maximize);
  EXPECT_EQ(read.layout.scalar_variables, n);
}

TEST(CbfReader, ErrorsNameTheLine) {
  const std::string head = "VER\n3\nVAR\n2 1\nF 2\nCON\n1 1\nL+ 1\n";
  EXPECT_EQ(field_of("VAR\n2 1\nF 2\n"), "line 1");                                   // no VER first
  EXPECT_EQ(field_of("VER\n3\nVAR\n2 1\nF 2\nINT\n1\n0\n"), "line 6");                // integer variables
  EXPECT_EQ(field_of("VER\n3\nPOWCONES\n1 2\n2\n0.5\n0.5\n"), "line 3");              // power cones
  EXPECT_EQ(field_of("VER\n3\nVAR\n2 1\nSVPSD 2\n"), "line 5");                        // unknown cone
  EXPECT_EQ(field_of("VER\n3\nVAR\n3 1\nF 2\n"), "line 4");                            // sizes do not add up
  EXPECT_EQ(field_of("VER\n3\nVAR\n2 1\nF 2\nCON\n2 1\nEXP 2\n"), "line 8");          // EXP of size 2
  EXPECT_EQ(field_of(head + "ACOORD\n1\n1 0 1.0\n"), "line 11");                      // constraint 1 of 0..0
  EXPECT_EQ(field_of(head + "ACOORD\n1\n0 2 1.0\n"), "line 11");                      // variable 2 of 0..1
  EXPECT_EQ(field_of(head + "ACOORD\n2\n0 1 1.0\n0 1 2.0\n"), "line 12");             // entry given twice
  EXPECT_EQ(field_of(head + "BCOORD\n1\n0 nan\n"), "line 11");                         // not finite
  EXPECT_EQ(field_of(head + "ACOORD\n2\n0 1 1.0\n"), "line 10");                      // more entries declared than lines
  EXPECT_EQ(field_of(head + "ACOORD\n1\n0 1 1.0\nVAR\n1 1\nF 1\n"), "line 12");       // declaration after coordinates
  EXPECT_EQ(field_of(head + "OBJSENSE\nBEST\n"), "line 10");                           // sense
  EXPECT_EQ(field_of(head + "PSDCON\n1\n2\nDCOORD\n1\n0 0 2 1.0\n"), "line 14");       // index outside the order
  EXPECT_EQ(field_of(head + "FOO\n"), "line 9");                                       // unknown section
  EXPECT_EQ(field_of(head), "no error");
}

// `isacbf conic` on a .cbf file: the objective in the file's sense with its constant, the PSD variable
// in --solution, and a warm start from that output that stops sooner at the same objective.
TEST(CliConicCbf, SolvesInTheFilesTermsAndWarmStarts) {
  using isacbf::testing::quoted;
  using isacbf::testing::run_isacbf;
  const auto dir = isacbf::testing::test_dir();
  std::ofstream(dir / "max.cbf") << kRotatedMax;
  std::ofstream(dir / "psd.cbf") << kPsdVariable;
  const auto r = run_isacbf("conic " + quoted(dir / "max.cbf") + " " + quoted(dir / "psd.cbf") + " --tol 1e-8 --solution");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 2u);
  EXPECT_NEAR(j[0]["objective"].get<double>(), 6.0, 1e-6);
  EXPECT_NEAR(j[0]["x"][0].get<double>(), 4.0, 1e-6);
  EXPECT_NEAR(j[1]["objective"].get<double>(), (5.0 - std::sqrt(5.0)) / 2.0, 1e-6);
  // the minimiser of <C, X> over tr X = 1 is v v^T with v C's eigenvector of lambda_min
  Eigen::Matrix2d C{{2, 1}, {1, 3}};
  const Eigen::Vector2d v = Eigen::SelfAdjointEigenSolver<Eigen::Matrix2d>(C).eigenvectors().col(0);
  const auto& X = j[1]["psd_x"][0];
  for (int a = 0; a < 2; ++a)
    for (int b = 0; b < 2; ++b) EXPECT_NEAR(X[a][b].get<double>(), v[a] * v[b], 1e-5) << a << b;
  // duals: G^T y = c; for tr X = 1 with X psd that is C = mu I + S, mu = lambda_min(C), S = C - mu I >= 0
  const double mu = j[1]["con_dual"][0].get<double>();
  EXPECT_NEAR(mu, (5.0 - std::sqrt(5.0)) / 2.0, 1e-5);
  const auto& S = j[1]["psd_var_dual"][0];
  for (int a = 0; a < 2; ++a)
    for (int b = 0; b < 2; ++b) EXPECT_NEAR(S[a][b].get<double>(), C(a, b) - (a == b ? mu : 0.0), 1e-5) << a << b;
  std::ofstream(dir / "sol.json") << r.out;
  const auto w = run_isacbf("conic " + quoted(dir / "max.cbf") + " " + quoted(dir / "psd.cbf") + " --tol 1e-8 --warm-start " + quoted(dir / "sol.json"));
  ASSERT_EQ(w.code, 0) << w.err;
  const auto k = nlohmann::json::parse(w.out);
  for (int i = 0; i < 2; ++i) {
    EXPECT_LT(k[i]["iterations"].get<int>(), j[i]["iterations"].get<int>()) << i;
    EXPECT_NEAR(k[i]["objective"].get<double>(), j[i]["objective"].get<double>(), 1e-6) << i;
  }
  std::ofstream(dir / "bad.cbf") << "VER\n3\nINT\n";
  const auto bad = run_isacbf("conic " + quoted(dir / "bad.cbf"));
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("bad.cbf: field 'line 3'"), std::string::npos) << bad.err;
}

// --format overrides the name's ending, '-' reads standard input (once), and a CBF file read as SDPA
// says what it is.
TEST(CliConicCbf, FormatOptionAndStandardInput) {
  using isacbf::testing::quoted;
  using isacbf::testing::run_isacbf;
  const auto dir = isacbf::testing::test_dir();
  std::ofstream(dir / "soc.txt") << kSoc;
  const auto named = run_isacbf("conic " + quoted(dir / "soc.txt") + " --format cbf --tol 1e-8");
  ASSERT_EQ(named.code, 0) << named.err;
  EXPECT_NEAR(nlohmann::json::parse(named.out)["objective"].get<double>(), 5.0, 1e-6);
  const auto piped = run_isacbf("conic - --format cbf --tol 1e-8 < " + quoted(dir / "soc.txt"));
  ASSERT_EQ(piped.code, 0) << piped.err;
  const auto p = nlohmann::json::parse(piped.out);
  EXPECT_EQ(p["file"], "-");
  EXPECT_NEAR(p["objective"].get<double>(), 5.0, 1e-6);
  const auto as_sdpa = run_isacbf("conic " + quoted(dir / "soc.txt"));
  EXPECT_EQ(as_sdpa.code, 2);
  EXPECT_NE(as_sdpa.err.find("starts a CBF file"), std::string::npos) << as_sdpa.err;
  const auto twice = run_isacbf("conic - - --format cbf < " + quoted(dir / "soc.txt"));
  EXPECT_EQ(twice.code, 2);
  EXPECT_NE(twice.err.find("'files'"), std::string::npos) << twice.err;
  const auto unknown = run_isacbf("conic " + quoted(dir / "soc.txt") + " --format lp");
  EXPECT_EQ(unknown.code, 2);
}

// A batch estimated above the memory limit is refused (exit 2, field 'memory') before the solver
// allocates: a 40-byte file declaring 2^26 variables would otherwise take ~11 GB and a minute.
TEST(CliConicCbf, MemoryLimitRefusesBeforeAllocating) {
  using isacbf::testing::quoted;
  using isacbf::testing::run_isacbf;
  const auto dir = isacbf::testing::test_dir();
  std::ofstream(dir / "huge.cbf") << "VER\n3\nVAR\n67108864 1\nF 67108864\n";
  std::ofstream(dir / "soc.cbf") << kSoc;
  const auto huge = run_isacbf("conic " + quoted(dir / "huge.cbf") + " --memory-limit 1");
  EXPECT_EQ(huge.code, 2);
  EXPECT_NE(huge.err.find("field 'memory'"), std::string::npos) << huge.err;
  EXPECT_NE(huge.err.find("--memory-limit"), std::string::npos) << huge.err;
  // refused by the reader from the declared sizes (0 rows: the variables are free), before building anything
  EXPECT_NE(huge.err.find("declares 0 rows and 67108864 columns"), std::string::npos) << huge.err;
  // the same bound through the library: a limit of 0 is none, a small one names the sizes
  std::istringstream declared("VER\n3\nVAR\n1000 1\nL+ 1000\n");
  try {
    isacbf::conic::parse_cbf(declared, "declared.cbf", {1500.0, "test"});
    ADD_FAILURE() << "2000 rows and columns against a bound of 1500 must throw";
  } catch (const isacbf::InputError& e) {
    EXPECT_EQ(e.field(), "memory");
    EXPECT_NE(std::string(e.what()).find("1000 rows and 1000 columns"), std::string::npos) << e.what();
  }
  std::istringstream unbounded("VER\n3\nVAR\n1000 1\nL+ 1000\n");
  EXPECT_EQ(isacbf::conic::parse_cbf(unbounded, "declared.cbf", {}).problem.A.cols(), 1000);
  const auto tiny = run_isacbf("conic " + quoted(dir / "soc.cbf") + " --memory-limit 1e-6");
  EXPECT_EQ(tiny.code, 2) << tiny.err;
  const auto fits = run_isacbf("conic " + quoted(dir / "soc.cbf") + " --memory-limit 1");
  EXPECT_EQ(fits.code, 0) << fits.err;
  EXPECT_EQ(run_isacbf("conic " + quoted(dir / "soc.cbf") + " --memory-limit -1").code, 2);
}
