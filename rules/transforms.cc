// Value transforms and value matchers: the only file of rules/ that runs regexes on IdP values.
// RE2 (an automaton, no backtracking) runs in time linear in the value whatever the pattern, so
// a user who sets their own displayName cannot pin a server thread with a crafted value (ReDoS).
// Values are still capped at kMaxRegexInputBytes.
#include <algorithm>
#include <cctype>
#include <string>

#include "rules/spec_internal.h"

namespace claimgate::rules {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

void Trim(std::string& v) {
  std::size_t b = 0, e = v.size();
  while (b < e && IsSpace(v[b])) ++b;
  while (e > b && IsSpace(v[e - 1])) --e;
  v = v.substr(b, e - b);
}

void CollapseSpaces(std::string& v) {
  std::string out;
  out.reserve(v.size());
  bool in_space = false;
  for (char c : v) {
    if (IsSpace(c)) {
      in_space = true;
      continue;
    }
    if (in_space && !out.empty()) out.push_back(' ');
    in_space = false;
    out.push_back(c);
  }
  v = std::move(out);
}

// The length of the UTF-8 sequence that starts with `lead` (1 for a stray byte).
std::size_t Utf8Length(unsigned char lead) {
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  if (lead >= 0xc0) return 2;
  return 1;
}

// Runs `re` at `from` (unanchored); fills `m` and returns the match's [begin, end) in `text`.
bool Find(const re2::RE2& re, const std::string& text, std::size_t from, Captures& m,
          std::size_t* begin, std::size_t* end) {
  const int n = re.NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> sub(static_cast<std::size_t>(n));
  if (!re.Match(text, from, text.size(), re2::RE2::UNANCHORED, sub.data(), n)) return false;
  m.assign(sub.size(), std::string());
  for (std::size_t i = 0; i < sub.size(); ++i) {
    if (sub[i].data() != nullptr) m[i].assign(sub[i].data(), sub[i].size());
  }
  *begin = static_cast<std::size_t>(sub[0].data() - text.data());
  *end = *begin + sub[0].size();
  return true;
}

Status RegexReplace(const Transform& t, std::string& v) {
  if (v.size() > kMaxRegexInputBytes) {
    return Status::Error(errors::kRulesValueTooLong,
                         "a value longer than 4096 bytes reached "
                         "the regex transform " +
                             t.label);
  }
  std::string out;
  std::size_t pos = 0;
  Captures m;
  std::size_t begin = 0, end = 0;
  // Every non-overlapping match, left to right; an empty match advances one character.
  while (pos <= v.size() && Find(*t.re, v, pos, m, &begin, &end)) {
    out.append(v, pos, begin - pos);
    out.append(ExpandGroups(t.replacement, m));
    pos = end;
    if (begin == end) {
      if (end == v.size()) break;
      const std::size_t step =
          std::min(Utf8Length(static_cast<unsigned char>(v[end])), v.size() - end);
      out.append(v, end, step);
      pos = end + step;
    }
  }
  if (pos < v.size()) out.append(v, pos, std::string::npos);
  v = std::move(out);
  return Status::Ok();
}

}  // namespace

