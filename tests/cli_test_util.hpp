#pragma once
// Running the `isacbf` binary from a test: exit code, stdout and stderr, captured in a scratch
// directory per test (ctest runs tests in parallel processes) that is removed when the program ends.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace isacbf::testing {

namespace fs = std::filesystem;

struct CliRun {
  int code;  // exit status (-1 when killed by a signal)
  std::string out, err;
};

inline fs::path process_dir() { return fs::temp_directory_path() / ("isacbf_test_" + std::to_string(::getpid())); }

struct ScratchCleanup : ::testing::Environment {
  void TearDown() override { fs::remove_all(process_dir()); }
};
inline const auto* const kScratchCleanup = ::testing::AddGlobalTestEnvironment(new ScratchCleanup);

// This test's own directory (created on first use).
inline fs::path test_dir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  fs::path dir = process_dir() / (std::string(info->test_suite_name()) + "_" + info->name());
  fs::create_directories(dir);
  return dir;
}

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Shell-quoted path (built by appending: GCC 12's -Wrestrict misfires on "'" + s + "'").
inline std::string quoted(const fs::path& p) {
  std::string q(1, '\'');
  q.append(p.string()).push_back('\'');
  return q;
}

// The binary under test: the build's own, or ISACBF_TEST_BINARY when set (a test program carried to a
// GPU machine with a packed isacbf, bench/gpu_pending_checks.sh, where the build's path does not exist).
inline std::string isacbf_binary() {
  const char* env = std::getenv("ISACBF_TEST_BINARY");
  return env != nullptr && *env != '\0' ? std::string(env) : std::string(ISACBF_BINARY);
}

inline CliRun run_isacbf(const std::string& args) {
  const fs::path dir = test_dir();
  std::string cmd = quoted(fs::path(isacbf_binary()));
  cmd.append(" ").append(args).append(" >").append(quoted(dir / "stdout")).append(" 2>").append(quoted(dir / "stderr"));
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(dir / "stdout"), slurp(dir / "stderr")};
}

// A run that asked for the GPU: true when it exited 3 saying so (no device, or a build without CUDA); else
// it must have succeeded (exit 0, recorded as a failure otherwise) and the caller checks its output.
inline bool exited_without_gpu(const CliRun& r) {
  if (r.code == 3) {
    EXPECT_NE(r.err.find("GPU"), std::string::npos) << r.err;
    return true;
  }
  EXPECT_EQ(r.code, 0) << r.err;
  return false;
}

}  // namespace isacbf::testing
