#include "host/common/sweep_shard.hpp"

#include <cstdlib>
#include <string>

#include "host/common/errors.hpp"
#include "host/common/whole_number.hpp"

namespace isacbf::sweep {

namespace {

Shard checked(long index, long count, const std::string& text) {
  if (index < 0 || count < 1 || index >= count)
    throw InputError("--shard", "expected I/N with 0 <= I < N (or auto), got '" + text + "'");
  return {static_cast<int>(index), static_cast<int>(count)};
}

}  // namespace

Shard parse_shard(const std::string& text) {
  if (text == "auto") return shard_from_environment();
  const auto slash = text.find('/');
  if (slash == std::string::npos) checked(-1, 0, text);
  return checked(parse_whole_number(text.substr(0, slash)), parse_whole_number(text.substr(slash + 1)), text);
}

Shard shard_from_environment() {
  static const char* const kPairs[][2] = {{"OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE"},
                                          {"PMI_RANK", "PMI_SIZE"},
                                          {"SLURM_PROCID", "SLURM_NTASKS"}};
  for (const auto& pair : kPairs) {
    const char* rank = std::getenv(pair[0]);
    const char* size = std::getenv(pair[1]);
    if (!rank || !size) continue;
    const std::string text = std::string(rank) + "/" + size;
    return checked(parse_whole_number(rank), parse_whole_number(size), std::string(pair[0]) + "/" + pair[1] + " = " + text);
  }
  return {};
}

std::string results_file_name(const Shard& shard) {
  if (shard.count == 1) return "results.csv";
  return "results.shard-" + std::to_string(shard.index) + "-of-" + std::to_string(shard.count) + ".csv";
}

}  // namespace isacbf::sweep
