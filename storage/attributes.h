#pragma once

// Worker attributes as storage keeps them, the per-attribute update policy, and the diff that
// goes into the audit trail.

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

// What a returning login does to one stored attribute (DESIGN.md "A connection").
enum class AttributePolicy {
  kAlways,    // overwrite at each login; values (roles) the IdP stops sending are removed
  kOnCreate,  // set when the account is created; later logins never change it
  kNever,     // never taken from the IdP; only set locally
};

// "always" | "on_create" | "never"; provisioning.invalid_request otherwise.
Result<AttributePolicy> ParseAttributePolicy(std::string_view text);
const char* AttributePolicyName(AttributePolicy p);

struct AttributePolicies {
  std::map<std::string, AttributePolicy> per_attribute;
  AttributePolicy default_policy = AttributePolicy::kAlways;  // Flex: updated on every login

  AttributePolicy For(const std::string& name) const {
    auto it = per_attribute.find(name);
    return it == per_attribute.end() ? default_policy : it->second;
  }
};

// How one attribute present before and after differs.
struct ValueChange {
  std::vector<std::string> added;    // values now present that were not
  std::vector<std::string> removed;  // values no longer present
  bool reordered = false;            // same values, new order
};

// The difference between two AttributeValues: attributes that appeared, disappeared, or whose
// values changed. Compact (unchanged attributes are absent) and stable (sorted by name).
struct AttributeDiff {
  AttributeValues added;
  AttributeValues removed;
  std::map<std::string, ValueChange> changed;
  bool empty() const { return added.empty() && removed.empty() && changed.empty(); }
};

AttributeDiff DiffAttributes(const AttributeValues& before, const AttributeValues& after);

// The attributes to store after a login, and their diff against what was stored.
struct AttributeUpdate {
  AttributeValues stored;
  AttributeDiff diff;
};

// `stored` is nullopt when the account is being created. On create, every attribute whose
// policy is always or on_create is taken from `incoming`; `never` ones are not. On a returning
// login, `always` attributes become exactly what the IdP sent (absent → removed), `on_create` and
// `never` ones keep their stored values.
AttributeUpdate ApplyAttributePolicy(const std::optional<AttributeValues>& stored,
                                     const AttributeValues& incoming,
                                     const AttributePolicies& policies);

// {"added": {name: [values]}, "removed": {...}, "changed": {name: {"added": [...],
// "removed": [...], "reordered": true?}}}, keys sorted, empty sections omitted; "{}" when empty.
std::string AttributeDiffJson(const AttributeDiff& diff);

// JSON object text ↔ AttributeValues. Parsing requires an object whose members are arrays of
// strings (a lone string is accepted as a one-value array); storage.invalid_argument otherwise.
std::string AttributesToJson(const AttributeValues& values);
Result<AttributeValues> AttributesFromJson(std::string_view json);

}  // namespace claimgate::storage
