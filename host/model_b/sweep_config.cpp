#include "host/model_b/sweep_config.hpp"

#include <algorithm>

#include "host/common/errors.hpp"
#include "host/common/json_io.hpp"
#include "host/model_b/instance.hpp"
#include "host/model_b/solve.hpp"

namespace isacbf::model_b {

namespace ji = json_io;
using nlohmann::json;

namespace {

const std::vector<std::string> kKeys = {"model", "base", "grid", "realisations", "seed", "scheme", "n_rf", "delta", "eps",
                       "solver", "backend", "batch_size", "description"};

void check_scheme(const std::string& scheme) {
  const auto& names = scheme_names();
  if (scheme != "proposed" && std::find(names.begin(), names.end(), scheme) == names.end())
    throw InputError("scheme", "unknown scheme '" + scheme + "' (proposed or a solve-b scheme)");
}

std::string string_value(const json& j, const std::string& key) {
  if (!j[key].is_string()) throw InputError(key, "must be a string");
  return j[key].get<std::string>();
}

}  // namespace

bool is_model_b_sweep(const json& j) { return j.is_object() && j.contains("model") && j["model"] == kModelName; }

SweepConfig sweep_config_from_json(const json& j) {
  if (!is_model_b_sweep(j)) throw InputError("model", std::string("a model-B sweep says \"model\": \"") + kModelName + "\"");
  SweepConfig c;
  sweep::check_keys(j, kKeys, c);
  if (ji::has(j, "base")) c.base = scenario_from_json(j["base"]);
  if (ji::has(j, "scheme")) c.scheme = string_value(j, "scheme");
  check_scheme(c.scheme);
  c.n_rf = ji::optional_int(j, "", "n_rf", 0, 0, 4096);
  if (ji::has(j, "grid"))
    c.grid = sweep::parse_grid(j["grid"], [&](const std::string& key, const json& value) {
      if (key == "scheme") {
        check_scheme(value.get<std::string>());
      } else if (key == "n_rf") {
        ji::integer(value, key, 0, 4096);
      } else {
        Scenario probe = c.base;
        set_parameter(probe, key, value);
      }
    });
  sweep::read_repetitions(j, c);
  c.delta = ji::optional_number(j, "", "delta", c.delta);
  if (!(c.delta > 0.0)) throw InputError("delta", "must be positive");
  c.eps = ji::optional_number(j, "", "eps", c.eps);
  if (!(c.eps > 0.0)) throw InputError("eps", "must be positive");
  if (ji::has(j, "solver")) c.solver = string_value(j, "solver");
  if (c.solver != "auto" && c.solver != "admm" && c.solver != "cvxopt" && c.solver != "gpu")
    throw InputError("solver", "must be auto, admm, cvxopt or gpu");
  if (ji::has(j, "backend")) c.backend = string_value(j, "backend");
  if (c.backend != "cpu" && c.backend != "gpu") throw InputError("backend", "must be cpu or gpu");
  // Every point's scenario and RF chains, before any work.
  sweep::check_points(c.grid, [&](const sweep::GridPoint& p) {
    const Scenario s = point_scenario(c, p);
    validate(s);
    const std::string scheme = point_scheme(c, p);
    if (scheme != "had" && scheme != "decomposed_had") return;
    const int n_rf = point_n_rf(c, p) > 0 ? point_n_rf(c, p) : s.N_RF;
    if (n_rf < 1) throw InputError("n_rf", "hybrid schemes need N_RF >= 1 (the scenario's N_RF or n_rf)");
    if (n_rf > s.Nt) throw InputError("n_rf", "must be <= Nt (" + std::to_string(s.Nt) + "), got " + std::to_string(n_rf));
  });
  return c;
}

Scenario point_scenario(const SweepConfig& c, const sweep::GridPoint& p) {
  Scenario s = c.base;
  for (std::size_t d = 0; d < c.grid.size(); ++d)
    if (c.grid[d].first != "scheme" && c.grid[d].first != "n_rf") set_parameter(s, c.grid[d].first, p.values[d]);
  return s;
}

int point_n_rf(const SweepConfig& c, const sweep::GridPoint& p) {
  int n_rf = c.n_rf;
  for (std::size_t d = 0; d < c.grid.size(); ++d)
    if (c.grid[d].first == "n_rf") n_rf = p.values[d].get<int>();
  return n_rf;
}

std::string point_scheme(const SweepConfig& c, const sweep::GridPoint& p) {
  std::string scheme = c.scheme;
  for (std::size_t d = 0; d < c.grid.size(); ++d)
    if (c.grid[d].first == "scheme") scheme = p.values[d].get<std::string>();
  if (scheme != "proposed") return scheme;
  const int n_rf = point_n_rf(c, p);
  return (n_rf > 0 ? n_rf : point_scenario(c, p).N_RF) > 0 ? "had" : "digital";
}

}  // namespace isacbf::model_b
