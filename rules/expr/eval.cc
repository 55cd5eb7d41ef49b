// Evaluation of a typed AST. Null semantics (README "Null semantics"):
// - user.<name> that the IdP did not send (or sent with no value) is null;
// - in a string position an attribute with one value is that value, with several it is the
//   error rules.multiple_values (never a silent first value);
// - String.* functions return null for a null input; String.join skips nulls and empties;
// - '+' and templates render null as the empty string; a template whose every ${...} part is
//   null is itself null;
// - null == null is true; null == "x" is false; Arrays.* treat null as the empty list;
// - numbers: a string compared with a number, or ordered with <, <=, >, >=, is read as a
//   decimal number; one that is not a number is unequal to every number and, ordered, the error
//   rules.not_a_number; null orders before every number (as SpEL, Okta's base).
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

#include "rules/expr/expr.h"
#include "rules/spec_internal.h"  // kMaxRegexInputBytes

namespace claimgate::rules::expr {
namespace {

Value Null() { return Value{}; }
Value Bool(bool b) {
  Value v;
  v.type = Type::kBool;
  v.b = b;
  return v;
}
Value View(std::string_view s) {
  Value v;
  v.type = Type::kString;
  v.view = s;
  return v;
}
Value Owned(std::string s) {
  Value v;
  v.type = Type::kString;
  v.owned = true;
  v.own = std::move(s);
  return v;
}
Value Number(double d) {
  Value v;
  v.type = Type::kNumber;
  v.num = d;
  return v;
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xc0) == 0x80; }

// Characters (code points) of a UTF-8 string.
std::size_t CodePoints(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += IsContinuation(c) ? 0 : 1;
  return n;
}

// The byte offset of code point `i` (clamped to the end).
std::size_t ByteOffset(std::string_view s, std::size_t i) {
  std::size_t at = 0;
  for (; at < s.size(); ++at) {
    if (IsContinuation(s[at])) continue;
    if (i == 0) return at;
    --i;
  }
  return s.size();
}

// A substring index: truncated toward zero (as Java's int conversion), clamped to [0, len].
std::size_t ClampIndex(double d, std::size_t len) {
  if (!(d > 0)) return 0;  // also NaN
  if (d >= static_cast<double>(len)) return len;
  return static_cast<std::size_t>(d);
}

// Quotes at most 40 bytes of an IdP value for a message, never cutting a character.
std::string Quoted(std::string_view v) {
  if (v.size() <= 40) return "'" + std::string(v) + "'";
  std::size_t cut = 40;
  while (cut > 0 && IsContinuation(v[cut])) --cut;
  return "'" + std::string(v.substr(0, cut)) + "...'";
}

class Evaluator {
 public:
  explicit Evaluator(Env& env) : env_(env) {}

  Value Eval(const Node& n) {
    if (!env_.status.ok()) return Null();
    switch (n.op) {
      case Op::kStr:
        return View(n.text);
      case Op::kNull:
        return Null();
      case Op::kTrue:
        return Bool(true);
      case Op::kFalse:
        return Bool(false);
      case Op::kNameId:
        return View(env_.claims->subject);
      case Op::kNameIdFormat:
        return View(env_.claims->subject_format);
      case Op::kNum:
        return Number(n.num);
      case Op::kAttr:
        return Attr(n);
      case Op::kWorker:
        return WorkerAttr(n);
      case Op::kNot:
        return Bool(!Eval(n.kids[0]).b);
      case Op::kNeg:
        return Number(-Eval(n.kids[0]).num);
      case Op::kAdd:
        return Number(Eval(n.kids[0]).num + Eval(n.kids[1]).num);
      case Op::kSub:
        return Number(Eval(n.kids[0]).num - Eval(n.kids[1]).num);
      case Op::kAnd:
        return Bool(Eval(n.kids[0]).b && Eval(n.kids[1]).b);
      case Op::kOr:
        return Bool(Eval(n.kids[0]).b || Eval(n.kids[1]).b);
      case Op::kCond:
        return Eval(n.kids[0]).b ? Eval(n.kids[1]) : Eval(n.kids[2]);
      case Op::kEq:
      case Op::kNe:
        return Compare(n);
      case Op::kLt:
      case Op::kLe:
      case Op::kGt:
      case Op::kGe:
        return Order(n);
      case Op::kConcat:
      case Op::kTemplate:
        return Concat(n);
      case Op::kJoin:
        return Join(n);
      case Op::kArrContains:
      case Op::kArrEmpty:
      case Op::kArrSize:
      case Op::kCsv:
        return ArrayFn(n);
      case Op::kLen:
      case Op::kSubstring:
      case Op::kSwitch:
      case Op::kStartsWith:
      case Op::kEndsWith:
      case Op::kMatches:
      case Op::kTrim:
        return MoreStringFn(n);
      default:
        return StringFn(n);
    }
  }

