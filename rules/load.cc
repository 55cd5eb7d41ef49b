// Loading a rule document: JSON syntax (the one place rules/ catches nlohmann exceptions),
// top-level keys, extends, when rules and pass-through, collecting every problem.
#include <algorithm>
#include <string>
#include <utility>

#include "rules/load_internal.h"
#include "rules/profiles_embedded.h"

namespace claimgate::rules {
namespace {

constexpr std::size_t kMaxDocumentBytes = 1024 * 1024;
constexpr const char* kTopKeys[] = {"version", "extends",      "attributes",
                                    "when",    "pass_through", "description"};

// The values of one add/set/remove entry: literals, or ${...} templates computed per login
// (checked against the attribute's format and allowed when they are computed).
bool LoadWhenValues(LoadContext& ctx, const Json& j, const std::string& path,
                    const std::vector<std::string>& worker_names, WhenAction* a) {
  if (!LoadStrings(ctx, j, path, &a->values)) return false;
  bool ok = true;
  for (std::size_t i = 0; i < a->values.size(); ++i) {
    std::shared_ptr<const expr::Expr> e;
    if (expr::LooksLikeTemplate(a->values[i])) {
      const Json one = a->values[i];
      e = LoadExpression(ctx, one, j.is_array() ? IndexPath(path, i) : path, false, &worker_names);
      ok = ok && e != nullptr;
    }
    a->computed.push_back(std::move(e));
  }
  return ok;
}

void LoadWhenAction(LoadContext& ctx, const std::string& key, const Json& j, const std::string& ap,
                    const std::vector<std::string>& worker_names, Spec* spec, WhenRule* w) {
  const WhenAction::Kind kind = key == "add"      ? WhenAction::Kind::kAdd
                                : key == "set"    ? WhenAction::Kind::kSet
                                : key == "remove" ? WhenAction::Kind::kRemove
                                                  : WhenAction::Kind::kClear;
  auto find = [&](const std::string& name, const std::string& tp) -> AttrRule* {
    auto found = std::find_if(spec->attributes.begin(), spec->attributes.end(),
                              [&](const AttrRule& r) { return r.name == name; });
    if (found != spec->attributes.end()) return &*found;
    ctx.Add(errors::kRulesUnknownAttribute, tp, "'" + name + "' is not declared in attributes");
    return nullptr;
  };
  auto index = [&](const AttrRule* r) {
    return static_cast<std::size_t>(r - spec->attributes.data());
  };
  if (kind == WhenAction::Kind::kClear) {  // "clear": "team" | ["team", "image_url"]
    std::vector<std::string> names;
    if (!LoadStrings(ctx, j, ap, &names)) return;
    for (std::size_t i = 0; i < names.size(); ++i) {
      const AttrRule* r = find(names[i], j.is_array() ? IndexPath(ap, i) : ap);
      if (r != nullptr) w->actions.push_back(WhenAction{kind, index(r), {}, {}});
    }
    return;
  }
  if (!j.is_object() || j.empty()) {
    return ctx.Add(errors::kRulesSchema, ap, "must be a non-empty object: attribute -> value(s)");
  }
  for (auto t = j.begin(); t != j.end(); ++t) {
    const std::string tp = JoinPath(ap, t.key());
    AttrRule* found = find(t.key(), tp);
    if (found == nullptr) continue;
    WhenAction a{kind, index(found), {}, {}};
    if (!LoadWhenValues(ctx, t.value(), tp, worker_names, &a)) continue;
    if (!found->multi && (kind != WhenAction::Kind::kSet || a.values.size() > 1)) {
      ctx.Add(errors::kRulesUnknownAttribute, tp,
              "'" + t.key() +
                  "' is single-valued: "
                  "use set with one value");
      continue;
    }
    for (std::size_t i = 0; i < a.values.size(); ++i) {
      if (a.computed[i] != nullptr || kind == WhenAction::Kind::kRemove) continue;
      const std::string& v = a.values[i];
      Status ignored;
      const bool ok = !found->has_allowed ||
                      std::any_of(found->allowed.begin(), found->allowed.end(),
                                  [&](const Matcher& m) { return m.Matches(v, &ignored); });
      if (!ok) {
        ctx.Add(errors::kRulesDisallowedValue, tp,
                "'" + v + "' is not in " + found->path + ".allowed");
      }
    }
    w->actions.push_back(std::move(a));
  }
}

// One when rule: {"if": EXPR, add | set | remove | clear} or {"if": EXPR, "deny": MESSAGE}.
void LoadWhenRule(LoadContext& ctx, const Json& j, const std::string& p,
                  const std::vector<std::string>& worker_names, Spec* spec, WhenRule* w) {
  w->cond = LoadExpression(ctx, j.at("if"), JoinPath(p, "if"), true, &worker_names);
  if (j.at("if").is_string()) w->if_text = j.at("if").get<std::string>();
  bool other_action = false;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    if (k == "if" || k == "description") continue;
    const std::string ap = JoinPath(p, k);
    if (k == "deny") {
      if (!it.value().is_string() || it.value().get_ref<const std::string&>().empty()) {
        ctx.Add(errors::kRulesSchema, ap,
                "deny is the message of the refusal: a non-empty "
                "string (literal text, shown to operators and kept in the audit row)");
        continue;
      }
      w->deny = true;
      w->deny_message = it.value().get<std::string>();
    } else if (k == "add" || k == "set" || k == "remove" || k == "clear") {
      other_action = true;
      LoadWhenAction(ctx, k, it.value(), ap, worker_names, spec, w);
    } else {
      ctx.Add(errors::kRulesSchema, ap,
              "unknown key '" + k + "' (if, add, set, remove, clear, deny)");
    }
  }
  if (w->deny && other_action) {
    ctx.Add(errors::kRulesSchema, JoinPath(p, "deny"),
            "a rule that denies changes nothing "
            "else: put add, set, remove and clear in another rule");
  }
}

void LoadWhen(LoadContext& ctx, const Json& j, const std::string& path, Spec* spec) {
  if (!j.is_array()) return ctx.Add(errors::kRulesSchema, path, "when is an array of rules");
  // worker.<name> reads an output attribute; every attribute of this stage is declared by now
  // (a document's attributes load before its when rules), so names resolve to indexes here.
  std::vector<std::string> worker_names;
  for (const AttrRule& r : spec->attributes) worker_names.push_back(r.name);
  for (std::size_t i = 0; i < j.size(); ++i) {
    const std::string p = IndexPath(path, i);
    if (!j[i].is_object() || !j[i].contains("if")) {
      ctx.Add(errors::kRulesSchema, p,
              "a when rule is {\"if\": EXPR, add | set | remove | clear | deny}");
      continue;
    }
    WhenRule w;
    w.path = p;
    try {  // defensive, as in LoadRules, but losing only this rule
      LoadWhenRule(ctx, j[i], p, worker_names, spec, &w);
    } catch (const Json::exception& e) {
      ctx.Add(errors::kRulesSchema, p, std::string("unexpected JSON shape: ") + e.what());
    }
    spec->when.push_back(std::move(w));
  }
}

void LoadPassThrough(LoadContext& ctx, const Json& j, const std::string& path, Spec* spec) {
  if (j.is_boolean()) {
    spec->pass_through = j.get<bool>();
    return;
  }
  if (j.is_object() && j.size() == 1 && j.contains("exclude")) {
    spec->pass_through = true;
    LoadStrings(ctx, j.at("exclude"), JoinPath(path, "exclude"), &spec->pass_through_exclude);
    return;
  }
  ctx.Add(errors::kRulesSchema, path, "pass_through is true, false or {\"exclude\": [names]}");
}

// Reads the document `doc` into `spec`. A base profile, when given, was loaded into `spec`
// already: attributes of `doc` replace the profile's by name, when rules are appended.
void LoadDocument(LoadContext& ctx, const Json& doc, Spec* spec) {
  if (!doc.is_object()) return ctx.Add(errors::kRulesSchema, "$", "a rule document is an object");
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (std::find(std::begin(kTopKeys), std::end(kTopKeys), it.key()) == std::end(kTopKeys)) {
      ctx.Add(errors::kRulesSchema, JoinPath("$", it.key()), "unknown key '" + it.key() + "'");
    }
  }
  if (!doc.contains("version")) {
    ctx.Add(errors::kRulesVersion, "$", "\"version\": 1 is missing");
  } else if (doc.at("version") != 1) {
    ctx.Add(errors::kRulesVersion, "$.version", "the only version is 1");
  }
  if (doc.contains("attributes")) {
    const Json& attrs = doc.at("attributes");
    if (!attrs.is_object()) {
      ctx.Add(errors::kRulesSchema, "$.attributes", "attributes is an object: name -> rule");
    } else {
      for (auto it = attrs.begin(); it != attrs.end(); ++it) {
        AttrRule r;
        const std::string path = JoinPath("$.attributes", it.key());
        try {  // defensive, as in LoadRules, but losing only this attribute
          LoadAttribute(ctx, it.key(), it.value(), path, &r);
        } catch (const Json::exception& e) {
          ctx.Add(errors::kRulesSchema, path, std::string("unexpected JSON shape: ") + e.what());
        }
        auto same = std::find_if(spec->attributes.begin(), spec->attributes.end(),
                                 [&](const AttrRule& a) { return a.name == r.name; });
        if (same != spec->attributes.end())
          *same = std::move(r);
        else
          spec->attributes.push_back(std::move(r));
      }
    }
  } else if (!doc.contains("extends")) {
    ctx.Add(errors::kRulesSchema, "$", "\"attributes\" is missing");
  }
  if (doc.contains("when")) LoadWhen(ctx, doc.at("when"), "$.when", spec);
  if (doc.contains("pass_through")) {
    LoadPassThrough(ctx, doc.at("pass_through"), "$.pass_through", spec);
  }
}

