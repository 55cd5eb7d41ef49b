#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "base/claims.h"
#include "base/status.h"
#include "engine/saml/assertion.h"
#include "pipeline/process.h"
#include "rules/rule_set.h"
#include "storage/audit.h"
#include "storage/users.h"

// The JSON of DESIGN.md's contract and of the stored rows, in one place for the CLI and the
// server, so `claimgate process` and `POST /acs` answer the same bytes.
namespace claimgate::pipeline {

using Json = nlohmann::ordered_json;

// verify's accepted object: issuer, subject, assertion and session facts, attributes.
Json AcceptedJson(const saml::Assertion& login);
// {"decision": "rejected", "error": {"code", "message"}} — the message is operator-safe.
Json RejectedJson(const Status& status);
// {"Name": [values]}; a second Attribute with the same Name but another NameFormat is keyed
// "Name (NameFormat)", so nothing is merged or lost.
Json AttributesJson(const Claims& claims);
// process's object: verify's, plus "worker" (accepted only) and "provisioning".
Json DecisionJson(const Decision& d);
// The mapped worker ({"roles": [...], "email": "..."}) and the mapping's steps, rendered from
// the rules stage's structs.
Json MappedWorkerJson(const rules::Mapping& mapping);
Json StoredWorkerJson(const rules::Mapping& mapping, const storage::AttributeValues& stored);
Json ExplanationJson(const std::vector<rules::Explanation>& steps);
// A stored account, and an audit row with its hashes.
Json UserJson(const storage::User& u);
Json AuditJson(const storage::AuditEntry& e);
// One line, invalid UTF-8 replaced (stored text is never trusted to be valid).
std::string Dump(const Json& j, int indent = -1);

}  // namespace claimgate::pipeline
