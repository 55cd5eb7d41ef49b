// JSON in and out of the mapping stage, so callers never touch a JSON library: the worker,
// the explanation, the `rules test` object, and Claims from the JSON `claimgate verify` prints.
#include <string>

#include "rules/load_internal.h"

namespace claimgate::rules {
namespace {

std::string Dump(const Json& j) {
  // Values come from verified UTF-8 or parsed JSON; replace (never throw) if one is not.
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Json WorkerObject(const Mapping& m) {
  Json w = Json::object();
  for (const Field& f : m.worker) {
    if (f.multi)
      w[f.name] = f.values;
    else if (!f.values.empty())
      w[f.name] = f.values.front();
  }
  return w;
}

Json ExplainArray(const Mapping& m) {
  Json a = Json::array();
  for (const Explanation& e : m.explain) {
    Json o = Json::object();
    if (!e.attribute.empty()) o["attr"] = e.attribute;
    o["event"] = e.event;
    if (!e.rule.empty()) o["rule"] = e.rule;
    if (!e.source.empty()) o["source"] = e.source;
    if (!e.values.empty()) o["values"] = e.values;
    if (!e.reason.empty()) o["reason"] = e.reason;
    a.push_back(std::move(o));
  }
  return a;
}

Status AttributesError(std::string_view label, const std::string& what) {
  return Status::Error(errors::kRulesAttributesFile, std::string(label) + ": " + what);
}

}  // namespace

std::string WorkerJson(const Mapping& m) { return Dump(WorkerObject(m)); }
std::string ExplainJson(const Mapping& m) { return Dump(ExplainArray(m)); }

std::string MappingJson(const Mapping& m, bool with_explain) {
  Json out = Json::object();
  out["decision"] = m.accepted() ? "accepted" : "rejected";
  if (m.accepted()) {
    out["worker"] = WorkerObject(m);
  } else {
    out["error"] = {{"code", std::string(m.status.code())}, {"message", m.status.message()}};
  }
  if (with_explain) out["explain"] = ExplainArray(m);
  return Dump(out);
}

Result<Claims> ClaimsFromJson(std::string_view text, std::string_view label) {
  Json j;
  if (Problem p; !ParseJsonText(text, &j, &p)) {
    const std::string at =
        p.line > 0 ? ":" + std::to_string(p.line) + ":" + std::to_string(p.column) : "";
    return Status::Error(errors::kRulesJsonSyntax,
                         std::string(label) + at + ": " +
                             (p.path == "$" ? "invalid JSON" : p.path + ": " + p.message));
  }
  if (!j.is_object()) return AttributesError(label, "$: must be an object");
  Claims c;
  for (const char* k : {"subject", "subject_format"}) {
    if (!j.contains(k)) continue;
    if (!j.at(k).is_string())
      return AttributesError(label, std::string("$.") + k + ": must be a string");
    (std::string_view(k) == "subject" ? c.subject : c.subject_format) = j.at(k).get<std::string>();
  }
  if (!j.contains("attributes")) return c;
  const Json& attrs = j.at("attributes");
  if (!attrs.is_object()) return AttributesError(label, "$.attributes: must be an object");
  for (auto it = attrs.begin(); it != attrs.end(); ++it) {
    Attribute a;
    a.name = it.key();
    const Json& v = it.value();
    if (v.is_string()) {
      a.values.push_back(v.get<std::string>());
    } else if (v.is_array()) {
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (!v[i].is_string()) {
          return AttributesError(label, JoinPath("$.attributes", a.name) + "[" + std::to_string(i) +
                                            "]: must be a string");
        }
        a.values.push_back(v[i].get<std::string>());
      }
    } else {
      return AttributesError(label,
                             JoinPath("$.attributes", a.name) + ": must be a list of strings");
    }
    a.value_types.assign(a.values.size(), "");
    c.attributes.push_back(std::move(a));
  }
  return c;
}

}  // namespace claimgate::rules
