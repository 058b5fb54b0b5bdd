#include "host/conic/psd_method.hpp"

#include "host/common/errors.hpp"

namespace isacbf::conic {

const char* to_string(PsdMethod method) {
  switch (method) {
    case PsdMethod::automatic: return "auto";
    case PsdMethod::eigen: return "eigen";
    case PsdMethod::lapack_evd: return "lapack_evd";
    case PsdMethod::lapack_evr: return "lapack_evr";
    case PsdMethod::lapack_partial: return "lapack_partial";
  }
  return "?";
}

PsdMethod psd_method_from_string(const std::string& name) {
  for (PsdMethod m : {PsdMethod::automatic, PsdMethod::eigen, PsdMethod::lapack_evd, PsdMethod::lapack_evr,
                      PsdMethod::lapack_partial})
    if (name == to_string(m)) return m;
  throw InputError("psd_method", "unknown method '" + name + "' (auto, eigen, lapack_evd, lapack_evr, lapack_partial)");
}

PsdMethod choose_psd_method(int n, bool complex) {
  if (!lapack_available()) return PsdMethod::eigen;
  // Crossovers measured with bench_eig_cpu (docs/solver.md, "PSD projection on the CPU").
  const int lapack_from = complex ? 16 : 64;
  return n >= lapack_from ? PsdMethod::lapack_partial : PsdMethod::eigen;
}

}  // namespace isacbf::conic
