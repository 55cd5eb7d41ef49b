// The Botan adapter of crypto/: every Botan call and exception of this folder stays in this
// file (STYLE C4, C9). engine/dsig keeps its own for keys and signatures.
#include <botan/hash.h>
#include <botan/mem_ops.h>
#include <botan/system_rng.h>

#include <cstdint>
#include <exception>
#include <memory>

#include "base/hex.h"
#include "crypto/constant_time.h"
#include "crypto/hash.h"
#include "crypto/random.h"

namespace claimgate::crypto {

std::string Digest(std::string_view algorithm, std::string_view data) {
  try {
    std::unique_ptr<Botan::HashFunction> h = Botan::HashFunction::create(std::string(algorithm));
    if (!h) return std::string();
    h->update(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
    const Botan::secure_vector<std::uint8_t> out = h->final();
    return std::string(out.begin(), out.end());
  } catch (const std::exception&) {
    return std::string();
  }
}

std::string Sha256(std::string_view data) { return Digest("SHA-256", data); }

std::string Sha256Hex(std::string_view data) { return EncodeHex(Sha256(data)); }

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return Botan::constant_time_compare(reinterpret_cast<const std::uint8_t*>(a.data()),
                                      reinterpret_cast<const std::uint8_t*>(b.data()), a.size());
}

Result<std::string> RandomBytes(std::size_t n) {
  try {
    std::string out(n, '\0');
    Botan::system_rng().randomize(reinterpret_cast<std::uint8_t*>(out.data()), out.size());
    return out;
  } catch (const std::exception& e) {
    return Status::Error(errors::kStorageInternal, "the system random generator failed")
        .WithDetail(e.what());
  }
}

Result<std::string> RandomHex(std::size_t n) {
  Result<std::string> bytes = RandomBytes(n);
  if (!bytes.ok()) return bytes.status();
  return EncodeHex(*bytes);
}

}  // namespace claimgate::crypto
