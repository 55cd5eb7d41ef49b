#pragma once

// JSON helpers private to storage/ (implemented in json.cc, the one nlohmann adapter here).

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace claimgate::storage::internal {

// A JSON array of strings.
std::string StringsToJson(const std::vector<std::string>& values);
// storage.corrupt when `json` is not an array of strings (a stored column was tampered with).
Result<std::vector<std::string>> StringsFromJson(std::string_view json);

// {"key": "value", ...} from pairs, for admin audit rows.
std::string ObjectJson(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace claimgate::storage::internal
