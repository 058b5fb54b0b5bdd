#include "apps/conic_input.hpp"

#include <cmath>
#include <cstdlib>
#include <iostream>

#include "host/common/errors.hpp"
#include "host/common/json_io.hpp"
#include "host/conic/cbf_reader.hpp"
#include "host/conic/sdpa_reader.hpp"
#include "host/conic/sdpa_solution.hpp"
#include "kernels/psd.hpp"

namespace isacbf::apps {

namespace {

using nlohmann::json;
namespace jio = isacbf::json_io;

json numbers(const Eigen::VectorXd& v) {
  json a = json::array();
  for (const double e : v) a.push_back(finite_or_null(e));
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

// One block as written by blocks_json: n numbers for a diagonal block (size -n), else n rows of n.
Eigen::MatrixXd block_of(const json& value, const std::string& path, long size) {
  const long n = std::labs(size);
  if (size < 0) return vector_of(jio::number_array(value, path, n));
  if (!value.is_array() || static_cast<long>(value.size()) != n)
    throw InputError(path, "must be " + std::to_string(n) + " rows of " + std::to_string(n) + " numbers");
  Eigen::MatrixXd m(n, n);
  for (long i = 0; i < n; ++i)
    m.row(i) = vector_of(jio::number_array(value[static_cast<std::size_t>(i)], jio::at(path, static_cast<std::size_t>(i)), n)).transpose();
  return m;
}

// The blocks of "X" or "Y" at `path` back to the conic form's rows.
Eigen::VectorXd rows_of(const json& value, const std::string& path, const std::vector<long>& sizes) {
  if (!value.is_array() || value.size() != sizes.size())
    throw InputError(path, "must be an array of the file's " + std::to_string(sizes.size()) + " blocks");
  std::vector<Eigen::MatrixXd> blocks;
  for (std::size_t k = 0; k < sizes.size(); ++k) blocks.push_back(block_of(value[k], jio::at(path, k), sizes[k]));
  return conic::sdpa_rows(sizes, blocks);
}

// svec segments of v from `first` on, one per order, as matrices.
json psd_matrices(const Eigen::VectorXd& v, Eigen::Index first, const std::vector<int>& orders) {
  json out = json::array();
  for (const int order : orders) {
    const Eigen::Index len = kernels::svec_size(order);
    out.push_back(blocks_json({order}, v.segment(first, len)).front());
    first += len;
  }
  return out;
}

// The inverse of psd_matrices: the array at `path` into v's segments from `first` on.
void read_psd_matrices(const json& value, const std::string& path, const std::vector<int>& orders, Eigen::VectorXd& v, Eigen::Index first) {
  if (!value.is_array() || value.size() != orders.size())
    throw InputError(path, "must be an array of the file's " + std::to_string(orders.size()) + " matrices");
  for (std::size_t k = 0; k < orders.size(); ++k) {
    const Eigen::VectorXd seg = conic::sdpa_rows({orders[k]}, {block_of(value[k], jio::at(path, k), orders[k])});
    v.segment(first, seg.size()) = seg;
    first += seg.size();
  }
}

}  // namespace

ConicFile read_conic_file(const std::string& path, const std::string& format, const conic::DeclaredSizeLimit& limit) {
  if (format != "auto" && format != "sdpa" && format != "cbf") throw InputError("format", "must be auto, sdpa or cbf, got '" + format + "'");
  const bool by_name = path.size() >= 4 && path.compare(path.size() - 4, 4, ".cbf") == 0;
  const bool is_cbf = format == "cbf" || (format == "auto" && by_name);
  const bool stdin_input = path == "-";
  ConicFile out;
  out.input.path = path;
  if (is_cbf) {
    conic::CbfFile f = stdin_input ? conic::parse_cbf(std::cin, "standard input", limit) : conic::read_cbf_file(path, limit);
    out.problem = std::move(f.problem);
    out.input.cbf = std::move(f.layout);
  } else {
    conic::SdpaFile f =
        stdin_input ? conic::parse_sdpa_file(std::cin, "standard input", limit) : conic::read_sdpa_file(path, limit);
    out.problem = std::move(f.problem);
    out.input.sdpa_block_sizes = std::move(f.block_sizes);
  }
  out.input.variables = out.problem.A.cols();
  return out;
}

void add_solution(json& out, const ConicInput& input, const conic::Solution& s) {
  if (!input.cbf) {
    out["x"] = s.x.size() > 0 ? numbers(s.x) : json(nullptr);
    out["X"] = s.s.size() > 0 ? blocks_json(input.sdpa_block_sizes, s.s) : json(nullptr);
    out["Y"] = s.y.size() > 0 ? blocks_json(input.sdpa_block_sizes, s.y) : json(nullptr);
    return;
  }
  const conic::CbfLayout& cbf = *input.cbf;
  const int n = cbf.scalar_variables, m = cbf.constraint_rows;
  if (s.x.size() == input.variables) {
    out["x"] = numbers(s.x.head(n));
    out["psd_x"] = psd_matrices(s.x, n, cbf.psd_variable_orders);
  } else {
    out["x"] = out["psd_x"] = nullptr;
  }
  if (s.y.size() == cbf.row_map.rows()) {
    const Eigen::VectorXd y = cbf.row_map.transpose() * s.y;  // the duals in the file's rows
    out["con_dual"] = numbers(y.head(m));
    out["var_dual"] = numbers(y.segment(m, n));
    const Eigen::Index psd_var_rows = input.variables - n;
    out["psd_var_dual"] = psd_matrices(y, m + n, cbf.psd_variable_orders);
    out["psd_con_dual"] = psd_matrices(y, m + n + psd_var_rows, cbf.psd_constraint_orders);
  } else {
    out["con_dual"] = out["var_dual"] = out["psd_var_dual"] = out["psd_con_dual"] = nullptr;
  }
}

conic::WarmStart warm_start_from(const json& j, const std::string& path, const ConicInput& input) {
  const std::string what = input.cbf ? "\"x\" (and optionally \"psd_x\" and the duals)" : "\"x\" (and optionally \"X\", \"Y\")";
  if (!j.is_object()) throw InputError(path.empty() ? "warm start" : path, "must be an object with " + what);
  conic::WarmStart w;
  if (!input.cbf) {
    w.x = vector_of(jio::number_array(jio::require(j, path, "x"), jio::child(path, "x"), input.variables));
    if (jio::has(j, "X")) w.s = rows_of(j["X"], jio::child(path, "X"), input.sdpa_block_sizes);
    if (jio::has(j, "Y")) w.y = rows_of(j["Y"], jio::child(path, "Y"), input.sdpa_block_sizes);
    return w;
  }
  const conic::CbfLayout& cbf = *input.cbf;
  const int n = cbf.scalar_variables, m = cbf.constraint_rows;
  w.x = Eigen::VectorXd::Zero(input.variables);
  w.x.head(n) = vector_of(jio::number_array(jio::require(j, path, "x"), jio::child(path, "x"), n));
  if (jio::has(j, "psd_x")) read_psd_matrices(j["psd_x"], jio::child(path, "psd_x"), cbf.psd_variable_orders, w.x, n);
  // duals: any part given (the rest 0), mapped from the file's rows to ours
  const bool any_dual = jio::has(j, "con_dual") || jio::has(j, "var_dual") || jio::has(j, "psd_var_dual") || jio::has(j, "psd_con_dual");
  if (any_dual) {
    Eigen::VectorXd y = Eigen::VectorXd::Zero(cbf.row_map.cols());
    if (jio::has(j, "con_dual")) y.head(m) = vector_of(jio::number_array(j["con_dual"], jio::child(path, "con_dual"), m));
    if (jio::has(j, "var_dual")) y.segment(m, n) = vector_of(jio::number_array(j["var_dual"], jio::child(path, "var_dual"), n));
    const Eigen::Index psd_var_rows = input.variables - n;
    if (jio::has(j, "psd_var_dual")) read_psd_matrices(j["psd_var_dual"], jio::child(path, "psd_var_dual"), cbf.psd_variable_orders, y, m + n);
    if (jio::has(j, "psd_con_dual"))
      read_psd_matrices(j["psd_con_dual"], jio::child(path, "psd_con_dual"), cbf.psd_constraint_orders, y, m + n + psd_var_rows);
    w.y = cbf.row_map * y;
  }
  return w;
}

std::vector<conic::WarmStart> read_warm_starts(const std::string& path, const std::vector<ConicInput>& inputs) {
  return jio::read_file_as(path, [&](const json& j) {
    std::vector<conic::WarmStart> warm;
    if (inputs.size() == 1 && j.is_object()) {
      warm.push_back(warm_start_from(j, "", inputs.front()));
      return warm;
    }
    if (!j.is_array() || j.size() != inputs.size())
      throw InputError("warm start", "must be one object per file: an object for one file, else an array of " +
                                         std::to_string(inputs.size()) + " (null: cold)");
    for (std::size_t i = 0; i < inputs.size(); ++i)
      warm.push_back(j[i].is_null() ? conic::WarmStart{} : warm_start_from(j[i], jio::at("", i), inputs[i]));
    return warm;
  });
}

}  // namespace isacbf::apps
