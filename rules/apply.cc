// RuleSet::Apply: one login's Claims -> worker attributes, with an explanation of every step.
// Order per attribute: source (from, else value, else nothing) -> split -> transform -> map ->
// format/allowed -> de-duplicate -> default. Then the when rules in order (they see the
// defaults), then per attribute the default again when a when rule left it empty (a default is
// the declared outcome of "no value left", whoever emptied it), then the final checks
// (required, min/max_values, single-valued), then pass-through. The first failure is the
// status; the remaining rules still run so the explanation is complete.
#include <algorithm>
#include <string>
#include <utility>

#include "rules/spec_internal.h"

namespace claimgate::rules {
namespace {

class Applier {
 public:
  Applier(const Spec& spec, const Claims& claims, Mapping& m)
      : spec_(spec), claims_(claims), m_(m) {
    env_.claims = &claims;
    env_.groups_overflow = HasGroupsOverflow(claims);
  }

  void Run() {
    if (env_.groups_overflow) {
      Explain("", "note", "", "http://schemas.microsoft.com/claims/groups.link", {},
              "groups claim left out by the IdP (too many groups)");
    }
    m_.explain.reserve(2 * spec_.attributes.size() + 4);
    m_.worker.resize(spec_.attributes.size());
    for (std::size_t i = 0; i < spec_.attributes.size(); ++i)
      MapAttribute(spec_.attributes[i], m_.worker[i]);
    for (const WhenRule& w : spec_.when) RunWhen(w);
    for (std::size_t i = 0; i < spec_.attributes.size(); ++i)
      Finish(spec_.attributes[i], m_.worker[i]);
    m_.worker.erase(std::remove_if(m_.worker.begin(), m_.worker.end(),
                                   [](const Field& f) { return f.values.empty(); }),
                    m_.worker.end());
    if (spec_.pass_through) PassThrough();
  }

 private:
  void Explain(const std::string& attr, const char* event, const std::string& rule,
               std::string source, std::vector<std::string> values, std::string reason) {
    m_.explain.push_back(
        Explanation{attr, event, rule, std::move(source), std::move(values), std::move(reason)});
  }

  void Reject(Status s, const std::string& attr, const std::string& rule,
              std::vector<std::string> values) {
    Explain(attr, "reject", rule, std::string(s.code()), std::move(values), s.message());
    if (m_.status.ok()) {
      m_.status = Status::Error(*s.error_code(), (attr.empty() ? "" : attr + ": ") + s.message());
    }
  }

  // Source values: the first `from` entry that matches, else the value expression.
  bool Source(const AttrRule& r, std::vector<std::string>& vals) {
    for (std::size_t i = 0; i < r.from.size(); ++i) {
      const NameRef& ref = r.from[i];
      if (env_.groups_overflow && IsGroupsRef(ref)) {
        Reject(Status::Error(errors::kRulesGroupsOverflow,
                             "'" + ref.name +
                                 "' is unknown: the "
                                 "IdP left the groups claim out (too many groups)"),
               r.name, r.path + ".from", {});
        return false;
      }
      Match match;
      if (Status s = FindAttribute(claims_, ref, &match); !s.ok()) {
        Reject(std::move(s), r.name, r.path + ".from", {});
        return false;
      }
      if (match.attr == nullptr) continue;
      vals = match.attr->values;
      Explain(r.name, "from",
              r.from.size() > 1 ? r.path + ".from[" + std::to_string(i) + "]" : r.path + ".from",
              match.attr->name, vals, match.how);
      return true;
    }
    if (!r.value) return true;
    expr::Env env;
    env.claims = &claims_;
    env.groups_overflow = env_.groups_overflow;
    const expr::Value v = expr::Eval(*r.value, env);
    if (!env.status.ok()) {
      Reject(std::move(env.status), r.name, r.path + ".value", {});
      return false;
    }
    if (v.type == expr::Type::kList) vals = *v.list;
    if (v.type == expr::Type::kString) vals.emplace_back(v.str());
    if (v.type == expr::Type::kNumber) vals.push_back(expr::FormatNumber(v.num));
    Explain(r.name, "value", r.path + ".value", r.value_text, vals, vals.empty() ? "null" : "");
    return true;
  }

  static void Split(const AttrRule& r, std::vector<std::string>& vals) {
    std::vector<std::string> out;
    for (const std::string& v : vals) {
      std::size_t pos = 0;
      for (;;) {
        const std::size_t at = v.find(r.split, pos);
        std::string part = v.substr(pos, at == std::string::npos ? std::string::npos : at - pos);
        const std::vector<rules::Transform> trim{rules::Transform{}};
        (void)ApplyTransforms(trim, part);  // trim never fails
        if (!part.empty()) out.push_back(std::move(part));
        if (at == std::string::npos) break;
        pos = at + r.split.size();
      }
    }
    vals = std::move(out);
  }

  bool TransformValues(const AttrRule& r, std::vector<std::string>& vals) {
    std::vector<std::string> out;
    for (std::string v : vals) {
      if (Status s = ApplyTransforms(r.transforms, v); !s.ok()) {
        Reject(std::move(s), r.name, r.path + ".transform", {});
        return false;
      }
      if (!v.empty()) out.push_back(std::move(v));
    }
    vals = std::move(out);
    return true;
  }

