#pragma once
// `isacbf conic`'s point in an SDPA file's terms, as JSON: written by --solution ("x", "X", "Y"; blocks
// in file order, a block as its rows, a diagonal block as its diagonal) and read back by --warm-start.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "host/conic/problem.hpp"
#include "host/conic/sdpa_reader.hpp"

namespace isacbf::apps {

// Adds "x", "X" and "Y" to `out` (null where the solve returned no vector; non-finite numbers as null).
void add_sdpa_solution(nlohmann::json& out, const std::vector<long>& block_sizes, const conic::Solution& s);

// A warm start from one object with "x" (m numbers) and optionally "X" and "Y" (other members, such as
// the rest of a --solution output, are ignored). InputError naming the field under `path`.
conic::WarmStart sdpa_warm_start(const nlohmann::json& j, const std::string& path, const conic::SdpaFile& file);

// The warm starts of a batch from a --solution output file: one object for one file, an array with an
// object (or null: cold) per file for several. InputError naming the file and the field.
std::vector<conic::WarmStart> read_sdpa_warm_starts(const std::string& path, const std::vector<conic::SdpaFile>& files);

}  // namespace isacbf::apps
