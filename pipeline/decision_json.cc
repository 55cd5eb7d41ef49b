#include "pipeline/decision_json.h"

#include "base/civil_time.h"

namespace claimgate::pipeline {

Json AttributesJson(const Claims& claims) {
  Json attrs = Json::object();
  for (const Attribute& a : claims.attributes) {
    std::string key = a.name;
    if (attrs.contains(key)) key += " (" + a.name_format + ")";
    attrs[key] = a.values;
  }
  return attrs;
}

Json AcceptedJson(const saml::Assertion& login) {
  Json j;
  j["decision"] = "accepted";
  j["issuer"] = login.issuer;
  j["subject"] = login.claims.subject;
  j["subject_format"] = login.claims.subject_format;
  j["assertion_id"] = login.assertion_id;
  if (!login.response_id.empty()) j["response_id"] = login.response_id;
  if (login.in_response_to) j["in_response_to"] = *login.in_response_to;
  j["signed"] = {{"response", login.response_signed}, {"assertion", login.assertion_signed}};
  j["not_on_or_after"] = FormatDateTime(login.not_on_or_after);
  if (login.authn_instant) j["authn_instant"] = FormatDateTime(*login.authn_instant);
  if (!login.session_index.empty()) j["session_index"] = login.session_index;
  j["attributes"] = AttributesJson(login.claims);
  Json details = Json::array();
  for (const Attribute& a : login.claims.attributes) {
    Json d = {{"name", a.name}, {"values", a.values}};
    if (!a.friendly_name.empty()) d["friendly_name"] = a.friendly_name;
    if (!a.name_format.empty()) d["name_format"] = a.name_format;
    bool typed = false;
    for (const std::string& t : a.value_types) typed = typed || !t.empty();
    if (typed) d["value_types"] = a.value_types;
    details.push_back(std::move(d));
  }
  j["attribute_details"] = std::move(details);
  return j;
}

Json RejectedJson(const Status& status) {
  return {{"decision", "rejected"},
          {"error", {{"code", std::string(status.code())}, {"message", status.message()}}}};
}

Json MappedWorkerJson(const rules::Mapping& mapping) {
  Json w = Json::object();
  for (const rules::Field& f : mapping.worker) {
    if (f.multi) {
      w[f.name] = f.values;
    } else if (!f.values.empty()) {
      w[f.name] = f.values.front();
    }
  }
  return w;
}

// The worker as the account now stores it: the mapping's fields (single or multi as mapped, in
// the mapping's order) with the stored values, so an on_create attribute shows the value kept,
// not the one just sent; a field the policy did not store is absent.
Json StoredWorkerJson(const rules::Mapping& mapping, const storage::AttributeValues& stored) {
  Json w = Json::object();
  for (const rules::Field& f : mapping.worker) {
    auto it = stored.find(f.name);
    if (it == stored.end()) continue;
    if (f.multi) {
      w[f.name] = it->second;
    } else if (!it->second.empty()) {
      w[f.name] = it->second.front();
    }
  }
  for (const auto& [name, values] : stored) {
    if (mapping.Find(name) == nullptr) w[name] = values;
  }
  return w;
}

Json ExplanationJson(const std::vector<rules::Explanation>& steps) {
  Json a = Json::array();
  for (const rules::Explanation& e : steps) {
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

Json DecisionJson(const Decision& d) {
  Json j = d.accepted() ? AcceptedJson(*d.login) : RejectedJson(d.status);
  if (d.accepted() && d.mapping) {
    j["worker"] = d.provisioning.action == ProvisionAction::kNone
                      ? MappedWorkerJson(*d.mapping)
                      : StoredWorkerJson(*d.mapping, d.provisioning.stored);
  }
  if (!d.accepted() && d.login) {  // refused after verification: whose login it was
    j["subject"] = d.login->claims.subject;
    j["issuer"] = d.login->issuer;
  }
  j["provisioning"] = {{"action", ProvisionActionName(d.provisioning.action)},
                       {"user_id", d.provisioning.user_id}};
  return j;
}

Json UserJson(const storage::User& u) {
  Json attributes = Json::object();
  for (const auto& [name, values] : u.attributes) attributes[name] = values;
  return {{"id", u.id},
          {"connection", u.connection},
          {"subject", u.subject},
          {"email", u.email},
          {"attributes", attributes},
          {"permissions", u.permissions},
          {"status", storage::UserStatusName(u.status)},
          {"origin", storage::UserOriginName(u.origin)},
          {"created", u.created},
          {"updated", u.updated},
          {"last_login", u.last_login}};
}

Json AuditJson(const storage::AuditEntry& e) {
  const storage::AuditRecord& r = e.record;
  Json detail = Json::parse(r.detail, nullptr, /*allow_exceptions=*/false);
  if (detail.is_discarded()) detail = r.detail;
  return {{"id", e.id},
          {"time", e.time},
          {"actor", r.actor},
          {"connection", r.connection},
          {"event", r.event},
          {"decision", r.decision},
          {"error_code", r.error_code},
          {"subject", r.subject},
          {"assertion_id", r.assertion_id},
          {"issuer", r.issuer},
          {"client_addr", r.client_addr},
          {"detail", detail},
          {"prev_hash", e.prev_hash},
          {"hash", e.hash}};
}

std::string Dump(const Json& j, int indent) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace claimgate::pipeline
