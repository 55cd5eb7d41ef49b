#include "server/app.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "base/civil_time.h"
#include "crypto/constant_time.h"
#include "crypto/hash.h"
#include "engine/xml/escape.h"
#include "server/render.h"
#include "server/responses.h"
#include "storage/connections.h"

namespace claimgate::server {

namespace {

constexpr std::size_t kMaxFormFields = 64;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> UrlDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%') {
      const int hi = i + 2 < s.size() ? HexValue(s[i + 1]) : -1;
      const int lo = i + 2 < s.size() ? HexValue(s[i + 2]) : -1;
      if (hi < 0 || lo < 0) return Status::Error(errors::kInputBadRequest, "bad % escape");
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// "/saml/NAME/ACTION" → {NAME, ACTION}; nullopt for any other shape.
std::optional<std::pair<std::string, std::string>> SamlRoute(const std::string& path) {
  constexpr std::string_view kPrefix = "/saml/";
  if (path.compare(0, kPrefix.size(), kPrefix) != 0) return std::nullopt;
  const std::string rest = path.substr(kPrefix.size());
  const std::size_t slash = rest.find('/');
  if (slash == std::string::npos || slash == 0) return std::nullopt;
  std::string action = rest.substr(slash + 1);
  if (action.find('/') != std::string::npos) return std::nullopt;
  return std::make_pair(rest.substr(0, slash), std::move(action));
}

}  // namespace

bool WantsJson(const HttpRequest& r) {
  return r.accept.find("application/json") != std::string::npos;
}

HttpResponse JsonResponse(int status, const nlohmann::ordered_json& j) {
  HttpResponse r;
  r.status = status;
  r.content_type = "application/json";
  r.body = Dump(j) + "\n";
  return r;
}

HttpResponse HtmlResponse(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = std::move(body);
  return r;
}

// SHA-256 both sides, then compare the digests without an early exit: the time taken says
// nothing about how much of the token matched, nor its length.
bool TokenMatches(const std::string& given, const std::string& expected) {
  return crypto::ConstantTimeEqual(crypto::Sha256(given), crypto::Sha256(expected));
}

Result<std::map<std::string, std::string>> ParseForm(std::string_view text) {
  std::map<std::string, std::string> fields;
  std::size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    std::size_t end = text.find('&', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view pair = text.substr(start, end - start);
    if (!pair.empty()) {
      const std::size_t eq = pair.find('=');
      Result<std::string> name = UrlDecode(pair.substr(0, eq));
      Result<std::string> value =
          UrlDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
      if (!name.ok()) return name.status();
      if (!value.ok()) return value.status();
      if (fields.size() >= kMaxFormFields) {
        return Status::Error(errors::kInputBadRequest, "too many form fields");
      }
      if (!fields.emplace(*std::move(name), *std::move(value)).second) {
        return Status::Error(errors::kInputBadRequest, "a form field is repeated");
      }
    }
    start = end + 1;
  }
  return fields;
}

HttpResponse ErrorResponse(int status, const ErrorCode& code, bool json) {
  HttpResponse r;
  if (json) {
    r = JsonResponse(status, {{"error", {{"code", code.id}, {"message", code.doc}}}});
  } else {
    r = HtmlResponse(status, HtmlPage("Error " + std::to_string(status),
                                      "<p><code>" + xml::Escape(code.id) + "</code></p><p>" +
                                          xml::Escape(code.doc) + "</p>"));
  }
  r.code = code.id;
  return r;
}

App::App(AppOptions options) : options_(std::move(options)) {}

TimePoint App::Now() const { return options_.clock ? options_.clock->Now() : SystemClock().Now(); }

Result<std::unique_ptr<storage::Db>> App::AcquireDb() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_dbs_.empty()) {
      std::unique_ptr<storage::Db> db = std::move(idle_dbs_.back());
      idle_dbs_.pop_back();
      return db;
    }
  }
  storage::DbOptions o;
  o.create_if_missing = false;
  Result<storage::Db> db = storage::Db::Open(options_.db_path, o);
  if (!db.ok()) return db.status();
  return std::make_unique<storage::Db>(*std::move(db));
}

void App::ReleaseDb(std::unique_ptr<storage::Db> db) {
  if (!db) return;
  std::lock_guard<std::mutex> lock(mu_);
  idle_dbs_.push_back(std::move(db));
}

Result<std::shared_ptr<const pipeline::Connection>> App::FindConnection(storage::Db& db,
                                                                        const std::string& name) {
  Result<std::optional<storage::ConnectionRecord>> record = storage::GetConnection(db, name);
  if (!record.ok()) return record.status();
  if (!record->has_value()) {
    return Status::Error(errors::kInputNotFound, "no connection named '" + name + "'");
  }
  const std::string& json = (*record)->config_json;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = connections_.find(name);
    if (it != connections_.end() && it->second.config_json == json) return it->second.connection;
  }
  Result<pipeline::Connection> loaded = pipeline::LoadConnection(**record);
  if (!loaded.ok()) return loaded.status();
  auto shared = std::make_shared<const pipeline::Connection>(*std::move(loaded));
  std::lock_guard<std::mutex> lock(mu_);
  connections_[name] = CachedConnection{json, shared};
  return std::shared_ptr<const pipeline::Connection>(shared);
}

HttpResponse App::Handle(const HttpRequest& request) {
  const bool json = WantsJson(request);
  HttpResponse r;
  if (request.body.size() > options_.max_body_bytes) {
    r = ErrorResponse(413, errors::kInputBodyTooLarge, json);
  } else if (request.path == "/healthz" || request.path == "/metrics") {
    if (request.method != "GET" && request.method != "HEAD") {
      r = ErrorResponse(405, errors::kInputMethodNotAllowed, json);
      r.headers["Allow"] = "GET";
    } else if (request.path == "/healthz") {
      r.body = "ok\n";
    } else {
      r.content_type = "text/plain; version=0.0.4; charset=utf-8";
      r.body = metrics_.Render();
    }
  } else if (request.path == "/api/v1/logins/redeem") {
    r = Redeem(request);
  } else if (request.path == "/admin" || request.path == "/api/users" ||
             request.path == "/api/audit") {
    r = Admin(request, request.path);
  } else if (auto route = SamlRoute(request.path)) {
    const auto& [name, action] = *route;
    const std::string method = action == "acs" ? "POST" : "GET";
    if (action != "acs" && action != "login" && action != "metadata") {
      r = ErrorResponse(404, errors::kInputNotFound, json);
    } else if (request.method != method) {
      r = ErrorResponse(405, errors::kInputMethodNotAllowed, json);
      r.headers["Allow"] = method;
    } else if (action == "metadata") {
      r = Metadata(request, name);
    } else if (action == "login") {
      r = Login(request, name);
    } else {
      r = Acs(request, name);
    }
  } else {
    r = ErrorResponse(404, errors::kInputNotFound, json);
  }
  metrics_.RecordHttp(r.status);
  return r;
}

}  // namespace claimgate::server
