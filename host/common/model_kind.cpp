#include "host/common/model_kind.hpp"

#include "host/common/errors.hpp"

namespace isacbf {

ModelKind model_kind_from_name(const std::string& name) {
  if (name == "target_eavesdropper") return ModelKind::target_eavesdropper;
  if (name == "aerial_eavesdroppers") return ModelKind::aerial_eavesdroppers;
  throw InputError("model", "unknown model \"" + name + "\" (expected target_eavesdropper or aerial_eavesdroppers)");
}

ModelKind model_kind(const nlohmann::json& doc) {
  if (!doc.is_object()) throw InputError("<root>", "expected a JSON object");
  const auto it = doc.find("model");
  if (it == doc.end()) throw InputError("model", "missing required field");
  if (!it->is_string()) throw InputError("model", "expected a string, got " + it->dump());
  return model_kind_from_name(it->get<std::string>());
}

const char* model_name(ModelKind kind) {
  return kind == ModelKind::target_eavesdropper ? "target_eavesdropper" : "aerial_eavesdroppers";
}

}  // namespace isacbf
