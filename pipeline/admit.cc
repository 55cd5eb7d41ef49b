#include "pipeline/admit.h"

#include <algorithm>
#include <cctype>

namespace claimgate::pipeline {

namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// DESIGN.md: enforced_domains: the email's domain (after the last '@', case-insensitive) must
// be listed.
Status CheckDomain(const ConnectionConfig& config, const std::string& email) {
  if (config.enforced_domains.empty()) return Status::Ok();
  const std::size_t at = email.rfind('@');
  if (at == std::string::npos || at == 0 || at + 1 == email.size()) {
    return Status::Error(errors::kProvisioningDomainNotAllowed,
                         "email '" + email + "' has no domain; the connection enforces domains");
  }
  const std::string domain = Lower(email.substr(at + 1));
  for (const std::string& allowed : config.enforced_domains) {
    if (Lower(allowed) == domain) return Status::Ok();
  }
  return Status::Error(errors::kProvisioningDomainNotAllowed,
                       "email domain '" + domain + "' is not enforced by the connection");
}

}  // namespace

bool IsDomainName(std::string_view text) {
  if (text.empty() || text.size() > 253) return false;
  std::size_t labels = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('.', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view label = text.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (const char c : label) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
    }
    ++labels;
    start = end + 1;
  }
  return labels >= 2;
}

Status CheckAccountEmail(const ConnectionConfig& config, const std::string& email) {
  const std::size_t at = email.find('@');
  const bool local_ok = at != std::string::npos && at > 0 &&
                        std::none_of(email.begin(), email.begin() + static_cast<long>(at),
                                     [](unsigned char c) { return c <= 0x20 || c == 0x7f; });
  if (!local_ok || email.find('@', at + 1) != std::string::npos ||
      !IsDomainName(std::string_view(email).substr(at + 1))) {
    return Status::Error(errors::kStorageInvalidArgument,
                         "email '" + email + "' is not an address like name@acme.example");
  }
  return CheckDomain(config, email);
}

Status Admit(const ConnectionConfig& config, const std::string& subject, const std::string& email,
             bool solicited, const std::optional<storage::User>& user) {
  if (Status s = CheckDomain(config, email); !s.ok()) return s;
  if (user) {
    if (user->status == storage::UserStatus::kDisabled) {
      return Status::Error(errors::kProvisioningUserDisabled, "user '" + subject + "' is disabled");
    }
    return Status::Ok();
  }
  if (config.mode == ProvisioningMode::kExistingOnly) {
    return Status::Error(errors::kProvisioningUnknownUser,
                         "user '" + subject +
                             "' does not exist and the connection creates no accounts "
                             "(existing-only)");
  }
  if (config.mode == ProvisioningMode::kJitIdpInitiated && solicited) {
    return Status::Error(errors::kProvisioningSpInitiatedJit,
                         "user '" + subject +
                             "' does not exist; accounts are created only from IdP-initiated "
                             "sign-on");
  }
  return Status::Ok();
}

}  // namespace claimgate::pipeline
