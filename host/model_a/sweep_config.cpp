#include "host/model_a/sweep_config.hpp"

#include "host/common/errors.hpp"
#include "host/common/json_io.hpp"
#include "host/model_a/io.hpp"

namespace isacbf::model_a {

namespace ji = json_io;
using nlohmann::json;

namespace {
const std::vector<std::string> kKeys = {"model", "base", "grid", "realisations", "seed", "scheme", "sca_update", "form",
                       "delta", "max_iterations", "s_random_draws", "eps", "backend", "batch_size", "description", "feasibility_only"};

bool solver_key(const std::string& k) { return k == "scheme" || k == "sca_update"; }
}  // namespace

SweepConfig sweep_config_from_json(const json& j) {
  SweepConfig c;
  sweep::check_keys(j, kKeys, c);
  if (ji::has(j, "model") && j["model"] != kModelName)
    throw InputError("model", std::string("must be ") + kModelName + " (model A, the default) or aerial_eavesdroppers (model B), got " +
                                  j["model"].dump());
  if (ji::has(j, "base")) c.base = scenario_from_json(j["base"]);
  if (ji::has(j, "grid"))
    c.grid = sweep::parse_grid(j["grid"], [&](const std::string& key, const json& value) {
      if (key == "scheme") parse_scheme(value.get<std::string>());
      else if (key == "sca_update") parse_sca_update(value.get<std::string>());
      else {
        Scenario probe = c.base;
        set_parameter(probe, key, value);
      }
    });
  sweep::read_repetitions(j, c);
  if (ji::has(j, "scheme")) c.sca.scheme = parse_scheme(j["scheme"].get<std::string>());
  if (ji::has(j, "sca_update")) c.sca.update = parse_sca_update(j["sca_update"].get<std::string>());
  if (ji::has(j, "form")) {
    const std::string f = j["form"].get<std::string>();
    if (f != "reduced" && f != "full") throw InputError("form", "must be reduced or full");
    c.sca.form = f == "full" ? Form::full : Form::reduced;
  }
  c.sca.delta = ji::optional_number(j, "", "delta", c.sca.delta);
  c.sca.max_iterations = ji::optional_int(j, "", "max_iterations", c.sca.max_iterations, 1, 100000);
  c.sca.s_random_draws = ji::optional_int(j, "", "s_random_draws", c.sca.s_random_draws, 1, 100000);
  const double eps = ji::optional_number(j, "", "eps", 1e-5);
  if (!(eps > 0.0)) throw InputError("eps", "must be positive");
  c.sca.solver.eps_abs = c.sca.solver.eps_rel = eps;
  c.sca.s_random_seed = c.seed;
  if (ji::has(j, "feasibility_only")) {
    if (!j["feasibility_only"].is_boolean()) throw InputError("feasibility_only", "must be true or false");
    c.sca.feasibility_only = j["feasibility_only"].get<bool>();
  }
  c.sca.validate();
  if (ji::has(j, "backend")) c.backend = j["backend"].get<std::string>();
  // Every point's instance (the scenario's ranges are checked on the instance it draws), before any work.
  sweep::check_points(c.grid, [&](const GridPoint& p) { validate(generate(point_scenario(c, p), c.seed)); });
  return c;
}

std::vector<GridPoint> grid_points(const SweepConfig& c) { return sweep::cartesian_grid(c.grid); }

Scenario point_scenario(const SweepConfig& c, const GridPoint& p) {
  Scenario s = c.base;
  for (std::size_t d = 0; d < c.grid.size(); ++d)
    if (!solver_key(c.grid[d].first)) set_parameter(s, c.grid[d].first, p.values[d]);
  return s;
}

ScaOptions point_options(const SweepConfig& c, const GridPoint& p) {
  ScaOptions o = c.sca;
  for (std::size_t d = 0; d < c.grid.size(); ++d) {
    if (c.grid[d].first == "scheme") o.scheme = parse_scheme(p.values[d].get<std::string>());
    if (c.grid[d].first == "sca_update") o.update = parse_sca_update(p.values[d].get<std::string>());
  }
  return o;
}

}  // namespace isacbf::model_a
