#pragma once

// The SP's own signing key: signs AuthnRequests sent with the HTTP-Redirect binding. Only the
// RSA-SHA256 SigAlg is produced; the key never leaves this type and Botan stays in the .cc.

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace Botan {
class Private_Key;
}

namespace claimgate::dsig {

class RequestSigner {
 public:
  // The SigAlg of every signature this type makes.
  static constexpr char kSigAlg[] = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";

  // `key_pem`: an unencrypted PKCS#8 ("PRIVATE KEY") or PKCS#1 ("RSA PRIVATE KEY") RSA key of at
  // least 2048 bits; `certificate_pem`: its certificate, published in the SP metadata. Fails with
  // signature.sp_key, naming `label`, when either does not parse or they do not match.
  static Result<RequestSigner> Load(std::string_view key_pem, std::string_view certificate_pem,
                                    std::string_view label);

  // RSASSA-PKCS1-v1_5 with SHA-256 over `message` (for the Redirect binding: the exact
  // "SAMLRequest=...&RelayState=...&SigAlg=..." octets). Thread-safe.
  Result<std::string> Sign(std::string_view message) const;

  // DER of the certificate, for md:KeyDescriptor.
  const std::string& certificate_der() const { return certificate_der_; }
  std::size_t bits() const { return bits_; }

 private:
  std::shared_ptr<const Botan::Private_Key> key_;
  std::string certificate_der_;
  std::size_t bits_ = 0;
};

}  // namespace claimgate::dsig