  // A value in a string position: attribute lists collapse to their single value or null;
  // numbers render as text.
  Value AsString(Value v) {
    if (v.type == Type::kNumber) return Owned(FormatNumber(v.num));
    if (v.type != Type::kList) return v;
    if (v.list->empty()) return Null();
    if (v.list->size() == 1) return View(v.list->front());
    Fail(errors::kRulesMultipleValues, "an attribute with " + std::to_string(v.list->size()) +
                                           " values was used where one string is expected");
    return Null();
  }

 private:
  void Fail(const ErrorCode& code, std::string msg) {
    if (env_.status.ok()) env_.status = Status::Error(code, std::move(msg));
  }

  Value Attr(const Node& n) {
    if (env_.groups_overflow && IsGroupsRef(n.ref)) {
      Fail(errors::kRulesGroupsOverflow,
           "user." + n.ref.name + " is unknown: the IdP left the groups claim out");
      return Null();
    }
    Match m;
    Status s = FindAttribute(*env_.claims, n.ref, &m);
    if (!s.ok()) {
      if (env_.status.ok()) env_.status = std::move(s);
      return Null();
    }
    if (m.attr == nullptr) return Null();
    Value v;
    v.type = Type::kList;
    v.list = &m.attr->values;
    return v;
  }

  Value WorkerAttr(const Node& n) {
    if (env_.worker == nullptr || n.index >= env_.worker->size()) return Null();
    const std::vector<std::string>& values = (*env_.worker)[n.index].values;
    if (values.empty()) return Null();
    Value v;
    v.type = Type::kList;
    v.list = &values;
    return v;
  }

  Value Str(const Node& n) { return AsString(Eval(n)); }

  // The number a node stands for: a number, or a string read as one. *is_null when null;
  // false when the string is not a number (*text then holds it).
  bool Num(const Node& n, double* out, bool* is_null, std::string* text) {
    *is_null = false;
    const Value v = Eval(n);
    if (v.type == Type::kNumber) {
      *out = v.num;
      return true;
    }
    const Value s = AsString(v);
    if (s.type == Type::kNull) {
      *is_null = true;
      return true;
    }
    if (ParseNumber(s.str(), out)) return true;
    text->assign(s.str());
    return false;
  }

  // <, <=, >, >=. Null orders before every number and equals null (SpEL's comparator).
  Value Order(const Node& n) {
    double a = 0, b = 0;
    bool a_null = false, b_null = false;
    std::string bad;
    if (!Num(n.kids[0], &a, &a_null, &bad) || !Num(n.kids[1], &b, &b_null, &bad)) {
      Fail(errors::kRulesNotANumber, Quoted(bad) + " is not a number, so it cannot be ordered");
      return Bool(false);
    }
    int cmp;
    if (a_null || b_null)
      cmp = a_null == b_null ? 0 : a_null ? -1 : 1;
    else
      cmp = a < b ? -1 : a > b ? 1 : 0;
    switch (n.op) {
      case Op::kLt:
        return Bool(cmp < 0);
      case Op::kLe:
        return Bool(cmp <= 0);
      case Op::kGt:
        return Bool(cmp > 0);
      default:
        return Bool(cmp >= 0);
    }
  }

  // == and != where one side is a number: numeric equality; null or a string that is not a
  // number equals no number.
  Value CompareNumbers(const Node& n) {
    double a = 0, b = 0;
    bool a_null = false, b_null = false;
    std::string bad;
    const bool ok = Num(n.kids[0], &a, &a_null, &bad) && Num(n.kids[1], &b, &b_null, &bad);
    const bool eq = ok && !a_null && !b_null && a == b;
    return Bool(n.op == Op::kEq ? eq : !eq);
  }

