#pragma once
// Runs the isacbf binary (ISACBF_BINARY) with arguments and captures exit code, stdout and stderr
// through files in a directory the caller owns (ctest runs tests in parallel: one directory per test).
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace isacbf::test {

struct CliRun {
  int code;
  std::string out, err;
};

inline std::string slurp_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline CliRun run_isacbf_in(const std::filesystem::path& dir, const std::string& args) {
  std::filesystem::create_directories(dir);
  const auto out = dir / "stdout", err = dir / "stderr";
  const std::string cmd = std::string("'") + ISACBF_BINARY + "' " + args + " >'" + out.string() + "' 2>'" + err.string() + "'";
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp_file(out), slurp_file(err)};
}

}  // namespace isacbf::test
