#include "crypto/pem.h"

#include <optional>

#include "base/base64.h"

namespace claimgate::crypto {

namespace {

constexpr std::string_view kBegin = "-----BEGIN ";
constexpr std::string_view kDashes = "-----";

}  // namespace

bool LooksLikePem(std::string_view text) { return text.find(kBegin) != std::string_view::npos; }

Result<std::vector<PemBlock>> ReadPem(std::string_view text, std::string_view label,
                                      const ErrorCode& code) {
  std::vector<PemBlock> blocks;
  std::size_t pos = 0;
  while (true) {
    const std::size_t begin = text.find(kBegin, pos);
    if (begin == std::string_view::npos) break;
    const std::size_t label_end = text.find(kDashes, begin + kBegin.size());
    if (label_end == std::string_view::npos) break;
    PemBlock block;
    block.label =
        std::string(text.substr(begin + kBegin.size(), label_end - begin - kBegin.size()));
    const std::string end_marker = "-----END " + block.label + "-----";
    const std::size_t body = label_end + kDashes.size();
    const std::size_t end = text.find(end_marker, body);
    if (end == std::string_view::npos) {
      return Status::Error(code,
                           std::string(label) + ": PEM block '" + block.label + "' is not closed");
    }
    std::optional<std::string> der = DecodeBase64(text.substr(body, end - body));
    if (!der) {
      return Status::Error(code,
                           std::string(label) + ": PEM block '" + block.label + "' is not base64");
    }
    block.der = std::move(*der);
    blocks.push_back(std::move(block));
    pos = end + end_marker.size();
  }
  return blocks;
}

}  // namespace claimgate::crypto
