#include "engine/dsig/verifier.h"

#include <chrono>
#include <string>
#include <vector>

#include "crypto/constant_time.h"
#include "crypto/hash.h"
#include "engine/dsig/signature_shape.h"
#include "engine/xml/c14n.h"

namespace claimgate::dsig {

namespace {

// Canonical bytes of `el` (exclusive c14n without comments), refusing the "void
// canonicalization" failure mode: output must be non-empty and start with '<' (SECURITY.md B08).
Status CanonicalBytes(pugi::xml_node el, std::vector<std::string> prefixes, pugi::xml_node exclude,
                      std::string* out) {
  xml::C14nOptions options;
  options.inclusive_prefixes = std::move(prefixes);
  options.exclude = exclude;
  out->clear();
  if (Status s = xml::Canonicalize(el, options, *out); !s.ok()) return s;
  if (out->empty() || (*out)[0] != '<') {
    return Status::Error(errors::kSignatureDigestMismatch, "canonicalization produced no element");
  }
  return Status::Ok();
}

// The pinned keys a signature may be checked with: the one its KeyInfo certificate names, if
// any is pinned; otherwise every pinned key of the algorithm's type (KeyInfo only selects).
long long NanosSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() -
                                                              start)
      .count();
}

std::vector<const PinnedKey*> CandidateKeys(const KeySet& keys, const internal::SignatureParts& p) {
  std::vector<const PinnedKey*> out;
  if (p.has_keyinfo_certificate) {
    if (const PinnedKey* k = keys.Match(p.keyinfo_certificate_der)) {
      if (k->type() == p.signature_algorithm->key_type) out.push_back(k);
      return out;
    }
  }
  for (const PinnedKey& k : keys.keys()) {
    if (k.type() == p.signature_algorithm->key_type) out.push_back(&k);
  }
  return out;
}

}  // namespace

Result<SignedElement> Verifier::VerifyEnveloped(const xml::Document& doc, pugi::xml_node parent,
                                                pugi::xml_node signature,
                                                VerifyStats* stats) const {
  if (keys_.empty()) {
    return Status::Error(errors::kSignatureNoKeys, "no pinned signing key is configured");
  }
  if (!doc.Is(signature, kDsigNs, "Signature") || signature.parent() != parent) {
    return Status::Error(errors::kSignaturePosition, "the Signature is not a child of its element");
  }
  Result<internal::SignatureParts> parts = internal::ReadSignature(doc, signature, options_);
  if (!parts.ok()) return parts.status();

  // The Reference must name the Signature's own parent, through the document's unique ID table
  // (SECURITY.md A05, A14, B04, B10).
  const pugi::xml_node target = doc.FindById(parts->reference_id);
  if (target != parent ||
      std::string_view(xml::Attr(parent, options_.id_attribute).value()) != parts->reference_id) {
    return Status::Error(errors::kSignatureReferenceUri,
                         "the Reference URI #" + parts->reference_id +
                             " does not name the ID of the Signature's parent element");
  }

  // 1. SignedInfo, canonicalized, against the pinned keys (SECURITY.md DR6).
  auto start = std::chrono::steady_clock::now();
  std::string signed_info;
  if (Status s = CanonicalBytes(parts->signed_info, parts->signed_info_prefixes, pugi::xml_node(),
                                &signed_info);
      !s.ok()) {
    return s;
  }
  if (stats) stats->c14n_digest_ns += NanosSince(start);
  start = std::chrono::steady_clock::now();
  const std::vector<const PinnedKey*> candidates = CandidateKeys(keys_, *parts);
  if (candidates.empty() && !parts->has_keyinfo_certificate) {
    return Status::Error(errors::kSignatureAlgorithm,
                         "no pinned key fits the SignatureMethod's key type");
  }
  // A SignatureValue no candidate key could have produced (truncated, padded: SECURITY.md B09).
  bool any_length_fits = false;
  for (const PinnedKey* key : candidates) {
    any_length_fits = any_length_fits || parts->signature_value.size() == key->signature_size();
  }
  if (!candidates.empty() && !any_length_fits) {
    return Status::Error(errors::kSignatureBadValue,
                         "SignatureValue has " + std::to_string(parts->signature_value.size()) +
                             " bytes, which fits no pinned key");
  }
  bool verified = false;
  for (const PinnedKey* key : candidates) {
    if (parts->signature_value.size() != key->signature_size()) continue;
    if (key->Verify(parts->signature_algorithm->emsa, signed_info, parts->signature_value)) {
      verified = true;
      break;
    }
  }
  if (stats) stats->public_key_ns += NanosSince(start);
  if (!verified) {
    if (parts->has_keyinfo_certificate && keys_.Match(parts->keyinfo_certificate_der) == nullptr) {
      return Status::Error(errors::kSignatureUntrustedKey,
                           "the signature does not verify with any pinned key, and its KeyInfo "
                           "certificate is not pinned for this IdP");
    }
    return Status::Error(errors::kSignatureInvalid,
                         "SignatureValue does not verify with the pinned key(s)");
  }

  // 2. The referenced element, minus this very Signature (by identity: SECURITY.md A15).
  start = std::chrono::steady_clock::now();
  std::string referenced;
  if (Status s = CanonicalBytes(parent, parts->reference_prefixes, signature, &referenced);
      !s.ok()) {
    return s;
  }
  const std::string digest = crypto::Digest(parts->digest_algorithm->hash, referenced);
  if (stats) stats->c14n_digest_ns += NanosSince(start);
  if (!crypto::ConstantTimeEqual(digest, parts->digest_value)) {
    return Status::Error(errors::kSignatureDigestMismatch,
                         "the digest of #" + parts->reference_id +
                             " differs from DigestValue: the element changed after signing");
  }
  return SignedElement(parent);
}

}  // namespace claimgate::dsig
