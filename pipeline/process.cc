#include "pipeline/process.h"

#include <chrono>

namespace claimgate::pipeline {

namespace {

long long MicrosSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                               start)
      .count();
}

// verify: the login `raw` proves, checked against what this request expects.
Result<saml::Assertion> VerifyStage(const Connection& connection, std::string_view raw,
                                    const LoginContext& context) {
  saml::Expectations expectations = connection.verifier().settings().expectations;
  expectations.in_response_to = context.in_response_to;
  return connection.verifier().Verify(raw, context.now, expectations);  // input.* ... subject.*
}

// The mapped worker as storage keeps it.
storage::AttributeValues WorkerOf(const rules::Mapping& mapping) {
  storage::AttributeValues worker;
  for (const rules::Field& f : mapping.worker) worker[f.name] = f.values;
  return worker;
}

std::string EmailOf(const rules::Mapping& mapping) {
  const rules::Field* email = mapping.Find("email");
  return email && !email->values.empty() ? email->values.front() : std::string();
}

}  // namespace

PreparedLogin Prepare(const Connection& connection, std::string_view raw,
                      const LoginContext& context) {
  const ConnectionConfig& config = connection.config();
  PreparedLogin p;
  Decision& d = p.decision;
  p.refusal.connection = config.name;
  p.refusal.client_addr = context.client_addr;

  auto start = std::chrono::steady_clock::now();
  Result<saml::Assertion> login = VerifyStage(connection, raw, context);  // verify
  d.times.verify_us = MicrosSince(start);
  if (!login.ok()) {
    p.refusal.status = login.status();
    return p;
  }
  d.login = *std::move(login);
  p.refusal.subject = d.login->claims.subject;
  p.refusal.issuer = d.login->issuer;
  p.refusal.assertion_id = d.login->assertion_id;

  Result<Solicitation> solicited = Solicited(config, *d.login, context);  // solicited
  if (!solicited.ok()) {
    p.refusal.status = solicited.status();
    return p;
  }

  start = std::chrono::steady_clock::now();
  d.mapping = connection.rules().Apply(d.login->claims);  // map: rules.*
  d.times.map_us = MicrosSince(start);
  if (!d.mapping->accepted()) {
    p.refusal.status = d.mapping->status;
    return p;
  }

  MappedLogin& m = p.login.emplace();
  m.subject = d.login->claims.subject;
  m.email = EmailOf(*d.mapping);
  m.issuer = d.login->issuer;
  m.assertion_id = d.login->assertion_id;
  m.replay_until = d.login->not_on_or_after + std::chrono::seconds(config.clock_skew_seconds);
  m.worker = WorkerOf(*d.mapping);
  m.solicitation = *std::move(solicited);
  m.client_addr = context.client_addr;
  return p;
}

Decision Commit(const Connection& connection, PreparedLogin prepared, TimePoint now,
                storage::Db& db) {
  Decision d = std::move(prepared.decision);
  const auto start = std::chrono::steady_clock::now();
  if (prepared.login) {  // admit → commit: provisioning.* replay.* in_response_to.*
    d.provisioning = CommitLogin(db, connection.config(), *prepared.login, d.mapping->explain, now);
  } else {
    d.provisioning = RecordRefusal(db, prepared.refusal, d.mapping ? &d.mapping->explain : nullptr);
  }
  d.times.provision_us = MicrosSince(start);
  d.status = d.provisioning.status;
  return d;
}

Decision Process(const Connection& connection, std::string_view raw, const LoginContext& context,
                 storage::Db& db) {
  return Commit(connection, Prepare(connection, raw, context), context.now, db);
}

}  // namespace claimgate::pipeline
