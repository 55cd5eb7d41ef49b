// Character-level XML rules: strict UTF-8, the Char production, NCName/QName, references.
#include <string_view>

#include "engine/xml/chars_internal.h"

namespace claimgate::xml::internal {
namespace {

bool IsNameStartChar(char32_t c) {
  // XML 1.0 fifth edition [4] NameStartChar, without ':' (Namespaces NCName).
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') return true;
  if (c < 0xC0) return false;
  return (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF) ||
         (c >= 0x370 && c <= 0x37D) || (c >= 0x37F && c <= 0x1FFF) ||
         (c >= 0x200C && c <= 0x200D) || (c >= 0x2070 && c <= 0x218F) ||
         (c >= 0x2C00 && c <= 0x2FEF) || (c >= 0x3001 && c <= 0xD7FF) ||
         (c >= 0xF900 && c <= 0xFDCF) || (c >= 0xFDF0 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0xEFFFF);
}

bool IsNameChar(char32_t c) {
  // [4a] NameChar, without ':'.
  if (IsNameStartChar(c)) return true;
  return c == '-' || c == '.' || (c >= '0' && c <= '9') || c == 0xB7 ||
         (c >= 0x300 && c <= 0x36F) || (c >= 0x203F && c <= 0x2040);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Parses the character reference body between "&#" and ";" (e.g. "x41" or "65").
bool ParseCharRef(std::string_view body, char32_t* cp) {
  const bool hex = !body.empty() && body[0] == 'x';
  if (hex) body.remove_prefix(1);
  if (body.empty()) return false;
  while (body.size() > 1 && body[0] == '0') body.remove_prefix(1);  // "&#x0041;" is legal
  if (body.size() > 8) return false;  // beyond U+10FFFF either way; keeps v within 32 bits
  std::uint32_t v = 0;
  for (char c : body) {
    const int d = hex ? HexValue(c) : (c >= '0' && c <= '9' ? c - '0' : -1);
    if (d < 0) return false;
    v = v * (hex ? 16u : 10u) + static_cast<std::uint32_t>(d);
  }
  *cp = static_cast<char32_t>(v);
  return IsXmlChar(*cp);
}

}  // namespace

bool DecodeUtf8(std::string_view s, std::size_t* pos, char32_t* cp) {
  const std::size_t i = *pos;
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    *cp = b0;
    *pos = i + 1;
    return true;
  }
  std::size_t len;
  char32_t v;
  char32_t min;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2, v = b0 & 0x1Fu, min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3, v = b0 & 0x0Fu, min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4, v = b0 & 0x07u, min = 0x10000;
  } else {
    return false;
  }
  if (s.size() - i < len) return false;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return false;
    v = (v << 6) | (b & 0x3Fu);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return false;
  *cp = v;
  *pos = i + len;
  return true;
}

bool IsXmlChar(char32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

std::size_t FindInvalidChar(std::string_view s, bool* bad_utf8) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b >= 0x20 && b < 0x80) {  // fast path: printable ASCII
      ++i;
      continue;
    }
    const std::size_t at = i;
    char32_t cp = 0;
    if (!DecodeUtf8(s, &i, &cp)) {
      *bad_utf8 = true;
      return at;
    }
    if (!IsXmlChar(cp)) {
      *bad_utf8 = false;
      return at;
    }
  }
  return std::string_view::npos;
}

bool IsNcName(std::string_view s) {
  if (s.empty()) return false;
  std::size_t i = 0;
  bool first = true;
  // ASCII fast path; anything else goes through the full NameStartChar/NameChar tables.
  for (; i < s.size(); ++i, first = false) {
    const char c = s[i];
    const bool start = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (start || (!first && ((c >= '0' && c <= '9') || c == '-' || c == '.'))) continue;
    if (static_cast<unsigned char>(c) < 0x80) return false;
    break;
  }
  while (i < s.size()) {
    char32_t cp = 0;
    if (!DecodeUtf8(s, &i, &cp)) return false;
    if (first ? !IsNameStartChar(cp) : !IsNameChar(cp)) return false;
    first = false;
  }
  return true;
}

bool IsQName(std::string_view s) {
  const std::size_t colon = s.find(':');
  if (colon == std::string_view::npos) return IsNcName(s);
  return IsNcName(s.substr(0, colon)) && IsNcName(s.substr(colon + 1));
}

void AppendUtf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

RefResult DecodeReferences(std::string_view raw, std::string& out, bool* changed,
                           std::size_t* error_offset) {
  std::size_t amp = raw.find('&');
  *changed = amp != std::string_view::npos;
  if (!*changed) return RefResult::kOk;
  out.clear();
  out.reserve(raw.size());
  std::size_t done = 0;
  while (amp != std::string_view::npos) {
    out.append(raw.substr(done, amp - done));
    const std::size_t semi = raw.find(';', amp + 1);
    if (semi == std::string_view::npos) {
      *error_offset = amp;
      return RefResult::kBadReference;
    }
    const std::string_view body = raw.substr(amp + 1, semi - amp - 1);
    if (body == "lt") {
      out += '<';
    } else if (body == "gt") {
      out += '>';
    } else if (body == "amp") {
      out += '&';
    } else if (body == "apos") {
      out += '\'';
    } else if (body == "quot") {
      out += '"';
    } else {
      char32_t cp = 0;
      if (body.empty() || body[0] != '#' || !ParseCharRef(body.substr(1), &cp)) {
        *error_offset = amp;
        return RefResult::kBadReference;
      }
      AppendUtf8(cp, out);
    }
    done = semi + 1;
    amp = raw.find('&', done);
  }
  out.append(raw.substr(done));
  return RefResult::kOk;
}

}  // namespace claimgate::xml::internal
