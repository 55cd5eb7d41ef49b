// Loading one output attribute: from, value, split, multi, transform, map, unmapped, allowed,
// format, on_disallowed, required, default, name_match, min_values, max_values. Every problem
// names its JSON path.
#include <string>
#include <string_view>
#include <vector>

#include "rules/load_internal.h"

namespace claimgate::rules {
namespace {

constexpr const char* kAttributeKeys[] = {
    "from",       "value",       "split",         "multi",     "transform", "map",
    "unmapped",   "allowed",     "on_disallowed", "format",    "required",  "default",
    "name_match", "description", "min_values",    "max_values"};

// RE2 syntax (https://github.com/google/re2/wiki/Syntax): Perl/ECMAScript-like, without
// backreferences or lookaround, which is what keeps matching linear in the value's length.
std::shared_ptr<const re2::RE2> CompileRegex(LoadContext& ctx, const Json& j,
                                             const std::string& path, bool ignore_case) {
  if (!j.is_string() || j.get_ref<const std::string&>().empty()) {
    ctx.Add(errors::kRulesSchema, path, "a regex must be a non-empty string");
    return nullptr;
  }
  re2::RE2::Options options;
  options.set_log_errors(false);
  options.set_case_sensitive(!ignore_case);
  options.set_max_mem(4 << 20);  // a bound on each compiled program (and its DFA cache)
  auto re = std::make_shared<const re2::RE2>(j.get_ref<const std::string&>(), options);
  if (!re->ok()) {
    ctx.Add(errors::kRulesBadRegex, path,
            "the regex does not compile (RE2 syntax: no "
            "backreferences or lookaround): " +
                re->error());
    return nullptr;
  }
  return re;
}

// A value count: a whole number from 0 to kMaxValues.
bool LoadCount(LoadContext& ctx, const Json& j, const std::string& path, std::size_t* out) {
  if (!j.is_number_integer() || j.get<long long>() < 0 ||
      j.get<long long>() > static_cast<long long>(kMaxValues)) {
    ctx.Add(errors::kRulesSchema, path, "must be a whole number from 0 to 1000");
    return false;
  }
  *out = static_cast<std::size_t>(j.get<long long>());
  return true;
}

bool LoadBool(LoadContext& ctx, const Json& j, const std::string& path, bool* out) {
  if (!j.is_boolean()) {
    ctx.Add(errors::kRulesSchema, path, "must be true or false");
    return false;
  }
  *out = j.get<bool>();
  return true;
}

// A matcher written as "text" (exact) or {"equals" | "equals_ignore_case" | "regex": ...}.
bool LoadMatcher(LoadContext& ctx, const Json& j, const std::string& path, Matcher* m,
                 const Json** rest) {
  if (j.is_string()) {
    m->kind = Matcher::Kind::kExact;
    m->key = j.get<std::string>();
    return true;
  }
  if (!j.is_object()) {
    ctx.Add(errors::kRulesSchema, path,
            "must be a string or an object with equals, "
            "equals_ignore_case or regex");
    return false;
  }
  int kinds = 0;
  for (const char* k : {"equals", "equals_ignore_case", "regex"}) {
    if (!j.contains(k)) continue;
    ++kinds;
    const std::string p = JoinPath(path, k);
    if (std::string_view(k) == "regex") {
      m->kind = Matcher::Kind::kRegex;
      m->re = CompileRegex(ctx, j.at(k), p, false);
      if (!m->re) return false;
      m->key = j.at(k).get<std::string>();
    } else if (!j.at(k).is_string()) {
      ctx.Add(errors::kRulesSchema, p, "must be a string");
      return false;
    } else {
      m->kind =
          std::string_view(k) == "equals" ? Matcher::Kind::kExact : Matcher::Kind::kIgnoreCase;
      m->key = j.at(k).get<std::string>();
    }
  }
  if (kinds != 1) {
    ctx.Add(errors::kRulesSchema, path, "needs exactly one of equals, equals_ignore_case, regex");
    return false;
  }
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    if (k == "equals" || k == "equals_ignore_case" || k == "regex") continue;
    if (rest != nullptr && k == "to") {
      *rest = &it.value();
      continue;
    }
    ctx.Add(errors::kRulesSchema, JoinPath(path, k), "unknown key '" + k + "'");
  }
  return true;
}

void LoadFrom(LoadContext& ctx, const Json& j, const std::string& path, bool ignore_case,
              AttrRule* out) {
  const Json list = j.is_array() ? j : Json::array({j});
  if (list.empty()) ctx.Add(errors::kRulesSchema, path, "an empty from list matches nothing");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const Json& e = list[i];
    const std::string p = j.is_array() ? IndexPath(path, i) : path;
    if (e.is_string() && !e.get_ref<const std::string&>().empty()) {
      out->from.push_back(MakeNameRef(e.get<std::string>(), "", ignore_case));
    } else if (e.is_object() && e.contains("name") && e.at("name").is_string()) {
      std::string fmt;
      for (auto it = e.begin(); it != e.end(); ++it) {
        if (it.key() == "name_format" && it.value().is_string()) {
          fmt = it.value().get<std::string>();
        } else if (it.key() != "name") {
          ctx.Add(errors::kRulesSchema, JoinPath(p, it.key()),
                  "unknown key '" + it.key() + "' (a from entry has name and name_format)");
        }
      }
      out->from.push_back(MakeNameRef(e.at("name").get<std::string>(), fmt, ignore_case));
    } else {
      ctx.Add(errors::kRulesSchema, p,
              "a from entry is a non-empty attribute name or "
              "{\"name\": ..., \"name_format\": ...}");
    }
  }
}

