// The route handlers of App: SP metadata, SP-initiated login, the ACS, and the admin views.
#include <algorithm>
#include <cctype>
#include <string>

#include "base/civil_time.h"
#include "pipeline/acs.h"
#include "pipeline/handoff.h"
#include "pipeline/login_start.h"
#include "server/app.h"
#include "server/cookies.h"
#include "server/render.h"
#include "server/responses.h"

namespace claimgate::server {

namespace {

constexpr std::int64_t kAdminAuditRows = 200;
constexpr std::int64_t kMaxAuditRows = 10000;

// A failure before any decision: unknown connection → 404, anything else → 500 with the detail
// kept for the log.
HttpResponse Failure(const Status& s, bool json) {
  if (s.Is(errors::kInputNotFound)) return ErrorResponse(404, errors::kInputNotFound, json);
  HttpResponse r = ErrorResponse(500, errors::kStorageInternal, json);
  r.detail = std::string(s.code()) + ": " + s.message();
  return r;
}

bool IsForm(const std::string& content_type) {
  constexpr std::string_view kForm = "application/x-www-form-urlencoded";
  if (content_type.size() < kForm.size()) return false;
  for (std::size_t i = 0; i < kForm.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(content_type[i])) != kForm[i]) return false;
  }
  return content_type.size() == kForm.size() || content_type[kForm.size()] == ';' ||
         content_type[kForm.size()] == ' ';
}

// application/json, parameters (";charset=utf-8") allowed, case-insensitive.
bool IsJson(const std::string& content_type) {
  constexpr std::string_view kJson = "application/json";
  if (content_type.size() < kJson.size()) return false;
  for (std::size_t i = 0; i < kJson.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(content_type[i])) != kJson[i]) return false;
  }
  return content_type.size() == kJson.size() || content_type[kJson.size()] == ';' ||
         content_type[kJson.size()] == ' ';
}

// "Authorization: Bearer T" with T equal to `expected` (compared in constant time).
bool BearerMatches(const std::string& authorization, const std::string& expected) {
  constexpr std::string_view kBearer = "Bearer ";
  return authorization.compare(0, kBearer.size(), kBearer) == 0 &&
         TokenMatches(authorization.substr(kBearer.size()), expected);
}

// {"code": "CODE"}: the code, or nullopt when the body is not that shape.
std::optional<std::string> RedeemCode(const std::string& body) {
  const nlohmann::json j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("code") || !j["code"].is_string()) return std::nullopt;
  std::string code = j["code"].get<std::string>();
  if (code.empty()) return std::nullopt;
  return code;
}

