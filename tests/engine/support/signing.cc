#include "tests/engine/support/signing.h"

#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

namespace claimgate::testing {

namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFile(const fs::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (const char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs a shell command; throws (failing the test) with its stderr when it exits non-zero.
void Run(const std::string& command, const fs::path& err) {
  const int rc = std::system((command + " 2>" + Quote(err.string())).c_str());
  if (rc != 0) {
    throw std::runtime_error("command failed (" + std::to_string(rc) + "): " + command + "\n" +
                             ReadFile(err));
  }
}

// One scratch folder per test process, removed at exit.
class Scratch {
 public:
  Scratch() {
    dir_ = fs::temp_directory_path() /
           ("claimgate-engine-tests-" + std::to_string(::getpid()) + "-" +
            std::to_string(reinterpret_cast<std::uintptr_t>(this) & 0xffff));
    fs::create_directories(dir_);
  }
  ~Scratch() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  const fs::path& dir() const { return dir_; }
  fs::path Next(std::string_view suffix) {
    return dir_ / ("f" + std::to_string(++counter_) + std::string(suffix));
  }

 private:
  fs::path dir_;
  int counter_ = 0;
};

Scratch& TheScratch() {
  static Scratch scratch;
  return scratch;
}

std::string PemBodyBase64(const std::string& pem) {
  std::string out;
  std::istringstream lines(pem);
  std::string line;
  bool inside = false;
  while (std::getline(lines, line)) {
    if (line.rfind("-----BEGIN CERTIFICATE-----", 0) == 0) {
      inside = true;
    } else if (line.rfind("-----END CERTIFICATE-----", 0) == 0) {
      break;
    } else if (inside) {
      for (const char c : line) {
        if (c != '\r' && c != '\n') out += c;
      }
    }
  }
  return out;
}

std::size_t Count(std::string_view text, std::string_view what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string_view::npos;
       at = text.find(what, at + what.size())) {
    ++n;
  }
  return n;
}

}  // namespace

std::string SourcePath(std::string_view relative) {
  const char* root = std::getenv("CLAIMGATE_SOURCE_DIR");
  BOOST_REQUIRE_MESSAGE(root != nullptr, "CLAIMGATE_SOURCE_DIR is not set (run through ctest)");
  return std::string(root) + "/" + std::string(relative);
}

std::string ReadSourceFile(std::string_view relative) { return ReadFile(SourcePath(relative)); }

std::string ReadPath(const std::string& path) { return ReadFile(path); }

std::string ReplaceOnce(std::string text, std::string_view from, std::string_view to) {
  const std::size_t at = text.find(from);
  BOOST_REQUIRE_MESSAGE(at != std::string::npos, "fixture has no '" << from << "'");
  BOOST_REQUIRE_MESSAGE(text.find(from, at + 1) == std::string::npos,
                        "fixture has '" << from << "' more than once");
  text.replace(at, from.size(), to);
  return text;
}

xml::Document MustParse(std::string_view text) {
  Result<xml::Document> doc = xml::Document::Parse(text);
  BOOST_REQUIRE_MESSAGE(doc.ok(), "fixture does not parse: " << doc.status().code() << ": "
                                                             << doc.status().message());
  return std::move(doc).value();
}

dsig::KeySet ExampleKeys() {
  dsig::KeySet keys;
  const Status s =
      keys.AddPem(ReadSourceFile("examples/idp/example-idp.pem"), "example-idp.pem", {});
  BOOST_REQUIRE_MESSAGE(s.ok(), s.code() << ": " << s.message());
  return keys;
}

const TestKey& ExampleKey() {
  static const TestKey key = [] {
    TestKey k;
    k.key_path = SourcePath("examples/idp/example-idp.key");
    k.cert_path = SourcePath("examples/idp/example-idp.pem");
    k.cert_b64 = PemBodyBase64(ReadFile(k.cert_path));
    return k;
  }();
  return key;
}

const TestKey& GeneratedKey(std::string_view name) {
  static std::map<std::string, TestKey, std::less<>> made;
  if (const auto it = made.find(name); it != made.end()) return it->second;
  Scratch& scratch = TheScratch();
  TestKey k;
  k.key_path = (scratch.dir() / (std::string(name) + ".key")).string();
  k.cert_path = (scratch.dir() / (std::string(name) + ".pem")).string();
  const fs::path err = scratch.Next(".err");
  const std::string subject = "/CN=" + std::string(name) + ".claimgate-test.example";
  if (name == "ec") {
    Run("openssl ecparam -name prime256v1 -genkey -noout -out " + Quote(k.key_path), err);
    Run("openssl req -x509 -new -key " + Quote(k.key_path) + " -out " + Quote(k.cert_path) +
            " -days 3650 -sha256 -subj " + Quote(subject),
        err);
  } else {
    Run("openssl req -x509 -newkey rsa:2048 -nodes -keyout " + Quote(k.key_path) + " -out " +
            Quote(k.cert_path) + " -days 3650 -sha256 -subj " + Quote(subject),
        err);
  }
  k.cert_b64 = PemBodyBase64(ReadFile(k.cert_path));
  return made.emplace(std::string(name), std::move(k)).first->second;
}

std::vector<std::string> ProfileTransforms() {
  return {std::string(kEnvelopedUri), std::string(kExcC14nUri)};
}

std::string SignatureTemplate(std::string_view id, const std::vector<std::string>& transforms,
                              std::string_view signature_method, std::string_view cert_b64) {
  std::string t = "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo>";
  t += "<ds:CanonicalizationMethod Algorithm=\"" + std::string(kExcC14nUri) + "\"/>";
  t += "<ds:SignatureMethod Algorithm=\"" + std::string(signature_method) + "\"/>";
  t += "<ds:Reference URI=\"#" + std::string(id) + "\"><ds:Transforms>";
  for (const std::string& tr : transforms) {
    t += tr.rfind('<', 0) == 0 ? tr : "<ds:Transform Algorithm=\"" + tr + "\"/>";
  }
  t += "</ds:Transforms><ds:DigestMethod Algorithm=\"" + std::string(kSha256) +
       "\"/><ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo>";
  t += "<ds:SignatureValue></ds:SignatureValue>";
  if (!cert_b64.empty()) {
    t += "<ds:KeyInfo><ds:X509Data><ds:X509Certificate>" + std::string(cert_b64) +
         "</ds:X509Certificate></ds:X509Data></ds:KeyInfo>";
  }
  return t + "</ds:Signature>";
}

std::string SignWithXmlsec(const std::string& xml, const TestKey& key,
                           const std::vector<std::string>& id_attrs) {
  static constexpr std::string_view kEmpty = "<ds:SignatureValue></ds:SignatureValue>";
  static constexpr char kLastUnsigned[] =
      "(//*[local-name()='Signature'][*[local-name()='SignatureValue'][not(normalize-space())]])"
      "[last()]";
  std::string attrs =
      " --id-attr:ID urn:oasis:names:tc:SAML:2.0:protocol:Response"
      " --id-attr:ID urn:oasis:names:tc:SAML:2.0:assertion:Assertion";
  for (const std::string& a : id_attrs) {
    const std::size_t space = a.find(' ');
    attrs += " --id-attr:" + a.substr(0, space) + " " + Quote(a.substr(space + 1));
  }
  Scratch& scratch = TheScratch();
  std::string text = xml;
  const std::size_t templates = Count(text, kEmpty);
  BOOST_REQUIRE_MESSAGE(templates > 0, "nothing to sign: no empty ds:SignatureValue");
  for (std::size_t i = 0; i < templates; ++i) {
    const fs::path in = scratch.Next(".xml");
    const fs::path out = scratch.Next(".signed.xml");
    WriteFile(in, text);
    Run("xmlsec1 --sign --privkey-pem " + Quote(key.key_path) + attrs + " --node-xpath " +
            Quote(kLastUnsigned) + " --output " + Quote(out.string()) + " " + Quote(in.string()),
        scratch.Next(".err"));
    text = ReadFile(out);
  }
  BOOST_REQUIRE_MESSAGE(Count(text, kEmpty) == 0, "xmlsec1 left a Signature unsigned");
  return text;
}

}  // namespace claimgate::testing
