#pragma once

namespace claimgate::fuzz {

// The verify target's one trusted key: the certificate of examples/idp/example-idp.pem, which
// signs the example responses that seed it (fuzz/seeds/verify).
extern const char kPinnedCertificatePem[];

}  // namespace claimgate::fuzz
