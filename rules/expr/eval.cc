// Evaluation of a typed AST. Null semantics (README "Null semantics"):
// - user.<name> that the IdP did not send (or sent with no value) is null;
// - in a string position an attribute with one value is that value, with several it is the
//   error rules.multiple_values (never a silent first value);
// - String.* functions return null for a null input; String.join skips nulls and empties;
// - '+' and templates render null as the empty string; a template whose every ${...} part is
//   null is itself null;
// - null == null is true; null == "x" is false; Arrays.* treat null as the empty list.
#include <string>

#include "rules/expr/expr.h"

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

class Evaluator {
 public:
  explicit Evaluator(Env& env) : env_(env) {}

  Value Eval(const Node& n) {
    if (!env_.status.ok()) return Null();
    switch (n.op) {
      case Op::kStr: return View(n.text);
      case Op::kNull: return Null();
      case Op::kTrue: return Bool(true);
      case Op::kFalse: return Bool(false);
      case Op::kNameId: return View(env_.claims->subject);
      case Op::kNameIdFormat: return View(env_.claims->subject_format);
      case Op::kAttr: return Attr(n);
      case Op::kNot: return Bool(!Eval(n.kids[0]).b);
      case Op::kAnd: return Bool(Eval(n.kids[0]).b && Eval(n.kids[1]).b);
      case Op::kOr: return Bool(Eval(n.kids[0]).b || Eval(n.kids[1]).b);
      case Op::kCond: return Eval(n.kids[0]).b ? Eval(n.kids[1]) : Eval(n.kids[2]);
      case Op::kEq:
      case Op::kNe: return Compare(n);
      case Op::kConcat:
      case Op::kTemplate: return Concat(n);
      case Op::kJoin: return Join(n);
      case Op::kArrContains:
      case Op::kArrEmpty: return ArrayFn(n);
      default: return StringFn(n);
    }
  }

  // A value in a string position: attribute lists collapse to their single value or null.
  Value AsString(Value v) {
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
      Fail(errors::kRulesGroupsOverflow, "user." + n.ref.name +
                                             " is unknown: the IdP left the groups claim out");
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

  Value Str(const Node& n) { return AsString(Eval(n)); }

  Value Compare(const Node& n) {
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
      return Owned(at == std::string_view::npos ? std::string() : std::string(s.substr(at +
                                                                                   a.size())));
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

  Env& env_;
};

}  // namespace

Value Eval(const Expr& e, Env& env) {
  Evaluator ev(env);
  Value v = ev.Eval(e.root);
  if (!env.status.ok()) return Value{};
  return v;
}

}  // namespace claimgate::rules::expr
