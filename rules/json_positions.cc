// Where each value of a rule document starts, so a problem found after nlohmann parsed the
// document can still name LINE:COL. Runs only on text nlohmann accepted, so it can assume
// well-formed JSON; nesting deeper than kMaxDepth is skipped without recursion.
#include <cctype>
#include <set>
#include <string>

#include "rules/load_internal.h"

namespace claimgate::rules {
namespace {

constexpr int kMaxDepth = 64;

class Walker {
 public:
  explicit Walker(std::string_view t, Positions* out) : t_(t), out_(out) {}

  void Value(const std::string& path, int depth) {
    Ws();
    if (i_ >= t_.size()) return;
    out_->offsets.emplace(path, i_);
    const char c = t_[i_];
    if (depth > kMaxDepth && (c == '{' || c == '[')) return SkipNested();
    if (c == '{') return Object(path, depth);
    if (c == '[') return Array(path, depth);
    if (c == '"') {
      String();
      return;
    }
    while (i_ < t_.size() && std::string_view(",]} \t\r\n").find(t_[i_]) == std::string_view::npos) {
      ++i_;
    }
  }

 private:
  void Ws() {
    while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\t' || t_[i_] == '\n' || t_[i_] == '\r')) {
      ++i_;
    }
  }

  std::string String() {
    std::string s;
    ++i_;
    while (i_ < t_.size() && t_[i_] != '"') {
      if (t_[i_] == '\\' && i_ + 1 < t_.size()) {
        const char e = t_[++i_];
        s.push_back(e == 'n' ? '\n' : e == 't' ? '\t' : e == 'u' ? '?' : e);
        if (e == 'u') i_ += 4;
        ++i_;
        continue;
      }
      s.push_back(t_[i_++]);
    }
    ++i_;
    return s;
  }

  void Object(const std::string& path, int depth) {
    ++i_;
    std::set<std::string> seen;
    for (;;) {
      Ws();
      if (i_ >= t_.size() || t_[i_] == '}') break;
      if (t_[i_] == ',') {
        ++i_;
        continue;
      }
      const std::size_t key_at = i_;
      const std::string key = String();
      const std::string child = JoinPath(path, key);
      if (!seen.insert(key).second) out_->duplicate_keys.emplace_back(child, key_at);
      Ws();
      ++i_;  // ':'
      Value(child, depth + 1);
    }
    ++i_;
  }

  void Array(const std::string& path, int depth) {
    ++i_;
    std::size_t n = 0;
    for (;;) {
      Ws();
      if (i_ >= t_.size() || t_[i_] == ']') break;
      if (t_[i_] == ',') {
        ++i_;
        continue;
      }
      Value(IndexPath(path, n++), depth + 1);
    }
    ++i_;
  }

  void SkipNested() {
    int level = 0;
    bool in_string = false;
    for (; i_ < t_.size(); ++i_) {
      const char c = t_[i_];
      if (in_string) {
        if (c == '\\') ++i_;
        else if (c == '"') in_string = false;
      } else if (c == '"') {
        in_string = true;
      } else if (c == '{' || c == '[') {
        ++level;
      } else if ((c == '}' || c == ']') && --level == 0) {
        ++i_;
        return;
      }
    }
  }

  std::string_view t_;
  std::size_t i_ = 0;
  Positions* out_;
};

bool IsPlainKey(std::string_view k) {
  if (k.empty() || std::isdigit(static_cast<unsigned char>(k[0]))) return false;
  for (char c : k) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

}  // namespace

std::string JoinPath(const std::string& base, std::string_view key) {
  if (IsPlainKey(key)) return base + "." + std::string(key);
  std::string out = base + "[\"";
  for (char c : key) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"]";
}

std::string IndexPath(const std::string& base, std::size_t i) {
  return base + "[" + std::to_string(i) + "]";
}

void LineColumn(std::string_view text, std::size_t offset, int* line, int* column) {
  *line = 1;
  *column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++*line;
      *column = 1;
    } else {
      ++*column;
    }
  }
}

Positions IndexPositions(std::string_view text) {
  Positions p;
  Walker(text, &p).Value("$", 0);
  return p;
}

}  // namespace claimgate::rules
