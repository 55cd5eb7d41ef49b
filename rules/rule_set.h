#pragma once
// Claims mapping: a JSON rule document (or a built-in profile) turns the verified Claims of one
// login into the product's worker attributes, with an explanation of every step. See README
// "Claims-mapping rules" for the document format. No nlohmann type appears here (STYLE).

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/claims.h"
#include "base/status.h"

namespace claimgate::rules {

// One problem found while loading a rule document. `path` is always a JSON path
// ("$.attributes.roles.map"); `line`/`column` are 1-based, 0 when unknown.
struct Problem {
  const ErrorCode* code = nullptr;
  std::string path;
  int line = 0;
  int column = 0;
  std::string message;
};

// "LABEL:LINE:COL: PATH: MESSAGE" (LINE:COL omitted when unknown): the `rules check` line.
std::string FormatProblem(std::string_view file_label, const Problem& p);

// The JSON checks a rule document passes before its schema, for other JSON documents (connection
// files): syntax, a number out of range (1e999) and a key repeated in one object (nlohmann would
// keep the last value silently, so `"roles": "always", "roles": "never"` would weaken a check),
// the first one found with its path and LINE:COL (rules.json_syntax, rules.duplicate_key).
// nullopt when the text is clean. Never throws.
std::optional<Problem> CheckJsonText(std::string_view text);

// One output (worker) attribute. `multi` outputs print as a JSON array, others as a string.
struct Field {
  std::string name;
  std::vector<std::string> values;
  bool multi = false;
};

// One step of the mapping, compact and stable (it is stored in audit rows). `event` is one of
// from, value, default, empty, drop, reject, when, pass, note. `rule` is the JSON path of the
// rule that acted ("$.attributes.roles", "$.when[0]"); `source` the IdP attribute Name or the
// expression; `values` the values concerned; `reason` a short fixed phrase.
struct Explanation {
  std::string attribute;
  std::string event;
  std::string rule;
  std::string source;
  std::vector<std::string> values;
  std::string reason;
};

// The outcome of applying a rule set: status ok (accepted) or a rules.* code (rejected). The
// worker keeps the document's attribute order, then pass-through attributes; on rejection it
// holds what had been mapped so far (for explanations only; never provision it).
struct Mapping {
  Status status;
  std::vector<Field> worker;
  std::vector<Explanation> explain;
  bool accepted() const { return status.ok(); }
  const Field* Find(std::string_view name) const;
};

struct Spec;  // rules/spec_internal.h

// A loaded, checked rule document. Cheap to copy (shares the immutable parsed form); safe to
// use from several threads at once.
class RuleSet {
 public:
  // Maps one login. Never throws; every failure is a rules.* status in the Mapping.
  Mapping Apply(const Claims& claims) const;
  // The output attribute names, in document order.
  std::vector<std::string> OutputNames() const;

  explicit RuleSet(std::shared_ptr<const Spec> spec) : spec_(std::move(spec)) {}

 private:
  std::shared_ptr<const Spec> spec_;
};

// Parses and checks a rule document. On failure the status is the first problem (code
// rules.*, message formatted by FormatProblem) and `problems`, when given, receives every
// problem found, in document order. `file_label` only names the file in messages.
Result<RuleSet> LoadRules(std::string_view json_text, std::string_view file_label,
                          std::vector<Problem>* problems = nullptr);

// A built-in profile (flex, frontline, console, sendgrid), embedded in the binary.
// Fails with rules.unknown_profile.
Result<RuleSet> LoadProfile(std::string_view name);
std::vector<std::string> ProfileNames();
// The JSON text of a built-in profile, empty when unknown.
std::string_view ProfileText(std::string_view name);

// Builds Claims from the JSON object `claimgate verify` prints: "subject", "subject_format"
// and "attributes" (Name to list of strings); other fields are ignored. rules.attributes_file
// or rules.json_syntax on failure.
Result<Claims> ClaimsFromJson(std::string_view json_text, std::string_view file_label);

// The expression language's functions, from the parser's own registry: name, argument names,
// result type ("string", "boolean", "number") and semantics (Markdown).
struct FunctionDoc {
  std::string name;
  std::string signature;
  std::string result;
  std::string doc;
};
std::vector<FunctionDoc> Functions();
// The README's function table (header and rows), so the documentation cannot drift.
std::string FunctionsMarkdown();

// The built-in alias table: each key and every IdP attribute name it also matches.
struct AliasDoc {
  std::string key;
  std::vector<std::string> names;
};
std::vector<AliasDoc> Aliases();
// The README's alias table (header and rows).
std::string AliasesMarkdown();

// JSON renderings, so callers never need a JSON library: the worker object, the explanation
// array, and the whole `rules test` object {"decision", "worker" | "error", "explain"?}.
std::string WorkerJson(const Mapping& m);
std::string ExplainJson(const Mapping& m);
std::string MappingJson(const Mapping& m, bool with_explain);

}  // namespace claimgate::rules
