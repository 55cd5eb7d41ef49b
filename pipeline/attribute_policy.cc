#include "pipeline/attribute_policy.h"

#include <set>

namespace claimgate::pipeline {

std::optional<AttributePolicy> ParseAttributePolicy(std::string_view text) {
  if (text == "always") return AttributePolicy::kAlways;
  if (text == "on_create") return AttributePolicy::kOnCreate;
  if (text == "never") return AttributePolicy::kNever;
  return std::nullopt;
}

const char* AttributePolicyName(AttributePolicy p) {
  switch (p) {
    case AttributePolicy::kAlways:
      return "always";
    case AttributePolicy::kOnCreate:
      return "on_create";
    case AttributePolicy::kNever:
      return "never";
  }
  return "?";
}

namespace {

// Values of `a` absent from `b`, in `a`'s order, each once.
std::vector<std::string> Minus(const std::vector<std::string>& a,
                               const std::vector<std::string>& b) {
  const std::set<std::string> in_b(b.begin(), b.end());
  std::set<std::string> seen;
  std::vector<std::string> out;
  for (const std::string& v : a) {
    if (in_b.count(v) == 0 && seen.insert(v).second) out.push_back(v);
  }
  return out;
}

}  // namespace

AttributeDiff DiffAttributes(const AttributeValues& before, const AttributeValues& after) {
  AttributeDiff diff;
  for (const auto& [name, old_values] : before) {
    auto it = after.find(name);
    if (it == after.end()) {
      diff.removed[name] = old_values;
      continue;
    }
    if (it->second == old_values) continue;
    ValueChange change{Minus(it->second, old_values), Minus(old_values, it->second), false};
    change.reordered = change.added.empty() && change.removed.empty();
    diff.changed[name] = std::move(change);
  }
  for (const auto& [name, new_values] : after) {
    if (before.count(name) == 0) diff.added[name] = new_values;
  }
  return diff;
}

AttributeUpdate ApplyAttributePolicy(const std::optional<AttributeValues>& stored,
                                     const AttributeValues& incoming,
                                     const AttributePolicies& policies) {
  AttributeUpdate update;
  if (!stored) {
    for (const auto& [name, values] : incoming) {
      if (policies.For(name) != AttributePolicy::kNever) update.stored[name] = values;
    }
    update.diff = DiffAttributes(AttributeValues(), update.stored);
    return update;
  }
  // Start from what is stored; `always` attributes are then replaced by (or removed for lack of)
  // what the IdP sent.
  update.stored = *stored;
  for (auto it = update.stored.begin(); it != update.stored.end();) {
    const bool always = policies.For(it->first) == AttributePolicy::kAlways;
    it = (always && incoming.count(it->first) == 0) ? update.stored.erase(it) : std::next(it);
  }
  for (const auto& [name, values] : incoming) {
    if (policies.For(name) == AttributePolicy::kAlways) update.stored[name] = values;
  }
  update.diff = DiffAttributes(*stored, update.stored);
  return update;
}

}  // namespace claimgate::pipeline
