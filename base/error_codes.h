#pragma once

#include <cstddef>

namespace claimgate {

// One registered error code: `id` is the stable dotted name printed in JSON and audit rows,
// `doc` the one-line meaning shown in the README table. Codes are never renamed or reused.
struct ErrorCode {
  const char* id;
  const char* doc;
};

namespace errors {
#define CG_ERROR(name, id, doc) inline constexpr ErrorCode name{id, doc};
#include "base/error_codes.def"
#undef CG_ERROR
}  // namespace errors

// Every registered code, in registry order (for the README table and the registry test).
const ErrorCode* const* AllErrorCodes(std::size_t* count);

}  // namespace claimgate
