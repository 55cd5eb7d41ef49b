#pragma once

// What a login may change in a stored account: the per-attribute update policy of a connection
// (DESIGN.md "A connection": provisioning.attribute_policy), and the diff that goes into the
// audit trail.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/attributes.h"

namespace claimgate::pipeline {

using storage::AttributeValues;

// What a returning login does to one stored attribute.
enum class AttributePolicy {
  kAlways,    // overwrite at each login; values (roles) the IdP stops sending are removed
  kOnCreate,  // set when the account is created; later logins never change it
  kNever,     // never taken from the IdP; only set locally
};
// "always" | "on_create" | "never"; nullopt otherwise.
std::optional<AttributePolicy> ParseAttributePolicy(std::string_view text);
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

}  // namespace claimgate::pipeline
