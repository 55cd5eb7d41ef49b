#pragma once
// Internal: the expression language (Okta Expression Language subset). Parsed once at load
// into an AST whose every node carries a static type; evaluated per login without throwing.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/claims.h"
#include "base/status.h"
#include "rules/names.h"

namespace claimgate::rules::expr {

// Static types. kAttr is a source attribute: a list that coerces to a string when it holds
// at most one value (none: null). kNull is the literal null.
enum class Type : std::uint8_t { kNull, kString, kList, kBool, kAttr };

enum class Op : std::uint8_t {
  kStr, kNull, kTrue, kFalse, kAttr, kNameId, kNameIdFormat,
  kJoin, kLower, kUpper, kBefore, kAfter, kReplace, kContains, kArrContains, kArrEmpty,
  kEq, kNe, kAnd, kOr, kNot, kCond, kConcat, kTemplate
};

struct Node {
  Op op = Op::kNull;
  Type type = Type::kNull;
  std::string text;  // literal text (kStr)
  NameRef ref;       // kAttr
  std::vector<Node> kids;
};

struct Expr {
  Node root;
  std::vector<NameRef> refs;  // every user.<name> it reads, for pass-through bookkeeping
};

// A load-time error: code (rules.expression_syntax / _type / unknown_function), a message and
// the byte offset in the source text.
struct ParseError {
  const ErrorCode* code = nullptr;
  std::string message;
  std::size_t offset = 0;
};

inline constexpr std::size_t kMaxExpressionBytes = 4096;
inline constexpr int kMaxDepth = 48;

// Parses `src` as an expression, or as a template when `is_template` (text with ${...}).
// Returns false and fills `err` on failure.
bool Parse(std::string_view src, bool is_template, Expr* out, ParseError* err);
// True when `src` should be read as a template (it contains "${").
bool LooksLikeTemplate(std::string_view src);

// The evaluation environment of one login. `status` receives the first runtime error
// (rules.ambiguous_attribute, rules.multiple_values, rules.groups_overflow).
struct Env {
  const Claims* claims = nullptr;
  bool groups_overflow = false;
  Status status;
};

// A runtime value. Strings borrowed from the Claims or the AST are views; computed ones are
// owned. Lists are always borrowed attribute value lists.
struct Value {
  Type type = Type::kNull;  // kNull, kString, kList or kBool after evaluation
  bool b = false;
  bool owned = false;
  std::string_view view;
  std::string own;
  const std::vector<std::string>* list = nullptr;
  std::string_view str() const { return owned ? std::string_view(own) : view; }
};

// Evaluates `e`; on a runtime error sets env.status and returns null. Never throws (except
// std::bad_alloc).
Value Eval(const Expr& e, Env& env);

}  // namespace claimgate::rules::expr