  bool Map(const AttrRule& r, std::vector<std::string>& vals) {
    std::vector<std::string> out;
    for (const std::string& v : vals) {
      Status st;
      std::size_t hit = r.map.size();
      Captures groups;
      for (std::size_t i = 0; i < r.map.size() && hit == r.map.size(); ++i) {
        if (r.map[i].match.Matches(v, &st, &groups)) hit = i;
        if (!st.ok()) {
          Reject(std::move(st), r.name, r.path + ".map", {v});
          return false;
        }
      }
      if (hit == r.map.size()) {
        if (r.map_unmapped_drop)
          Explain(r.name, "drop", r.path + ".map", "", {v}, "unmapped");
        else
          out.push_back(v);
        continue;
      }
      const MapEntry& e = r.map[hit];
      std::vector<std::string> to;
      for (const std::string& t : e.to) {
        to.push_back(e.match.kind == Matcher::Kind::kRegex ? ExpandGroups(t, groups) : t);
      }
      Explain(r.name, to.empty() ? "drop" : "map", r.path + ".map", v, to,
              to.empty() ? "mapped to nothing" : e.match.key);
      out.insert(out.end(), to.begin(), to.end());
    }
    vals = std::move(out);
    return true;
  }

  bool Filter(const AttrRule& r, std::vector<std::string>& vals) {
    std::vector<std::string> out;
    for (const std::string& v : vals) {
      Status st;
      const char* why = nullptr;
      const char* where = ".allowed";
      if (r.format == AttrRule::Format::kEmail && !LooksLikeEmail(v)) {
        why = "not an e-mail address";
        where = ".format";
      } else if (r.format == AttrRule::Format::kUrl && !LooksLikeUrl(v)) {
        why = "not an http(s) URL";
        where = ".format";
      } else if (r.has_allowed &&
                 std::none_of(r.allowed.begin(), r.allowed.end(),
                              [&](const Matcher& m) { return m.Matches(v, &st); })) {
        why = "not in allowed";
      }
      if (!st.ok()) {
        Reject(std::move(st), r.name, r.path + ".allowed", {v});
        return false;
      }
      if (why == nullptr) {
        out.push_back(v);
        continue;
      }
      if (r.reject_disallowed) {
        Reject(Status::Error(errors::kRulesDisallowedValue, "'" + v + "' is " + why), r.name,
               r.path + where, {v});
        return false;
      }
      Explain(r.name, "drop", r.path + where, "", {v}, why);
    }
    vals = std::move(out);
    return true;
  }

  void MapAttribute(const AttrRule& r, Field& f) {
    f.name = r.name;
    f.multi = r.multi;
    std::vector<std::string> vals;
    if (!Source(r, vals) || !CheckCount(r, vals)) return;
    if (!r.split.empty()) Split(r, vals);
    if (!CheckCount(r, vals)) return;  // before any per-value work (de-duplication is n^2)
    if (!TransformValues(r, vals)) return;
    if (!r.map.empty() && !Map(r, vals)) return;
    if (!Filter(r, vals)) return;
    Dedup(vals);
    if (vals.empty() && !r.default_values.empty()) {
      vals = r.default_values;
      Explain(r.name, "default", r.path + ".default", "", vals, "no value left");
    }
    f.values = std::move(vals);
  }

  bool CheckCount(const AttrRule& r, const std::vector<std::string>& vals) {
    if (vals.size() <= kMaxValues) return true;
    Reject(Status::Error(errors::kRulesValueTooLong,
                         std::to_string(vals.size()) + " values; the limit is 1000"),
           r.name, r.path, {});
    return false;
  }

  static void Dedup(std::vector<std::string>& vals) {
    std::vector<std::string> out;
    for (std::string& v : vals) {
      if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(std::move(v));
    }
    vals = std::move(out);
  }

  void RunWhen(const WhenRule& w) {
    expr::Env env;
    env.claims = &claims_;
    env.worker = &m_.worker;
    env.groups_overflow = env_.groups_overflow;
    const expr::Value v = expr::Eval(*w.cond, env);
    if (!env.status.ok()) return Reject(std::move(env.status), "", w.path + ".if", {});
    if (!v.b) return Explain("", "when", w.path, w.if_text, {}, "false");
    if (w.deny) {
      return Reject(Status::Error(errors::kRulesDenied, w.deny_message), "", w.path + ".deny", {});
    }
    for (const WhenAction& a : w.actions) {
      Field& f = m_.worker[a.attr];
      static const char* const kKinds[] = {"add", "set", "remove", "clear"};
      const char* kind = kKinds[static_cast<int>(a.kind)];
      std::vector<std::string> vals;
      if (!ActionValues(w, a, vals)) return;
      if (a.kind == WhenAction::Kind::kSet || a.kind == WhenAction::Kind::kClear) {
        f.values.clear();
      }
      for (const std::string& val : vals) {
        auto it = std::find(f.values.begin(), f.values.end(), val);
        if (a.kind == WhenAction::Kind::kRemove && it != f.values.end()) f.values.erase(it);
        if (a.kind != WhenAction::Kind::kRemove && it == f.values.end()) f.values.push_back(val);
      }
      Explain(f.name, "when", w.path, w.if_text, std::move(vals), kind);
    }
  }