void LoadTransforms(LoadContext& ctx, const Json& j, const std::string& path, AttrRule* out) {
  if (!j.is_array()) return ctx.Add(errors::kRulesSchema, path, "must be an array");
  static constexpr std::pair<const char*, Transform::Kind> kNamed[] = {
      {"trim", Transform::Kind::kTrim},
      {"lowercase", Transform::Kind::kLower},
      {"uppercase", Transform::Kind::kUpper},
      {"collapse_spaces", Transform::Kind::kCollapseSpaces},
      {"email_local_part", Transform::Kind::kEmailLocalPart}};
  for (std::size_t i = 0; i < j.size(); ++i) {
    const std::string p = IndexPath(path, i);
    Transform t;
    if (j[i].is_string()) {
      const std::string& name = j[i].get_ref<const std::string&>();
      bool found = false;
      for (const auto& [n, kind] : kNamed) {
        if (name == n) {
          t.kind = kind;
          t.label = n;
          found = true;
        }
      }
      if (!found) {
        ctx.Add(errors::kRulesUnknownTransform, p,
                "unknown transform '" + name +
                    "' (trim, "
                    "lowercase, uppercase, collapse_spaces, email_local_part, {\"regex\", "
                    "\"replace\"})");
        continue;
      }
    } else if (j[i].is_object() && j[i].contains("regex")) {
      bool icase = false;
      for (auto it = j[i].begin(); it != j[i].end(); ++it) {
        const std::string& k = it.key();
        if (k == "replace" && !it.value().is_string()) {
          ctx.Add(errors::kRulesSchema, JoinPath(p, k), "must be a string ($1..$9 allowed)");
        } else if (k == "ignore_case") {
          LoadBool(ctx, it.value(), JoinPath(p, k), &icase);
        } else if (k != "regex" && k != "replace") {
          ctx.Add(errors::kRulesUnknownTransform, JoinPath(p, k), "unknown key '" + k + "'");
        }
      }
      t.kind = Transform::Kind::kRegex;
      t.re = CompileRegex(ctx, j[i].at("regex"), JoinPath(p, "regex"), icase);
      if (!t.re) continue;
      if (j[i].contains("replace") && j[i].at("replace").is_string()) {
        t.replacement = j[i].at("replace").get<std::string>();
      }
      t.label = "regex " + j[i].at("regex").get<std::string>();
    } else {
      ctx.Add(errors::kRulesUnknownTransform, p,
              "a transform is a name or "
              "{\"regex\": ..., \"replace\": ...}");
      continue;
    }
    out->transforms.push_back(std::move(t));
  }
}

