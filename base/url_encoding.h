#pragma once

#include <string>
#include <string_view>

namespace claimgate {

// RFC 3986 percent-encoding of every octet outside the unreserved set (A-Z a-z 0-9 - _ . ~),
// upper-case hex: query values of the HTTP-Redirect binding and of the product callback.
std::string UrlEncode(std::string_view text);

}  // namespace claimgate
