#pragma once

// What serve answers with: the decision JSON (the same as `claimgate process`), users and audit
// rows as JSON, and small self-contained HTML pages (inline style only, every value escaped).

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pipeline/decision_json.h"
#include "pipeline/process.h"
#include "storage/audit.h"
#include "storage/users.h"

namespace claimgate::server {

// The JSON renderings are the pipeline's (pipeline/decision_json.h), shared with the CLI.
using pipeline::AuditJson;
using pipeline::DecisionJson;
using pipeline::Dump;
using pipeline::UserJson;

// A whole HTML document around `body_html` (already escaped).
std::string HtmlPage(const std::string& title, const std::string& body_html);
// The ACS result page: the decision, and for a rejection only the code and its fixed text.
std::string DecisionHtml(const std::string& connection, const pipeline::Decision& d);

struct AdminView {
  std::vector<storage::User> users;
  std::vector<storage::AuditEntry> audit;
  storage::AuditFilter filter;
};
std::string AdminHtml(const AdminView& view);

}  // namespace claimgate::server
