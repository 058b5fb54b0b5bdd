#pragma once
// Monte Carlo sweep configuration for model B (docs/sweep.md, "Model B"): a base scenario, a grid over
// any scenario parameter and the solver choices "scheme" and "n_rf", R seeded realisations per point.
// The config says "model": "aerial_eavesdroppers"; without it `isacbf sweep` reads a model-A config.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "host/common/sweep_dir.hpp"
#include "host/model_b/generator.hpp"

namespace isacbf::model_b {

struct SweepConfig : sweep::ConfigCommon {  // raw, grid, realisations, seed, backend, batch_size
  Scenario base;
  std::string scheme = "proposed";  // proposed (had when the point's N_RF > 0, else digital) or a solve-b scheme
  int n_rf = 0;                   // hybrid schemes: RF chains (0: the scenario's N_RF)
  double delta = 1e-3;            // FP / HAD stopping rule
  double eps = 1e-6;              // conic tolerance (ADMM)
  std::string solver = "auto";    // auto (CVXOPT when installed, else ADMM) | admm | cvxopt | gpu (GPU batched ADMM)
  // backend gpu: HAD analog steps and MO-AltMin fits on the GPU's batched Riemannian kernels; a batch's
  // instances of one scheme run as one lockstep batch.
};

// Parses and validates; throws InputError naming the key ("grid.Nt[2]", "scheme", ...).
SweepConfig sweep_config_from_json(const nlohmann::json& j);

// Whether a parsed config JSON is a model-B sweep ("model": "aerial_eavesdroppers").
bool is_model_b_sweep(const nlohmann::json& j);

// The scenario, scheme and RF chains of one grid point (grid values applied to the base; scheme
// "proposed" resolved).
Scenario point_scenario(const SweepConfig& config, const sweep::GridPoint& point);
std::string point_scheme(const SweepConfig& config, const sweep::GridPoint& point);
int point_n_rf(const SweepConfig& config, const sweep::GridPoint& point);

}  // namespace isacbf::model_b
