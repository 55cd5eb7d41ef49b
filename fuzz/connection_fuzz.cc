// connection loader: a stored connection document (the JSON `connection add` keeps) through
// FromStoredJson and Connection::Load, which pins the IdP keys (metadata or certificates) and
// loads the rules. Promises checked: a stored form that loads re-serializes to a document that
// loads again and serializes to the same bytes (ToStoredJson/FromStoredJson round-trip); load
// failures carry a code. The SP key file is never read (a fuzzer must not choose files).

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/check.h"
#include "pipeline/connection.h"

namespace cg = claimgate;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  cg::Result<cg::pipeline::ConnectionConfig> config =
      cg::pipeline::FromStoredJson(cg::fuzz::Text(data, size), "fuzz");
  if (!config.ok()) {
    CLAIMGATE_FUZZ_CHECK(!config.status().code().empty());
    return 0;
  }
  config->sp_signing_key_file.clear();
  const std::string stored = cg::pipeline::ToStoredJson(*config);
  cg::Result<cg::pipeline::ConnectionConfig> again = cg::pipeline::FromStoredJson(stored, "again");
  CLAIMGATE_FUZZ_CHECK(again.ok());
  CLAIMGATE_FUZZ_CHECK(cg::pipeline::ToStoredJson(*again) == stored);

  cg::Result<cg::pipeline::Connection> connection =
      cg::pipeline::Connection::Load(*std::move(config));
  if (!connection.ok()) {
    CLAIMGATE_FUZZ_CHECK(!connection.status().code().empty());
    return 0;
  }
  (void)cg::pipeline::RelayStateAllowed(connection->config(), "https://flex.acme.example/x");
  return 0;
}
