#pragma once
// Internal: the checked, immutable form of a rule document that RuleSet::Apply runs.

#include <re2/re2.h>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "rules/expr/expr.h"
#include "rules/names.h"
#include "rules/rule_set.h"

namespace claimgate::rules {

inline constexpr std::size_t kMaxValueBytes = 64 * 1024;
inline constexpr std::size_t kMaxRegexInputBytes = 4 * 1024;
inline constexpr std::size_t kMaxValues = 1000;

// A regex's match: [0] the whole match, [1..] the capture groups ("" when a group took no part).
using Captures = std::vector<std::string>;

struct Transform {
  enum class Kind { kTrim, kLower, kUpper, kCollapseSpaces, kEmailLocalPart, kRegex };
  Kind kind = Kind::kTrim;
  std::shared_ptr<const re2::RE2> re;  // kRegex
  std::string replacement;             // kRegex: $1..$9, $& and $$ are expanded
  std::string label;                   // for explanations: "trim", "regex ^(.*)@x$"
};

// One key of `map` or entry of `allowed`: exact, case-insensitive or regex (whole value).
struct Matcher {
  enum class Kind { kExact, kIgnoreCase, kRegex };
  Kind kind = Kind::kExact;
  std::string key;
  std::shared_ptr<const re2::RE2> re;
  // Whole-value match. A regex on a value over 4 KiB sets *status (rules.value_too_long) and
  // returns false. `groups`, when given, receives the regex capture groups.
  bool Matches(const std::string& value, Status* status, Captures* groups = nullptr) const;
};

struct MapEntry {
  Matcher match;
  std::vector<std::string> to;  // regex entries may use $1.. in each; empty: drop the value
};

struct AttrRule {
  std::string name;
  std::string path;                         // "$.attributes.roles"
  std::vector<NameRef> from;                // ordered fallback list
  std::shared_ptr<const expr::Expr> value;  // used when `from` finds nothing (or is absent)
  std::string value_text;
  std::string split;  // empty: no split
  bool multi = false;
  std::vector<Transform> transforms;
  std::vector<MapEntry> map;       // in declared precedence order; first match wins
  bool map_unmapped_drop = false;  // "unmapped": "drop" (default "keep")
  bool has_allowed = false;
  std::vector<Matcher> allowed;
  enum class Format { kNone, kEmail, kUrl };
  Format format = Format::kNone;   // "format": "email" | "url"
  bool reject_disallowed = false;  // on_disallowed: reject (default drop)
  bool required = false;
  std::vector<std::string> default_values;  // empty: no default
  std::size_t min_values = 0;               // the final value count must lie in [min, max]
  std::size_t max_values = kMaxValues;      // (rules.value_count)
};

struct WhenAction {
  enum class Kind { kAdd, kSet, kRemove, kClear };
  Kind kind = Kind::kAdd;
  std::size_t attr = 0;             // index into Spec::attributes
  std::vector<std::string> values;  // as written (empty for kClear)
  // Parallel to `values`: the parsed template of a value containing ${...}, evaluated per
  // login (null for a literal value).
  std::vector<std::shared_ptr<const expr::Expr>> computed;
};

struct WhenRule {
  std::string path;  // "$.when[0]"
  std::string if_text;
  std::shared_ptr<const expr::Expr> cond;
  std::vector<WhenAction> actions;
  bool deny = false;  // "deny": refuse the login with rules.denied and this message
  std::string deny_message;
};

struct Spec {
  std::vector<AttrRule> attributes;
  std::vector<WhenRule> when;
  bool pass_through = false;
  std::vector<std::string> pass_through_exclude;  // source names never passed through
  std::vector<NameRef> referenced;                // every name any rule reads (not passed through)
};

// Applies the transforms to one value. Fails with rules.value_too_long.
Status ApplyTransforms(const std::vector<Transform>& ts, std::string& value);
// Expands $1..$9, $& and $$ of `pattern` from `m`.
std::string ExpandGroups(const std::string& pattern, const Captures& m);
// True when `v` looks like one e-mail address: one '@', non-empty local part, a dotted
// domain, no spaces or control characters.
bool LooksLikeEmail(std::string_view v);
// True when `v` is an absolute http or https URL with a host: no spaces, control characters
// or user information; javascript:, data: and relative URLs are not.
bool LooksLikeUrl(std::string_view v);

}  // namespace claimgate::rules
