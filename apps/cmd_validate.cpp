// `isacbf validate FILE`: checks an instance of either model and prints a one-line summary.
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include "apps/command.hpp"
#include "host/common/errors.hpp"
#include "host/common/json_io.hpp"
#include "host/common/model_kind.hpp"
#include "host/common/units.hpp"
#include "host/model_a/io.hpp"
#include "host/model_a/metrics.hpp"
#include "host/model_b/io.hpp"

namespace isacbf::apps {
namespace {

std::string summary_a(const model_a::Instance& inst) {
  std::ostringstream out;
  out << std::setprecision(4) << "OK " << model_a::kModelName << " Nt=" << inst.Nt << " K=" << inst.K << " P=" << inst.P_dBm
      << "dBm gamma_s=" << inst.gamma_s_dB << "dB gamma_se=" << inst.gamma_se_dB << "dB max_scnr_b="
      << linear_to_db(model_a::max_scnr_b(inst)) << "dB security_limit=" << model_a::sensing_security_limit_dB(inst) << "dB";
  if (inst.seed) out << " seed=" << *inst.seed;
  return out.str();
}

std::string summary_b(const model_b::Instance& inst) {
  std::ostringstream out;
  out << std::setprecision(4) << "OK " << model_b::kModelName << " Nt=" << inst.Nt << " Nr=" << inst.Nr << " K=" << inst.K
      << " J=" << inst.J << " Ns=" << inst.Ns << " N_RF=" << inst.N_RF << " P=" << inst.P_dBm << "dBm Gamma_e="
      << inst.Gamma_e_dB << "dB Gamma_s=" << inst.Gamma_s_dB << "dB clutter=" << inst.clutter.size();
  if (inst.seed) out << " seed=" << *inst.seed;
  return out.str();
}

void run_validate(const std::string& file) {
  const auto doc = json_io::parse_file(file);
  try {
    if (model_kind(doc) == ModelKind::target_eavesdropper) std::cout << file << ": " << summary_a(model_a::instance_from_json(doc)) << "\n";
    else std::cout << file << ": " << summary_b(model_b::instance_from_json(doc)) << "\n";
  } catch (const InputError& e) {
    throw e.in_file(file);
  }
}

void attach(CLI::App& root) {
  auto file = std::make_shared<std::string>();
  auto* cmd = root.add_subcommand("validate", "Check an instance file (either model) and print a one-line summary");
  cmd->footer("Exit code 2 with the offending JSON field and the file named on stderr when the instance is invalid.");
  cmd->add_option("instance", *file, "instance JSON file")->required();
  cmd->callback([file] { run_validate(*file); });
}

RegisterCommand reg{"validate", attach};

}  // namespace
}  // namespace isacbf::apps