void CollectReferences(Spec* spec) {
  auto add_expr = [&](const std::shared_ptr<const expr::Expr>& e) {
    if (e) spec->referenced.insert(spec->referenced.end(), e->refs.begin(), e->refs.end());
  };
  for (const AttrRule& r : spec->attributes) {
    spec->referenced.insert(spec->referenced.end(), r.from.begin(), r.from.end());
    add_expr(r.value);
  }
  for (const WhenRule& w : spec->when) add_expr(w.cond);
  for (const std::string& n : spec->pass_through_exclude) {
    spec->referenced.push_back(MakeNameRef(n, "", false));
  }
}

bool ParseJson(std::string_view text, std::string_view label, Json* out,
               std::vector<Problem>* problems) {
  if (text.size() > kMaxDocumentBytes) {
    problems->push_back({&errors::kRulesJsonSyntax, "$", 0, 0, "larger than 1 MiB"});
    return false;
  }
  Problem p;
  if (ParseJsonText(text, out, &p)) return true;
  problems->push_back(std::move(p));
  (void)label;
  return false;
}

Result<RuleSet> Finish(std::string_view label, std::vector<Problem>& problems, Spec spec) {
  if (!problems.empty()) {
    return Status::Error(*problems.front().code, FormatProblem(label, problems.front()));
  }
  CollectReferences(&spec);
  return RuleSet(std::make_shared<const Spec>(std::move(spec)));
}

}  // namespace

