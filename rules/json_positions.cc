// Where each value of a rule document starts, so a problem found after nlohmann parsed the
// document can still name LINE:COL. Also runs on text nlohmann gave up on at an out-of-range
// number, whose rest may be malformed ("[1e999}"): every step consumes a byte or stops at a
// closing bracket, so the walk always ends. Nesting deeper than kMaxDepth is skipped without
// recursion.
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
    while (i_ < t_.size() &&
           std::string_view(",]} \t\r\n").find(t_[i_]) == std::string_view::npos) {
      ++i_;
    }
  }

 private:
  void Ws() {
    while (i_ < t_.size() &&
           (t_[i_] == ' ' || t_[i_] == '\t' || t_[i_] == '\n' || t_[i_] == '\r')) {
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
      if (i_ >= t_.size() || t_[i_] == '}' || t_[i_] == ']') break;
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
      if (i_ >= t_.size() || t_[i_] == ']' || t_[i_] == '}') break;
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
        if (c == '\\')
          ++i_;
        else if (c == '"')
          in_string = false;
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

// A SAX pass that only follows the JSON path, to name where nlohmann gave up (a number out of
// range parses as valid JSON text but fails as a value: 1e999).
class PathTracker {
 public:
  using Str = Json::string_t;
  bool null() { return Scalar(); }
  bool boolean(bool) { return Scalar(); }
  bool number_integer(Json::number_integer_t) { return Scalar(); }
  bool number_unsigned(Json::number_unsigned_t) { return Scalar(); }
  bool number_float(Json::number_float_t, const Str&) { return Scalar(); }
  bool string(Str&) { return Scalar(); }
  bool binary(Json::binary_t&) { return Scalar(); }
  bool start_object(std::size_t) { return Open(false); }
  bool start_array(std::size_t) { return Open(true); }
  bool key(Str& k) {
    frames_.back().key = k;
    return true;
  }
  bool end_object() { return Close(); }
  bool end_array() { return Close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
    failed_at_ = Current();
    return false;
  }
  const std::string& failed_at() const { return failed_at_; }

 private:
  struct Frame {
    bool array = false;
    std::size_t index = 0;
    std::string key;
    std::string path;
  };
  std::string Current() const {
    if (frames_.empty()) return "$";
    const Frame& f = frames_.back();
    return f.array ? IndexPath(f.path, f.index) : JoinPath(f.path, f.key);
  }
  bool Scalar() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
    return true;
  }
  bool Open(bool array) {
    frames_.push_back(Frame{array, 0, "", Current()});
    return true;
  }
  bool Close() {
    frames_.pop_back();
    return Scalar();
  }
  std::vector<Frame> frames_;
  std::string failed_at_ = "$";
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

bool ParseJsonText(std::string_view text, Json* out, Problem* problem) {
  try {
    *out = Json::parse(text.begin(), text.end());
    return true;
  } catch (const Json::parse_error& e) {
    *problem = Problem{&errors::kRulesJsonSyntax, "$", 0, 0, ""};
    LineColumn(text, e.byte > 0 ? e.byte - 1 : 0, &problem->line, &problem->column);
    std::string what = e.what();
    const std::size_t cut = what.find("syntax error ");
    problem->message = "invalid JSON: " + (cut == std::string::npos ? what : what.substr(cut));
  } catch (const Json::exception& e) {  // out_of_range: a number beyond a double (1e999)
    PathTracker tracker;
    Json::sax_parse(text.begin(), text.end(), &tracker);
    *problem = Problem{&errors::kRulesJsonSyntax, tracker.failed_at(), 0, 0,
                       "a number out of range (beyond a double)"};
    const Positions positions = IndexPositions(text);
    if (auto it = positions.offsets.find(problem->path); it != positions.offsets.end()) {
      LineColumn(text, it->second, &problem->line, &problem->column);
    }
  }
  return false;
}

std::optional<Problem> CheckJsonText(std::string_view text) {
  Json doc;
  Problem problem;
  if (!ParseJsonText(text, &doc, &problem)) return problem;
  const Positions positions = IndexPositions(text);
  if (positions.duplicate_keys.empty()) return std::nullopt;
  const auto& [path, offset] = positions.duplicate_keys.front();
  problem =
      Problem{&errors::kRulesDuplicateKey, path, 0, 0, "this key appears twice in one object"};
  LineColumn(text, offset, &problem.line, &problem.column);
  return problem;
}

Positions IndexPositions(std::string_view text) {
  Positions p;
  Walker(text, &p).Value("$", 0);
  return p;
}

}  // namespace claimgate::rules
