// Connection files: the one place the pipeline reads JSON (nlohmann stays in this file).
#include "pipeline/connection.h"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "base/file.h"
#include "base/utf8.h"
#include "engine/saml/metadata.h"
#include "pipeline/admit.h"
#include "rules/rule_set.h"
#include "storage/connections.h"
#include "storage/users.h"

namespace claimgate::pipeline {

namespace {

using nlohmann::json;

// Collects the first problem with its JSON path; every reader below stops at the first one.
class Reader {
 public:
  explicit Reader(std::string label) : label_(std::move(label)) {}

  Status Fail(const std::string& path, const std::string& what) const {
    return Status::Error(errors::kProvisioningBadConnection, label_ + ": " + path + ": " + what);
  }
  const std::string& label() const { return label_; }

  // Reads `key` of `obj` (a string) into *out; absent is fine unless required.
  Status String(const json& obj, const std::string& path, const char* key, std::string* out,
                bool required = false) const {
    if (!obj.contains(key)) return required ? Fail(path + "." + key, "is required") : Status::Ok();
    if (!obj[key].is_string()) return Fail(path + "." + key, "must be a string");
    *out = obj[key].get<std::string>();
    if (required && out->empty()) return Fail(path + "." + key, "must not be empty");
    return Status::Ok();
  }
  Status Bool(const json& obj, const std::string& path, const char* key, bool* out) const {
    if (!obj.contains(key)) return Status::Ok();
    if (!obj[key].is_boolean()) return Fail(path + "." + key, "must be true or false");
    *out = obj[key].get<bool>();
    return Status::Ok();
  }
  Status Strings(const json& obj, const std::string& path, const char* key,
                 std::vector<std::string>* out) const {
    if (!obj.contains(key)) return Status::Ok();
    if (!obj[key].is_array()) return Fail(path + "." + key, "must be an array of strings");
    out->clear();
    for (std::size_t i = 0; i < obj[key].size(); ++i) {
      if (!obj[key][i].is_string()) {
        return Fail(path + "." + key + "[" + std::to_string(i) + "]", "must be a string");
      }
      out->push_back(obj[key][i].get<std::string>());
    }
    return Status::Ok();
  }
  // Refuses members outside `known`: a typo must not silently weaken a setting.
  Status OnlyKnown(const json& obj, const std::string& path,
                   const std::set<std::string>& known) const {
    if (!obj.is_object()) return Fail(path, "must be an object");
    for (const auto& item : obj.items()) {
      if (known.count(item.key()) == 0)
        return Fail(path + "." + item.key(), "is not a known setting");
    }
    return Status::Ok();
  }