void LoadContext::Add(const ErrorCode& code, const std::string& path, std::string message,
                      std::size_t extra, bool inside_string) {
  Problem p{&code, path, 0, 0, std::move(message)};
  std::string at = path;
  for (;;) {  // the value itself, else its nearest parent that has a position
    auto it = positions_.offsets.find(at);
    if (it != positions_.offsets.end()) {
      LineColumn(text_, it->second + extra + (inside_string ? 1 : 0), &p.line, &p.column);
      break;
    }
    const std::size_t cut = at.find_last_of(".[");
    if (cut == std::string::npos || cut == 0) break;
    at.resize(cut);
  }
  problems_->push_back(std::move(p));
}

std::shared_ptr<const expr::Expr> LoadExpression(LoadContext& ctx, const Json& j,
                                                 const std::string& path, bool want_bool,
                                                 const std::vector<std::string>* worker_names) {
  if (!j.is_string()) {
    ctx.Add(errors::kRulesSchema, path, "an expression is a string");
    return nullptr;
  }
  const std::string& src = j.get_ref<const std::string&>();
  auto e = std::make_shared<expr::Expr>();
  expr::ParseError err;
  expr::ParseOptions options;
  options.is_template = !want_bool && expr::LooksLikeTemplate(src);
  options.worker_names = worker_names;
  if (!expr::Parse(src, options, e.get(), &err)) {
    ctx.Add(
        *err.code, path,
        err.message + " (at character " + std::to_string(err.offset + 1) + " of the expression)",
        err.offset, true);
    return nullptr;
  }
  const expr::Type t = e->root.type;
  if (want_bool && t != expr::Type::kBool) {
    ctx.Add(errors::kRulesExpressionType, path,
            "the condition is a string, not a boolean "
            "(compare with == or use Arrays.contains / String.stringContains / Arrays.isEmpty)");
    return nullptr;
  }
  if (!want_bool && t == expr::Type::kBool) {
    ctx.Add(errors::kRulesExpressionType, path,
            "a value is a string or an attribute, not a "
            "boolean");
    return nullptr;
  }
  return e;
}

