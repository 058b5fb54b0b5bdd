#pragma once
// The field an InputError names when f() throws one, "<no error>" when it returns (tests of bad input).
#include <string>
#include <utility>

#include "host/common/errors.hpp"

namespace isacbf::testing {

template <class F>
std::string field_of(F&& f) {
  try {
    std::forward<F>(f)();
  } catch (const InputError& e) {
    return e.field();
  }
  return "<no error>";
}

}  // namespace isacbf::testing