std::string ExpandGroups(const std::string& pattern, const Captures& m) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c != '$' || i + 1 == pattern.size()) {
      out.push_back(c);
      continue;
    }
    const char n = pattern[i + 1];
    if (n == '$') {
      out.push_back('$');
      ++i;
    } else if (n == '&') {
      out.append(m[0]);
      ++i;
    } else if (n >= '1' && n <= '9') {
      const std::size_t g = static_cast<std::size_t>(n - '0');
      if (g < m.size()) out.append(m[g]);
      ++i;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

bool LooksLikeEmail(std::string_view v) {
  const std::size_t at = v.find('@');
  if (at == std::string_view::npos || at == 0 || v.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  for (char c : v) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return false;
  }
  const std::string_view domain = v.substr(at + 1);
  const std::size_t dot = domain.find('.');
  return dot != std::string_view::npos && dot != 0 && domain.back() != '.';
}

bool LooksLikeUrl(std::string_view v) {
  std::size_t scheme = 0;
  for (std::string_view s : {"https://", "http://"}) {
    if (v.size() >= s.size() && std::equal(s.begin(), s.end(), v.begin(), [](char a, char b) {
          return a == std::tolower(static_cast<unsigned char>(b));
        })) {
      scheme = s.size();
      break;
    }
  }
  if (scheme == 0) return false;
  for (char c : v) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f || c == '\\' || c == '"' || c == '<' ||
        c == '>') {
      return false;
    }
  }
  const std::size_t end = v.find_first_of("/?#", scheme);
  const std::string_view host =
      v.substr(scheme, end == std::string_view::npos ? end : end - scheme);
  if (host.empty() || host.find('@') != std::string_view::npos) return false;
  std::size_t colon = host.rfind(':');
  if (host.front() == '[') {  // an IPv6 literal, [::1] or [::1]:8443
    const std::size_t close = host.find(']');
    if (close == std::string_view::npos || close == 1) return false;
    colon = close + 1 < host.size() ? close + 1 : std::string_view::npos;
    if (colon != std::string_view::npos && host[colon] != ':') return false;
  } else {
    const std::string_view name = host.substr(0, colon);
    if (name.empty()) return false;
    for (char c : name) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' &&
          static_cast<unsigned char>(c) < 0x80) {
        return false;
      }
    }
  }
  if (colon != std::string_view::npos) {
    const std::string_view port = host.substr(colon + 1);
    if (port.empty() || port.size() > 5) return false;
    unsigned number = 0;
    for (char c : port) {
      if (c < '0' || c > '9') return false;
      number = number * 10 + static_cast<unsigned>(c - '0');
    }
    if (number == 0 || number > 65535) return false;
  }
  return true;
}

Status ApplyTransforms(const std::vector<Transform>& ts, std::string& v) {
  for (const Transform& t : ts) {
    switch (t.kind) {
      case Transform::Kind::kTrim:
        Trim(v);
        break;
      case Transform::Kind::kLower:
        for (char& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        break;
      case Transform::Kind::kUpper:
        for (char& c : v) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        break;
      case Transform::Kind::kCollapseSpaces:
        CollapseSpaces(v);
        break;
      case Transform::Kind::kEmailLocalPart: {
        const std::size_t at = v.rfind('@');
        if (at != std::string::npos) v.resize(at);
        break;
      }
      case Transform::Kind::kRegex:
        if (Status s = RegexReplace(t, v); !s.ok()) return s;
        break;
    }
  }
  return Status::Ok();
}

bool Matcher::Matches(const std::string& value, Status* status, Captures* groups) const {
  switch (kind) {
    case Kind::kExact:
      return value == key;
    case Kind::kIgnoreCase: {
      if (value.size() != key.size()) return false;
      for (std::size_t i = 0; i < value.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(value[i])) !=
            std::tolower(static_cast<unsigned char>(key[i]))) {
          return false;
        }
      }
      return true;
    }
    case Kind::kRegex: {
      if (value.size() > kMaxRegexInputBytes) {
        if (status->ok()) {
          *status = Status::Error(errors::kRulesValueTooLong,
                                  "a value longer than 4096 bytes reached the regex " + key);
        }
        return false;
      }
      const int n = re->NumberOfCapturingGroups() + 1;
      std::vector<re2::StringPiece> sub(static_cast<std::size_t>(n));
      if (!re->Match(value, 0, value.size(), re2::RE2::ANCHOR_BOTH, sub.data(), n)) return false;
      if (groups != nullptr) {
        groups->assign(sub.size(), std::string());
        for (std::size_t g = 0; g < sub.size(); ++g) {
          if (sub[g].data() != nullptr) (*groups)[g].assign(sub[g].data(), sub[g].size());
        }
      }
      return true;
    }
  }
  return false;
}

}  // namespace claimgate::rules
