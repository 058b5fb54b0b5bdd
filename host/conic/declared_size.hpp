#pragma once
// A bound on what a conic file may declare, checked by the readers as soon as the sizes are known and
// before anything of that size is allocated: a 40-byte file can declare 2^26 variables, and the solver
// needs several vectors of rows + columns for each instance.
#include <string>

namespace isacbf::conic {

struct DeclaredSizeLimit {
  double rows_plus_columns = 0.0;  // of the conic form; 0: no bound beyond the readers' own limits
  std::string reason;              // what the bound comes from, for the message ("--memory-limit 1 GB")
};

// InputError("memory") naming the declared sizes when rows + columns pass the limit.
void check_declared_size(const DeclaredSizeLimit& limit, double rows, double columns);

}  // namespace isacbf::conic