 private:
  std::string label_;
};

bool WellFormedUrl(const std::string& url) {
  const bool scheme = url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
  return scheme && url.find_first_of(" \t\r\n\"<>") == std::string::npos && url.size() > 8;
}

std::string Resolve(const std::string& base_dir, const std::string& file) {
  if (file.empty() || file[0] == '/' || base_dir.empty()) return file;
  return base_dir + "/" + file;
}

// Reads `file` (relative to `dir`) named at JSON path `at` (base/file.h says why it cannot:
// "is a directory", "permission denied", "no such file").
Status ReadNamedFile(const Reader& r, const std::string& at, const std::string& dir,
                     const std::string& file, std::string* out) {
  Result<std::string> text = ReadFile(Resolve(dir, file));
  if (!text.ok()) return r.Fail(at, text.status().message());
  *out = *std::move(text);
  return Status::Ok();
}

// A certificate must be PEM text: a DER file would be stored as binary in the JSON row.
Status CheckPem(const Reader& r, const std::string& at, const std::string& file,
                const std::string& text) {
  if (IsStrictUtf8(text) && text.find("-----BEGIN CERTIFICATE-----") != std::string::npos) {
    return Status::Ok();
  }
  return r.Fail(at, (file.empty() ? std::string("the value") : file) +
                        " is not a PEM certificate (-----BEGIN CERTIFICATE-----); a DER file "
                        "converts with `openssl x509 -inform der -in FILE -out FILE.pem`");
}

// An absolute http(s) URL with a host and no user information, spaces or quotes: an entry of
// relay_state_allow_list (exact, or a prefix when it ends in '/').
bool AbsoluteUrlWithHost(const std::string& url) {
  if (!WellFormedUrl(url)) return false;
  const std::size_t host = url.find("://") + 3;
  const std::size_t end = url.find_first_of("/?#", host);
  const std::string authority = url.substr(host, end == std::string::npos ? end : end - host);
  return !authority.empty() && authority.find('@') == std::string::npos &&
         authority.find('*') == std::string::npos && authority[0] != ':';
}

const std::set<std::string> kProfiles = {"flex", "frontline", "console", "sendgrid", "custom"};

Status ReadSecurity(const Reader& r, const json& doc, ConnectionConfig* c) {
  if (!doc.contains("security")) return Status::Ok();
  const json& s = doc["security"];
  if (Status st =
          r.OnlyKnown(s, "$.security",
                      {"require_signed_response", "require_signed_assertion", "allow_idp_initiated",
                       "clock_skew_seconds", "allow_sha1", "min_rsa_bits"});
      !st.ok()) {
    return st;
  }
  for (const auto& [key, field] :
       {std::pair{"require_signed_response", &c->require_signed_response},
        std::pair{"require_signed_assertion", &c->require_signed_assertion},
        std::pair{"allow_idp_initiated", &c->allow_idp_initiated},
        std::pair{"allow_sha1", &c->allow_sha1}}) {
    if (Status st = r.Bool(s, "$.security", key, field); !st.ok()) return st;
  }
  if (s.contains("clock_skew_seconds")) {
    if (!s["clock_skew_seconds"].is_number_integer() ||
        s["clock_skew_seconds"].get<long long>() < 0 ||
        s["clock_skew_seconds"].get<long long>() > kMaxClockSkewSeconds) {
      return r.Fail("$.security.clock_skew_seconds",
                    "must be an integer from 0 to " + std::to_string(kMaxClockSkewSeconds));
    }
    c->clock_skew_seconds = s["clock_skew_seconds"].get<int>();
  }
  if (s.contains("min_rsa_bits")) {
    if (!s["min_rsa_bits"].is_number_integer() || s["min_rsa_bits"].get<long long>() < 1024 ||
        s["min_rsa_bits"].get<long long>() > 16384) {
      return r.Fail("$.security.min_rsa_bits", "must be an integer from 1024 to 16384");
    }
    c->min_rsa_bits = s["min_rsa_bits"].get<std::size_t>();
  }
  return Status::Ok();
}

Status ReadProvisioning(const Reader& r, const json& doc, ConnectionConfig* c) {
  c->mode = DefaultModeFor(c->profile);
  if (!doc.contains("provisioning")) return Status::Ok();
  const json& p = doc["provisioning"];
  if (Status st = r.OnlyKnown(p, "$.provisioning",
                              {"mode", "default_permissions", "enforced_domains",
                               "attribute_policy", "default_attribute_policy"});
      !st.ok()) {
    return st;
  }
  if (p.contains("mode")) {
    std::string mode;
    if (Status st = r.String(p, "$.provisioning", "mode", &mode); !st.ok()) return st;
    std::optional<ProvisioningMode> parsed = ParseProvisioningMode(mode);
    if (!parsed) {
      return r.Fail("$.provisioning.mode", "must be jit, existing-only or jit-idp-initiated");
    }
    c->mode = *parsed;
  }
  if (Status st = r.Strings(p, "$.provisioning", "default_permissions", &c->default_permissions);
      !st.ok()) {
    return st;
  }
  for (std::size_t i = 0; i < c->default_permissions.size(); ++i) {
    if (Status st = storage::CheckPermission(c->default_permissions[i]); !st.ok()) {
      return r.Fail("$.provisioning.default_permissions[" + std::to_string(i) + "]", st.message());
    }
  }
  if (Status st = r.Strings(p, "$.provisioning", "enforced_domains", &c->enforced_domains);
      !st.ok()) {
    return st;
  }
  for (std::size_t i = 0; i < c->enforced_domains.size(); ++i) {
    if (!IsDomainName(c->enforced_domains[i])) {
      return r.Fail("$.provisioning.enforced_domains[" + std::to_string(i) + "]",
                    "'" + c->enforced_domains[i] +
                        "' is not a domain name like acme.example (no '@', no wildcard)");
    }
  }
  if (p.contains("default_attribute_policy")) {
    std::string text;
    if (Status st = r.String(p, "$.provisioning", "default_attribute_policy", &text); !st.ok()) {
      return st;
    }
    std::optional<AttributePolicy> policy = ParseAttributePolicy(text);
    if (!policy) {
      return r.Fail("$.provisioning.default_attribute_policy",
                    "must be always, on_create or never");
    }
    c->attribute_policies.default_policy = *policy;
  }
  if (p.contains("attribute_policy")) {
    if (!p["attribute_policy"].is_object()) {
      return r.Fail("$.provisioning.attribute_policy", "must be an object");
    }
    for (const auto& item : p["attribute_policy"].items()) {
      const std::string path = "$.provisioning.attribute_policy." + item.key();
      std::optional<AttributePolicy> policy =
          item.value().is_string() ? ParseAttributePolicy(item.value().get<std::string>())
                                   : std::nullopt;
      if (!policy) return r.Fail(path, "must be always, on_create or never");
      c->attribute_policies.per_attribute[item.key()] = *policy;
    }
  }
  return Status::Ok();
}

Status ReadIdp(const Reader& r, const json& doc, const std::string& dir, ConnectionConfig* c) {
  if (!doc.contains("idp")) return r.Fail("$.idp", "is required");
  const json& idp = doc["idp"];
  if (Status st = r.OnlyKnown(idp, "$.idp",
                              {"metadata_file", "metadata_xml", "entity_id", "sso_url",
                               "certificates", "certificate_files", "certificates_pem"});
      !st.ok()) {
    return st;
  }
  std::string metadata_file;
  if (Status st = r.String(idp, "$.idp", "metadata_file", &metadata_file); !st.ok()) return st;
  if (Status st = r.String(idp, "$.idp", "entity_id", &c->idp_entity_id); !st.ok()) return st;
  if (Status st = r.String(idp, "$.idp", "sso_url", &c->idp_sso_url); !st.ok()) return st;
  if (!metadata_file.empty()) {
    std::string text;
    if (Status st = ReadNamedFile(r, "$.idp.metadata_file", dir, metadata_file, &text); !st.ok()) {
      return st;
    }
    if (!IsStrictUtf8(text)) {
      return r.Fail("$.idp.metadata_file", metadata_file + " is not UTF-8 XML");
    }
    c->idp_metadata_xml = std::move(text);
  } else if (idp.contains("metadata_xml")) {
    std::string xml;
    if (Status st = r.String(idp, "$.idp", "metadata_xml", &xml); !st.ok()) return st;
    c->idp_metadata_xml = std::move(xml);
  }
  std::vector<std::string> files;
  if (Status st =
          r.Strings(idp, "$.idp",
                    idp.contains("certificates") ? "certificates" : "certificate_files", &files);
      !st.ok()) {
    return st;
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    const std::string at = "$.idp.certificates[" + std::to_string(i) + "]";
    std::string pem;
    if (Status st = ReadNamedFile(r, at, dir, files[i], &pem); !st.ok()) return st;
    if (Status st = CheckPem(r, at, files[i], pem); !st.ok()) return st;
    c->idp_certificates_pem.push_back(std::move(pem));
  }
  std::vector<std::string> inline_pems;
  if (Status st = r.Strings(idp, "$.idp", "certificates_pem", &inline_pems); !st.ok()) return st;
  for (std::size_t i = 0; i < inline_pems.size(); ++i) {
    if (Status st =
            CheckPem(r, "$.idp.certificates_pem[" + std::to_string(i) + "]", "", inline_pems[i]);
        !st.ok()) {
      return st;
    }
    c->idp_certificates_pem.push_back(std::move(inline_pems[i]));
  }
  if (!c->idp_metadata_xml && c->idp_certificates_pem.empty()) {
    return r.Fail("$.idp", "needs metadata_file, or entity_id with certificates");
  }
  if (!c->idp_metadata_xml && c->idp_entity_id.empty()) {
    return r.Fail("$.idp.entity_id", "is required with certificates (the Issuer is pinned)");
  }
  if (!c->idp_sso_url.empty() && !WellFormedUrl(c->idp_sso_url)) {
    return r.Fail("$.idp.sso_url", "is not an http(s) URL");
  }
  return Status::Ok();
}

Status ReadRules(const Reader& r, const json& doc, const std::string& dir, ConnectionConfig* c) {
  if (doc.contains("rules_file") && doc.contains("rules")) {
    return r.Fail("$.rules_file", "give rules or rules_file, not both");
  }
  if (doc.contains("rules_file")) {
    std::string file;
    if (Status st = r.String(doc, "$", "rules_file", &file); !st.ok()) return st;
    std::string text;
    if (Status st = ReadNamedFile(r, "$.rules_file", dir, file, &text); !st.ok()) return st;
    c->rules_json = std::move(text);
  } else if (doc.contains("rules")) {
    if (!doc["rules"].is_object()) return r.Fail("$.rules", "must be an object");
    c->rules_json = doc["rules"].dump();
  }
  if (c->profile == "custom" && !c->rules_json) {
    return r.Fail("$.rules", "a custom profile needs rules or rules_file");
  }
  return Status::Ok();
}

// $.sp: entity ID, ACS URL, and the optional signing key (a file, kept as an absolute path) with
// its certificate (a file, embedded; or signing_certificate_pem as stored).
Status ReadSp(const Reader& r, const json& doc, const std::string& dir, ConnectionConfig* c) {
  if (!doc.contains("sp")) return r.Fail("$.sp", "is required");
  const json& sp = doc["sp"];
  if (Status st = r.OnlyKnown(sp, "$.sp",
                              {"entity_id", "acs_url", "signing_key_file",
                               "signing_certificate_file", "signing_certificate_pem"});
      !st.ok()) {
    return st;
  }
  if (Status st = r.String(sp, "$.sp", "entity_id", &c->sp_entity_id, true); !st.ok()) return st;
  if (Status st = r.String(sp, "$.sp", "acs_url", &c->acs_url, true); !st.ok()) return st;
  if (!WellFormedUrl(c->acs_url)) return r.Fail("$.sp.acs_url", "is not an http(s) URL");
  std::string key_file, cert_file;
  if (Status st = r.String(sp, "$.sp", "signing_key_file", &key_file); !st.ok()) return st;
  if (Status st = r.String(sp, "$.sp", "signing_certificate_file", &cert_file); !st.ok()) {
    return st;
  }
  if (Status st = r.String(sp, "$.sp", "signing_certificate_pem", &c->sp_signing_certificate_pem);
      !st.ok()) {
    return st;
  }
  if (!cert_file.empty()) {
    std::string pem;
    if (Status st = ReadNamedFile(r, "$.sp.signing_certificate_file", dir, cert_file, &pem);
        !st.ok()) {
      return st;
    }
    c->sp_signing_certificate_pem = std::move(pem);
  }
  // Binary (DER) text cannot be stored in the JSON row; whether it is the right PEM is the
  // request signer's check (signature.sp_key).
  if (!IsStrictUtf8(c->sp_signing_certificate_pem)) {
    if (Status st =
            CheckPem(r, "$.sp.signing_certificate_file", cert_file, c->sp_signing_certificate_pem);
        !st.ok()) {
      return st;
    }
  }
  if (!key_file.empty()) {
    std::error_code ec;
    const std::filesystem::path abs = std::filesystem::absolute(Resolve(dir, key_file), ec);
    if (ec) return r.Fail("$.sp.signing_key_file", "cannot resolve " + key_file);
    c->sp_signing_key_file = abs.lexically_normal().string();
  }
  if (c->sp_signing_key_file.empty() != c->sp_signing_certificate_pem.empty()) {
    return r.Fail("$.sp", "signing_key_file and signing_certificate_file go together");
  }
  return Status::Ok();
}

// $.product: where the product takes over after an accepted login. The callback URL is an
// absolute http(s) URL with a host and without a fragment (the code is appended as a query).
Status ReadProduct(const Reader& r, const json& doc, ConnectionConfig* c) {
  if (!doc.contains("product")) return Status::Ok();
  const json& p = doc["product"];
  if (Status st = r.OnlyKnown(p, "$.product", {"callback_url"}); !st.ok()) return st;
  std::string url;
  if (Status st = r.String(p, "$.product", "callback_url", &url, true); !st.ok()) return st;
  const std::size_t host = url.find("://") + 3;
  const bool has_host =
      WellFormedUrl(url) && host < url.size() && url.find_first_of("/?#", host) != host;
  bool control = false;
  for (unsigned char ch : url) control = control || ch < 0x20 || ch == 0x7f || ch == '\\';
  if (!has_host || control) {
    return r.Fail("$.product.callback_url", "is not an absolute http(s) URL");
  }
  if (url.find('#') != std::string::npos) {
    return r.Fail("$.product.callback_url", "must not have a fragment (#...)");
  }
  c->product_callback_url = std::move(url);
  return Status::Ok();
}

Result<ConnectionConfig> ParseConfig(const json& doc, const Reader& r, const std::string& dir) {
  ConnectionConfig c;
  if (Status st = r.OnlyKnown(doc, "$",
                              {"name", "profile", "sp", "idp", "security", "rules_file", "rules",
                               "provisioning", "relay_state_allow_list", "product"});
      !st.ok()) {
    return st;
  }
  if (Status st = r.String(doc, "$", "name", &c.name, true); !st.ok()) return st;
  if (c.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_.") != std::string::npos) {
    return r.Fail("$.name", "may hold only a-z, 0-9, '-', '_' and '.' (it appears in URLs)");
  }
  c.profile = "custom";
  if (Status st = r.String(doc, "$", "profile", &c.profile); !st.ok()) return st;
  if (kProfiles.count(c.profile) == 0) {
    return r.Fail("$.profile", "must be flex, frontline, console, sendgrid or custom");
  }
  if (Status st = ReadSp(r, doc, dir, &c); !st.ok()) return st;
  if (Status st = ReadIdp(r, doc, dir, &c); !st.ok()) return st;
  if (Status st = ReadSecurity(r, doc, &c); !st.ok()) return st;
  if (Status st = ReadRules(r, doc, dir, &c); !st.ok()) return st;
  if (Status st = ReadProvisioning(r, doc, &c); !st.ok()) return st;
  // IdP-initiated sign-on is off unless asked for (SECURITY.md F06: an unsolicited response can
  // be pushed into a victim's browser), except where the product signs in only that way
  // (jit-idp-initiated, SendGrid's model).
  if (!doc.contains("security") || !doc["security"].contains("allow_idp_initiated")) {
    c.allow_idp_initiated = c.mode == ProvisioningMode::kJitIdpInitiated;
  } else if (c.mode == ProvisioningMode::kJitIdpInitiated && !c.allow_idp_initiated) {
    return r.Fail("$.security.allow_idp_initiated",
                  "must not be false when provisioning.mode is jit-idp-initiated (accounts are "
                  "created only from IdP-initiated sign-on, which this would refuse)");
  }
  if (Status st = r.Strings(doc, "$", "relay_state_allow_list", &c.relay_state_allow_list);
      !st.ok()) {
    return st;
  }
  for (std::size_t i = 0; i < c.relay_state_allow_list.size(); ++i) {
    if (!AbsoluteUrlWithHost(c.relay_state_allow_list[i])) {
      return r.Fail("$.relay_state_allow_list[" + std::to_string(i) + "]",
                    "'" + c.relay_state_allow_list[i] +
                        "' is not an absolute http(s) URL with a host (an exact URL, or a prefix "
                        "ending in '/'; no wildcards)");
    }
  }
  if (Status st = ReadProduct(r, doc, &c); !st.ok()) return st;
  return c;
}

}  // namespace

std::optional<ProvisioningMode> ParseProvisioningMode(std::string_view text) {
  if (text == "jit") return ProvisioningMode::kJit;
  if (text == "existing-only") return ProvisioningMode::kExistingOnly;
  if (text == "jit-idp-initiated") return ProvisioningMode::kJitIdpInitiated;
  return std::nullopt;
}

const char* ProvisioningModeName(ProvisioningMode mode) {
  switch (mode) {
    case ProvisioningMode::kJit:
      return "jit";
    case ProvisioningMode::kExistingOnly:
      return "existing-only";
    case ProvisioningMode::kJitIdpInitiated:
      return "jit-idp-initiated";
  }
  return "jit";
}

ProvisioningMode DefaultModeFor(std::string_view profile) {
  if (profile == "console") return ProvisioningMode::kExistingOnly;
  if (profile == "sendgrid") return ProvisioningMode::kJitIdpInitiated;
  return ProvisioningMode::kJit;
}

bool RelayStateAllowed(const ConnectionConfig& config, std::string_view url) {
  if (url.empty() || url.size() > 2048) return false;
  for (unsigned char c : url) {
    if (c < 0x21 || c == 0x7f || c == '\\') return false;  // no spaces, controls, backslashes
  }
  for (const std::string& allowed : config.relay_state_allow_list) {
    if (allowed.empty()) continue;
    if (url == allowed) return true;
    if (allowed.back() == '/' && url.substr(0, allowed.size()) == allowed) return true;
  }
  return false;
}

Result<ConnectionConfig> ReadConnectionFile(const std::string& path) {
  Result<std::string> text = ReadFile(path);
  if (!text.ok()) {
    return Status::Error(errors::kProvisioningBadConnection, text.status().message());
  }
  // Syntax, numbers out of range and repeated keys, as rule documents are checked: nlohmann
  // would keep the last of two equal keys, and a typo must never weaken a check.
  if (std::optional<rules::Problem> p = rules::CheckJsonText(*text)) {
    return Status::Error(errors::kProvisioningBadConnection, rules::FormatProblem(path, *p));
  }
  const json doc = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return Status::Error(errors::kProvisioningBadConnection, path + ": $: not valid JSON");
  }
  const std::size_t slash = path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "" : path.substr(0, slash);
  const Reader reader(path);
  Result<ConnectionConfig> config = ParseConfig(doc, reader, dir);
  if (!config.ok()) return config;
  // Everything a login will need must load now, not at the first login.
  Result<Connection> loaded = Connection::Load(*config);
  if (!loaded.ok()) return Status(loaded.status()).Prefixed(path + ": ");
  // A policy for an attribute the rules never produce is a typo (or a pass-through attribute,
  // which must be declared in the rules to get a policy of its own).
  const std::vector<std::string> outputs = loaded->rules().OutputNames();
  for (const auto& [name, policy] : config->attribute_policies.per_attribute) {
    if (std::find(outputs.begin(), outputs.end(), name) != outputs.end()) continue;
    std::string list;
    for (const std::string& o : outputs) list += (list.empty() ? "" : ", ") + o;
    return reader.Fail("$.provisioning.attribute_policy." + name,
                       "names no output attribute of the connection's rules (" + list +
                           "); declare it in the rules to give it a policy");
  }
  return config;
}

