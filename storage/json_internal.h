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

// The detail object of a login audit row, keys sorted:
// {"action": ..., "attributes": <diff>, "email": {"from", "to"}?, "message": "..."?, "permissions":
// [...]?,
//  "rules": <explanation>?, "error_detail": "..."?}. `rules_explanation` is embedded as JSON when
//  it parses, else as a
// string. Empty pieces are omitted.
struct LoginDetail {
  std::string action;                            // created | updated | unchanged; "" on rejection
  std::string attribute_diff_json;               // AttributeDiffJson(), "" = none
  std::string email_from, email_to;              // both empty = unchanged
  std::vector<std::string> permissions_granted;  // on create
  std::string rules_explanation;
  std::string message;       // the rejection's message
  std::string error_detail;  // the rejection's private detail (Status::detail): audit only
};
std::string LoginDetailJson(const LoginDetail& d);

// {"key": "value", ...} from pairs, for admin audit rows.
std::string ObjectJson(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace claimgate::storage::internal
