// The SP's AuthnRequest signer: what it loads, what it refuses (each with signature.sp_key), and
// that its signatures verify with the certificate it publishes. Keys other than the example pair
// are made by openssl at test time in a fresh directory.
#include "engine/dsig/request_signer.h"

#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "engine/dsig/key_set.h"

namespace cg = claimgate;

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Example(const std::string& rel) {
  return ReadFile(std::string(std::getenv("CLAIMGATE_SOURCE_DIR")) + "/examples/" + rel);
}

// A scratch directory with openssl-made keys, removed at the end of the test.
class Keys {
 public:
  Keys() {
    char tmpl[] = "/tmp/claimgate-signer-XXXXXX";
    BOOST_REQUIRE(mkdtemp(tmpl) != nullptr);
    dir_ = tmpl;
  }
  ~Keys() { std::filesystem::remove_all(dir_); }
  // Runs `openssl ARGS` in the directory; files named in ARGS land there.
  void OpenSsl(const std::string& args) {
    const std::string cmd = "cd '" + dir_ + "' && openssl " + args + " >/dev/null 2>&1";
    BOOST_REQUIRE_MESSAGE(std::system(cmd.c_str()) == 0, cmd);
  }
  std::string Read(const std::string& name) const { return ReadFile(dir_ + "/" + name); }

 private:
  std::string dir_;
};

bool Verifies(const std::string& cert_pem, const std::string& message, const std::string& sig) {
  cg::dsig::KeySet keys;
  BOOST_REQUIRE(keys.AddPem(cert_pem, "cert", {}).ok());
  return keys.keys()[0].Verify("EMSA3(SHA-256)", message, sig);
}

void ExpectRefused(const cg::Result<cg::dsig::RequestSigner>& r, const std::string& why) {
  BOOST_REQUIRE_MESSAGE(!r.ok(), why);
  BOOST_CHECK_EQUAL(r.status().code(), "signature.sp_key");
  BOOST_TEST_MESSAGE(why << ": " << r.status().message());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(request_signer)

BOOST_AUTO_TEST_CASE(signs_what_its_certificate_verifies) {
  const std::string cert = Example("idp/example-idp.pem");
  cg::Result<cg::dsig::RequestSigner> s =
      cg::dsig::RequestSigner::Load(Example("idp/example-idp.key"), cert, "example");
  BOOST_REQUIRE_MESSAGE(s.ok(), s.status().message());
  BOOST_CHECK_EQUAL(s->bits(), 2048u);
  BOOST_CHECK(!s->certificate_der().empty());
  const std::string msg =
      "SAMLRequest=abc&RelayState=x&SigAlg=" + std::string(cg::dsig::RequestSigner::kSigAlg);
  cg::Result<std::string> sig = s->Sign(msg);
  BOOST_REQUIRE(sig.ok());
  BOOST_CHECK_EQUAL(sig->size(), 256u);
  BOOST_CHECK(Verifies(cert, msg, *sig));
  BOOST_CHECK(!Verifies(cert, msg + "&", *sig));  // another message
  BOOST_CHECK(!Verifies(cert, "SAMLRequest=abd" + msg.substr(15), *sig));
}

BOOST_AUTO_TEST_CASE(pkcs1_and_pkcs8_forms_of_one_key_sign_alike) {
  Keys k;
  k.OpenSsl(
      "req -x509 -newkey rsa:3072 -nodes -sha256 -days 2 -subj /CN=sp -keyout k8.pem "
      "-out cert.pem");
  k.OpenSsl("rsa -in k8.pem -traditional -out k1.pem");
  BOOST_REQUIRE(k.Read("k1.pem").find("BEGIN RSA PRIVATE KEY") != std::string::npos);
  cg::Result<cg::dsig::RequestSigner> a =
      cg::dsig::RequestSigner::Load(k.Read("k8.pem"), k.Read("cert.pem"), "k8");
  cg::Result<cg::dsig::RequestSigner> b =
      cg::dsig::RequestSigner::Load(k.Read("k1.pem"), k.Read("cert.pem"), "k1");
  BOOST_REQUIRE_MESSAGE(a.ok(), a.status().message());
  BOOST_REQUIRE_MESSAGE(b.ok(), b.status().message());
  BOOST_CHECK_EQUAL(a->bits(), 3072u);
  // RSASSA-PKCS1-v1_5 is deterministic: both forms give the same bytes.
  BOOST_CHECK(*a->Sign("m") == *b->Sign("m"));
  BOOST_CHECK(Verifies(k.Read("cert.pem"), "m", *a->Sign("m")));
}

BOOST_AUTO_TEST_CASE(refuses_keys_it_must_not_sign_with) {
  Keys k;
  const std::string cert = Example("idp/example-idp.pem");
  k.OpenSsl(
      "req -x509 -newkey rsa:2048 -nodes -sha256 -days 2 -subj /CN=other -keyout o.pem "
      "-out o.crt");
  ExpectRefused(cg::dsig::RequestSigner::Load(k.Read("o.pem"), cert, "l"),
                "a key that is not the certificate's");
  k.OpenSsl(
      "req -x509 -newkey rsa:1024 -nodes -sha256 -days 2 -subj /CN=w -keyout w.pem "
      "-out w.crt");
  ExpectRefused(cg::dsig::RequestSigner::Load(k.Read("w.pem"), k.Read("w.crt"), "l"), "RSA-1024");
  k.OpenSsl(
      "req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 -days 2 "
      "-subj /CN=ec -keyout ec.pem -out ec.crt");
  ExpectRefused(cg::dsig::RequestSigner::Load(k.Read("ec.pem"), k.Read("ec.crt"), "l"),
                "an EC key (only RSA-SHA256 is produced)");
  k.OpenSsl("pkcs8 -topk8 -in o.pem -out enc.pem -passout pass:secret");
  BOOST_REQUIRE(k.Read("enc.pem").find("ENCRYPTED PRIVATE KEY") != std::string::npos);
  ExpectRefused(cg::dsig::RequestSigner::Load(k.Read("enc.pem"), k.Read("o.crt"), "l"),
                "an encrypted key (nobody to ask for the passphrase)");
  ExpectRefused(cg::dsig::RequestSigner::Load(cert, cert, "l"), "a certificate given as the key");
  ExpectRefused(cg::dsig::RequestSigner::Load("", cert, "l"), "an empty key");
  ExpectRefused(cg::dsig::RequestSigner::Load(Example("idp/example-idp.key"), "junk", "l"),
                "a certificate that does not parse");
  ExpectRefused(cg::dsig::RequestSigner::Load("-----BEGIN PRIVATE KEY-----\nAAAA\n"
                                              "-----END PRIVATE KEY-----\n",
                                              cert, "l"),
                "a truncated key");
}

BOOST_AUTO_TEST_SUITE_END()
