#include "server/render.h"

#include "base/civil_time.h"
#include "engine/xml/escape.h"
#include "pipeline/decision_json.h"

namespace claimgate::server {

namespace {

constexpr char kStyle[] =
    "body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse}"
    "td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}"
    ".ok{color:#070}.no{color:#a00}td.ok{background:#d4f7d4}td.no{background:#f9d0d0}"
    "code{background:#f4f4f4}";

std::string Cell(const std::string& text) { return "<td>" + xml::Escape(text) + "</td>"; }

// The decision cell, coloured: accepted green, anything else red (the admin page is read at a
// glance, and the browser test counts the coloured rows of its screenshot).
std::string DecisionCell(const std::string& decision) {
  return std::string("<td class=\"") + (decision == "accepted" ? "ok" : "no") + "\">" +
         xml::Escape(decision) + "</td>";
}

std::string Join(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& v : values) out += (out.empty() ? "" : ", ") + v;
  return out;
}

std::string UsersTable(const std::vector<storage::User>& users) {
  std::string h =
      "<h2>Users</h2><table id=\"users\"><tr><th>connection</th><th>subject</th><th>email</th>"
      "<th>status</th><th>permissions</th><th>attributes</th><th>last login</th></tr>";
  for (const storage::User& u : users) {
    std::string attrs;
    for (const auto& [name, values] : u.attributes) {
      attrs += xml::Escape(name) + ": " + xml::Escape(Join(values)) + "<br>";
    }
    h += "<tr>" + Cell(u.connection) + Cell(u.subject) + Cell(u.email) +
         Cell(storage::UserStatusName(u.status)) + Cell(Join(u.permissions)) + "<td>" + attrs +
         "</td>" + Cell(u.last_login) + "</tr>";
  }
  return h + "</table>";
}

std::string Input(const char* name, const std::optional<std::string>& value) {
  return std::string(name) + " <input name=\"" + name + "\" value=\"" +
         xml::Escape(value.value_or("")) + "\"> ";
}

std::optional<std::string> TimeText(const std::optional<TimePoint>& t) {
  return t ? std::optional<std::string>(FormatDateTime(*t)) : std::nullopt;
}

std::string AuditTable(const AdminView& v) {
  std::string h = "<h2>Audit trail</h2><form method=\"get\" action=\"/admin\">" +
                  Input("connection", v.filter.connection) + Input("subject", v.filter.subject) +
                  Input("decision", v.filter.decision) + Input("since", TimeText(v.filter.since)) +
                  Input("until", TimeText(v.filter.until)) + "<button>Filter</button></form>";
  h += "<table "
       "id=\"audit\"><tr><th>id</th><th>time</th><th>connection</th><th>event</th><th>decision</th>"
       "<th>code</th><th>subject</th><th>client</th></tr>";
  for (const storage::AuditEntry& e : v.audit) {
    const storage::AuditRecord& r = e.record;
    h += "<tr>" + Cell(std::to_string(e.id)) + Cell(e.time) + Cell(r.connection) + Cell(r.event) +
         DecisionCell(r.decision) + Cell(r.error_code) + Cell(r.subject) + Cell(r.client_addr) +
         "</tr>";
  }
  return h + "</table>";
}

}  // namespace

std::string HtmlPage(const std::string& title, const std::string& body_html) {
  return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" +
         xml::Escape(title) + "</title><style>" + kStyle + "</style></head><body><h1>" +
         xml::Escape(title) + "</h1>" + body_html + "</body></html>\n";
}

std::string DecisionHtml(const std::string& connection, const pipeline::Decision& d) {
  std::string b = "<p>Connection: <code>" + xml::Escape(connection) + "</code></p>";
  if (!d.accepted()) {
    const ErrorCode* code = d.status.error_code();
    b += "<p class=\"no\">Sign-in refused: <code>" + xml::Escape(code ? code->id : "") +
         "</code></p><p>" + xml::Escape(code ? code->doc : "") + "</p><p>Reference: audit row " +
         std::to_string(d.provisioning.audit_id) + "</p>";
    return HtmlPage("Sign-in refused", b);
  }
  b += "<p class=\"ok\">Signed in as <code>" + xml::Escape(d.login->claims.subject) + "</code> (" +
       xml::Escape(pipeline::ProvisionActionName(d.provisioning.action)) + ")</p>";
  if (d.mapping) {
    b += "<table id=\"worker\"><tr><th>attribute</th><th>values</th></tr>";
    for (const rules::Field& f : d.mapping->worker)
      b += "<tr>" + Cell(f.name) + Cell(Join(f.values)) + "</tr>";
    b += "</table>";
  }
  return HtmlPage("Signed in", b);
}

std::string AdminHtml(const AdminView& view) {
  return HtmlPage("claimgate admin", UsersTable(view.users) + AuditTable(view));
}

}  // namespace claimgate::server
