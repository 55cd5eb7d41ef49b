#pragma once

// JSON helpers private to storage/ (implemented in json.cc, the one nlohmann adapter here).

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "storage/attributes.h"

namespace claimgate::storage::internal {

// A JSON array of strings.
std::string StringsToJson(const std::vector<std::string>& values);
// storage.corrupt when `json` is not an array of strings (a stored column was tampered with).
Result<std::vector<std::string>> StringsFromJson(std::string_view json);

// {"key": "value", ..., "list": ["a", ...], ...} from pairs, for admin audit rows: strings as
// strings, lists as arrays of strings.
std::string ObjectJson(
    const std::vector<std::pair<std::string, std::string>>& fields,
    const std::vector<std::pair<std::string, std::vector<std::string>>>& lists = {});

// The detail of a "user.add" audit row: {"email": "...", "permissions": [...],
// "attributes": {"name": [...], ...}}.
std::string UserAddJson(const std::string& email, const std::vector<std::string>& permissions,
                        const AttributeValues& attributes);

}  // namespace claimgate::storage::internal
