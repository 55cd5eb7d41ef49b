#include "pipeline/audit_detail.h"

#include <nlohmann/json.hpp>

#include "pipeline/decision_json.h"

namespace claimgate::pipeline {

namespace {

using SortedJson = nlohmann::json;  // audit details keep sorted keys

SortedJson ValuesObject(const AttributeValues& v) {
  SortedJson out = SortedJson::object();
  for (const auto& [name, list] : v) out[name] = list;
  return out;
}

SortedJson DiffObject(const AttributeDiff& diff) {
  SortedJson out = SortedJson::object();
  if (!diff.added.empty()) out["added"] = ValuesObject(diff.added);
  if (!diff.removed.empty()) out["removed"] = ValuesObject(diff.removed);
  if (!diff.changed.empty()) {
    SortedJson changed = SortedJson::object();
    for (const auto& [name, c] : diff.changed) {
      SortedJson one = SortedJson::object();
      if (!c.added.empty()) one["added"] = c.added;
      if (!c.removed.empty()) one["removed"] = c.removed;
      if (c.reordered) one["reordered"] = true;
      changed[name] = std::move(one);
    }
    out["changed"] = std::move(changed);
  }
  return out;
}

std::string DumpSorted(const SortedJson& j) {
  return j.dump(-1, ' ', false, SortedJson::error_handler_t::replace);
}

}  // namespace

std::string AttributeDiffJson(const AttributeDiff& diff) { return DumpSorted(DiffObject(diff)); }

std::string LoginDetailJson(const LoginDetail& d) {
  SortedJson out = SortedJson::object();
  if (!d.action.empty()) out["action"] = d.action;
  if (!d.attributes.empty()) out["attributes"] = DiffObject(d.attributes);
  if (d.email_from != d.email_to) out["email"] = {{"from", d.email_from}, {"to", d.email_to}};
  if (!d.permissions_granted.empty()) out["permissions"] = d.permissions_granted;
  if (d.rules) out["rules"] = SortedJson(ExplanationJson(*d.rules));
  if (!d.message.empty()) out["message"] = d.message;
  if (!d.error_detail.empty()) out["error_detail"] = d.error_detail;
  return DumpSorted(out);
}

}  // namespace claimgate::pipeline
