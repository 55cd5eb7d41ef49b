// The one file of storage/ that uses nlohmann::json (STYLE C4): parsing is caught here, dumping
// replaces invalid UTF-8 instead of throwing.
#include <nlohmann/json.hpp>

#include "storage/attributes.h"
#include "storage/json_internal.h"

namespace claimgate::storage {

namespace {

using Json = nlohmann::json;

std::string Dump(const Json& j) {
  return j.dump(-1, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
}

// Parses without exceptions; a discarded value means a syntax error.
Json ParseQuiet(std::string_view text) {
  return Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
}

Json ValuesJson(const AttributeValues& values) {
  Json out = Json::object();
  for (const auto& [name, list] : values) out[name] = list;
  return out;
}

}  // namespace

std::string AttributesToJson(const AttributeValues& values) { return Dump(ValuesJson(values)); }

Result<AttributeValues> AttributesFromJson(std::string_view json) {
  const Json j = ParseQuiet(json);
  const Status bad = Status::Error(errors::kStorageInvalidArgument,
                                   "attributes are not a JSON object of string arrays");
  if (!j.is_object()) return bad;
  AttributeValues out;
  for (const auto& [name, value] : j.items()) {
    std::vector<std::string>& list = out[name];
    if (value.is_string()) {
      list.push_back(value.get<std::string>());
      continue;
    }
    if (!value.is_array()) return bad;
    for (const Json& v : value) {
      if (!v.is_string()) return bad;
      list.push_back(v.get<std::string>());
    }
  }
  return out;
}

namespace internal {

std::string StringsToJson(const std::vector<std::string>& values) { return Dump(Json(values)); }

Result<std::vector<std::string>> StringsFromJson(std::string_view json) {
  const Json j = ParseQuiet(json);
  if (!j.is_array()) {
    return Status::Error(errors::kStorageCorrupt, "stored value is not a JSON array of strings");
  }
  std::vector<std::string> out;
  for (const Json& v : j) {
    if (!v.is_string()) {
      return Status::Error(errors::kStorageCorrupt, "stored array holds a non-string");
    }
    out.push_back(v.get<std::string>());
  }
  return out;
}

std::string ObjectJson(const std::vector<std::pair<std::string, std::string>>& fields,
                       const std::vector<std::pair<std::string, std::vector<std::string>>>& lists) {
  Json out = Json::object();
  for (const auto& [k, v] : fields) out[k] = v;
  for (const auto& [k, v] : lists) out[k] = v;
  return Dump(out);
}

std::string UserAddJson(const std::string& email, const std::vector<std::string>& permissions,
                        const AttributeValues& attributes) {
  return Dump(
      {{"email", email}, {"permissions", permissions}, {"attributes", ValuesJson(attributes)}});
}

}  // namespace internal
}  // namespace claimgate::storage
