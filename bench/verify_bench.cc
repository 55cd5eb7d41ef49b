// verify_bench: verifies many distinct signed responses in one process and prints where the
// time goes, per response: decode + parse, c14n + digests, public-key operations, the SAML
// checks. A benchmark that prints figures, not a test.
//
//   verify_bench --cert IDP.pem --sp-entity-id ID --acs-url URL --now T [--idp-entity-id ID]
//                [--rounds N] DIR        (every *.xml file of DIR)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "base/civil_time.h"
#include "engine/decode.h"
#include "engine/dsig/verifier.h"
#include "engine/saml/validate.h"
#include "engine/saml/verify_response.h"
#include "engine/xml/document.h"

namespace cg = claimgate;
using Clock = std::chrono::steady_clock;

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

long long Ns(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(b - a).count();
}

int Usage() {
  std::fprintf(stderr,
               "usage: verify_bench --cert IDP.pem --sp-entity-id ID --acs-url URL --now T "
               "[--idp-entity-id ID] [--rounds N] DIR\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string cert, sp, acs, now_text, idp, dir;
  int rounds = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--cert")
      cert = next();
    else if (a == "--sp-entity-id")
      sp = next();
    else if (a == "--acs-url")
      acs = next();
    else if (a == "--now")
      now_text = next();
    else if (a == "--idp-entity-id")
      idp = next();
    else if (a == "--rounds")
      rounds = std::atoi(next().c_str());
    else if (!a.empty() && a[0] != '-')
      dir = a;
    else
      return Usage();
  }
  const std::optional<cg::TimePoint> now = cg::ParseDateTime(now_text);
  if (cert.empty() || sp.empty() || acs.empty() || !now || dir.empty() || rounds < 1)
    return Usage();

  cg::dsig::KeySet keys;
  if (cg::Status s = keys.AddPem(ReadFile(cert), cert, {}); !s.ok()) {
    std::fprintf(stderr, "%s\n", s.message().c_str());
    return 2;
  }
  const cg::dsig::Verifier verifier(std::move(keys), {});
  cg::saml::Expectations want;
  want.sp_entity_id = sp;
  want.acs_url = acs;
  if (!idp.empty()) want.idp_entity_id = idp;

  std::vector<std::string> inputs;
  std::vector<std::filesystem::path> paths;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".xml") paths.push_back(e.path());
  }
  std::sort(paths.begin(), paths.end());
  std::size_t bytes = 0;
  for (const auto& p : paths) {
    inputs.push_back(ReadFile(p.string()));
    bytes += inputs.back().size();
  }
  if (inputs.empty()) {
    std::fprintf(stderr, "no *.xml in %s\n", dir.c_str());
    return 2;
  }

  long long parse_ns = 0, validate_ns = 0, total_ns = 0;
  cg::dsig::VerifyStats stats;
  long long dsig_ns = 0;
  std::size_t accepted = 0, n = 0;
  for (int r = 0; r < rounds; ++r) {
    for (const std::string& raw : inputs) {
      const auto t0 = Clock::now();
      cg::Result<std::string> text = cg::Decode(raw);
      if (!text.ok()) continue;
      cg::Result<cg::xml::Document> doc = cg::xml::Document::Parse(*text);
      const auto t1 = Clock::now();
      ++n;
      parse_ns += Ns(t0, t1);
      if (!doc.ok()) {
        std::fprintf(stderr, "parse: %s\n", doc.status().message().c_str());
        continue;
      }
      cg::Result<cg::saml::VerifiedResponse> v =
          cg::saml::VerifySignatures(*doc, verifier, {}, &stats);
      const auto t2 = Clock::now();
      dsig_ns += Ns(t1, t2);
      if (!v.ok()) {
        std::fprintf(stderr, "verify: %s %s\n", std::string(v.status().code()).c_str(),
                     v.status().message().c_str());
        total_ns += Ns(t0, t2);
        continue;
      }
      cg::Result<cg::saml::Assertion> a = cg::saml::Validate(*v, want, *now);
      const auto t3 = Clock::now();
      validate_ns += Ns(t2, t3);
      total_ns += Ns(t0, t3);
      if (a.ok()) {
        ++accepted;
      } else {
        std::fprintf(stderr, "validate: %s\n", std::string(a.status().code()).c_str());
      }
    }
  }
  const double per = static_cast<double>(n);
  const double other_dsig =
      static_cast<double>(dsig_ns - stats.c14n_digest_ns - stats.public_key_ns);
  std::printf(
      "verify_bench: %zu distinct responses x %d rounds = %zu verifications, "
      "mean size %zu bytes, %zu accepted\n",
      inputs.size(), rounds, n, bytes / inputs.size(), accepted);
  std::printf("  decode+parse        %8.1f us\n", static_cast<double>(parse_ns) / per / 1000);
  std::printf("  c14n+digest         %8.1f us\n",
              static_cast<double>(stats.c14n_digest_ns) / per / 1000);
  std::printf("  public-key verify   %8.1f us\n",
              static_cast<double>(stats.public_key_ns) / per / 1000);
  std::printf("  signature shape     %8.1f us\n", other_dsig / per / 1000);
  std::printf("  saml checks+extract %8.1f us\n", static_cast<double>(validate_ns) / per / 1000);
  std::printf("  total               %8.1f us per response (%.0f responses/s on one core)\n",
              static_cast<double>(total_ns) / per / 1000,
              per * 1e9 / static_cast<double>(total_ns));
  return accepted == n ? 0 : 1;
}