void LoadMap(LoadContext& ctx, const Json& j, const std::string& path, AttrRule* out) {
  if (j.is_object()) {  // {"from value": "to value" | ["a", "b"] | []}: exact keys
    for (auto it = j.begin(); it != j.end(); ++it) {
      MapEntry e;
      e.match.key = it.key();
      if (!it.value().is_array() || !it.value().empty()) {
        if (!LoadStrings(ctx, it.value(), JoinPath(path, it.key()), &e.to)) continue;
      }
      out->map.push_back(std::move(e));
    }
    return;
  }
  if (!j.is_array()) {
    return ctx.Add(errors::kRulesSchema, path,
                   "map is an object (exact keys) or an array of "
                   "{equals | equals_ignore_case | regex, to} in precedence order");
  }
  for (std::size_t i = 0; i < j.size(); ++i) {
    const std::string p = IndexPath(path, i);
    MapEntry e;
    const Json* to = nullptr;
    if (!j[i].is_object()) {
      ctx.Add(errors::kRulesSchema, p, "a map entry is {equals | equals_ignore_case | regex, to}");
      continue;
    }
    if (!LoadMatcher(ctx, j[i], p, &e.match, &to)) continue;
    if (to == nullptr) {
      ctx.Add(errors::kRulesSchema, p,
              "a map entry needs \"to\" (a string, a list, or [] to drop)");
      continue;
    }
    if (!(to->is_array() && to->empty()) && !LoadStrings(ctx, *to, JoinPath(p, "to"), &e.to)) {
      continue;
    }
    out->map.push_back(std::move(e));
  }
}

void LoadAllowed(LoadContext& ctx, const Json& j, const std::string& path, AttrRule* out) {
  out->has_allowed = true;
  if (!j.is_array() || j.empty()) {
    return ctx.Add(errors::kRulesSchema, path, "allowed is a non-empty array");
  }
  for (std::size_t i = 0; i < j.size(); ++i) {
    Matcher m;
    if (LoadMatcher(ctx, j[i], IndexPath(path, i), &m, nullptr)) out->allowed.push_back(m);
  }
}

bool Allowed(const AttrRule& r, const std::string& v) {
  Status ignored;
  for (const Matcher& m : r.allowed) {
    if (m.Matches(v, &ignored)) return true;
  }
  return false;
}

// Cross-field checks once every key is read.
void CheckAttribute(LoadContext& ctx, const Json& j, const std::string& path, AttrRule* r) {
  if (r->from.empty() && !r->value && r->default_values.empty() && !j.contains("from") &&
      !j.contains("value")) {
    ctx.Add(errors::kRulesSchema, path, "needs from, value or default");
  }
  if ((r->has_allowed || !r->map.empty()) && !r->required && r->default_values.empty()) {
    ctx.Add(errors::kRulesNoEmptyOutcome, path,
            "an attribute with allowed or map must say what "
            "happens when no value is left: \"required\": true (reject) or a \"default\"");
  }
  if (j.contains("on_disallowed") && !r->has_allowed && r->format == AttrRule::Format::kNone) {
    ctx.Add(errors::kRulesSchema, JoinPath(path, "on_disallowed"),
            "on_disallowed needs allowed or format");
  }
  if (r->min_values > r->max_values) {
    ctx.Add(errors::kRulesSchema, JoinPath(path, "min_values"),
            "min_values is larger than max_values");
  }
  if (!r->multi && r->min_values > 1) {
    ctx.Add(errors::kRulesSchema, JoinPath(path, "min_values"),
            "a single-valued attribute holds at most one value: \"multi\": true");
  }
  if (!r->multi && r->default_values.size() > 1) {
    ctx.Add(errors::kRulesSchema, JoinPath(path, "default"),
            "several default values need \"multi\": true");
  }
  for (const std::string& d : r->default_values) {
    if (r->has_allowed && !r->allowed.empty() && !Allowed(*r, d)) {
      ctx.Add(errors::kRulesDisallowedValue, JoinPath(path, "default"),
              "default value '" + d + "' is not in allowed");
    }
  }
}

}  // namespace

