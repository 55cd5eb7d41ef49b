// The SP's AuthnRequest signer: the second (and last) file of engine/dsig that includes Botan.
#include "engine/dsig/request_signer.h"

#include <botan/data_src.h>
#include <botan/pkcs8.h>
#include <botan/pkix_types.h>
#include <botan/pubkey.h>
#include <botan/rsa.h>
#include <botan/system_rng.h>
#include <botan/x509cert.h>

#include <exception>
#include <stdexcept>
#include <vector>

#include "crypto/pem.h"

namespace claimgate::dsig {

namespace {

Status KeyError(std::string_view label, const std::string& what) {
  return Status::Error(errors::kSignatureSpKey, std::string(label) + ": " + what);
}

// PKCS#8 ("PRIVATE KEY", what `openssl req -newkey` writes) or PKCS#1 ("RSA PRIVATE KEY"),
// the first key block of the text. Encrypted keys are refused: serve has nobody to ask for a
// passphrase.
std::unique_ptr<Botan::Private_Key> ReadKey(const std::vector<crypto::PemBlock>& blocks) {
  for (const crypto::PemBlock& b : blocks) {
    const std::vector<uint8_t> der(b.der.begin(), b.der.end());
    if (b.label == "RSA PRIVATE KEY") {
      return std::make_unique<Botan::RSA_PrivateKey>(
          Botan::AlgorithmIdentifier("RSA", Botan::AlgorithmIdentifier::USE_NULL_PARAM),
          Botan::secure_vector<uint8_t>(der.begin(), der.end()));
    }
    if (b.label == "PRIVATE KEY") {
      Botan::DataSource_Memory source(der);
      return Botan::PKCS8::load_key(source);
    }
  }
  throw std::runtime_error("no PRIVATE KEY or RSA PRIVATE KEY block");
}

// The first CERTIFICATE block, DER.
std::string FirstCertificate(const std::vector<crypto::PemBlock>& blocks) {
  for (const crypto::PemBlock& b : blocks) {
    if (b.label == "CERTIFICATE") return b.der;
  }
  return std::string();
}

}  // namespace

Result<RequestSigner> RequestSigner::Load(std::string_view key_pem,
                                          std::string_view certificate_pem,
                                          std::string_view label) {
  RequestSigner s;
  Result<std::vector<crypto::PemBlock>> key_blocks =
      crypto::ReadPem(key_pem, label, errors::kSignatureSpKey);
  if (!key_blocks.ok()) return key_blocks.status();
  std::unique_ptr<Botan::Private_Key> key;
  try {
    key = ReadKey(*key_blocks);
  } catch (const std::exception& e) {
    return KeyError(label, "the key is not an unencrypted PEM private key").WithDetail(e.what());
  }
  if (key->algo_name() != "RSA")
    return KeyError(label, "the key is " + key->algo_name() + ", not RSA");
  s.bits_ = key->key_length();
  if (s.bits_ < 2048) {
    return KeyError(label, "the key has " + std::to_string(s.bits_) + " bits; 2048 at least");
  }
  Result<std::vector<crypto::PemBlock>> cert_blocks =
      crypto::ReadPem(certificate_pem, label, errors::kSignatureSpKey);
  if (!cert_blocks.ok()) return cert_blocks.status();
  try {
    const std::string cert_der = FirstCertificate(*cert_blocks);
    if (cert_der.empty()) throw std::runtime_error("no CERTIFICATE block");
    Botan::X509_Certificate cert(std::vector<uint8_t>(cert_der.begin(), cert_der.end()));
    std::unique_ptr<Botan::Public_Key> cert_key(cert.subject_public_key());
    if (cert_key->subject_public_key() != key->subject_public_key()) {
      return KeyError(label,
                      "the certificate is not the key's (" + cert.subject_dn().to_string() + ")");
    }
    const std::vector<uint8_t> der = cert.BER_encode();
    s.certificate_der_.assign(der.begin(), der.end());
  } catch (const std::exception& e) {
    return KeyError(label, "the certificate is not a readable PEM X.509 certificate")
        .WithDetail(e.what());
  }
  s.key_ = std::shared_ptr<const Botan::Private_Key>(std::move(key));
  return s;
}

Result<std::string> RequestSigner::Sign(std::string_view message) const {
  try {
    // PK_Signer keeps per-call state, so one per call; System_RNG is thread-safe (blinding).
    Botan::PK_Signer signer(*key_, Botan::system_rng(), "EMSA3(SHA-256)");
    const std::vector<uint8_t> sig = signer.sign_message(
        reinterpret_cast<const uint8_t*>(message.data()), message.size(), Botan::system_rng());
    return std::string(sig.begin(), sig.end());
  } catch (const std::exception& e) {
    return Status::Error(errors::kSignatureSpKey, "signing the AuthnRequest failed")
        .WithDetail(e.what());
  }
}

}  // namespace claimgate::dsig
