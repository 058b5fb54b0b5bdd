#pragma once
// Reader for the Conic Benchmark Format (CBF, versions 1-3; the format of CBLIB), which holds the cones
// the SDPA format cannot: second-order, rotated second-order and exponential cones, next to linear and
// PSD ones. File: keyword sections (VER, OBJSENSE, VAR, PSDVAR, CON, PSDCON, OBJACOORD, OBJBCOORD,
// OBJFCOORD, ACOORD, BCOORD, FCOORD, HCOORD, DCOORD), '#' comment lines, 0-based indices.
//
// Problem: min or max  c^T x + <F_obj, X> + c0  over scalar variables x (each VAR block in its cone)
// and PSD variables X_j, such that every CON block  g = A x + <F, X> + b  lies in its cone and every
// PSDCON  sum_j H_j x_j + D  is PSD.
// Mapping to  min c^T z, A z + s = b, s in K  (problem.hpp): z = [x; svec X_1; ...]; every cone block
// becomes rows s = T g in our fixed cone order, with T the identity except for
//   L- (s = -g), QR (2 g1 g2 >= |g3..|^2, g1, g2 >= 0  ->  ((g1+g2)/sqrt2, (g1-g2)/sqrt2, g3..) in Q),
//   EXP (g1 >= g2 exp(g3/g2)  ->  (r, s, t) = (g3, g2, g1)),
//   EXP* (g1 >= -g3 exp(g2/g3 - 1), g3 < 0  ->  (u, v, w) = (g3, g2, g1)).
// A maximisation is solved as the minimisation of -c; objective() gives the value in the file's terms.
// Two halves: cbf_reader.cpp parses the sections into CbfData (cbf_data.hpp), cbf_mapping.cpp maps
// that to our form. Section order is free except that declarations precede coordinates.
// Refused with InputError naming "line N" (and the file): integer variables (INT), power cones
// (POWCONES, POW*CONES), unknown keywords or cones, indices outside their ranges, an entry given twice,
// non-finite numbers, and declarations beyond the SDPA reader's limits.
#include <istream>
#include <string>
#include <vector>

#include "host/conic/declared_size.hpp"
#include "host/conic/problem.hpp"

namespace isacbf::conic {

// What maps the solver's z and objective back to the file's terms.
struct CbfLayout {
  bool maximize = false;
  double objective_constant = 0.0;  // OBJBCOORD
  int scalar_variables = 0;         // x is z.head(scalar_variables); svec X_j follow in order
  std::vector<int> psd_variable_orders;
  // The file's rows g, in this order: CON rows, one row per scalar variable (its VAR cone; free ones
  // stay 0), svec of each PSD variable, svec of each PSDCON. Our rows are s = T g with T orthogonal and
  // symmetric on each cone block; row_map holds T (our rows x the file's rows), so a dual in the file's
  // rows is y_file = row_map^T y and back y = row_map y_file.
  int constraint_rows = 0;
  std::vector<int> psd_constraint_orders;
  Eigen::SparseMatrix<double> row_map;

  // The objective in the file's sense from the solver's c^T z (or -b^T y).
  double objective(double solver_objective) const { return (maximize ? -solver_objective : solver_objective) + objective_constant; }
};

struct CbfFile {
  ConicProblem problem;
  CbfLayout layout;
};

// `limit`: a bound on the declared rows + columns, checked before the mapping (declared_size.hpp).
CbfFile read_cbf_file(const std::string& path, const DeclaredSizeLimit& limit = {});
CbfFile parse_cbf(std::istream& in, const std::string& name = "<stream>", const DeclaredSizeLimit& limit = {});

}  // namespace isacbf::conic
