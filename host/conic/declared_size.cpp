#include "host/conic/declared_size.hpp"

#include <cstdio>

#include "host/common/errors.hpp"

namespace isacbf::conic {

void check_declared_size(const DeclaredSizeLimit& limit, double rows, double columns) {
  if (!(limit.rows_plus_columns > 0.0) || rows + columns <= limit.rows_plus_columns) return;
  char text[240];
  std::snprintf(text, sizeof text, "the file declares %.0f rows and %.0f columns, more than %.0f in all (%s)", rows, columns,
                limit.rows_plus_columns, limit.reason.c_str());
  throw InputError("memory", text);
}

}  // namespace isacbf::conic
