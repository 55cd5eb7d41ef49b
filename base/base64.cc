#include "base/base64.h"

#include <array>
#include <cstdint>

namespace claimgate {

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// 0..63 for alphabet characters, kSkip for XML whitespace, kPad for '=', kBad otherwise.
constexpr uint8_t kBad = 0xFF, kSkip = 0xFE, kPad = 0xFD;

constexpr std::array<uint8_t, 256> MakeTable() {
  std::array<uint8_t, 256> t{};
  for (auto& v : t) v = kBad;
  for (uint8_t i = 0; i < 64; ++i) t[static_cast<unsigned char>(kAlphabet[i])] = i;
  t[' '] = t['\t'] = t['\r'] = t['\n'] = kSkip;
  t['='] = kPad;
  return t;
}
constexpr std::array<uint8_t, 256> kTable = MakeTable();

}  // namespace

std::optional<std::string> DecodeBase64(std::string_view text) {
  std::string out;
  out.reserve(text.size() / 4 * 3);
  uint32_t acc = 0;
  int n = 0;        // sextets in the current quantum
  int padding = 0;  // '=' seen; only whitespace may follow the quantum they close
  for (const char c : text) {
    const uint8_t v = kTable[static_cast<unsigned char>(c)];
    if (v == kSkip) continue;
    if (v == kBad) return std::nullopt;
    if (v == kPad) {
      if (n < 2 || n + padding >= 4) return std::nullopt;
      ++padding;
      if (n + padding == 4) {
        // "xx==" carries one byte, "xxx=" two; the unused low bits must be zero.
        if (n == 2) {
          if (acc & 0xF) return std::nullopt;
          out.push_back(static_cast<char>((acc >> 4) & 0xFF));
        } else {
          if (acc & 0x3) return std::nullopt;
          out.push_back(static_cast<char>((acc >> 10) & 0xFF));
          out.push_back(static_cast<char>((acc >> 2) & 0xFF));
        }
        n = 4;  // the quantum is closed; nothing but whitespace may follow
      }
      continue;
    }
    if (padding > 0) return std::nullopt;  // data after padding
    acc = (acc << 6) | v;
    if (++n == 4) {
      out.push_back(static_cast<char>((acc >> 16) & 0xFF));
      out.push_back(static_cast<char>((acc >> 8) & 0xFF));
      out.push_back(static_cast<char>(acc & 0xFF));
      acc = 0;
      n = 0;
    }
  }
  if (padding > 0) return n == 4 ? std::optional<std::string>(std::move(out)) : std::nullopt;
  if (n != 0) return std::nullopt;  // missing padding
  return out;
}

std::string EncodeBase64(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t v = (static_cast<uint8_t>(bytes[i]) << 16) |
                       (static_cast<uint8_t>(bytes[i + 1]) << 8) |
                       static_cast<uint8_t>(bytes[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t v = static_cast<uint8_t>(bytes[i]) << 16;
    if (rest == 2) v |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace claimgate
