#pragma once
// Internal: shared state of rule-document loading (load.cc, load_attribute.cc,
// json_positions.cc). The only rules/ headers that name nlohmann types.

#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "rules/rule_set.h"
#include "rules/spec_internal.h"

namespace claimgate::rules {

using Json = nlohmann::ordered_json;  // keeps document order (attributes, worker)

// JSON path of every value in a (syntactically valid) document -> byte offset of its first
// character, plus problems for repeated object keys, which nlohmann would merge silently.
struct Positions {
  std::map<std::string, std::size_t> offsets;
  std::vector<std::pair<std::string, std::size_t>> duplicate_keys;  // path of the repeat
};
Positions IndexPositions(std::string_view text);

// Parses JSON text without throwing. On failure *problem is rules.json_syntax: a syntax error
// at "$" with its LINE:COL, or a number out of range (1e999) at its own path and position.
bool ParseJsonText(std::string_view text, Json* out, Problem* problem);

// "$.attributes" + "roles" -> "$.attributes.roles"; keys that are not plain identifiers are
// written ["..."].
std::string JoinPath(const std::string& base, std::string_view key);
std::string IndexPath(const std::string& base, std::size_t i);
// 1-based line and column of byte `offset`.
void LineColumn(std::string_view text, std::size_t offset, int* line, int* column);

class LoadContext {
 public:
  LoadContext(std::string_view text, std::vector<Problem>* problems)
      : text_(text), problems_(problems), positions_(IndexPositions(text)) {}

  // Records a problem at `path`; `extra` bytes are added to the value's offset (to point
  // inside an expression string).
  void Add(const ErrorCode& code, const std::string& path, std::string message,
           std::size_t extra = 0, bool inside_string = false);
  const Positions& positions() const { return positions_; }
  bool any() const { return !problems_->empty(); }

 private:
  std::string_view text_;
  std::vector<Problem>* problems_;
  Positions positions_;
};

// Builds one output attribute rule from its JSON object. Problems go to `ctx`.
void LoadAttribute(LoadContext& ctx, const std::string& name, const Json& j,
                   const std::string& path, AttrRule* out);
// Parses an expression at `path` (a JSON string); null on failure (problem recorded).
// `worker_names`: the output attributes worker.<name> may read (when rules), else null.
std::shared_ptr<const expr::Expr> LoadExpression(
    LoadContext& ctx, const Json& j, const std::string& path, bool want_bool,
    const std::vector<std::string>* worker_names = nullptr);
// A string or array of strings; false (problem recorded) otherwise.
bool LoadStrings(LoadContext& ctx, const Json& j, const std::string& path,
                 std::vector<std::string>* out);

}  // namespace claimgate::rules