std::optional<std::string> Field(const std::map<std::string, std::string>& f, const char* name) {
  auto it = f.find(name);
  if (it == f.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

// The audit filter from the query; input.bad_request on a bad time or limit.
Result<storage::AuditFilter> AuditFilterFrom(const std::map<std::string, std::string>& q,
                                             std::int64_t default_limit) {
  storage::AuditFilter f;
  f.connection = Field(q, "connection");
  f.subject = Field(q, "subject");
  f.decision = Field(q, "decision");
  f.event = Field(q, "event");
  for (auto [name, slot] : {std::make_pair("since", &f.since), std::make_pair("until", &f.until)}) {
    if (std::optional<std::string> text = Field(q, name)) {
      std::optional<TimePoint> t = ParseDateOrDateTime(*text);
      if (!t) return Status::Error(errors::kInputBadRequest, std::string("bad ") + name);
      *slot = *t;
    }
  }
  f.limit = default_limit;
  if (std::optional<std::string> limit = Field(q, "limit")) {
    if (limit->size() > 6 || limit->find_first_not_of("0123456789") != std::string::npos) {
      return Status::Error(errors::kInputBadRequest, "bad limit");
    }
    f.limit = std::min<std::int64_t>(std::stoll(*limit), kMaxAuditRows);
  }
  return f;
}

}  // namespace

HttpResponse App::Metadata(const HttpRequest& request, const std::string& name) {
  const bool json = WantsJson(request);
  Result<std::unique_ptr<storage::Db>> acquired = AcquireDb();
  if (!acquired.ok()) return Failure(acquired.status(), json);
  DbLease db(this, *std::move(acquired));
  Result<std::shared_ptr<const pipeline::Connection>> c = FindConnection(*db, name);
  if (!c.ok()) return Failure(c.status(), json);
  HttpResponse r;
  r.content_type = "application/samlmetadata+xml";
  r.body = pipeline::SpMetadataXml((*c)->config());
  return r;
}

HttpResponse App::Login(const HttpRequest& request, const std::string& name) {
  const bool json = WantsJson(request);
  Result<std::map<std::string, std::string>> query = ParseForm(request.query);
  if (!query.ok()) return ErrorResponse(400, errors::kInputBadRequest, json);
  Result<std::unique_ptr<storage::Db>> acquired = AcquireDb();
  if (!acquired.ok()) return Failure(acquired.status(), json);
  DbLease db(this, *std::move(acquired));
  Result<std::shared_ptr<const pipeline::Connection>> c = FindConnection(*db, name);
  if (!c.ok()) return Failure(c.status(), json);
  // Bound to this browser by a cookie (SECURITY.md F05): only it may bring the answer back.
  Result<pipeline::LoginStart> start =
      pipeline::StartLogin(*db, **c, Field(*query, "relay_state").value_or(""), Now(),
                           options_.request_lifetime, /*bind_to_browser=*/true);
  if (!start.ok()) {
    if (start.status().Is(errors::kSamlNoSsoUrl)) {
      return ErrorResponse(409, errors::kSamlNoSsoUrl, json);
    }
    return Failure(start.status(), json);
  }
  HttpResponse r;
  r.status = 302;
  r.headers["Location"] = start->url;
  r.headers["Set-Cookie"] = BindingCookie((*c)->config(), start->request_id, start->browser_nonce,
                                          options_.request_lifetime);
  r.body = "Redirecting to the identity provider.\n";
  return r;
}

HttpResponse App::Acs(const HttpRequest& request, const std::string& name) {
  const bool json = WantsJson(request);
  Result<std::unique_ptr<storage::Db>> acquired = AcquireDb();
  if (!acquired.ok()) return Failure(acquired.status(), json);
  DbLease db(this, *std::move(acquired));
  Result<std::shared_ptr<const pipeline::Connection>> c = FindConnection(*db, name);
  if (!c.ok()) return Failure(c.status(), json);
  if (!IsForm(request.content_type)) return ErrorResponse(400, errors::kInputBadRequest, json);
  Result<std::map<std::string, std::string>> form = ParseForm(request.body);
  if (!form.ok()) return ErrorResponse(400, errors::kInputBadRequest, json);
  std::optional<std::string> saml_response = Field(*form, "SAMLResponse");
  if (!saml_response) return ErrorResponse(400, errors::kInputBadRequest, json);
  pipeline::AcsOutcome out =
      pipeline::RunAcs(**c, *saml_response, Field(*form, "RelayState").value_or(""),
                       request.client_addr, Now(), *db, &write_mu_, BindingNonces(request.cookie));
  metrics_.RecordDecision(out.decision);
  const int status = out.decision.accepted() ? 200 : 403;
  HttpResponse r = json ? JsonResponse(status, DecisionJson(out.decision))
                        : HtmlResponse(status, DecisionHtml(name, out.decision));
  r.code = std::string(out.decision.status.code());
  if (!out.decision.accepted()) r.detail = out.decision.status.message();
  // The correlation ID: the audit row holds the whole story; the client gets only this number.
  if (out.decision.provisioning.audit_id != 0) {
    r.headers["X-Claimgate-Audit-Id"] = std::to_string(out.decision.provisioning.audit_id);
  }
  // The answered request's cookie has done its job.
  if (out.decision.accepted() && out.decision.login && out.decision.login->in_response_to) {
    r.headers["Set-Cookie"] =
        ClearBindingCookie((*c)->config(), *out.decision.login->in_response_to);
  }
  if (!out.redirect.empty() && (!json || out.handoff)) {
    r.status = 303;
    r.headers["Location"] = out.redirect;
  }
  return r;
}

// DESIGN.md "Handing the login to the product": the product's backend redeems a hand-off code.
HttpResponse App::Redeem(const HttpRequest& request) {
  if (!options_.api_token) return ErrorResponse(404, errors::kInputNotFound, true);
  if (request.method != "POST") {
    HttpResponse r = ErrorResponse(405, errors::kInputMethodNotAllowed, true);
    r.headers["Allow"] = "POST";
    return r;
  }
  if (!BearerMatches(request.authorization, *options_.api_token)) {
    HttpResponse r = ErrorResponse(401, errors::kInputUnauthorized, true);
    r.headers["WWW-Authenticate"] = "Bearer realm=\"claimgate api\"";
    return r;
  }
  if (!IsJson(request.content_type)) {
    return ErrorResponse(400, errors::kInputBadRequest, true);
  }
  std::optional<std::string> code = RedeemCode(request.body);
  if (!code) return ErrorResponse(400, errors::kInputBadRequest, true);
  Result<std::unique_ptr<storage::Db>> acquired = AcquireDb();
  if (!acquired.ok()) return Failure(acquired.status(), true);
  DbLease db(this, *std::move(acquired));
  pipeline::RedeemOutcome out =
      pipeline::RedeemHandoffCode(*db, *code, request.client_addr, Now(), &write_mu_);
  HttpResponse r;
  if (out.status.ok()) {
    r.status = 200;
    r.content_type = "application/json";
    r.body = out.body + "\n";
  } else if (out.status.Is(errors::kHandoffUnknownCode) ||
             out.status.Is(errors::kHandoffCodeUsed) ||
             out.status.Is(errors::kHandoffCodeExpired)) {
    r = ErrorResponse(400, *out.status.error_code(), true);
    r.detail = out.status.message();
  } else if (out.status.Is(errors::kProvisioningUserDisabled)) {  // disabled since the login
    r = ErrorResponse(403, *out.status.error_code(), true);
    r.detail = out.status.message();
  } else {
    r = Failure(out.status, true);
  }
  if (out.audit_id != 0) r.headers["X-Claimgate-Audit-Id"] = std::to_string(out.audit_id);
  return r;
}

HttpResponse App::Admin(const HttpRequest& request, const std::string& route) {
  const bool json = route != "/admin" || WantsJson(request);
  if (!options_.admin_token) return ErrorResponse(404, errors::kInputNotFound, json);
  if (request.method != "GET") {
    HttpResponse r = ErrorResponse(405, errors::kInputMethodNotAllowed, json);
    r.headers["Allow"] = "GET";
    return r;
  }
  constexpr std::string_view kBearer = "Bearer ";
  const std::string& auth = request.authorization;
  if (auth.compare(0, kBearer.size(), kBearer) != 0 ||
      !TokenMatches(auth.substr(kBearer.size()), *options_.admin_token)) {
    HttpResponse r = ErrorResponse(401, errors::kInputUnauthorized, json);
    r.headers["WWW-Authenticate"] = "Bearer realm=\"claimgate admin\"";
    return r;
  }
  Result<std::map<std::string, std::string>> query = ParseForm(request.query);
  if (!query.ok()) return ErrorResponse(400, errors::kInputBadRequest, json);
  Result<storage::AuditFilter> filter =
      AuditFilterFrom(*query, route == "/admin" ? kAdminAuditRows : 1000);
  if (!filter.ok()) return ErrorResponse(400, errors::kInputBadRequest, json);
  Result<std::unique_ptr<storage::Db>> acquired = AcquireDb();
  if (!acquired.ok()) return Failure(acquired.status(), json);
  DbLease db(this, *std::move(acquired));
  AdminView view;
  view.filter = *filter;
  if (route != "/api/audit") {
    Result<std::vector<storage::User>> users = storage::ListUsers(*db, filter->connection);
    if (!users.ok()) return Failure(users.status(), json);
    view.users = *std::move(users);
  }
  if (route != "/api/users") {
    Result<std::vector<storage::AuditEntry>> rows = storage::ListAudit(*db, *filter);
    if (!rows.ok()) return Failure(rows.status(), json);
    view.audit = *std::move(rows);
  }
  if (route == "/admin") return HtmlResponse(200, AdminHtml(view));
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  if (route == "/api/users") {
    for (const storage::User& u : view.users) list.push_back(UserJson(u));
  } else {
    for (const storage::AuditEntry& e : view.audit) list.push_back(AuditJson(e));
  }
  return JsonResponse(200, list);
}

}  // namespace claimgate::server
