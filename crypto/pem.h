#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

// The one PEM reader (RFC 7468 textual encoding): certificates, public and private keys.
namespace claimgate::crypto {

struct PemBlock {
  std::string label;  // "CERTIFICATE", "PUBLIC KEY", "PRIVATE KEY", "RSA PRIVATE KEY", ...
  std::string der;    // the decoded body
};

// Every -----BEGIN X----- ... -----END X----- block of `text`, in order. Text between blocks is
// ignored (openssl prints comments there). A block that is not closed or whose body is not
// base64 fails with `code`, the message naming `label` (the file or field it came from).
Result<std::vector<PemBlock>> ReadPem(std::string_view text, std::string_view label,
                                      const ErrorCode& code);

// True when `text` holds at least the start of a PEM block (else it may be DER).
bool LooksLikePem(std::string_view text);

}  // namespace claimgate::crypto
