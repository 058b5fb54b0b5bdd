// Cross-check against CVXOPT (interior point), through scripts/cvxopt_model_a.py, which formulates P4
// and the SCA from the model's equations without any of our code. Both start from our feasible start
// (`solve --full` writes it) so they follow the same SCA path. Skipped when cvxopt is not installed.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::string kBin = ISACBF_BINARY;
const std::string kScript = std::string(ISACBF_SOURCE_DIR) + "/scripts/cvxopt_model_a.py";

// Joins pieces with a stream (chains of std::string operator+ trip GCC 12's -Wrestrict false positive).
template <class... T>
std::string cat(const T&... parts) {
  std::ostringstream os;
  (os << ... << parts);
  return os.str();
}

bool have_cvxopt() { return std::system("/usr/bin/python3 -c 'import cvxopt, numpy' >/dev/null 2>&1") == 0; }

int sh(const std::string& cmd) {
  const int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

json load(const fs::path& p) { return json::parse(std::ifstream(p)); }

fs::path dir() {
  const fs::path d = fs::temp_directory_path() / cat("isacbf_xcheck_", ::getpid());
  fs::create_directories(d);
  return d;
}

std::string instance(const fs::path& d, int seed, double gamma_s) {
  const std::string f = (d / cat("x", seed, "_", static_cast<int>(gamma_s), ".json")).string();
  EXPECT_EQ(sh(cat(kBin, " generate --model target_eavesdropper --seed ", seed,
                   " --gamma_s_dB ", gamma_s, " -o ", f)),
            0);
  return f;
}

// ours (backend, SCA options) vs CVXOPT from the same start; returns {ours, theirs}
std::pair<json, json> both(const std::string& inst, const std::string& backend, const std::string& extra) {
  const fs::path d = dir();
  const std::string ours = (d / "ours.json").string(), theirs = (d / "theirs.json").string();
  EXPECT_EQ(sh(cat(kBin, " solve ", inst, " --full --backend ", backend, " ", extra, " -o ", ours)), 0);
  EXPECT_EQ(sh(cat("/usr/bin/python3 ", kScript, " ", inst, " --start ", ours, " ", extra, " -o ", theirs)), 0);
  return {load(ours), load(theirs)[0]};
}

}  // namespace

// The whole SCA on the CPU (ADMM) backend against the independent formulation, default scenario
// (snr_offset_dB = 0, gamma_s = 0 dB, gamma_se = 2 dB).
TEST(CvxoptCrossCheck, WholeScaSecrecyRateAndStatusMatch) {
  if (!have_cvxopt()) GTEST_SKIP() << "cvxopt not installed for /usr/bin/python3";
  const fs::path d = dir();
  for (int seed : {1, 2, 3}) {
    const auto [ours, theirs] = both(instance(d, seed, 0), "cpu", "");
    SCOPED_TRACE(cat("seed ", seed));
    EXPECT_EQ(ours["status"], theirs["status"]);
    ASSERT_TRUE(ours["secrecy_rate"].is_number());
    const double a = ours["secrecy_rate"], b = theirs["secrecy_rate"];
    EXPECT_NEAR(a, b, 1e-3 * std::abs(b)) << "ours " << a << " cvxopt " << b;
  }
}

// Our builder on the CVXOPT conic bridge and on ADMM: one P4 from the shared start, same optimum.
TEST(CvxoptCrossCheck, FirstP4OnTheCpuBackendMatches) {
  if (!have_cvxopt()) GTEST_SKIP() << "cvxopt not installed for /usr/bin/python3";
  const fs::path d = dir();
  const auto [ours, theirs] = both(instance(d, 5, 0), "cpu", "--max-iterations 1");
  EXPECT_EQ(ours["status"], theirs["status"]);
  ASSERT_TRUE(ours["secrecy_rate"].is_number());
  const double a = ours["secrecy_rate"], b = theirs["secrecy_rate"];
  EXPECT_NEAR(a, b, 1e-3 * std::abs(b)) << "ours " << a << " cvxopt " << b;
}

TEST(CvxoptCrossCheck, InfeasibleStatusMatches) {
  if (!have_cvxopt()) GTEST_SKIP() << "cvxopt not installed for /usr/bin/python3";
  const fs::path d = dir();
  const std::string inst = instance(d, 4, 35);  // above the 29.2 dB sensing-security limit (gamma_se = 2 dB)
  const std::string ours = (d / "inf_ours.json").string(), theirs = (d / "inf_theirs.json").string();
  ASSERT_EQ(sh(cat(kBin, " solve ", inst, " -o ", ours)), 0);
  ASSERT_EQ(sh(cat("/usr/bin/python3 ", kScript, " ", inst, " -o ", theirs)), 0);
  EXPECT_EQ(load(ours)["status"], "infeasible");
  EXPECT_EQ(load(theirs)[0]["status"], "infeasible");
}
