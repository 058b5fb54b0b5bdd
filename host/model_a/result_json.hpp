#pragma once
// The model A result JSON printed by `isacbf solve` (formats.md "Result"): the required keys, plus
// optional extras (scheme, sca_update, form, secrecy_rate_trace, conic_solves, s_random_draws,
// seed, file, message, constraint margins). Metrics are null when there is no design (infeasible).
#include <nlohmann/json.hpp>
#include <string>

#include "host/model_a/instance.hpp"
#include "host/model_a/sca.hpp"

namespace isacbf::model_a {

struct ResultContext {
  std::string backend = "cpu";   // formats.md: cpu | gpu
  std::string solver;            // extra detail ("admm", "cvxopt"), omitted when empty
  std::string file;              // instance file, omitted when empty
  bool full = false;             // include Q, S and the rank-one beamformers w
};

nlohmann::json result_to_json(const Instance& inst, const ScaOutcome& outcome, const ScaOptions& options,
                              const ResultContext& context);

}  // namespace isacbf::model_a
