#include "pipeline/process.h"

#include <algorithm>
#include <chrono>

#include "storage/attributes.h"

namespace claimgate::pipeline {

namespace {

// Reads the provisioning half of a connection into the storage request.
Status FillPolicy(const ConnectionConfig& c, storage::ProvisionRequest* request) {
  Result<storage::ProvisioningMode> mode = storage::ParseProvisioningMode(c.mode);
  if (!mode.ok()) return mode.status();
  request->mode = *mode;
  request->default_permissions = c.default_permissions;
  request->enforced_domains = c.enforced_domains;
  Result<storage::AttributePolicy> fallback =
      storage::ParseAttributePolicy(c.default_attribute_policy);
  if (!fallback.ok()) return fallback.status();
  request->policies.default_policy = *fallback;
  for (const auto& [name, text] : c.attribute_policy) {
    Result<storage::AttributePolicy> p = storage::ParseAttributePolicy(text);
    if (!p.ok()) return p.status();
    request->policies.per_attribute[name] = *p;
  }
  return Status::Ok();
}

// The mapped worker as storage keeps it, and its email.
void FillWorker(const rules::Mapping& mapping, storage::ProvisionRequest* request) {
  for (const rules::Field& f : mapping.worker) request->worker[f.name] = f.values;
  if (const rules::Field* email = mapping.Find("email"); email && !email->values.empty()) {
    request->email = email->values.front();
  }
}

long long MicrosSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                               start)
      .count();
}

}  // namespace

PreparedLogin Prepare(const Connection& connection, std::string_view raw,
                      const LoginContext& context) {
  const ConnectionConfig& config = connection.config();
  PreparedLogin prepared;
  Decision& d = prepared.decision;
  storage::ProvisionRequest& request = prepared.request;
  request.connection = config.name;
  request.client_addr = context.client_addr;

  // A response is solicited only when it answers the request this SP says it sent.
  auto start = std::chrono::steady_clock::now();
  saml::Expectations expectations = connection.verifier().settings().expectations;
  expectations.in_response_to = context.in_response_to;
  Result<saml::Assertion> login =
      connection.verifier().Verify(raw, context.now, expectations);  // input.* ... subject.*
  if (login.ok()) {
    d.login = *login;
    request.subject = login->claims.subject;
    request.issuer = login->issuer;
    request.assertion_id = login->assertion_id;
    request.replay_until = login->not_on_or_after + std::chrono::seconds(config.clock_skew_seconds);
    request.solicited = context.in_response_to.has_value();
    if (context.consume_pending_request && login->in_response_to) {
      request.solicited = true;
      request.consume_request_id = *login->in_response_to;
      auto nonce = context.browser_nonces.find(*login->in_response_to);
      if (nonce != context.browser_nonces.end()) request.browser_nonce = nonce->second;
    }
    if (!request.solicited && !config.allow_idp_initiated) {
      request.prior = Status::Error(errors::kInResponseToUnsolicited,
                                    "the response answers no request of this SP and the "
                                    "connection refuses IdP-initiated sign-on");
    }
  } else {
    request.prior = login.status();
  }
  d.times.verify_us = MicrosSince(start);
  start = std::chrono::steady_clock::now();
  if (request.prior.ok()) {
    d.mapping = connection.rules().Apply(login->claims);  // rules.*
    request.rules_explanation = rules::ExplainJson(*d.mapping);
    if (d.mapping->accepted()) {
      FillWorker(*d.mapping, &request);
    } else {
      request.prior = d.mapping->status;
    }
  }
  if (request.prior.ok()) {
    if (Status s = FillPolicy(config, &request); !s.ok()) request.prior = s;
  }
  d.times.map_us = MicrosSince(start);
  return prepared;
}

Decision Commit(PreparedLogin prepared, TimePoint now, storage::Db& db) {
  Decision d = std::move(prepared.decision);
  const auto start = std::chrono::steady_clock::now();
  d.provisioning = storage::Provision(db, prepared.request, now);  // provisioning.* replay.*
  d.times.provision_us = MicrosSince(start);
  d.status = d.provisioning.status;
  return d;
}

Decision Process(const Connection& connection, std::string_view raw, const LoginContext& context,
                 storage::Db& db) {
  return Commit(Prepare(connection, raw, context), context.now, db);
}

}  // namespace claimgate::pipeline
