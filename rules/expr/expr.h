#pragma once
// Internal: the expression language (Okta Expression Language subset). Parsed once at load
// into an AST whose every node carries a static type; evaluated per login without throwing.

#include <re2/re2.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/claims.h"
#include "base/status.h"
#include "rules/names.h"
#include "rules/rule_set.h"

namespace claimgate::rules::expr {

// Static types. kAttr is a source attribute (or a worker attribute): a list that coerces to a
// string when it holds at most one value (none: null). kNull is the literal null. kNumber is a
// double (integers up to 2^53 are exact).
enum class Type : std::uint8_t { kNull, kString, kList, kBool, kAttr, kNumber };

enum class Op : std::uint8_t {
  kStr,
  kNull,
  kTrue,
  kFalse,
  kAttr,
  kNameId,
  kNameIdFormat,
  kNum,
  kWorker,
  kJoin,
  kLower,
  kUpper,
  kBefore,
  kAfter,
  kReplace,
  kContains,
  kArrContains,
  kArrEmpty,
  kLen,
  kSubstring,
  kSwitch,
  kStartsWith,
  kEndsWith,
  kMatches,
  kTrim,
  kArrSize,
  kCsv,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kAnd,
  kOr,
  kNot,
  kNeg,
  kCond,
  kConcat,
  kAdd,
  kSub,
  kTemplate
};

struct Node {
  Op op = Op::kNull;
  Type type = Type::kNull;
  std::string text;  // literal text (kStr), attribute name (kWorker)
  NameRef ref;       // kAttr
  std::vector<Node> kids;
  double num = 0;                      // kNum
  std::size_t index = 0;               // kWorker: index into the worker
  std::shared_ptr<const re2::RE2> re;  // kMatches: the pattern, compiled at load
};

struct Expr {
  Node root;
  std::vector<NameRef> refs;  // every user.<name> it reads, for pass-through bookkeeping
};

// A load-time error: code (rules.expression_syntax / _type / unknown_function /
// unknown_attribute / bad_regex), a message and the byte offset in the source text.
struct ParseError {
  const ErrorCode* code = nullptr;
  std::string message;
  std::size_t offset = 0;
};

inline constexpr std::size_t kMaxExpressionBytes = 4096;
inline constexpr int kMaxDepth = 48;

struct ParseOptions {
  bool is_template = false;  // text with ${...} parts
  // The output attribute names `worker.<name>` may read (in when rules, which run after every
  // attribute is mapped); null where worker.* is not available (attribute values).
  const std::vector<std::string>* worker_names = nullptr;
};

// Parses `src` as an expression or a template. Returns false and fills `err` on failure.
bool Parse(std::string_view src, const ParseOptions& options, Expr* out, ParseError* err);
// True when `src` should be read as a template (it contains "${").
bool LooksLikeTemplate(std::string_view src);

// The evaluation environment of one login. `status` receives the first runtime error
// (rules.ambiguous_attribute, rules.multiple_values, rules.groups_overflow,
// rules.not_a_number, rules.value_too_long).
struct Env {
  const Claims* claims = nullptr;
  const std::vector<Field>* worker = nullptr;  // for worker.<name>, indexed like the spec
  bool groups_overflow = false;
  Status status;
};

// A runtime value. Strings borrowed from the Claims or the AST are views; computed ones are
// owned. Lists are always borrowed attribute value lists.
struct Value {
  Type type = Type::kNull;  // kNull, kString, kList, kBool or kNumber after evaluation
  bool b = false;
  bool owned = false;
  double num = 0;
  std::string_view view;
  std::string own;
  const std::vector<std::string>* list = nullptr;
  std::string_view str() const { return owned ? std::string_view(own) : view; }
};

// Evaluates `e`; on a runtime error sets env.status and returns null. Never throws (except
// std::bad_alloc).
Value Eval(const Expr& e, Env& env);

// The text of a number as `+`, templates and values render it: integers without a fraction
// ("3"), others with up to 15 significant digits ("2.5").
std::string FormatNumber(double d);
// Strict decimal number: optional '-', digits, optional '.' and digits. False otherwise.
bool ParseNumber(std::string_view s, double* out);

// The function registry, in the order of the README table.
struct FunctionInfo {
  const char* name;
  Op op;
  int min_args;
  int max_args;      // -1: any number
  const char* args;  // one kind per argument: S string, L list, N number, R regex literal;
                     // the last kind repeats for variadic functions
  Type result;
  const char* signature;  // for the documentation: "(input, start, end)"
  const char* doc;        // semantics, Markdown
};
const std::vector<FunctionInfo>& FunctionTable();

}  // namespace claimgate::rules::expr
