#include "apps/sdpa_solution_json.hpp"

#include <cmath>
#include <cstdlib>

#include "host/common/errors.hpp"
#include "host/common/json_io.hpp"
#include "host/conic/sdpa_solution.hpp"

namespace isacbf::apps {

namespace {

using nlohmann::json;
namespace jio = isacbf::json_io;

json numbers(const Eigen::VectorXd& v) {
  json a = json::array();
  for (const double e : v) a.push_back(std::isfinite(e) ? json(e) : json(nullptr));
  return a;
}

json blocks_json(const std::vector<long>& sizes, const Eigen::VectorXd& rows) {
  const std::vector<Eigen::MatrixXd> blocks = conic::sdpa_blocks(sizes, rows);
  json out = json::array();
  for (std::size_t k = 0; k < blocks.size(); ++k) {
    if (sizes[k] < 0) {
      out.push_back(numbers(blocks[k].col(0)));
      continue;
    }
    json matrix = json::array();
    for (Eigen::Index i = 0; i < blocks[k].rows(); ++i) matrix.push_back(numbers(blocks[k].row(i).transpose()));
    out.push_back(std::move(matrix));
  }
  return out;
}

Eigen::VectorXd vector_of(const std::vector<double>& v) { return Eigen::Map<const Eigen::VectorXd>(v.data(), static_cast<Eigen::Index>(v.size())); }

// The blocks of "X" or "Y" at `path` back to the conic form's rows.
Eigen::VectorXd rows_of(const json& value, const std::string& path, const std::vector<long>& sizes) {
  if (!value.is_array() || value.size() != sizes.size())
    throw InputError(path, "must be an array of the file's " + std::to_string(sizes.size()) + " blocks");
  std::vector<Eigen::MatrixXd> blocks;
  for (std::size_t k = 0; k < sizes.size(); ++k) {
    const std::string bp = jio::at(path, k);
    const long n = std::labs(sizes[k]);
    if (sizes[k] < 0) {
      blocks.emplace_back(vector_of(jio::number_array(value[k], bp, n)));
      continue;
    }
    if (!value[k].is_array() || static_cast<long>(value[k].size()) != n)
      throw InputError(bp, "must be " + std::to_string(n) + " rows of " + std::to_string(n) + " numbers");
    Eigen::MatrixXd m(n, n);
    for (long i = 0; i < n; ++i) m.row(i) = vector_of(jio::number_array(value[k][static_cast<std::size_t>(i)], jio::at(bp, static_cast<std::size_t>(i)), n)).transpose();
    blocks.push_back(std::move(m));
  }
  return conic::sdpa_rows(sizes, blocks);
}

}  // namespace

void add_sdpa_solution(json& out, const std::vector<long>& block_sizes, const conic::Solution& s) {
  out["x"] = s.x.size() > 0 ? numbers(s.x) : json(nullptr);
  out["X"] = s.s.size() > 0 ? blocks_json(block_sizes, s.s) : json(nullptr);
  out["Y"] = s.y.size() > 0 ? blocks_json(block_sizes, s.y) : json(nullptr);
}

conic::WarmStart sdpa_warm_start(const json& j, const std::string& path, const conic::SdpaFile& file) {
  if (!j.is_object()) throw InputError(path.empty() ? "warm start" : path, "must be an object with \"x\" (and optionally \"X\", \"Y\")");
  conic::WarmStart w;
  w.x = vector_of(jio::number_array(jio::require(j, path, "x"), jio::child(path, "x"), file.problem.A.cols()));
  if (jio::has(j, "X")) w.s = rows_of(j["X"], jio::child(path, "X"), file.block_sizes);
  if (jio::has(j, "Y")) w.y = rows_of(j["Y"], jio::child(path, "Y"), file.block_sizes);
  return w;
}

std::vector<conic::WarmStart> read_sdpa_warm_starts(const std::string& path, const std::vector<conic::SdpaFile>& files) {
  return jio::read_file_as(path, [&](const json& j) {
    std::vector<conic::WarmStart> warm;
    if (files.size() == 1 && j.is_object()) {
      warm.push_back(sdpa_warm_start(j, "", files.front()));
      return warm;
    }
    if (!j.is_array() || j.size() != files.size())
      throw InputError("warm start", "must be one object per file: an object for one file, else an array of " +
                                         std::to_string(files.size()) + " (null: cold)");
    for (std::size_t i = 0; i < files.size(); ++i)
      warm.push_back(j[i].is_null() ? conic::WarmStart{} : sdpa_warm_start(j[i], jio::at("", i), files[i]));
    return warm;
  });
}

}  // namespace isacbf::apps
