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
constexpr const char* kTopKeys[] = {"version", "extends", "attributes", "when",
                                    "pass_through", "description"};

void LoadWhen(LoadContext& ctx, const Json& j, const std::string& path, Spec* spec) {
  if (!j.is_array()) return ctx.Add(errors::kRulesSchema, path, "when is an array of rules");
  for (std::size_t i = 0; i < j.size(); ++i) {
    const std::string p = IndexPath(path, i);
    WhenRule w;
    w.path = p;
    if (!j[i].is_object() || !j[i].contains("if")) {
      ctx.Add(errors::kRulesSchema, p, "a when rule is {\"if\": EXPR, add | set | remove}");
      continue;
    }
    w.cond = LoadExpression(ctx, j[i].at("if"), JoinPath(p, "if"), true);
    if (j[i].at("if").is_string()) w.if_text = j[i].at("if").get<std::string>();
    for (auto it = j[i].begin(); it != j[i].end(); ++it) {
      const std::string& k = it.key();
      if (k == "if" || k == "description") continue;
      const std::string ap = JoinPath(p, k);
      WhenAction::Kind kind;
      if (k == "add") kind = WhenAction::Kind::kAdd;
      else if (k == "set") kind = WhenAction::Kind::kSet;
      else if (k == "remove") kind = WhenAction::Kind::kRemove;
      else {
        ctx.Add(errors::kRulesSchema, ap, "unknown key '" + k + "' (if, add, set, remove)");
        continue;
      }
      if (!it.value().is_object() || it.value().empty()) {
        ctx.Add(errors::kRulesSchema, ap, "must be a non-empty object: attribute -> value(s)");
        continue;
      }
      for (auto t = it.value().begin(); t != it.value().end(); ++t) {
        const std::string tp = JoinPath(ap, t.key());
        auto found = std::find_if(spec->attributes.begin(), spec->attributes.end(),
                                  [&](const AttrRule& r) { return r.name == t.key(); });
        if (found == spec->attributes.end()) {
          ctx.Add(errors::kRulesUnknownAttribute, tp, "'" + t.key() + "' is not declared in "
                  "attributes");
          continue;
        }
        WhenAction a{kind, static_cast<std::size_t>(found - spec->attributes.begin()), {}};
        if (!LoadStrings(ctx, t.value(), tp, &a.values)) continue;
        if (!found->multi && (kind != WhenAction::Kind::kSet || a.values.size() > 1)) {
          ctx.Add(errors::kRulesUnknownAttribute, tp, "'" + t.key() + "' is single-valued: "
                  "use set with one value");
          continue;
        }
        for (const std::string& v : a.values) {
          Status ignored;
          const bool ok = !found->has_allowed ||
                          std::any_of(found->allowed.begin(), found->allowed.end(),
                                      [&](const Matcher& m) { return m.Matches(v, &ignored); });
          if (!ok && kind != WhenAction::Kind::kRemove) {
            ctx.Add(errors::kRulesDisallowedValue, tp, "'" + v + "' is not in " + found->path +
                    ".allowed");
          }
        }
        w.actions.push_back(std::move(a));
      }
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
        if (same != spec->attributes.end()) *same = std::move(r);
        else spec->attributes.push_back(std::move(r));
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
    ctx.Add(*err.code, path, err.message + " (at character " + std::to_string(err.offset + 1) +
            " of the expression)", err.offset, true);
    return nullptr;
  }
  const expr::Type t = e->root.type;
  if (want_bool && t != expr::Type::kBool) {
    ctx.Add(errors::kRulesExpressionType, path, "the condition is a string, not a boolean "
            "(compare with == or use Arrays.contains / String.stringContains / Arrays.isEmpty)");
    return nullptr;
  }
  if (!want_bool && t == expr::Type::kBool) {
    ctx.Add(errors::kRulesExpressionType, path, "a value is a string or an attribute, not a "
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
        ctx.Add(errors::kRulesUnknownProfile, "$.extends", "extends names a built-in profile: "
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
    return Status::Error(errors::kRulesUnknownProfile, "unknown profile '" + std::string(name) +
                         "' (flex, frontline, console, sendgrid)");
  }
  return LoadRules(text, std::string("profile:") + std::string(name));
}

std::vector<std::string> ProfileNames() {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < kEmbeddedProfileCount; ++i) out.emplace_back(kEmbeddedProfiles[i].name);
  return out;
}

std::string_view ProfileText(std::string_view name) {
  for (std::size_t i = 0; i < kEmbeddedProfileCount; ++i) {
    if (name == kEmbeddedProfiles[i].name) return kEmbeddedProfiles[i].text;
  }
  return {};
}

}  // namespace claimgate::rules
