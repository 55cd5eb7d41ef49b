// Value transforms and value matchers. The only file of rules/ that runs std::regex on IdP
// values, so the only one that catches its exceptions (STYLE C4): libstdc++'s regex engine
// recurses, so inputs are capped at kMaxRegexInputBytes before matching.
#include <cctype>
#include <regex>
#include <string>

#include "rules/spec_internal.h"

namespace claimgate::rules {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
                              c == '\v'; }

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

Status RegexReplace(const Transform& t, std::string& v) {
  if (v.size() > kMaxRegexInputBytes) {
    return Status::Error(errors::kRulesValueTooLong, "a value longer than 4096 bytes reached "
                         "the regex transform " + t.label);
  }
  try {
    std::string out;
    auto begin = v.cbegin();
    std::smatch m;
    bool any = false;
    // Every non-overlapping match, left to right; an empty match advances one character.
    while (std::regex_search(begin, v.cend(), m, *t.re,
                             any ? std::regex_constants::match_prev_avail
                                 : std::regex_constants::match_default)) {
      any = true;
      out.append(begin, m[0].first);
      out.append(ExpandGroups(t.replacement, m));
      begin = m[0].second;
      if (m[0].length() == 0) {
        if (begin == v.cend()) break;
        out.push_back(*begin++);
      }
    }
    out.append(begin, v.cend());
    v = std::move(out);
  } catch (const std::regex_error&) {
    return Status::Error(errors::kRulesRegexFailed, "the regex engine gave up in " + t.label);
  }
  return Status::Ok();
}

}  // namespace

std::string ExpandGroups(const std::string& pattern, const std::smatch& m) {
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
      out.append(m[0].str());
      ++i;
    } else if (n >= '1' && n <= '9') {
      const std::size_t g = static_cast<std::size_t>(n - '0');
      if (g < m.size()) out.append(m[g].str());
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

Status ApplyTransforms(const std::vector<Transform>& ts, std::string& v) {
  for (const Transform& t : ts) {
    switch (t.kind) {
      case Transform::Kind::kTrim: Trim(v); break;
      case Transform::Kind::kLower:
        for (char& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        break;
      case Transform::Kind::kUpper:
        for (char& c : v) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        break;
      case Transform::Kind::kCollapseSpaces: CollapseSpaces(v); break;
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

bool Matcher::Matches(const std::string& value, Status* status, std::smatch* groups) const {
  switch (kind) {
    case Kind::kExact: return value == key;
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
    case Kind::kRegex:
      if (value.size() > kMaxRegexInputBytes) {
        if (status->ok()) {
          *status = Status::Error(errors::kRulesValueTooLong,
                                  "a value longer than 4096 bytes reached the regex " + key);
        }
        return false;
      }
      try {
        if (groups != nullptr) return std::regex_match(value, *groups, *re);
        return std::regex_match(value, *re);
      } catch (const std::regex_error&) {
        if (status->ok()) {
          *status = Status::Error(errors::kRulesRegexFailed, "the regex engine gave up on " + key);
        }
        return false;
      }
  }
  return false;
}

}  // namespace claimgate::rules
