#include "pipeline/connection_admin.h"

#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "crypto/hash.h"
#include "crypto/pem.h"
#include "engine/saml/metadata.h"
#include "pipeline/decision_json.h"
#include "storage/audit.h"
#include "storage/connections.h"
#include "storage/sqlite.h"
#include "storage/users.h"

namespace claimgate::pipeline {

namespace {

const Json* Member(const Json& doc, const char* object, const char* name) {
  if (!doc.is_object() || !doc.contains(object) || !doc[object].is_object()) return nullptr;
  const Json& o = doc[object];
  return o.contains(name) ? &o[name] : nullptr;
}

std::string Text(const Json* j) { return j && j->is_string() ? j->get<std::string>() : ""; }

// SHA-256 of each certificate in a PEM (or DER) text.
void AddFingerprints(const std::string& text, Json& out) {
  if (!crypto::LooksLikePem(text)) {
    out.push_back(crypto::Sha256Hex(text));
    return;
  }
  Result<std::vector<crypto::PemBlock>> blocks =
      crypto::ReadPem(text, "certificate", errors::kProvisioningBadConnection);
  if (!blocks.ok()) return;
  for (const crypto::PemBlock& b : *blocks) {
    if (b.label == "CERTIFICATE") out.push_back(crypto::Sha256Hex(b.der));
  }
}

struct Summary {
  Json settings = Json::object();
  Json fingerprints = Json::object();  // name → value, in the order the detail lists them
};

Summary Summarize(const Json& doc) {
  Summary s;
  s.settings = doc;
  Json idp_certs = Json::array();
  Json metadata_sha = nullptr, sp_sha = nullptr, rules_sha = nullptr;
  if (const Json* xml = Member(doc, "idp", "metadata_xml"); xml && xml->is_string()) {
    metadata_sha = crypto::Sha256Hex(xml->get<std::string>());
    const std::string entity = Text(Member(doc, "idp", "entity_id"));
    Result<saml::IdpMetadata> md =
        saml::ParseIdpMetadata(xml->get<std::string>(),
                               entity.empty() ? std::nullopt : std::optional<std::string>(entity));
    if (md.ok()) {
      for (const std::string& der : md->signing_certificates) {
        idp_certs.push_back(crypto::Sha256Hex(der));
      }
    }
    s.settings["idp"].erase("metadata_xml");
  }
  if (const Json* pems = Member(doc, "idp", "certificates_pem"); pems && pems->is_array()) {
    for (const Json& p : *pems) {
      if (p.is_string()) AddFingerprints(p.get<std::string>(), idp_certs);
    }
    s.settings["idp"].erase("certificates_pem");
  }
  if (const Json* pem = Member(doc, "sp", "signing_certificate_pem"); pem && pem->is_string()) {
    Json one = Json::array();
    AddFingerprints(pem->get<std::string>(), one);
    if (!one.empty()) sp_sha = one.front();
    s.settings["sp"].erase("signing_certificate_pem");
  }
  if (doc.is_object() && doc.contains("rules")) {
    rules_sha = crypto::Sha256Hex(doc["rules"].dump());
    s.settings.erase("rules");
  }
  s.fingerprints["idp_certificates_sha256"] = idp_certs;
  s.fingerprints["sp_certificate_sha256"] = sp_sha;
  s.fingerprints["metadata_sha256"] = metadata_sha;
  s.fingerprints["rules_sha256"] = rules_sha;
  return s;
}

// Settings that differ, by dotted path: objects are compared member by member, anything else
// whole.
void Diff(const Json& old_v, const Json& new_v, const std::string& path, Json& out) {
  if (old_v.is_object() && new_v.is_object()) {
    for (const auto& [k, v] : old_v.items()) {
      Diff(v, new_v.contains(k) ? new_v[k] : Json(), path.empty() ? k : path + "." + k, out);
    }
    for (const auto& [k, v] : new_v.items()) {
      if (!old_v.contains(k)) Diff(Json(), v, path.empty() ? k : path + "." + k, out);
    }
    return;
  }
  if (old_v != new_v) out[path.empty() ? "." : path] = {{"old", old_v}, {"new", new_v}};
}

Json Parse(const std::optional<std::string>& text) {
  if (!text) return Json();
  Json j = Json::parse(*text, nullptr, /*allow_exceptions=*/false);
  return j.is_discarded() ? Json() : j;
}

storage::AuditRecord Row(const std::string& connection, const char* event, const std::string& actor,
                         std::string detail) {
  storage::AuditRecord a;
  a.actor = actor;
  a.connection = connection;
  a.event = event;
  a.decision = "applied";
  a.detail = std::move(detail);
  return a;
}

Json DetailJson(const std::optional<std::string>& old_stored,
                const std::optional<std::string>& new_stored) {
  const Json old_doc = Parse(old_stored), new_doc = Parse(new_stored);
  Json detail = Json::object();
  if (old_stored && new_stored) {
    const Summary o = Summarize(old_doc), n = Summarize(new_doc);
    detail["settings"] = n.settings;
    Json changed = Json::object();
    Diff(o.settings, n.settings, "", changed);
    detail["changed"] = changed;
    for (const auto& [k, v] : n.fingerprints.items()) {
      detail[k] = {{"old", o.fingerprints[k]}, {"new", v}};
    }
  } else {
    const Summary s = Summarize(new_stored ? new_doc : old_doc);
    detail["settings"] = s.settings;
    for (const auto& [k, v] : s.fingerprints.items()) detail[k] = v;
  }
  return detail;
}

}  // namespace

std::string ConnectionAuditDetail(const std::optional<std::string>& old_stored,
                                  const std::optional<std::string>& new_stored) {
  return Dump(DetailJson(old_stored, new_stored));
}

Result<ConnectionChange> StoreConnection(storage::Db& db, const ConnectionConfig& config,
                                         bool update, const std::string& actor, TimePoint now) {
  const std::string stored = ToStoredJson(config);
  Result<storage::Txn> txn = storage::Txn::BeginImmediate(db);
  if (!txn.ok()) return txn.status();
  Result<std::optional<storage::ConnectionRecord>> existing =
      storage::GetConnection(db, config.name);
  if (!existing.ok()) return existing.status();
  if (existing->has_value() && !update) {
    return Status::Error(errors::kStorageConstraint,
                         "connection '" + config.name + "' already exists (use update)");
  }
  if (!existing->has_value() && update) {
    return Status::Error(errors::kStorageNotFound,
                         "connection '" + config.name + "' does not exist (use add)");
  }
  // Inside the write transaction, so two concurrent adds cannot both pass (issue 15).
  if (Status s = CheckSpConflict(db, config); !s.ok()) return s;
  std::optional<std::string> old_stored;
  if (existing->has_value()) {
    old_stored = (*existing)->config_json;
    if (Parse(old_stored) == Parse(stored)) return ConnectionChange::kUnchanged;
  }
  if (Status s = storage::PutConnection(*txn, config.name, stored, now); !s.ok()) return s;
  Result<storage::AuditEntry> row =
      storage::AppendAudit(*txn, Row(config.name, update ? "connection.update" : "connection.add",
                                     actor, ConnectionAuditDetail(old_stored, stored)));
  if (!row.ok()) return row.status();
  if (Status s = txn->Commit(); !s.ok()) return s;
  return update ? ConnectionChange::kUpdated : ConnectionChange::kAdded;
}

Result<std::int64_t> RemoveConnection(storage::Db& db, const std::string& name, bool force,
                                      const std::string& actor) {
  Result<storage::Txn> txn = storage::Txn::BeginImmediate(db);
  if (!txn.ok()) return txn.status();
  Result<std::optional<storage::ConnectionRecord>> existing = storage::GetConnection(db, name);
  if (!existing.ok()) return existing.status();
  if (!existing->has_value()) {
    return Status::Error(errors::kStorageNotFound, "no connection named '" + name + "'");
  }
  Result<std::vector<storage::User>> users = storage::ListUsers(db, name);
  if (!users.ok()) return users.status();
  if (!users->empty() && !force) {
    return Status::Error(errors::kStorageInUse, "connection '" + name + "' has " +
                                                    std::to_string(users->size()) +
                                                    " users; --force removes them too");
  }
  for (const storage::User& u : *users) {
    storage::AuditRecord a =
        Row(name, "user.remove", actor,
            Dump(Json{{"reason", "connection.remove"}, {"user", UserJson(u)}}));
    a.subject = u.subject;
    if (Result<storage::AuditEntry> row = storage::AppendAudit(*txn, a); !row.ok()) {
      return row.status();
    }
  }
  Json detail = DetailJson((*existing)->config_json, std::nullopt);
  detail["users_removed"] = users->size();
  if (Result<storage::AuditEntry> row =
          storage::AppendAudit(*txn, Row(name, "connection.remove", actor, Dump(detail)));
      !row.ok()) {
    return row.status();
  }
  if (Status s = storage::RemoveConnection(*txn, name); !s.ok()) return s;
  if (Status s = txn->Commit(); !s.ok()) return s;
  return static_cast<std::int64_t>(users->size());
}

}  // namespace claimgate::pipeline