std::string ToStoredJson(const ConnectionConfig& c) {
  json idp = json::object();
  if (c.idp_metadata_xml) idp["metadata_xml"] = *c.idp_metadata_xml;
  if (!c.idp_entity_id.empty()) idp["entity_id"] = c.idp_entity_id;
  if (!c.idp_sso_url.empty()) idp["sso_url"] = c.idp_sso_url;
  if (!c.idp_certificates_pem.empty()) idp["certificates_pem"] = c.idp_certificates_pem;
  json sp = {{"entity_id", c.sp_entity_id}, {"acs_url", c.acs_url}};
  json policies = json::object();
  for (const auto& [name, policy] : c.attribute_policies.per_attribute) {
    policies[name] = AttributePolicyName(policy);
  }
  if (!c.sp_signing_key_file.empty()) {
    sp["signing_key_file"] = c.sp_signing_key_file;
    sp["signing_certificate_pem"] = c.sp_signing_certificate_pem;
  }
  json doc = {
      {"name", c.name},
      {"profile", c.profile},
      {"sp", sp},
      {"idp", idp},
      {"security",
       {{"require_signed_response", c.require_signed_response},
        {"require_signed_assertion", c.require_signed_assertion},
        {"allow_idp_initiated", c.allow_idp_initiated},
        {"clock_skew_seconds", c.clock_skew_seconds},
        {"allow_sha1", c.allow_sha1},
        {"min_rsa_bits", c.min_rsa_bits}}},
      {"provisioning",
       {{"mode", ProvisioningModeName(c.mode)},
        {"default_permissions", c.default_permissions},
        {"enforced_domains", c.enforced_domains},
        {"attribute_policy", policies},
        {"default_attribute_policy", AttributePolicyName(c.attribute_policies.default_policy)}}},
      {"relay_state_allow_list", c.relay_state_allow_list}};
  if (c.rules_json) doc["rules"] = json::parse(*c.rules_json, nullptr, false);
  if (!c.product_callback_url.empty()) doc["product"] = {{"callback_url", c.product_callback_url}};
  // Every text was checked to be UTF-8 when read (CheckPem, the metadata); replace, never throw.
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<ConnectionConfig> FromStoredJson(std::string_view text, std::string_view label) {
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded()) {
    return Status::Error(errors::kProvisioningBadConnection,
                         std::string(label) + ": stored JSON is corrupt");
  }
  return ParseConfig(doc, Reader(std::string(label)), "");
}

