#pragma once

#include <string_view>

namespace claimgate::saml {

inline constexpr std::string_view kProtocolNs = "urn:oasis:names:tc:SAML:2.0:protocol";
inline constexpr std::string_view kAssertionNs = "urn:oasis:names:tc:SAML:2.0:assertion";
inline constexpr std::string_view kMetadataNs = "urn:oasis:names:tc:SAML:2.0:metadata";
inline constexpr std::string_view kXsiNs = "http://www.w3.org/2001/XMLSchema-instance";
inline constexpr std::string_view kStatusSuccess = "urn:oasis:names:tc:SAML:2.0:status:Success";
inline constexpr std::string_view kBearer = "urn:oasis:names:tc:SAML:2.0:cm:bearer";

}  // namespace claimgate::saml
