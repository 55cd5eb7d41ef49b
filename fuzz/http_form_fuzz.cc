// HTTP form/query parsers: a request body or query string through ParseForm (both routes use it)
// and a Cookie header through BindingNonces. Promises checked: a refused form has
// input.bad_request; a parsed form, percent-encoded again field by field, parses back to the same
// fields; every binding nonce found has the shape the cookie writer gives it.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "base/url_encoding.h"
#include "fuzz/check.h"
#include "server/app.h"
#include "server/cookies.h"

namespace cg = claimgate;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = cg::fuzz::Text(data, size);
  cg::Result<std::map<std::string, std::string>> form = cg::server::ParseForm(text);
  if (!form.ok()) {
    CLAIMGATE_FUZZ_CHECK(form.status().code() == "input.bad_request");
  } else {
    std::string encoded;
    for (const auto& [name, value] : *form) {
      if (!encoded.empty()) encoded += '&';
      encoded += cg::UrlEncode(name) + "=" + cg::UrlEncode(value);
    }
    cg::Result<std::map<std::string, std::string>> back = cg::server::ParseForm(encoded);
    CLAIMGATE_FUZZ_CHECK(back.ok());
    CLAIMGATE_FUZZ_CHECK(*back == *form);
  }

  for (const auto& [id, nonce] : cg::server::BindingNonces(text)) {
    CLAIMGATE_FUZZ_CHECK(id.size() == 41 && id[0] == '_' && nonce.size() == 64);
  }
  return 0;
}
