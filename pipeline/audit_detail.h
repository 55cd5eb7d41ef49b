#pragma once

// The detail object of a login's audit row, built from the structs the stages produced (never
// from JSON text parsed back).

#include <string>
#include <vector>

#include "pipeline/attribute_policy.h"
#include "rules/rule_set.h"

namespace claimgate::pipeline {

// {"added": {name: [values]}, "removed": {...}, "changed": {name: {"added": [...],
// "removed": [...], "reordered": true?}}}, keys sorted, empty sections omitted; "{}" when empty.
std::string AttributeDiffJson(const AttributeDiff& diff);

struct LoginDetail {
  std::string action;                            // created | updated | unchanged; "" on refusal
  AttributeDiff attributes;                      // the account's attribute change
  std::string email_from, email_to;              // equal = unchanged
  std::vector<std::string> permissions_granted;  // on create
  const std::vector<rules::Explanation>* rules = nullptr;  // the mapping's steps, if it ran
  std::string message;                                     // the refusal's message
  std::string error_detail;  // the refusal's private detail (Status::detail): audit only
};

// {"action", "attributes", "email": {"from", "to"}, "permissions", "rules", "message",
// "error_detail"}, keys sorted, empty pieces omitted.
std::string LoginDetailJson(const LoginDetail& d);

}  // namespace claimgate::pipeline
