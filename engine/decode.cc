#include "engine/decode.h"

#include <optional>

#include "base/base64.h"
#include "base/utf8.h"

namespace claimgate {

namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

bool IsXmlSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view StripBom(std::string_view s) {
  if (s.substr(0, kUtf8Bom.size()) == kUtf8Bom) s.remove_prefix(kUtf8Bom.size());
  return s;
}

// UTF-16/32 byte-order marks: a document in those encodings is refused, never re-interpreted
// (SECURITY.md D11).
bool HasForeignBom(std::string_view s) {
  auto starts = [&](std::string_view p) { return s.substr(0, p.size()) == p; };
  return starts("\xFE\xFF") || starts("\xFF\xFE") || starts(std::string_view("\0\0\xFE\xFF", 4));
}

Status CheckXmlText(std::string_view xml) {
  if (HasForeignBom(xml)) {
    return Status::Error(errors::kInputBadUtf8,
                         "the document starts with a UTF-16/32 byte-order "
                         "mark; only UTF-8 is accepted");
  }
  std::size_t bad = 0;
  if (!IsStrictUtf8(xml, &bad)) {
    return Status::Error(errors::kInputBadUtf8,
                         "the document is not strict UTF-8 at byte " + std::to_string(bad));
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> Decode(std::string_view raw, const DecodeLimits& limits) {
  if (raw.size() > limits.max_input_bytes) {
    return Status::Error(errors::kInputTooLarge, "the input has " + std::to_string(raw.size()) +
                                                     " bytes; the cap is " +
                                                     std::to_string(limits.max_input_bytes));
  }
  if (HasForeignBom(raw)) {
    return Status::Error(errors::kInputBadUtf8,
                         "the input starts with a UTF-16/32 byte-order "
                         "mark; only UTF-8 is accepted");
  }
  std::string_view body = StripBom(raw);
  std::size_t first = 0;
  while (first < body.size() && IsXmlSpace(body[first])) ++first;
  if (first == body.size()) return Status::Error(errors::kInputEmpty, "the input is empty");

  if (body[first] == '<') {  // raw XML
    if (Status s = CheckXmlText(body); !s.ok()) return s;
    return std::string(body);
  }

  std::optional<std::string> xml = DecodeBase64(body);
  if (!xml) {
    return Status::Error(errors::kInputBadBase64,
                         "the input is neither XML (it does not start with '<') nor strict "
                         "base64");
  }
  std::string_view decoded = StripBom(*xml);
  std::size_t lead = 0;
  while (lead < decoded.size() && IsXmlSpace(decoded[lead])) ++lead;
  if (lead == decoded.size())
    return Status::Error(errors::kInputEmpty, "the decoded input is empty");
  if (Status s = CheckXmlText(decoded); !s.ok()) return s;
  if (decoded.size() != xml->size()) return std::string(decoded);
  return std::move(*xml);
}

}  // namespace claimgate