bool LoadStrings(LoadContext& ctx, const Json& j, const std::string& path,
                 std::vector<std::string>* out) {
  if (j.is_string()) {
    out->push_back(j.get<std::string>());
    return true;
  }
  if (j.is_array() && !j.empty()) {
    for (std::size_t i = 0; i < j.size(); ++i) {
      if (!j[i].is_string()) {
        ctx.Add(errors::kRulesSchema, IndexPath(path, i), "must be a string");
        return false;
      }
      out->push_back(j[i].get<std::string>());
    }
    return true;
  }
  ctx.Add(errors::kRulesSchema, path, "must be a string or a non-empty array of strings");
  return false;
}

void LoadAttribute(LoadContext& ctx, const std::string& name, const Json& j,
                   const std::string& path, AttrRule* r) {
  r->name = name;
  r->path = path;
  if (!j.is_object()) return ctx.Add(errors::kRulesSchema, path, "an attribute rule is an object");
  for (auto it = j.begin(); it != j.end(); ++it) {
    bool known = false;
    for (const char* k : kAttributeKeys) known = known || it.key() == k;
    if (!known)
      ctx.Add(errors::kRulesSchema, JoinPath(path, it.key()), "unknown key '" + it.key() + "'");
  }
  bool ignore_case = false;
  if (j.contains("name_match")) {
    const Json& m = j.at("name_match");
    if (m == "ignore_case")
      ignore_case = true;
    else if (m != "exact")
      ctx.Add(errors::kRulesSchema, JoinPath(path, "name_match"),
              "must be \"exact\" or \"ignore_case\"");
  }
  if (j.contains("from")) LoadFrom(ctx, j.at("from"), JoinPath(path, "from"), ignore_case, r);
  if (j.contains("value")) {
    r->value = LoadExpression(ctx, j.at("value"), JoinPath(path, "value"), false);
    if (j.at("value").is_string()) r->value_text = j.at("value").get<std::string>();
  }
  if (j.contains("split")) {
    const Json& s = j.at("split");
    if (s.is_string() && !s.get_ref<const std::string&>().empty())
      r->split = s.get<std::string>();
    else
      ctx.Add(errors::kRulesSchema, JoinPath(path, "split"), "must be a non-empty delimiter");
  }
  if (j.contains("multi")) LoadBool(ctx, j.at("multi"), JoinPath(path, "multi"), &r->multi);
  if (j.contains("required")) {
    LoadBool(ctx, j.at("required"), JoinPath(path, "required"), &r->required);
  }
  if (j.contains("transform"))
    LoadTransforms(ctx, j.at("transform"), JoinPath(path, "transform"), r);
  if (j.contains("map")) LoadMap(ctx, j.at("map"), JoinPath(path, "map"), r);
  if (j.contains("unmapped")) {
    const Json& u = j.at("unmapped");
    if (u == "drop")
      r->map_unmapped_drop = true;
    else if (u != "keep")
      ctx.Add(errors::kRulesSchema, JoinPath(path, "unmapped"), "must be \"keep\" or \"drop\"");
  }
  if (j.contains("allowed")) LoadAllowed(ctx, j.at("allowed"), JoinPath(path, "allowed"), r);
  if (j.contains("format")) {
    if (j.at("format") == "email")
      r->format = AttrRule::Format::kEmail;
    else if (j.at("format") == "url")
      r->format = AttrRule::Format::kUrl;
    else
      ctx.Add(errors::kRulesSchema, JoinPath(path, "format"),
              "format is \"email\" or \"url\" (an absolute http or https URL)");
  }
  if (j.contains("min_values")) {
    LoadCount(ctx, j.at("min_values"), JoinPath(path, "min_values"), &r->min_values);
  }
  if (j.contains("max_values")) {
    LoadCount(ctx, j.at("max_values"), JoinPath(path, "max_values"), &r->max_values);
  }
  if (j.contains("on_disallowed")) {
    const Json& o = j.at("on_disallowed");
    if (o == "reject")
      r->reject_disallowed = true;
    else if (o != "drop")
      ctx.Add(errors::kRulesSchema, JoinPath(path, "on_disallowed"),
              "must be \"drop\" or \"reject\"");
  }
  if (j.contains("default")) {
    LoadStrings(ctx, j.at("default"), JoinPath(path, "default"), &r->default_values);
  }
  CheckAttribute(ctx, j, path, r);
}

}  // namespace claimgate::rules
