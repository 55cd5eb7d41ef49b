// The Botan adapter of engine/dsig: every Botan call and every Botan exception stays in this
// file (STYLE C4, C9).
#include "engine/dsig/key_set.h"

#include <botan/ecdsa.h>
#include <botan/pk_keys.h>
#include <botan/pkix_types.h>
#include <botan/pubkey.h>
#include <botan/rsa.h>
#include <botan/x509_key.h>
#include <botan/x509cert.h>

#include <exception>
#include <optional>

#include "crypto/pem.h"

namespace claimgate::dsig {

namespace {

std::string ToString(const std::vector<uint8_t>& v) { return std::string(v.begin(), v.end()); }

}  // namespace

class KeySetLoader {
 public:
  // Builds a PinnedKey from a Botan public key; checks type and size against the policy.
  static Result<PinnedKey> Make(std::unique_ptr<Botan::Public_Key> key, std::string cert_der,
                                std::string description, std::string_view label,
                                const KeyPolicy& policy) {
    PinnedKey k;
    const std::string algo = key->algo_name();
    if (algo == "RSA") {
      k.type_ = KeyType::kRsa;
      k.bits_ = key->key_length();
      k.signature_size_ = (k.bits_ + 7) / 8;
      if (k.bits_ < policy.min_rsa_bits) {
        return Status::Error(errors::kSignatureWeakKey,
                             std::string(label) + ": RSA key of " + std::to_string(k.bits_) +
                                 " bits is shorter than the minimum of " +
                                 std::to_string(policy.min_rsa_bits));
      }
    } else if (algo == "ECDSA") {
      k.type_ = KeyType::kEcdsa;
      const auto& ec = dynamic_cast<const Botan::ECDSA_PublicKey&>(*key);
      const std::string curve = ec.domain().get_curve_oid().to_formatted_string();
      if (curve != "secp256r1" && curve != "secp384r1" && curve != "secp521r1") {
        return Status::Error(
            errors::kSignatureWeakKey,
            std::string(label) + ": ECDSA curve " + curve + " is not P-256, P-384 or P-521");
      }
      k.bits_ = ec.domain().get_p_bits();
      k.signature_size_ = 2 * ((ec.domain().get_order().bits() + 7) / 8);
    } else {
      return Status::Error(errors::kSignatureWeakKey,
                           std::string(label) + ": " + algo + " keys cannot sign SAML here");
    }
    k.spki_der_ = ToString(key->subject_public_key());
    k.cert_der_ = std::move(cert_der);
    k.description_ =
        algo + "-" + std::to_string(k.bits_) + (description.empty() ? "" : " ") + description;
    k.key_ = std::shared_ptr<const Botan::Public_Key>(std::move(key));
    return k;
  }

  static Result<PinnedKey> FromCertificate(std::string_view der, std::string_view label,
                                           const KeyPolicy& policy) {
    try {
      const std::vector<uint8_t> bytes(der.begin(), der.end());
      Botan::X509_Certificate cert(bytes);
      return Make(cert.load_subject_public_key(), std::string(der), cert.subject_dn().to_string(),
                  label, policy);
    } catch (const std::exception& e) {
      return Status::Error(errors::kSignatureNoKeys,
                           std::string(label) + ": not a readable X.509 certificate")
          .WithDetail(e.what());
    }
  }

  static Result<PinnedKey> FromPublicKey(std::string_view der, std::string_view label,
                                         const KeyPolicy& policy) {
    try {
      const std::vector<uint8_t> bytes(der.begin(), der.end());
      std::unique_ptr<Botan::Public_Key> key(Botan::X509::load_key(bytes));
      return Make(std::move(key), std::string(), "public key", label, policy);
    } catch (const std::exception& e) {
      return Status::Error(errors::kSignatureNoKeys,
                           std::string(label) + ": not a readable public key")
          .WithDetail(e.what());
    }
  }
};

bool PinnedKey::Verify(std::string_view emsa, std::string_view message,
                       std::string_view signature) const {
  try {
    Botan::PK_Verifier verifier(*key_, std::string(emsa), Botan::IEEE_1363);
    return verifier.verify_message(reinterpret_cast<const uint8_t*>(message.data()), message.size(),
                                   reinterpret_cast<const uint8_t*>(signature.data()),
                                   signature.size());
  } catch (const std::exception&) {
    return false;  // any library error is a failed verification, never a pass
  }
}

Status KeySet::AddPem(std::string_view text, std::string_view label, const KeyPolicy& policy) {
  if (!crypto::LooksLikePem(text)) return AddCertificateDer(text, label, policy);  // DER
  Result<std::vector<crypto::PemBlock>> blocks =
      crypto::ReadPem(text, label, errors::kSignatureNoKeys);
  if (!blocks.ok()) return blocks.status();
  std::size_t added = 0;
  for (const crypto::PemBlock& b : *blocks) {
    Result<PinnedKey> key = Status::Error(errors::kSignatureNoKeys, "");
    if (b.label == "CERTIFICATE") {
      key = KeySetLoader::FromCertificate(b.der, label, policy);
    } else if (b.label == "PUBLIC KEY") {
      key = KeySetLoader::FromPublicKey(b.der, label, policy);
    } else {
      continue;  // private keys and parameters are not trust anchors
    }
    if (!key.ok()) return key.status();
    keys_.push_back(std::move(key).value());
    ++added;
  }
  if (added == 0) {
    return Status::Error(errors::kSignatureNoKeys,
                         std::string(label) + ": no CERTIFICATE or PUBLIC KEY block");
  }
  return Status::Ok();
}

Status KeySet::AddCertificateDer(std::string_view der, std::string_view label,
                                 const KeyPolicy& policy) {
  Result<PinnedKey> key = KeySetLoader::FromCertificate(der, label, policy);
  if (!key.ok()) return key.status();
  keys_.push_back(std::move(key).value());
  return Status::Ok();
}

const PinnedKey* KeySet::Match(std::string_view der) const {
  for (const PinnedKey& k : keys_) {
    if (!k.certificate_der().empty() && k.certificate_der() == der) return &k;
  }
  // A re-issued certificate for the same key pair still names a pinned key.
  std::string spki;
  try {
    const std::vector<uint8_t> bytes(der.begin(), der.end());
    Botan::X509_Certificate cert(bytes);
    spki = ToString(cert.subject_public_key_info());
  } catch (const std::exception&) {
    return nullptr;
  }
  for (const PinnedKey& k : keys_) {
    if (k.public_key_der() == spki) return &k;
  }
  return nullptr;
}

}  // namespace claimgate::dsig
