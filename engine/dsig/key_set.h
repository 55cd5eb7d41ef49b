#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "engine/dsig/algorithms.h"

namespace Botan {
class Public_Key;
}

namespace claimgate::dsig {

// One trusted signing key, pinned from IdP metadata or a configured certificate. Botan stays
// behind this type (STYLE C9): no engine header includes a Botan header.
class PinnedKey {
 public:
  KeyType type() const { return type_; }
  std::size_t bits() const { return bits_; }
  // DER of the certificate it came from (empty for a bare public key), and of its public key.
  const std::string& certificate_der() const { return cert_der_; }
  const std::string& public_key_der() const { return spki_der_; }
  // "RSA-2048 CN=..." for messages.
  const std::string& description() const { return description_; }
  // Expected SignatureValue length in bytes: the modulus for RSA, 2 × the field for ECDSA.
  std::size_t signature_size() const { return signature_size_; }

  // True only when Botan says the signature verifies; any error is false (SECURITY.md B09).
  bool Verify(std::string_view emsa, std::string_view message, std::string_view signature) const;

 private:
  friend class KeySetLoader;
  std::shared_ptr<const Botan::Public_Key> key_;
  KeyType type_ = KeyType::kRsa;
  std::size_t bits_ = 0;
  std::size_t signature_size_ = 0;
  std::string cert_der_;
  std::string spki_der_;
  std::string description_;
};

struct KeyPolicy {
  // RSA keys shorter than this are refused when pinned (SECURITY.md C04). Legacy suites with
  // 1024-bit test keys need it lowered explicitly.
  std::size_t min_rsa_bits = 2048;
};

// The pinned keys of one IdP. Loading is configuration: failures are reported with exit 2.
class KeySet {
 public:
  // Adds every certificate of a PEM text (several "CERTIFICATE" blocks allowed; also
  // "PUBLIC KEY" blocks) or one DER certificate. `label` names the source in messages.
  Status AddPem(std::string_view text, std::string_view label, const KeyPolicy& policy);
  // Adds one DER certificate (from metadata's ds:X509Certificate).
  Status AddCertificateDer(std::string_view der, std::string_view label, const KeyPolicy& policy);

  const std::vector<PinnedKey>& keys() const { return keys_; }
  bool empty() const { return keys_.empty(); }

  // The pinned key whose certificate or public key equals the certificate `der` (KeyInfo's);
  // nullptr when none. The KeyInfo certificate only selects; it never adds trust (DR8).
  const PinnedKey* Match(std::string_view der) const;

 private:
  std::vector<PinnedKey> keys_;
};

}  // namespace claimgate::dsig
