// hostile_bench: how long the verifier takes to refuse crafted unsigned Responses that aim at
// superlinear work before any signature is checked (SECURITY.md DR15), next to a control of the
// same size and plain shape. Prints milliseconds per refusal and the crafted/control ratio for
// each shape; a ratio near 1 means the cost is linear in the bytes, whatever their shape. A
// benchmark that prints figures, not a test.
//
//   hostile_bench --cert IDP.pem [--bytes N] [--rounds N]
//
// Shapes, each as large as the decoded-input cap allows (base64 form value of 1 MiB):
//   nested-attrs   126 nested elements with 127 attributes each, then empty <Assertion/> leaves
//   nested-sigs    the same ancestors, then empty <ds:Signature/> leaves
//   nested-xmlns   126 nested elements declaring 32 prefixes each, then <Assertion/> leaves
//   same-local     elements with 120 attributes of one local name under 120 prefixes
//   control        <Assertion/> leaves under plain nested elements
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/decode.h"
#include "engine/dsig/verifier.h"
#include "engine/saml/verify_response.h"
#include "engine/xml/document.h"

namespace cg = claimgate;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kHead =
    "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" "
    "xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" "
    "xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" ID=\"r\" Version=\"2.0\" "
    "IssueInstant=\"2026-01-01T00:00:00Z\"";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// `depth` nested <e> elements, each opened with `attrs(level)`, then `leaf` repeated to fill
// `bytes`, then the closing tags.
template <typename Attrs>
std::string Nested(std::size_t bytes, int depth, Attrs attrs, const std::string& leaf,
                   const std::string& root_attrs = "") {
  std::string head = std::string(kHead) + root_attrs + ">";
  for (int d = 0; d < depth; ++d) head += "<e" + attrs(d) + ">";
  std::string tail;
  for (int d = 0; d < depth; ++d) tail += "</e>";
  tail += "</samlp:Response>";
  std::string out = head;
  while (out.size() + leaf.size() + tail.size() <= bytes) out += leaf;
  return out + tail;
}

std::string Shape(const std::string& name, std::size_t bytes) {
  auto none = [](int) { return std::string(); };
  auto many_attrs = [](int) {
    std::string a;
    for (int i = 0; i < 127; ++i) a += " a" + std::to_string(i) + "=\"x\"";
    return a;
  };
  auto many_xmlns = [](int d) {
    std::string a;
    for (int i = 0; i < 32; ++i) {
      const std::string p = std::to_string(d * 32 + i);
      a += " xmlns:p" + p + "=\"urn:x" + p + "\"";
    }
    return a;
  };
  if (name == "nested-attrs") return Nested(bytes, 126, many_attrs, "<saml:Assertion/>");
  if (name == "nested-sigs") return Nested(bytes, 126, many_attrs, "<ds:Signature/>");
  if (name == "nested-xmlns") return Nested(bytes, 126, many_xmlns, "<saml:Assertion/>");
  if (name == "same-local") {
    std::string declare, leaf = "<e";
    for (int i = 0; i < 120; ++i) {
      declare += " xmlns:p" + std::to_string(i) + "=\"urn:x" + std::to_string(i) + "\"";
      leaf += " p" + std::to_string(i) + ":a=\"x\"";
    }
    return Nested(bytes, 0, none, leaf + "/>", declare);
  }
  return Nested(bytes, 126, none, "<saml:Assertion/>");  // control
}

// Milliseconds for decode + parse + the signature stage to refuse `raw` (best of `rounds`).
double RefuseMs(const std::string& raw, const cg::dsig::Verifier& verifier, int rounds,
                std::string* code) {
  double best = 1e300;
  for (int r = 0; r < rounds; ++r) {
    const auto t0 = Clock::now();
    cg::Result<std::string> text = cg::Decode(raw);
    cg::Status status;
    if (!text.ok()) {
      status = text.status();
    } else if (cg::Result<cg::xml::Document> doc = cg::xml::Document::Parse(*text); !doc.ok()) {
      status = doc.status();
    } else {
      status = cg::saml::VerifySignatures(*doc, verifier, {}).status();
    }
    const auto t1 = Clock::now();
    *code = status.ok() ? "accepted" : std::string(status.code());
    best = std::min(best, std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  std::string cert;
  std::size_t bytes = 3 * (1 << 20) / 4 - 64;  // what a 1 MiB base64 form value decodes to
  int rounds = 5;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--cert") {
      cert = next();
    } else if (a == "--bytes") {
      bytes = static_cast<std::size_t>(std::atol(next().c_str()));
    } else if (a == "--rounds") {
      rounds = std::atoi(next().c_str());
    } else {
      std::fprintf(stderr, "usage: hostile_bench --cert IDP.pem [--bytes N] [--rounds N]\n");
      return 2;
    }
  }
  cg::dsig::KeySet keys;
  if (cert.empty() || rounds < 1) {
    std::fprintf(stderr, "usage: hostile_bench --cert IDP.pem [--bytes N] [--rounds N]\n");
    return 2;
  }
  if (cg::Status s = keys.AddPem(ReadFile(cert), cert, {}); !s.ok()) {
    std::fprintf(stderr, "%s\n", s.message().c_str());
    return 2;
  }
  const cg::dsig::Verifier verifier(std::move(keys), {});
  std::string code;
  const double control = RefuseMs(Shape("control", bytes), verifier, rounds, &code);
  std::printf("hostile_bench: unsigned Responses of %zu bytes, best of %d\n", bytes, rounds);
  std::printf("  %-13s %8.1f ms  %-24s\n", "control", control, code.c_str());
  double worst = 0;
  for (const char* name : {"nested-attrs", "nested-sigs", "nested-xmlns", "same-local"}) {
    const double ms = RefuseMs(Shape(name, bytes), verifier, rounds, &code);
    worst = std::max(worst, ms / control);
    std::printf("  %-13s %8.1f ms  %-24s ratio %.2f\n", name, ms, code.c_str(), ms / control);
  }
  std::printf("  worst crafted/control ratio %.2f\n", worst);
  return 0;
}
