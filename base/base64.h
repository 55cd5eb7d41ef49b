#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace claimgate {

// Strict base64 (RFC 4648 §4, standard alphabet, '=' padding required, no bits left over).
// XML whitespace (space, TAB, CR, LF) between characters is skipped, as XML-DSig base64 text
// and line-wrapped form posts carry it. Anything else returns nullopt. Total: never throws.
std::optional<std::string> DecodeBase64(std::string_view text);

std::string EncodeBase64(std::string_view bytes);

}  // namespace claimgate
