#pragma once
// The files of `isacbf conic`: SDPA sparse (.dat-s, any name not ending in .cbf) or CBF (.cbf), read into
// the one conic form, and their points in the file's own terms as JSON: written by --solution and read
// back by --warm-start.
//   SDPA: "x" (m numbers), "X" = sum x_i F_i - F_0 and "Y" (the dual matrix), block by block in file
//         order, a block as its rows and a diagonal block as its diagonal (host/conic/sdpa_solution.hpp).
//   CBF:  "x" (the scalar variables), "psd_x" (each PSD variable as its rows), and the duals in the
//         file's rows, each block in its dual cone with G^T y = c (G: all coefficients of the file's
//         rows; c of the minimisation, -c for MAX): "con_dual" (CON rows), "var_dual" (VAR cone rows,
//         0 for free variables), "psd_var_dual" and "psd_con_dual" (matrices).
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "host/conic/cbf_reader.hpp"
#include "host/conic/problem.hpp"

namespace isacbf::apps {

// What maps a file's problem and solution to the file's own terms (the problem itself travels apart, to
// the solver, without a copy).
struct ConicInput {
  std::string path;
  Eigen::Index variables = 0;           // columns of the problem's A (the length of x)
  std::vector<long> sdpa_block_sizes;   // SDPA files
  std::optional<conic::CbfLayout> cbf;  // CBF files

  // An objective of the solver (c^T z or -b^T y) in the file's convention.
  double objective(double solver_objective) const { return cbf ? cbf->objective(solver_objective) : solver_objective; }
};

struct ConicFile {
  conic::ConicProblem problem;
  ConicInput input;
};

// `format` "auto" (by the name: ".cbf" is CBF, anything else SDPA), "sdpa" or "cbf"; the path "-" reads
// standard input (SDPA unless the format says cbf). InputError naming the file and line.
// `limit` bounds the declared sizes before the problem is built (conic/declared_size.hpp).
ConicFile read_conic_file(const std::string& path, const std::string& format = "auto",
                          const conic::DeclaredSizeLimit& limit = {});

// A number as the conic output writes it: null when not finite (JSON has no NaN or infinity).
inline nlohmann::json finite_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

// Adds the point's members to `out` (null where the solve returned no vector; non-finite numbers as null).
void add_solution(nlohmann::json& out, const ConicInput& input, const conic::Solution& s);

// A warm start from one object as add_solution writes it ("x" required; the rest optional, a missing
// dual part 0; other members ignored). InputError naming the field under `path`.
conic::WarmStart warm_start_from(const nlohmann::json& j, const std::string& path, const ConicInput& input);

// The warm starts of a batch from a --solution output file: one object for one file, an array with an
// object (or null: cold) per file for several. InputError naming the file and the field.
std::vector<conic::WarmStart> read_warm_starts(const std::string& path, const std::vector<ConicInput>& inputs);

}  // namespace isacbf::apps