  Value Compare(const Node& n) {
    if (n.kids[0].type == Type::kNumber || n.kids[1].type == Type::kNumber) {
      return CompareNumbers(n);
    }
    const Value a = Str(n.kids[0]);
    const Value b = Str(n.kids[1]);
    bool eq;
    if (a.type == Type::kBool || b.type == Type::kBool) {
      eq = a.b == b.b;
    } else if (a.type == Type::kNull || b.type == Type::kNull) {
      eq = a.type == b.type;
    } else {
      eq = a.str() == b.str();
    }
    return Bool(n.op == Op::kEq ? eq : !eq);
  }

  Value Concat(const Node& n) {
    std::string out;
    bool any = n.op == Op::kConcat;  // '+' always yields a string
    for (const Node& k : n.kids) {
      const Value v = Str(k);
      if (v.type == Type::kNull) continue;
      if (k.op != Op::kStr) any = true;
      out.append(v.str());
    }
    if (!any && n.kids.size() > 1) return Null();  // template whose every part is null
    if (!any && n.kids.size() == 1 && n.kids[0].op != Op::kStr) return Null();
    return Owned(std::move(out));
  }

  Value Join(const Node& n) {
    const Value sep = Str(n.kids[0]);
    std::string out;
    bool first = true;
    auto add = [&](std::string_view s) {
      if (s.empty()) return;
      if (!first) out.append(sep.str());
      out.append(s);
      first = false;
    };
    for (std::size_t i = 1; i < n.kids.size(); ++i) {
      const Value v = Eval(n.kids[i]);
      if (v.type == Type::kList) {
        for (const std::string& s : *v.list) add(s);
      } else if (v.type == Type::kString) {
        add(v.str());
      }
    }
    return Owned(std::move(out));
  }

  Value ArrayFn(const Node& n) {
    const Value list = Eval(n.kids[0]);
    auto each = [&](auto&& fn) {
      if (list.type == Type::kList) {
        for (const std::string& s : *list.list) {
          if (fn(std::string_view(s))) return true;
        }
      } else if (list.type == Type::kString) {
        return static_cast<bool>(fn(list.str()));
      }
      return false;
    };
    if (n.op == Op::kArrEmpty) return Bool(!each([](std::string_view) { return true; }));
    if (n.op == Op::kArrSize) {
      return Number(list.type == Type::kList     ? static_cast<double>(list.list->size())
                    : list.type == Type::kString ? 1.0
                                                 : 0.0);
    }
    if (n.op == Op::kCsv) {
      if (list.type == Type::kNull) return Null();
      std::string out;
      bool first = true;
      each([&](std::string_view s) {
        if (!first) out.push_back(',');
        out.append(s);
        first = false;
        return false;
      });
      return Owned(std::move(out));
    }
    const Value needle = Str(n.kids[1]);
    if (needle.type == Type::kNull) return Bool(false);
    return Bool(each([&](std::string_view s) { return s == needle.str(); }));
  }

