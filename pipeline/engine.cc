// The embedding API (include/claimgate/claimgate.h) over the pipeline: the only file that sees
// both the public types and the internal ones.
#include <map>
#include <utility>

#include "claimgate/claimgate.h"
#include "pipeline/connection.h"
#include "pipeline/decision_json.h"
#include "pipeline/process.h"
#include "storage/connections.h"
#include "storage/sqlite.h"

namespace claimgate {

struct Decision::Impl {
  pipeline::Decision decision;
};

Decision::Decision(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Decision::Decision(Decision&&) noexcept = default;
Decision& Decision::operator=(Decision&&) noexcept = default;
Decision::~Decision() = default;

bool Decision::accepted() const { return impl_->decision.accepted(); }
std::string_view Decision::code() const { return impl_->decision.status.code(); }
const std::string& Decision::message() const { return impl_->decision.status.message(); }
const std::string& Decision::subject() const {
  static const std::string kNone;
  return impl_->decision.login ? impl_->decision.login->claims.subject : kNone;
}
std::int64_t Decision::user_id() const { return impl_->decision.provisioning.user_id; }
std::int64_t Decision::audit_id() const { return impl_->decision.provisioning.audit_id; }
std::string Decision::ToJson() const {
  return pipeline::Dump(pipeline::DecisionJson(impl_->decision));
}

struct Engine::Impl {
  explicit Impl(storage::Db opened) : db(std::move(opened)) {}
  storage::Db db;
  // Loaded connections by name, with the stored JSON they were loaded from: a connection is
  // loaded again only when `connection update` changed it.
  std::map<std::string, std::pair<std::string, pipeline::Connection>> connections;

  Result<const pipeline::Connection*> Find(const std::string& name) {
    Result<std::optional<storage::ConnectionRecord>> record = storage::GetConnection(db, name);
    if (!record.ok()) return record.status();
    if (!record->has_value()) {
      connections.erase(name);
      return Status::Error(errors::kProvisioningUnknownConnection,
                           "no connection named '" + name + "' is stored");
    }
    auto it = connections.find(name);
    if (it != connections.end() && it->second.first == (*record)->config_json) {
      return &it->second.second;
    }
    Result<pipeline::Connection> loaded = pipeline::LoadConnection(**record);
    if (!loaded.ok()) return loaded.status();
    auto& slot =
        connections
            .insert_or_assign(name, std::make_pair((*record)->config_json, *std::move(loaded)))
            .first->second;
    return &slot.second;
  }
};

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;
Engine::~Engine() = default;

Result<Engine> Engine::Open(const std::string& db) {
  Result<storage::Db> opened = storage::Db::Open(db);
  if (!opened.ok()) return opened.status();
  return Engine(std::make_unique<Impl>(*std::move(opened)));
}

Decision Engine::Process(std::string_view connection, std::string_view saml_response,
                         const LoginContext& context) {
  auto out = std::make_unique<Decision::Impl>();
  Result<const pipeline::Connection*> found = impl_->Find(std::string(connection));
  if (!found.ok()) {
    out->decision.status = found.status();
    return Decision(std::move(out));
  }
  pipeline::LoginContext login;
  login.now = context.now ? std::chrono::time_point_cast<std::chrono::microseconds>(*context.now)
                          : SystemClock().Now();
  login.in_response_to = context.in_response_to;
  login.client_addr = context.client_addr;
  out->decision = pipeline::Process(**found, saml_response, login, impl_->db);
  return Decision(std::move(out));
}

const char* Version() { return CLAIMGATE_VERSION; }

}  // namespace claimgate
