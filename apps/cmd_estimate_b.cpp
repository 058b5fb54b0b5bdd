// `isacbf estimate-b INSTANCE [--design FILE] [--offsets-dB LIST] [--trials N] [--seed S] [-o OUT]`:
// AE angle RMSE of MUSIC and MLE versus the sensing SCNR (model-b.md Fig. 10). The SCNR is varied by
// raising the radar noise sigma_r^2 by each offset; the design is the given one, or the digital
// design of the instance.
#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>

#include "apps/command.hpp"
#include "apps/seed_option.hpp"
#include "host/common/errors.hpp"
#include "host/common/json_io.hpp"
#include "host/common/units.hpp"
#include "host/model_b/angle_estimation.hpp"
#include "host/model_b/io.hpp"
#include "host/model_b/metrics.hpp"
#include "host/model_b/solve.hpp"

namespace isacbf::apps {
namespace {

struct EstimateOptions {
  std::string instance, design, output;
  std::vector<double> offsets{0.0, 5.0, 10.0, 15.0, 20.0};
  int trials = 20;
  std::uint64_t seed = 1;
};

// Limits checked before any work: each trial simulates an echo, each offset raises sigma_r_dBm.
void check_options(const EstimateOptions& opt, const model_b::Instance& inst) {
  if (inst.J < 1) throw InputError("J", "estimate-b needs at least one AE (J >= 1)", opt.instance);
  if (opt.trials < 1 || opt.trials > model_b::kMaxTrials)
    throw InputError("--trials", "must be in [1, " + std::to_string(model_b::kMaxTrials) + "], got " + std::to_string(opt.trials));
  for (double offset : opt.offsets)
    if (!std::isfinite(offset) || std::abs(inst.sigma_r_dBm + offset) > 1000.0)
      throw InputError("--offsets-dB", "each offset must be finite and keep sigma_r_dBm + offset within +-1000");
  try {
    model_b::check_echo_size(inst);
  } catch (const InputError& e) {
    throw e.in_file(opt.instance);
  }
}

void run_estimate(const EstimateOptions& opt) {
  const model_b::Instance inst = model_b::read_instance(opt.instance);
  check_options(opt, inst);
  model_b::Design design;
  if (!opt.design.empty()) {
    design = model_b::read_design(opt.design, inst);
  } else {
    model_b::SolveOptions so;
    so.include_design = true;
    const auto result = model_b::solve_instance(inst, so);
    if (result["status"] == "infeasible") {  // a normal result (exit 0): there is no design to sense with
      json_io::write_output({{"model", model_b::kModelName},
                             {"status", "infeasible"},
                             {"message", "the digital design of the instance is infeasible, so there is no echo to "
                                         "estimate from; pass --design to use another design"}},
                            opt.output);
      return;
    }
    design = model_b::design_from_json(result["design"], inst);
  }
  nlohmann::json rows = nlohmann::json::array();
  for (double offset : opt.offsets) {
    model_b::Instance noisy = inst;
    noisy.sigma_r_dBm += offset;
    const model_b::Metrics m = model_b::evaluate(noisy, design);
    const double min_scnr = *std::min_element(m.scnr.begin(), m.scnr.end());
    rows.push_back({{"sigma_r_offset_dB", offset},
                    {"min_scnr_dB", linear_to_db(min_scnr)},
                    {"rmse_music_deg", model_b::angle_rmse_deg(noisy, design, model_b::Estimator::music, opt.trials, opt.seed)},
                    {"rmse_mle_deg", model_b::angle_rmse_deg(noisy, design, model_b::Estimator::mle, opt.trials, opt.seed)},
                    {"trials", opt.trials}});
  }
  json_io::write_output(rows, opt.output);
}

void attach(CLI::App& root) {
  auto opt = std::make_shared<EstimateOptions>();
  auto* cmd = root.add_subcommand("estimate-b", "AE angle RMSE (MUSIC, MLE) versus sensing SCNR for a model-B instance");
  cmd->add_option("instance", opt->instance, "instance JSON file")->required();
  cmd->add_option("--design", opt->design, "design JSON (default: the digital design of the instance)");
  cmd->add_option("--offsets-dB", opt->offsets, "radar-noise increases, dB (default 0 5 10 15 20)");
  cmd->add_option("--trials", opt->trials, "echoes per point, 1..10000 (default 20)");
  cmd->add_option("--seed", opt->seed, "first echo seed (default 1)")->check(whole_number_validator());
  cmd->add_option("-o,--output", opt->output, "output JSON (default: stdout)");
  cmd->callback([opt] { run_estimate(*opt); });
}

RegisterCommand reg{"estimate-b", attach};

}  // namespace
}  // namespace isacbf::apps
