#include "server/cookies.h"

#include "base/hex.h"

namespace claimgate::server {

namespace {

constexpr std::string_view kBindingCookie = "claimgate_authn_";

// The path of an absolute URL ("/" when it has none): the cookie goes to the ACS only.
std::string UrlPath(const std::string& url) {
  const std::size_t scheme = url.find("://");
  const std::size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (slash == std::string::npos) return "/";
  return url.substr(slash, url.find_first_of("?#", slash) - slash);
}

std::string CookieAttributes(const pipeline::ConnectionConfig& config, long long max_age) {
  const bool https = config.acs_url.rfind("https://", 0) == 0;
  return "; Path=" + UrlPath(config.acs_url) + "; Max-Age=" + std::to_string(max_age) +
         "; HttpOnly" + (https ? "; SameSite=None; Secure" : "; SameSite=Lax");
}

}  // namespace

std::string BindingCookie(const pipeline::ConnectionConfig& config, const std::string& request_id,
                          const std::string& nonce, std::chrono::seconds lifetime) {
  return std::string(kBindingCookie) + request_id + "=" + nonce +
         CookieAttributes(config, lifetime.count());
}

std::string ClearBindingCookie(const pipeline::ConnectionConfig& config,
                               const std::string& request_id) {
  return std::string(kBindingCookie) + request_id + "=" + CookieAttributes(config, 0);
}

std::map<std::string, std::string> BindingNonces(std::string_view header) {
  std::map<std::string, std::string> out;
  std::size_t pos = 0;
  while (pos < header.size() && out.size() < 16) {
    std::size_t end = header.find(';', pos);
    if (end == std::string_view::npos) end = header.size();
    std::string_view pair = header.substr(pos, end - pos);
    pos = end + 1;
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    while (!pair.empty() && pair.back() == ' ') pair.remove_suffix(1);
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos || pair.substr(0, kBindingCookie.size()) != kBindingCookie) {
      continue;
    }
    const std::string_view id = pair.substr(kBindingCookie.size(), eq - kBindingCookie.size());
    const std::string_view nonce = pair.substr(eq + 1);
    if (id.size() == 41 && id[0] == '_' && IsLowerHex(id.substr(1)) && nonce.size() == 64 &&
        IsLowerHex(nonce)) {
      out.emplace(std::string(id), std::string(nonce));
    }
  }
  return out;
}

}  // namespace claimgate::server
