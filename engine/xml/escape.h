#pragma once

#include <string>
#include <string_view>

namespace claimgate::xml {

// Escapes &, <, >, " and ' for XML (and HTML) text and attribute values: what claimgate writes
// (SP metadata, AuthnRequests, pages) never lets a value close its element or attribute.
std::string Escape(std::string_view text);

}  // namespace claimgate::xml
