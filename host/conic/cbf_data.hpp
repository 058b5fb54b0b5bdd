#pragma once
// A CBF file's content as written, 0-based, every index already checked against the declarations:
// cbf_reader.cpp parses a file into it and cbf_mapping.cpp maps it to our conic form (cbf_to_conic).
#include <tuple>
#include <utility>
#include <vector>

#include "host/conic/cbf_reader.hpp"

namespace isacbf::conic {

enum class CbfCone { free, nonneg, nonpos, zero, soc, rsoc, exp, dexp };

struct CbfConeBlock {
  CbfCone kind;
  long size;
};

// An entry (row, col) of a symmetric matrix, row >= col (the reader orders the pair).
struct CbfMatrixEntry {
  long matrix;  // which PSD variable or PSD constraint
  long row, col;
  double value;
};

struct CbfData {
  bool maximize = false;
  double objective_constant = 0.0;                            // OBJBCOORD
  long variables = 0, constraints = 0;                        // scalar variables (VAR), CON rows
  std::vector<CbfConeBlock> variable_cones, constraint_cones;  // VAR and CON cones, in order
  std::vector<int> psd_variable_orders, psd_constraint_orders;
  std::vector<std::pair<long, double>> objective;             // OBJACOORD: variable, value
  std::vector<CbfMatrixEntry> objective_psd;                  // OBJFCOORD: PSD variable's entry
  std::vector<std::tuple<long, long, double>> a;              // ACOORD: constraint, variable, value
  std::vector<std::pair<long, double>> b;                     // BCOORD: constraint, value
  std::vector<std::pair<long, CbfMatrixEntry>> f;             // FCOORD: constraint, PSD variable's entry
  std::vector<std::pair<long, CbfMatrixEntry>> h;             // HCOORD: variable, PSD constraint's entry
  std::vector<CbfMatrixEntry> d;                              // DCOORD: PSD constraint's entry
};

// The mapping of cbf_reader.hpp's header comment. InputError("CON") when the cones need more rows, or
// the variables more columns, than the SDPA reader's limit.
CbfFile cbf_to_conic(const CbfData& data);

}  // namespace isacbf::conic