Result<Connection> Connection::Load(ConnectionConfig config) {
  VerifierSpec spec;
  if (config.idp_metadata_xml) {
    spec.trust.metadata_xml = *config.idp_metadata_xml;
    spec.trust.metadata_label = "$.idp.metadata";
  }
  for (std::size_t i = 0; i < config.idp_certificates_pem.size(); ++i) {
    spec.trust.certificates.emplace_back("$.idp.certificates[" + std::to_string(i) + "]",
                                         config.idp_certificates_pem[i]);
  }
  if (!config.idp_entity_id.empty()) spec.trust.idp_entity_id = config.idp_entity_id;
  spec.sp_entity_id = config.sp_entity_id;
  spec.acs_url = config.acs_url;
  spec.clock_skew_seconds = config.clock_skew_seconds;
  spec.allow_sha1 = config.allow_sha1;
  spec.min_rsa_bits = config.min_rsa_bits;
  spec.require_signed_response = config.require_signed_response;
  spec.require_signed_assertion = config.require_signed_assertion;
  Result<ResponseVerifier> verifier = BuildVerifier(spec);
  if (!verifier.ok()) return verifier.status();

  Result<rules::RuleSet> rules = config.rules_json ? rules::LoadRules(*config.rules_json, "$.rules")
                                                   : rules::LoadProfile(config.profile);
  if (!rules.ok()) return rules.status();

  Connection c;
  if (!config.sp_signing_key_file.empty()) {
    Result<std::string> key_pem = ReadFile(config.sp_signing_key_file);
    if (!key_pem.ok()) {
      return Status::Error(errors::kSignatureSpKey,
                           "$.sp.signing_key_file: " + key_pem.status().message());
    }
    Result<dsig::RequestSigner> signer = dsig::RequestSigner::Load(
        *key_pem, config.sp_signing_certificate_pem, "$.sp.signing_key_file");
    if (!signer.ok()) return signer.status();
    c.request_signer_ = std::make_shared<const dsig::RequestSigner>(std::move(signer).value());
  }
  c.sso_url_ = config.idp_sso_url;
  if (c.sso_url_.empty() && verifier->idp_metadata()) {
    c.sso_url_ = verifier->idp_metadata()->SsoUrl(saml::kHttpRedirectBinding);
  }
  c.verifier_ = std::make_shared<const ResponseVerifier>(std::move(verifier).value());
  c.rules_ = std::make_shared<const rules::RuleSet>(std::move(rules).value());
  c.config_ = std::move(config);
  return c;
}

Result<Connection> LoadConnection(const storage::ConnectionRecord& record) {
  Result<ConnectionConfig> config = FromStoredJson(record.config_json, record.name);
  if (!config.ok()) return config.status();
  return Connection::Load(*std::move(config));
}

Result<Connection> LoadStoredConnection(storage::Db& db, const std::string& name) {
  Result<std::optional<storage::ConnectionRecord>> record = storage::GetConnection(db, name);
  if (!record.ok()) return record.status();
  if (!record->has_value()) {
    return Status::Error(errors::kProvisioningUnknownConnection,
                         "no connection named '" + name + "' (see `claimgate connection list`)");
  }
  return LoadConnection(**record);
}

}  // namespace claimgate::pipeline
