// `isacbf generate`: draws one instance of either model from a seeded scenario and writes it as JSON.
// Every scenario parameter is a --NAME option with the same name as its JSON key (docs/formats.md).
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

#include "apps/command.hpp"
#include "apps/seed_option.hpp"
#include "host/common/errors.hpp"
#include "host/common/json_io.hpp"
#include "host/common/model_kind.hpp"
#include "host/model_a/generator.hpp"
#include "host/model_a/io.hpp"
#include "host/model_b/generator.hpp"
#include "host/model_b/io.hpp"

namespace isacbf::apps {
namespace {

using nlohmann::json;

struct GenerateOptions {
  std::string model;
  std::uint64_t seed = 0;
  std::string output;
  std::string scenario_file;
  std::map<std::string, std::string> values;  // --NAME VALUE as typed
};

// "8" -> 8, "30,30,40" -> [30,30,40], "[1,2]" -> [1,2]; anything else stays a string (and is then
// rejected by the scenario with the parameter named).
json option_value(const std::string& text) {
  if (text.find(',') != std::string::npos && text.front() != '[') {
    json list = json::array();
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) list.push_back(option_value(item));
    return list;
  }
  const json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  return parsed.is_discarded() ? json(text) : parsed;
}

template <class Scenario, class Info>
Scenario build_scenario(const GenerateOptions& opt, const std::vector<Info>& params, Scenario (*from_json)(const json&),
                        void (*set)(Scenario&, const std::string&, const json&), const char* model) {
  Scenario s;
  if (!opt.scenario_file.empty()) {
    json j = json_io::parse_file(opt.scenario_file);
    try {
      s = from_json(j);
    } catch (const InputError& e) {
      throw e.in_file(opt.scenario_file);
    }
  }
  for (const auto& [name, text] : opt.values) {
    const bool known = std::any_of(params.begin(), params.end(), [&](const Info& p) { return p.name == name; });
    if (!known) throw InputError(name, std::string("not a scenario parameter of model ") + model);
    set(s, name, option_value(text));
  }
  return s;
}

void run_generate(const GenerateOptions& opt) {
  const ModelKind kind = model_kind_from_name(opt.model);
  json doc;
  if (kind == ModelKind::target_eavesdropper) {
    const auto s = build_scenario<model_a::Scenario>(opt, model_a::scenario_parameters(), &model_a::scenario_from_json,
                                                     &model_a::set_parameter, model_a::kModelName);
    doc = model_a::to_json(model_a::generate(s, opt.seed));
    doc["scenario"] = model_a::to_json(s);
  } else {
    const auto s = build_scenario<model_b::Scenario>(opt, model_b::scenario_parameters(), &model_b::scenario_from_json,
                                                     &model_b::set_parameter, model_b::kModelName);
    doc = model_b::to_json(model_b::generate(s, opt.seed));
    doc["scenario"] = model_b::to_json(s);
  }
  json_io::write_output(doc, opt.output);
}

void attach(CLI::App& root) {
  auto opt = std::make_shared<GenerateOptions>();
  auto* cmd = root.add_subcommand("generate", "Draw one seeded instance of a model and write it as JSON");
  cmd->footer(
      "Scenario options take one number, or for per-user lists a comma-separated list (d_BU 30,30,40).\n"
      "[A] = target_eavesdropper only, [B] = aerial_eavesdroppers only. Same seed and options -> byte-identical file.");
  cmd->add_option("--model", opt->model, "target_eavesdropper | aerial_eavesdroppers")
      ->required()
      ->check(CLI::IsMember({"target_eavesdropper", "aerial_eavesdroppers"}));
  cmd->add_option("--seed", opt->seed, "random seed, a whole number >= 0 (recorded in the instance)")
      ->required()
      ->check(whole_number_validator());
  cmd->add_option("-o,--output", opt->output, "output instance JSON file ('-' = stdout)")->required();
  cmd->add_option("--scenario", opt->scenario_file, "JSON object of scenario parameters (options below override it)");

  // One option per parameter name; names shared by both models appear once, tagged with both.
  std::map<std::string, std::string> help;
  for (const auto& p : model_a::scenario_parameters()) help[p.name] = "[A] " + p.help;
  for (const auto& p : model_b::scenario_parameters()) {
    auto it = help.find(p.name);
    help[p.name] = it == help.end() ? "[B] " + p.help : it->second + "; [B] " + p.help;
  }
  for (const auto& [name, text] : help) {
    cmd->add_option_function<std::string>(
        "--" + name, [opt, name = name](const std::string& value) { opt->values[name] = value; }, text)
        ->type_name("NUM|LIST");
  }
  cmd->callback([opt] { run_generate(*opt); });
}

RegisterCommand reg{"generate", attach};

}  // namespace
}  // namespace isacbf::apps
