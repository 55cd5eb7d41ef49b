#pragma once

#include <cstddef>

#include "claimgate/status.h"

namespace claimgate {

namespace errors {
#define CG_ERROR(name, id, doc) inline constexpr ErrorCode name{id, doc};
#include "base/error_codes.def"
#undef CG_ERROR
}  // namespace errors

// Every registered code, in registry order (for the README table and the registry test).
const ErrorCode* const* AllErrorCodes(std::size_t* count);

}  // namespace claimgate
