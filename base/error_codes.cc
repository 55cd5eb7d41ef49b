#include "base/error_codes.h"

namespace claimgate {

namespace {
constexpr const ErrorCode* kAll[] = {
#define CG_ERROR(name, id, doc) &errors::name,
#include "base/error_codes.def"
#undef CG_ERROR
};
}  // namespace

const ErrorCode* const* AllErrorCodes(std::size_t* count) {
  *count = sizeof(kAll) / sizeof(kAll[0]);
  return kAll;
}

}  // namespace claimgate
