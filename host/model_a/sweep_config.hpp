#pragma once
// Monte Carlo sweep configuration (docs/sweep.md): a base scenario, a grid over any scenario parameter
// (and over the solver choices "scheme" and "sca_update"), R seeded realisations per grid point.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "host/common/sweep_dir.hpp"
#include "host/model_a/generator.hpp"
#include "host/model_a/sca.hpp"

namespace isacbf::model_a {

struct SweepConfig : sweep::ConfigCommon {  // raw, grid, realisations, seed, backend, batch_size
  Scenario base;
  ScaOptions sca;  // defaults for scheme / sca_update / form ...
};

// One grid point: its index and the value of every grid key (parallel to SweepConfig::grid).
using GridPoint = sweep::GridPoint;

// Parses and validates; throws InputError naming the key ("grid.Nt[2]", "realisations", ...).
SweepConfig sweep_config_from_json(const nlohmann::json& j);

std::vector<GridPoint> grid_points(const SweepConfig& config);  // cartesian product, last key fastest

// The scenario and SCA options of one grid point (grid values applied to the base).
Scenario point_scenario(const SweepConfig& config, const GridPoint& point);
ScaOptions point_options(const SweepConfig& config, const GridPoint& point);

}  // namespace isacbf::model_a