std::string FormatProblem(std::string_view file_label, const Problem& p) {
  std::string out(file_label);
  if (p.line > 0) out += ":" + std::to_string(p.line) + ":" + std::to_string(p.column);
  return out + ": " + p.path + ": " + p.message;
}

Result<RuleSet> LoadRules(std::string_view text, std::string_view label,
                          std::vector<Problem>* problems_out) {
  std::vector<Problem> local;
  std::vector<Problem>& problems = problems_out ? *problems_out : local;
  problems.clear();
  Json doc;
  if (!ParseJson(text, label, &doc, &problems)) return Finish(label, problems, Spec{});
  LoadContext ctx(text, &problems);
  for (const auto& [path, offset] : ctx.positions().duplicate_keys) {
    ctx.Add(errors::kRulesDuplicateKey, path, "this key appears twice in one object", 0, false);
  }
  Spec spec;
  try {
    if (doc.is_object() && doc.contains("extends")) {
      const Json& ext = doc.at("extends");
      const std::string_view base = ext.is_string() ? ProfileText(ext.get<std::string>()) : "";
      if (base.empty()) {
        ctx.Add(errors::kRulesUnknownProfile, "$.extends",
                "extends names a built-in profile: "
                "flex, frontline, console or sendgrid");
      } else {
        std::vector<Problem> base_problems;
        LoadContext base_ctx(base, &base_problems);
        LoadDocument(base_ctx, Json::parse(base.begin(), base.end()), &spec);
        for (const Problem& bp : base_problems) {  // a profile is checked by tests; be safe
          ctx.Add(*bp.code, "$.extends", "profile problem at " + bp.path + ": " + bp.message);
        }
      }
    }
    LoadDocument(ctx, doc, &spec);
  } catch (const Json::exception& e) {  // defensive: every access is type-checked first
    ctx.Add(errors::kRulesSchema, "$", std::string("unexpected JSON shape: ") + e.what());
  }
  std::stable_sort(problems.begin(), problems.end(), [](const Problem& a, const Problem& b) {
    return a.line != b.line ? (a.line > 0 && (b.line == 0 || a.line < b.line))
                            : a.column < b.column;
  });
  return Finish(label, problems, std::move(spec));
}

Result<RuleSet> LoadProfile(std::string_view name) {
  const std::string_view text = ProfileText(name);
  if (text.empty()) {
    return Status::Error(
        errors::kRulesUnknownProfile,
        "unknown profile '" + std::string(name) + "' (flex, frontline, console, sendgrid)");
  }
  return LoadRules(text, std::string("profile:") + std::string(name));
}

std::vector<std::string> ProfileNames() {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < kEmbeddedProfileCount; ++i)
    out.emplace_back(kEmbeddedProfiles[i].name);
  return out;
}

std::string_view ProfileText(std::string_view name) {
  for (std::size_t i = 0; i < kEmbeddedProfileCount; ++i) {
    if (name == kEmbeddedProfiles[i].name) return kEmbeddedProfiles[i].text;
  }
  return {};
}

}  // namespace claimgate::rules