  Value StringFn(const Node& n) {
    const Value in = Str(n.kids[0]);
    if (in.type == Type::kNull) return n.op == Op::kContains ? Bool(false) : Null();
    const std::string_view s = in.str();
    if (n.op == Op::kLower || n.op == Op::kUpper) {
      std::string out(s);
      for (char& c : out) {
        if (n.op == Op::kLower && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (n.op == Op::kUpper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      }
      return Owned(std::move(out));
    }
    const Value arg = Str(n.kids[1]);
    const std::string_view a = arg.type == Type::kNull ? std::string_view() : arg.str();
    if (n.op == Op::kContains) return Bool(s.find(a) != std::string_view::npos);
    if (n.op == Op::kBefore || n.op == Op::kAfter) {
      // As Apache StringUtils (Okta): separator absent -> before gives all, after gives "".
      const std::size_t at = a.empty() ? std::string_view::npos : s.find(a);
      if (n.op == Op::kBefore) return Owned(std::string(s.substr(0, at)));
      return Owned(at == std::string_view::npos ? std::string()
                                                : std::string(s.substr(at + a.size())));
    }
    // kReplace: every literal occurrence, left to right, non-overlapping.
    const Value with = Str(n.kids[2]);
    const std::string_view w = with.type == Type::kNull ? std::string_view() : with.str();
    if (a.empty()) return Owned(std::string(s));
    std::string out;
    std::size_t pos = 0;
    for (std::size_t at = s.find(a); at != std::string_view::npos; at = s.find(a, pos)) {
      out.append(s.substr(pos, at - pos)).append(w);
      pos = at + a.size();
    }
    out.append(s.substr(pos));
    return Owned(std::move(out));
  }

  // len, substring, stringSwitch, startsWith, endsWith, matches, trim.
  Value MoreStringFn(const Node& n) {
    const Value in = Str(n.kids[0]);
    if (n.op == Op::kLen) {
      return Number(in.type == Type::kNull ? 0.0 : static_cast<double>(CodePoints(in.str())));
    }
    if (n.op == Op::kSwitch) return Switch(n, in);
    const bool predicate = n.op == Op::kStartsWith || n.op == Op::kEndsWith || n.op == Op::kMatches;
    if (in.type == Type::kNull) return predicate ? Bool(false) : Null();
    const std::string_view s = in.str();
    if (n.op == Op::kTrim) {
      std::size_t b = 0, e = s.size();
      while (b < e && IsSpace(s[b])) ++b;
      while (e > b && IsSpace(s[e - 1])) --e;
      return Owned(std::string(s.substr(b, e - b)));
    }
    if (n.op == Op::kSubstring) {
      const std::size_t len = CodePoints(s);
      const std::size_t from = ClampIndex(Eval(n.kids[1]).num, len);
      const std::size_t to = ClampIndex(Eval(n.kids[2]).num, len);
      if (to <= from) return Owned(std::string());
      const std::size_t b = ByteOffset(s, from);
      return Owned(std::string(s.substr(b, ByteOffset(s, to) - b)));
    }
    if (n.op == Op::kMatches) {
      if (s.size() > kMaxRegexInputBytes) {
        Fail(errors::kRulesValueTooLong, "a value longer than 4096 bytes reached String.matches");
        return Bool(false);
      }
      return Bool(re2::RE2::FullMatch(re2::StringPiece(s.data(), s.size()), *n.re));
    }
    const Value arg = Str(n.kids[1]);
    const std::string_view a = arg.type == Type::kNull ? std::string_view() : arg.str();
    if (n.op == Op::kStartsWith) return Bool(s.substr(0, a.size()) == a);
    return Bool(s.size() >= a.size() && s.substr(s.size() - a.size()) == a);  // kEndsWith
  }

  // String.stringSwitch(input, default, key, value, ...): the first key contained in the
  // input gives its value; a null key is skipped.
  Value Switch(const Node& n, const Value& in) {
    if (in.type != Type::kNull) {
      for (std::size_t i = 2; i + 1 < n.kids.size(); i += 2) {
        const Value key = Str(n.kids[i]);
        if (key.type == Type::kNull) continue;
        if (in.str().find(key.str()) != std::string_view::npos) return Str(n.kids[i + 1]);
      }
    }
    return Str(n.kids[1]);
  }

  Env& env_;
};

}  // namespace

std::string FormatNumber(double d) {
  if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 1e15) {
    return std::to_string(static_cast<long long>(d));
  }
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.15g", d);
  return buf;
}

bool ParseNumber(std::string_view s, double* out) {
  std::size_t i = s.empty() || s[0] != '-' ? 0 : 1;
  const std::size_t digits = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == digits) return false;
  if (i < s.size() && s[i] == '.') {
    const std::size_t frac = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == frac) return false;
  }
  if (i != s.size()) return false;
  const std::from_chars_result r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && std::isfinite(*out);
}

Value Eval(const Expr& e, Env& env) {
  Evaluator ev(env);
  Value v = ev.Eval(e.root);
  if (!env.status.ok()) return Value{};
  return v;
}

}  // namespace claimgate::rules::expr
