#pragma once
// Which model a JSON document (instance, design, scenario) belongs to, from its "model" key.
#include <nlohmann/json.hpp>
#include <string>

namespace isacbf {

enum class ModelKind { target_eavesdropper, aerial_eavesdroppers };

// InputError("model") when the key is missing or names no known model.
ModelKind model_kind(const nlohmann::json& doc);
ModelKind model_kind_from_name(const std::string& name);
const char* model_name(ModelKind kind);

}  // namespace isacbf
