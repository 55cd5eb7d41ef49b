#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "engine/base/status.h"
#include "engine/saml/assertion.h"

namespace claimgate::cli {

// The JSON of DESIGN.md's verify/process contract for an accepted login.
nlohmann::ordered_json AcceptedJson(const saml::Assertion& login);
// {"decision": "rejected", "error": {"code", "message"}} — the message is operator-safe.
nlohmann::ordered_json RejectedJson(const Status& status);
// The attribute map {"Name": [values]} (a second Attribute with the same Name but another
// NameFormat is keyed "Name (NameFormat)", so nothing is merged or lost).
nlohmann::ordered_json AttributesJson(const Claims& claims);

}  // namespace claimgate::cli
