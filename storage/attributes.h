#pragma once

// Worker attributes as storage keeps them. What a login may change in them is the pipeline's
// policy (pipeline/attribute_policy.h).

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace claimgate::storage {

// Attribute name → values, in the order the mapping produced them. Stored as a JSON object with
// sorted keys ({"email": ["a@b.c"], "roles": ["agent", "admin"]}).
using AttributeValues = std::map<std::string, std::vector<std::string>>;

// JSON object text ↔ AttributeValues. Parsing requires an object whose members are arrays of
// strings (a lone string is accepted as a one-value array); storage.invalid_argument otherwise.
std::string AttributesToJson(const AttributeValues& values);
Result<AttributeValues> AttributesFromJson(std::string_view json);

}  // namespace claimgate::storage
