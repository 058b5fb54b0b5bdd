// Bad input found by a robustness audit of the command line (2026-11-23): each case exits 2 with a
// message naming the field (and file), quickly and without crashing or exhausting memory. Sweep:
// deep nesting, grid values the instances reject, bad output paths, damaged results files, --batch-size;
// conic: headers declaring huge or too many blocks, subnormal values, directories, --tol and
// settings that only make work; the command line: unknown commands, `solve --eps inf`.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cli_test_util.hpp"

namespace fs = std::filesystem;
using isacbf::testing::CliRun;
using isacbf::testing::run_isacbf;
using isacbf::testing::test_dir;

namespace {

fs::path write(const fs::path& path, const std::string& text) {
  std::ofstream(path) << text;
  return path;
}

// Exit 2 and the message names `field`.
void expect_bad(const CliRun& r, const std::string& field) {
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("field '" + field + "'"), std::string::npos) << r.err;
}

const std::string kSdplib = std::string(ISACBF_SOURCE_DIR) + "/../shared/sdplib";

// truss1 with its block-size line (line 3 of the file after the comments) replaced.
fs::path truss1_with(const fs::path& dir, int line, const std::string& text) {
  std::ifstream in(kSdplib + "/truss1.dat-s");
  std::string out, l;
  for (int n = 1; std::getline(in, l); ++n) {
    out += n == line ? text : l;
    out += '\n';
  }
  std::ostringstream name;  // (string operator+ chains trip GCC 12's -Wrestrict false positive)
  name << 't' << line << ".dat-s";
  return write(dir / name.str(), out);
}

}  // namespace

TEST(CliInputLimits, SweepConfigsAreCheckedBeforeAnyWork) {
  const fs::path d = test_dir();
  const std::string deep = std::string(200, '[') + std::string(200, ']');
  expect_bad(run_isacbf("sweep " + write(d / "deep.json", R"({"base":{"Nt":4,"K":2},"description":)" + deep + "}").string() +
                        " -o " + (d / "o1").string()),
             "description");
  expect_bad(run_isacbf("sweep " + write(d / "dup.json", R"({"base":{"Nt":4,"K":2},"realisations":1,"realisations":2})").string() +
                        " -o " + (d / "o6").string()),
             "realisations");
  const CliRun grid = run_isacbf("sweep " + write(d / "grid.json", R"({"base":{"Nt":4,"K":2},"grid":{"P_dBm":[10,2000]}})").string() +
                                 " -o " + (d / "o2").string());
  expect_bad(grid, "grid.P_dBm[1]");
  EXPECT_NE(grid.err.find("grid.json"), std::string::npos) << "the file is named: " << grid.err;
  EXPECT_FALSE(fs::exists(d / "o2" / "results.csv")) << "nothing was started";
  const CliRun model = run_isacbf("sweep " + write(d / "model.json", R"({"model":"foo"})").string() + " -o " + (d / "o3").string());
  expect_bad(model, "model");
  EXPECT_NE(model.err.find("aerial_eavesdroppers"), std::string::npos) << model.err;
  expect_bad(run_isacbf("sweep " +
                        write(d / "had.json", R"({"model":"aerial_eavesdroppers","base":{"Nt":8,"N_RF":0},"grid":{"scheme":["digital","had"]}})")
                            .string() +
                        " -o " + (d / "o4").string()),
             "n_rf");
  expect_bad(run_isacbf("sweep " + d.string() + " -o " + (d / "o5").string()), "CONFIG");  // a directory
}

TEST(CliInputLimits, SweepOutputAndResultsFilesAreChecked) {
  const fs::path d = test_dir();
  const std::string cfg = write(d / "c.json", R"({"base":{"Nt":4,"K":2},"realisations":1})").string();
  expect_bad(run_isacbf("sweep " + cfg + " -o /proc/isacbf_no_such_dir"), "output");
  expect_bad(run_isacbf("sweep " + cfg + " -o " + cfg), "output");
  expect_bad(run_isacbf("sweep " + cfg + " -o " + (d / "o").string() + " --batch-size 0"), "batch-size");
  ASSERT_EQ(run_isacbf("sweep " + cfg + " -o " + (d / "o").string()).code, 0);
  { std::ofstream(d / "o" / "results.csv", std::ios::app) << "garbage,line\n"; }
  const CliRun merge = run_isacbf("sweep " + cfg + " -o " + (d / "o").string() + " --merge");
  expect_bad(merge, "results.csv");
  EXPECT_NE(merge.err.find("line 3"), std::string::npos) << merge.err;
  const CliRun rerun = run_isacbf("sweep " + cfg + " -o " + (d / "o").string());
  expect_bad(rerun, "results.csv");
  fs::create_directories(d / "o2" / "results.csv");
  expect_bad(run_isacbf("sweep " + cfg + " -o " + (d / "o2").string()), "results.csv");
}

TEST(CliInputLimits, SdpaHeadersCannotDeclareUnboundedWork) {
  if (!fs::exists(kSdplib + "/truss1.dat-s")) GTEST_SKIP() << "no ../shared/sdplib";
  const fs::path d = test_dir();
  expect_bad(run_isacbf("conic " + truss1_with(d, 3, "2 2 2 2 2 2 100000").string()), "line 3");
  expect_bad(run_isacbf("conic " + truss1_with(d, 3, "2 2 2 2 2 2 -1000000000").string()), "line 3");
  expect_bad(run_isacbf("conic " + truss1_with(d, 2, "1000000000").string()), "line 2");
  expect_bad(run_isacbf("conic " + d.string()), "file");
  // A subnormal entry is a finite number (an underflow, not an overflow).
  const fs::path tiny = write(d / "tiny.dat-s", "1\n1\n2\n1.0\n0 1 1 1 1.0\n1 1 1 1 1.0\n1 1 1 2 1e-320\n");
  const CliRun ok = run_isacbf("conic " + tiny.string());
  EXPECT_EQ(ok.code, 0) << ok.err;
}

TEST(CliInputLimits, ConicOptionsThatOnlyMakeWorkAreRejected) {
  if (!fs::exists(kSdplib + "/truss1.dat-s")) GTEST_SKIP() << "no ../shared/sdplib";
  const std::string t = kSdplib + "/truss1.dat-s";
  for (const char* tol : {"0", "-1", "nan"}) expect_bad(run_isacbf("conic " + t + " --tol " + tol), "tol");
  expect_bad(run_isacbf("conic " + t + " --anderson-memory 1000000000"), "settings.anderson_memory");
  expect_bad(run_isacbf("conic " + t + " --equilibration-passes 1000000000"), "settings.equilibration_passes");
  // a cooldown of 2 << 40 decisions would overflow the shift
  for (const char* doublings : {"40", "-1"})
    expect_bad(run_isacbf("conic " + t + " --scale-trial-doublings " + doublings), "settings.scale_trial_doublings");
}

TEST(CliInputLimits, UnknownCommandsAndNonFiniteEpsAreNamed) {
  const CliRun foo = run_isacbf("foo");
  EXPECT_EQ(foo.code, 2);
  EXPECT_NE(foo.err.find("unknown command 'foo'"), std::string::npos) << foo.err;
  const fs::path d = test_dir();
  ASSERT_EQ(run_isacbf("generate --model target_eavesdropper --seed 1 -o " + (d / "a.json").string()).code, 0);
  expect_bad(run_isacbf("solve " + (d / "a.json").string() + " --eps inf"), "eps");
}