  // The values of one action: literals as written, templates evaluated now (null or empty:
  // no value). Computed values to add or set pass the attribute's format and allowed, with its
  // on_disallowed; literals were checked at load.
  bool ActionValues(const WhenRule& w, const WhenAction& a, std::vector<std::string>& vals) {
    bool computed = false;
    for (std::size_t i = 0; i < a.values.size(); ++i) {
      if (a.computed[i] == nullptr) {
        vals.push_back(a.values[i]);
        continue;
      }
      computed = true;
      expr::Env env;
      env.claims = &claims_;
      env.worker = &m_.worker;
      env.groups_overflow = env_.groups_overflow;
      const expr::Value v = expr::Eval(*a.computed[i], env);
      if (!env.status.ok()) {
        Reject(std::move(env.status), m_.worker[a.attr].name, w.path, {});
        return false;
      }
      if (v.type == expr::Type::kString && !v.str().empty()) vals.emplace_back(v.str());
    }
    if (!computed || a.kind == WhenAction::Kind::kRemove) return true;
    return Filter(spec_.attributes[a.attr], vals);
  }

  void Finish(const AttrRule& r, Field& f) {
    if (f.values.empty() && !r.default_values.empty()) {  // a when rule emptied it
      f.values = r.default_values;
      Explain(r.name, "default", r.path + ".default", "", f.values,
              "no value left after the when rules");
    }
    if (f.values.size() > kMaxValues) {
      return Reject(Status::Error(errors::kRulesValueTooLong, "more than 1000 values"), r.name,
                    r.path, {});
    }
    for (const std::string& v : f.values) {
      if (v.size() > kMaxValueBytes) {
        return Reject(Status::Error(errors::kRulesValueTooLong, "a value exceeds 64 KiB"), r.name,
                      r.path, {});
      }
    }
    if (f.values.empty()) {
      if (r.required) {
        return Reject(Status::Error(errors::kRulesRequiredMissing,
                                    "required, and no value is "
                                    "left"),
                      r.name, r.path + ".required", {});
      }
      if (r.min_values == 0) return Explain(r.name, "empty", r.path, "", {}, "no value; omitted");
    }
    if (!r.multi && f.values.size() > 1) {
      return Reject(
          Status::Error(errors::kRulesMultipleValues,
                        std::to_string(f.values.size()) + " values for a single-valued attribute"),
          r.name, r.path, f.values);
    }
    if (f.values.size() < r.min_values || f.values.size() > r.max_values) {
      const bool few = f.values.size() < r.min_values;
      return Reject(Status::Error(errors::kRulesValueCount,
                                  std::to_string(f.values.size()) + " values; " +
                                      (few ? "min_values is " + std::to_string(r.min_values)
                                           : "max_values is " + std::to_string(r.max_values))),
                    r.name, r.path + (few ? ".min_values" : ".max_values"), f.values);
    }
  }

  void PassThrough() {
    for (const Attribute& a : claims_.attributes) {
      if (a.values.empty()) continue;
      const bool used = std::any_of(spec_.referenced.begin(), spec_.referenced.end(),
                                    [&](const NameRef& ref) { return RefersTo(ref, a); });
      if (used) continue;
      std::string key =
          !a.friendly_name.empty() ? a.friendly_name : std::string(AliasKeyOf(a.name));
      if (key.empty()) key = a.name.substr(a.name.find_last_of("/:#") + 1);
      if (key.empty()) key = a.name;
      const bool clash = std::any_of(m_.worker.begin(), m_.worker.end(),
                                     [&](const Field& f) { return f.name == key; }) ||
                         std::any_of(spec_.attributes.begin(), spec_.attributes.end(),
                                     [&](const AttrRule& r) { return r.name == key; });
      if (clash) {
        Explain(key, "drop", "$.pass_through", a.name, a.values, "name taken");
        continue;
      }
      std::vector<std::string> vals;
      for (const std::string& v : a.values) {
        if (!v.empty()) vals.push_back(v);  // empty strings are no value, as everywhere
      }
      if (vals.empty()) continue;
      const bool multi = vals.size() > 1;
      Explain(key, "pass", "$.pass_through", a.name, vals, "");
      m_.worker.push_back(Field{key, std::move(vals), multi});
    }
  }

  const Spec& spec_;
  const Claims& claims_;
  Mapping& m_;
  expr::Env env_;
};

}  // namespace

Mapping RuleSet::Apply(const Claims& claims) const {
  Mapping m;
  Applier(*spec_, claims, m).Run();
  return m;
}

std::vector<std::string> RuleSet::OutputNames() const {
  std::vector<std::string> out;
  for (const AttrRule& r : spec_->attributes) out.push_back(r.name);
  return out;
}

const Field* Mapping::Find(std::string_view name) const {
  for (const Field& f : worker) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

}  // namespace claimgate::rules
