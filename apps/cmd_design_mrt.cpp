// `isacbf design-mrt INSTANCE [-o FILE]`: a reference design that needs no solver (MRT data beams
// plus isotropic sensing, spending the whole budget), for demos and sanity checks.
#include <iostream>
#include <memory>

#include "apps/command.hpp"
#include "host/common/errors.hpp"
#include "host/common/json_io.hpp"
#include "host/common/model_kind.hpp"
#include "host/model_a/io.hpp"
#include "host/model_a/simple_designs.hpp"
#include "host/model_b/io.hpp"
#include "host/model_b/simple_designs.hpp"

namespace isacbf::apps {
namespace {

struct MrtOptions {
  std::string instance, output;
  double comm_fraction = 0.5;
};

void run_design_mrt(const MrtOptions& opt) {
  const auto doc = json_io::parse_file(opt.instance);
  nlohmann::json design;
  try {
    if (model_kind(doc) == ModelKind::target_eavesdropper)
      design = model_a::to_json(model_a::mrt_design(model_a::instance_from_json(doc), opt.comm_fraction));
    else
      design = model_b::to_json(model_b::mrt_design(model_b::instance_from_json(doc), opt.comm_fraction));
  } catch (const InputError& e) {
    if (e.field() == "comm_fraction") throw InputError("--comm-fraction", "must be in [0, 1]");
    throw e.in_file(opt.instance);
  }
  json_io::write_output(design, opt.output);
}

void attach(CLI::App& root) {
  auto opt = std::make_shared<MrtOptions>();
  auto* cmd = root.add_subcommand("design-mrt", "Write a reference design: MRT data beams + isotropic sensing covariance");
  cmd->footer("Spends exactly P: a fraction --comm-fraction on the K MRT beams (equal split), the rest as (P_s/Nt) I.");
  cmd->add_option("instance", opt->instance, "instance JSON file")->required();
  cmd->add_option("-o,--output", opt->output, "design JSON file (default: stdout)");
  cmd->add_option("--comm-fraction", opt->comm_fraction, "share of the power budget on the data beams (default 0.5)");
  cmd->callback([opt] { run_design_mrt(*opt); });
}

RegisterCommand reg{"design-mrt", attach};

}  // namespace
}  // namespace isacbf::apps
