#pragma once
// Internal: resolving a rule's source-attribute name against the Claims (Name, FriendlyName,
// built-in alias table), NameFormat-aware, with ambiguity detection.

#include <string>
#include <string_view>

#include "base/claims.h"
#include "base/status.h"

namespace claimgate::rules {

// A source attribute reference from a `from` entry or a `user.<name>` expression.
struct NameRef {
  std::string name;
  std::string name_format;  // required NameFormat; empty: any
  bool ignore_case = false;
  int alias_group = -1;  // index into the alias table, -1 when `name` is in no group
};

NameRef MakeNameRef(std::string name, std::string name_format, bool ignore_case);

struct Match {
  const Attribute* attr = nullptr;
  const char* how = "";  // "name", "friendly_name" or "alias"
};

// Finds the one attribute `ref` designates, in three tiers: Name equal, then FriendlyName
// equal, then Name or FriendlyName in ref's alias group. The first tier with a match decides;
// two different attributes in that tier give rules.ambiguous_attribute. No match: ok, and
// out->attr is null. Attributes with no values count as absent.
Status FindAttribute(const Claims& claims, const NameRef& ref, Match* out);

// True when `ref` could designate `a` in any tier (used to keep read attributes out of
// pass-through).
bool RefersTo(const NameRef& ref, const Attribute& a);
// True when `ref` designates the groups claim (its alias group is "groups").
bool IsGroupsRef(const NameRef& ref);
// True when the IdP signalled that it left the groups claim out (Entra groups.link).
bool HasGroupsOverflow(const Claims& claims);
// The alias key ("email", "firstName"...) of a name in the alias table, empty when none.
std::string_view AliasKeyOf(std::string_view name);

}  // namespace claimgate::rules
