#include "cli/json_out.h"

#include "engine/saml/datetime.h"

namespace claimgate::cli {

nlohmann::ordered_json AttributesJson(const Claims& claims) {
  nlohmann::ordered_json attrs = nlohmann::ordered_json::object();
  for (const Attribute& a : claims.attributes) {
    std::string key = a.name;
    if (attrs.contains(key)) key += " (" + a.name_format + ")";
    attrs[key] = a.values;
  }
  return attrs;
}

nlohmann::ordered_json AcceptedJson(const saml::Assertion& login) {
  nlohmann::ordered_json j;
  j["decision"] = "accepted";
  j["issuer"] = login.issuer;
  j["subject"] = login.claims.subject;
  j["subject_format"] = login.claims.subject_format;
  j["assertion_id"] = login.assertion_id;
  if (!login.response_id.empty()) j["response_id"] = login.response_id;
  if (login.in_response_to) j["in_response_to"] = *login.in_response_to;
  j["signed"] = {{"response", login.response_signed}, {"assertion", login.assertion_signed}};
  j["not_on_or_after"] = saml::FormatDateTime(login.not_on_or_after);
  if (login.authn_instant) j["authn_instant"] = saml::FormatDateTime(*login.authn_instant);
  if (!login.session_index.empty()) j["session_index"] = login.session_index;
  j["attributes"] = AttributesJson(login.claims);
  nlohmann::ordered_json details = nlohmann::ordered_json::array();
  for (const Attribute& a : login.claims.attributes) {
    nlohmann::ordered_json d = {{"name", a.name}, {"values", a.values}};
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

nlohmann::ordered_json RejectedJson(const Status& status) {
  return {{"decision", "rejected"},
          {"error", {{"code", std::string(status.code())}, {"message", status.message()}}}};
}

}  // namespace claimgate::cli
