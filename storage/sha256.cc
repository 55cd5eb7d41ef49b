// The one file of storage/ that touches Botan (STYLE C4, C9): SHA-256 by name.
#include "storage/sha256.h"

#include <botan/hash.h>
#include <botan/hex.h>

#include <cstdint>
#include <exception>
#include <memory>

namespace claimgate::storage {

std::string Sha256Hex(std::string_view data) {
  try {
    std::unique_ptr<Botan::HashFunction> hash = Botan::HashFunction::create_or_throw("SHA-256");
    hash->update(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
    return Botan::hex_encode(hash->final(), /*uppercase=*/false);
  } catch (const std::exception&) {
    return std::string();
  }
}

}  // namespace claimgate::storage
