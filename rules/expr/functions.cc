// The function registry: what the parser accepts (name, argument kinds, result type) and what
// the README's function table says about each function (`claimgate rules functions --markdown`
// prints the table from this very list, and rules_tests checks that the README matches).
#include <vector>

#include "rules/expr/expr.h"

namespace claimgate::rules::expr {

const std::vector<FunctionInfo>& FunctionTable() {
  static const std::vector<FunctionInfo> kTable = {
      {"String.join", Op::kJoin, 2, -1, "SL", Type::kString, "(separator, value, ...)",
       "Every value (a list counts as its values) joined with the separator, skipping nulls and "
       "empty strings (as Okta)."},
      {"String.toLowerCase", Op::kLower, 1, 1, "S", Type::kString, "(input)",
       "ASCII letters to lower case; null stays null."},
      {"String.toUpperCase", Op::kUpper, 1, 1, "S", Type::kString, "(input)",
       "ASCII letters to upper case; null stays null."},
      {"String.trim", Op::kTrim, 1, 1, "S", Type::kString, "(input)",
       "Leading and trailing ASCII white space removed, as the `trim` transform; null stays "
       "null. Not in Okta (its `String.removeSpaces` removes every space)."},
      {"String.len", Op::kLen, 1, 1, "S", Type::kNumber, "(input)",
       "The number of characters (Unicode code points); 0 for null. Okta counts Java's UTF-16 "
       "units, which differ only for characters outside the Basic Multilingual Plane (emoji)."},
      {"String.substring", Op::kSubstring, 3, 3, "SNN", Type::kString, "(input, start, end)",
       "The characters from `start` (0-based, included) to `end` (excluded), as Okta: "
       "`String.substring(\"This is a test\", 2, 9)` is `is is a`. Out of range, where Java (so "
       "Okta) fails, both indexes are clamped to 0..length and an end before the start gives "
       "no value, so a short value never refuses a login; fractions are truncated. Null stays "
       "null."},
      {"String.substringBefore", Op::kBefore, 2, 2, "SS", Type::kString, "(input, search)",
       "The part before the first `search`; the whole input when `search` does not occur (as "
       "Okta)."},
      {"String.substringAfter", Op::kAfter, 2, 2, "SS", Type::kString, "(input, search)",
       "The part after the first `search`; no value when `search` does not occur (as Okta)."},
      {"String.replace", Op::kReplace, 3, 3, "SSS", Type::kString, "(input, match, replacement)",
       "Every occurrence of the literal `match` (not a regex), left to right."},
      {"String.stringSwitch", Op::kSwitch, 2, -1, "SS", Type::kString,
       "(input, default, key, value, ...)",
       "The value of the first key/value pair, in argument order, whose key occurs in the input "
       "(a substring, as Okta: key `ring` matches `Substrings`); else the default, also for a "
       "null input. An odd number of key/value arguments is a load error."},
      {"String.stringContains", Op::kContains, 2, 2, "SS", Type::kBool, "(input, search)",
       "True when `search` occurs in the input; false for a null input."},
      {"String.startsWith", Op::kStartsWith, 2, 2, "SS", Type::kBool, "(input, prefix)",
       "True when the input begins with `prefix` (case-sensitive); false for a null input. Not "
       "in Okta."},
      {"String.endsWith", Op::kEndsWith, 2, 2, "SS", Type::kBool, "(input, suffix)",
       "True when the input ends with `suffix` (case-sensitive); false for a null input. Not in "
       "Okta."},
      {"String.matches", Op::kMatches, 2, 2, "SR", Type::kBool, "(input, \"regex\")",
       "True when the RE2 regex matches the whole input (as Java's `String.matches`; `(?i)` "
       "ignores case). The regex is a string literal compiled at load (`rules.bad_regex`). "
       "False for a null input; an input over 4 KiB is `rules.value_too_long`. Not in Okta."},
      {"Arrays.contains", Op::kArrContains, 2, 2, "LS", Type::kBool, "(list, value)",
       "True when one value equals `value` exactly (whole value, case-sensitive, as Okta)."},
      {"Arrays.isEmpty", Op::kArrEmpty, 1, 1, "L", Type::kBool, "(list)",
       "True for null or a list without values."},
      {"Arrays.size", Op::kArrSize, 1, 1, "L", Type::kNumber, "(list)",
       "The number of values; 0 for null (as Okta's `Arrays.size(NULL)`); a string counts 1."},
      {"Arrays.toCsvString", Op::kCsv, 1, 1, "L", Type::kString, "(list)",
       "The values joined with `,` as they are: no trimming, quoting or escaping (as Okta: "
       "`{\"This\", \"is\", \" a \", \"test\"}` gives `This,is, a ,test`); null stays null."},
  };
  return kTable;
}

}  // namespace claimgate::rules::expr
