#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

// Character-level rules of XML 1.0 (fifth edition) and Namespaces in XML 1.0, shared by the
// parse validator and the readers. Internal to engine/xml.
namespace claimgate::xml::internal {

// Decodes one strict UTF-8 sequence at s[*pos] (no overlongs, no surrogates, nothing above
// U+10FFFF) and advances *pos. Returns false, leaving *pos alone, on a bad sequence.
bool DecodeUtf8(std::string_view s, std::size_t* pos, char32_t* cp);

// XML 1.0 production [2] Char.
bool IsXmlChar(char32_t cp);

// Returns the offset of the first byte that is not strict UTF-8 or not an XML Char, or npos.
// *bad_utf8 says which of the two it was.
std::size_t FindInvalidChar(std::string_view s, bool* bad_utf8);

// Namespaces in XML 1.0 [4] NCName and [7] QName (Prefix ':' LocalPart).
bool IsNcName(std::string_view s);
bool IsQName(std::string_view s);

// Appends the UTF-8 encoding of `cp` to `out`.
void AppendUtf8(char32_t cp, std::string& out);

// The outcome of decoding references in raw character data.
enum class RefResult { kOk, kBadReference };

// Decodes the references of raw text (pugixml ran without parse_escapes): only &lt; &gt; &amp;
// &apos; &quot; and &#N; / &#xH; that name an XML Char. Anything else (unknown entity, bare '&',
// missing ';', &#0;, surrogates, out of range) is kBadReference with *error_offset set.
// *changed is false when `raw` holds no reference (then `out` is left empty).
RefResult DecodeReferences(std::string_view raw, std::string& out, bool* changed,
                           std::size_t* error_offset);

// The prefix ("" when none) and the local part of a QName.
inline std::string_view PrefixOf(std::string_view qname) {
  const std::size_t colon = qname.find(':');
  return colon == std::string_view::npos ? std::string_view() : qname.substr(0, colon);
}
inline std::string_view LocalOf(std::string_view qname) {
  const std::size_t colon = qname.find(':');
  return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}

}  // namespace claimgate::xml::internal
