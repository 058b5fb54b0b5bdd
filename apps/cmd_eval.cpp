// `isacbf eval INSTANCE DESIGN [--pattern]`: metrics of a given design as JSON on stdout.
#include <cmath>
#include <iostream>
#include <memory>

#include "apps/command.hpp"
#include "host/common/errors.hpp"
#include "host/common/json_io.hpp"
#include "host/common/model_kind.hpp"
#include "host/model_a/io.hpp"
#include "host/model_a/metrics.hpp"
#include "host/model_b/io.hpp"
#include "host/model_b/metrics.hpp"

namespace isacbf::apps {
namespace {

using nlohmann::json;

constexpr double kMinPatternStep = 1e-3;  // degrees

struct EvalOptions {
  std::string instance, design;
  bool pattern = false;
  double pattern_step = 1.0;
};

std::vector<double> pattern_angles(double step) {
  std::vector<double> angles;
  const int n = static_cast<int>(std::floor(180.0 / step + 1e-9));
  for (int i = 0; i <= n; ++i) angles.push_back(-90.0 + i * step);
  return angles;
}

json eval_a(const EvalOptions& opt) {
  const auto inst = model_a::read_instance(opt.instance);
  const auto design = model_a::read_design(opt.design, inst);
  json out = model_a::to_json(model_a::evaluate(inst, design), inst);
  if (opt.pattern) {
    Eigen::MatrixXcd Q_sum = Eigen::MatrixXcd::Zero(inst.Nt, inst.Nt);
    for (const auto& q : design.Q) Q_sum += q;
    const auto theta = pattern_angles(opt.pattern_step);
    out["beam_pattern"] = {{"theta_deg", theta},
                           {"communication", model_a::beam_pattern(inst.Nt, Q_sum, theta)},
                           {"sensing", model_a::beam_pattern(inst.Nt, design.S, theta)}};
  }
  return out;
}

json eval_b(const EvalOptions& opt) {
  const auto inst = model_b::read_instance(opt.instance);
  const auto design = model_b::read_design(opt.design, inst);
  json out = model_b::to_json(model_b::evaluate(inst, design), inst);
  if (opt.pattern) {
    const auto theta = pattern_angles(opt.pattern_step);
    out["beam_pattern"] = {{"theta_deg", theta},
                           {"communication", model_b::beam_pattern(inst.Nt, design.W * design.W.adjoint(), theta)},
                           {"sensing", model_b::beam_pattern(inst.Nt, design.R_s, theta)},
                           {"total", model_b::beam_pattern(inst.Nt, model_b::transmit_covariance(design), theta)}};
  }
  return out;
}

void run_eval(const EvalOptions& opt) {
  // The smallest step bounds the pattern at 180001 angles (~10 MB of JSON); finer ones ran out of memory.
  if (!(opt.pattern_step >= kMinPatternStep && opt.pattern_step <= 180.0))
    throw InputError("--pattern-step", "must be in [0.001, 180] degrees");
  const auto doc = json_io::parse_file(opt.instance);
  ModelKind kind;
  try {
    kind = model_kind(doc);
  } catch (const InputError& e) {
    throw e.in_file(opt.instance);
  }
  json_io::write_output(kind == ModelKind::target_eavesdropper ? eval_a(opt) : eval_b(opt), "-");
}

void attach(CLI::App& root) {
  auto opt = std::make_shared<EvalOptions>();
  auto* cmd = root.add_subcommand("eval", "Evaluate a design on an instance: rates, SINRs, SCNRs, secrecy, power (JSON)");
  cmd->footer(
      "Model A design: {\"Q\": [K matrices]} or {\"w\": [K vectors]}, optional \"S\". Model B design: {\"W\": Nt x K}\n"
      "with \"S\" (Nt x Ns) or \"R_s\" (Nt x Nt), optional \"U\" (Nr x J; absent: MVDR receivers). See docs/formats.md.");
  cmd->add_option("instance", opt->instance, "instance JSON file")->required();
  cmd->add_option("design", opt->design, "design JSON file")->required();
  cmd->add_flag("--pattern", opt->pattern, "add normalised beam patterns over [-90, 90] degrees");
  cmd->add_option("--pattern-step", opt->pattern_step, "angle step of --pattern, degrees in [0.001, 180] (default 1)");
  cmd->callback([opt] { run_eval(*opt); });
}

RegisterCommand reg{"eval", attach};

}  // namespace
}  // namespace isacbf::apps
