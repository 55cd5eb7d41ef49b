// Hand-written lexer and recursive-descent parser for the expression language. Every node
// gets its static type here, so type and name errors surface when the rules are loaded.
//
// Grammar (lowest precedence first; as Java and SpEL, ordering binds tighter than equality):
//   expr    := or ('?' expr ':' expr)?
//   or      := and (('OR' | '||') and)*
//   and     := eq (('AND' | '&&') eq)*
//   eq      := rel (('==' | '!=') rel)?
//   rel     := sum (('<' | '<=' | '>' | '>=') sum)?
//   sum     := unary (('+' | '-') unary)*
//   unary   := '!' unary | '-' unary | primary
//   primary := STRING | NUMBER | 'null' | 'true' | 'false' | '(' expr ')'
//            | 'user' '.' IDENT | 'user' '[' STRING ']' | 'worker' '.' IDENT
//            | 'worker' '[' STRING ']' | NS '.' IDENT '(' args ')'
#include <algorithm>
#include <cctype>
#include <string>
#include <utility>

#include "rules/expr/expr.h"

namespace claimgate::rules::expr {
namespace {

enum class Tok { kEnd, kIdent, kString, kNumber, kPunct, kBad };

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;
  std::size_t offset = 0;
};

bool IsStringish(Type t) { return t == Type::kString || t == Type::kAttr || t == Type::kNull; }
// What a value, a template part or an operand of '+' may be: numbers render as text.
bool IsTextual(Type t) { return IsStringish(t) || t == Type::kNumber; }
bool IsListish(Type t) { return t != Type::kBool && t != Type::kNumber; }
const char* TypeName(Type t) {
  switch (t) {
    case Type::kNull:
      return "null";
    case Type::kString:
      return "a string";
    case Type::kList:
      return "a list";
    case Type::kBool:
      return "a boolean";
    case Type::kAttr:
      return "an attribute";
    case Type::kNumber:
      return "a number";
  }
  return "?";
}

class Parser {
 public:
  Parser(std::string_view src, std::size_t base, const ParseOptions& options, Expr* out,
         ParseError* err)
      : src_(src), base_(base), options_(options), out_(out), err_(err) {}

  bool ParseAll(Node* node) {
    Next();
    if (!ParseExpr(node, 0)) return false;
    if (tok_.kind != Tok::kEnd)
      return Fail(errors::kRulesExpressionSyntax,
                  "unexpected '" + tok_.text + "' after the end of the expression");
    return true;
  }

 private:
  bool Fail(const ErrorCode& code, std::string msg) {
    return FailAt(code, std::move(msg), tok_.offset);
  }
  bool FailAt(const ErrorCode& code, std::string msg, std::size_t offset) {
    if (err_->code == nullptr) {
      err_->code = &code;
      err_->message = std::move(msg);
      err_->offset = base_ + offset;
    }
    return false;
  }

  void Next() {
    while (pos_ < src_.size() && std::isspace(static_cast<unsigned char>(src_[pos_]))) ++pos_;
    tok_ = Token{};
    tok_.offset = pos_;
    if (pos_ >= src_.size()) return;
    const char c = src_[pos_];
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::size_t e = pos_;
      while (e < src_.size() &&
             (std::isalnum(static_cast<unsigned char>(src_[e])) || src_[e] == '_')) {
        ++e;
      }
      tok_ = {Tok::kIdent, std::string(src_.substr(pos_, e - pos_)), pos_};
      pos_ = e;
      return;
    }
    if (std::isdigit(static_cast<unsigned char>(c))) return LexNumber();
    if (c == '"' || c == '\'') return LexString(c);
    static constexpr std::string_view kTwo[] = {"==", "!=", "&&", "||", "<=", ">="};
    for (std::string_view two : kTwo) {
      if (src_.substr(pos_, 2) == two) {
        tok_ = {Tok::kPunct, std::string(two), pos_};
        pos_ += 2;
        return;
      }
    }
    if (std::string_view("().,?:![]+-<>").find(c) != std::string_view::npos) {
      tok_ = {Tok::kPunct, std::string(1, c), pos_};
      ++pos_;
      return;
    }
    tok_ = {Tok::kBad, std::string(1, c), pos_};
    ++pos_;
  }

  // NUMBER := digits ('.' digits)?; a sign is the unary '-'.
  void LexNumber() {
    std::size_t e = pos_;
    while (e < src_.size() && std::isdigit(static_cast<unsigned char>(src_[e]))) ++e;
    if (e + 1 < src_.size() && src_[e] == '.' &&
        std::isdigit(static_cast<unsigned char>(src_[e + 1]))) {
      ++e;
      while (e < src_.size() && std::isdigit(static_cast<unsigned char>(src_[e]))) ++e;
    }
    tok_ = {Tok::kNumber, std::string(src_.substr(pos_, e - pos_)), pos_};
    pos_ = e;
  }

  void LexString(char quote) {
    const std::size_t start = pos_++;
    std::string text;
    while (pos_ < src_.size() && src_[pos_] != quote) {
      char c = src_[pos_++];
      if (c == '\\' && pos_ < src_.size()) {
        const char e = src_[pos_++];
        c = e == 'n' ? '\n' : e == 't' ? '\t' : e;
      }
      text.push_back(c);
    }
    if (pos_ >= src_.size()) {
      tok_ = {Tok::kBad, "unterminated string", start};
      return;
    }
    ++pos_;
    tok_ = {Tok::kString, std::move(text), start};
  }

  bool IsPunct(std::string_view p) const { return tok_.kind == Tok::kPunct && tok_.text == p; }
  bool IsWord(std::string_view w) const { return tok_.kind == Tok::kIdent && tok_.text == w; }
  bool Expect(std::string_view p) {
    if (!IsPunct(p)) {
      return Fail(errors::kRulesExpressionSyntax,
                  "expected '" + std::string(p) + "'" +
                      (tok_.kind == Tok::kEnd ? " at the end" : " before '" + tok_.text + "'"));
    }
    Next();
    return true;
  }

  bool Deeper(int depth) {
    if (depth > kMaxDepth) return Fail(errors::kRulesExpressionSyntax, "expression nests too deep");
    return true;
  }

  bool ParseExpr(Node* n, int depth) {
    if (!Deeper(depth) || !ParseBinary(n, 0, depth + 1)) return false;
    if (!IsPunct("?")) return true;
    const std::size_t at = tok_.offset;
    Next();
    Node cond = std::move(*n);
    Node a, b;
    if (!ParseExpr(&a, depth + 1) || !Expect(":") || !ParseExpr(&b, depth + 1)) return false;
    if (cond.type != Type::kBool) {
      return FailAt(
          errors::kRulesExpressionType,
          std::string("the condition before '?' is ") + TypeName(cond.type) + ", not a boolean",
          at);
    }
    Type t = Type::kString;
    if (a.type == Type::kBool || b.type == Type::kBool) {
      if (a.type != b.type) {
        return FailAt(errors::kRulesExpressionType, "both branches of '?:' must be booleans", at);
      }
      t = Type::kBool;
    } else if (a.type == Type::kAttr && b.type == Type::kAttr) {
      t = Type::kAttr;
    } else if (a.type == Type::kNumber && b.type == Type::kNumber) {
      t = Type::kNumber;
    }
    *n = Node{Op::kCond, t, {}, {}, {}};
    n->kids.push_back(std::move(cond));
    n->kids.push_back(std::move(a));
    n->kids.push_back(std::move(b));
    return true;
  }

  // Levels: 0 OR, 1 AND, 2 equality, 3 ordering, 4 '+' and '-'. The levels are a fixed number
  // of frames, so only nesting (parentheses, calls, '!', '-') counts toward kMaxDepth.
  bool ParseBinary(Node* n, int level, int depth) {
    if (!Deeper(depth)) return false;
    if (level == 5) return ParseUnary(n, depth + 1);
    if (!ParseBinary(n, level + 1, depth)) return false;
    for (;;) {
      Op op;
      if (level == 0 && (IsWord("OR") || IsPunct("||"))) {
        op = Op::kOr;
      } else if (level == 1 && (IsWord("AND") || IsPunct("&&"))) {
        op = Op::kAnd;
      } else if (level == 2 && (IsPunct("==") || IsPunct("!="))) {
        op = IsPunct("==") ? Op::kEq : Op::kNe;
      } else if (level == 3 && (IsPunct("<") || IsPunct("<=") || IsPunct(">") || IsPunct(">="))) {
        op = IsPunct("<") ? Op::kLt : IsPunct("<=") ? Op::kLe : IsPunct(">") ? Op::kGt : Op::kGe;
      } else if (level == 4 && (IsPunct("+") || IsPunct("-"))) {
        op = IsPunct("+") ? Op::kConcat : Op::kSub;
      } else {
        return true;
      }
      const std::string op_text = tok_.text;
      const std::size_t at = tok_.offset;
      Next();
      Node rhs;
      if (!ParseBinary(&rhs, level + 1, depth)) return false;
      if (!CheckBinary(op, op_text, *n, rhs, at)) return false;
      if (op == Op::kConcat && n->type == Type::kNumber && rhs.type == Type::kNumber) {
        op = Op::kAdd;  // '+' adds numbers and joins anything else as text
      }
      Node lhs = std::move(*n);
      const Type t = op == Op::kConcat                  ? Type::kString
                     : op == Op::kAdd || op == Op::kSub ? Type::kNumber
                                                        : Type::kBool;
      *n = Node{op, t, {}, {}, {}};
      n->kids.push_back(std::move(lhs));
      n->kids.push_back(std::move(rhs));
      if ((level == 2 && (IsPunct("==") || IsPunct("!="))) ||
          (level == 3 && (IsPunct("<") || IsPunct("<=") || IsPunct(">") || IsPunct(">=")))) {
        return Fail(errors::kRulesExpressionSyntax, "chained comparison; use parentheses");
      }
    }
  }

  // An operand of <, <=, > or >=: a number, or a string converted when the rules run. A string
  // literal must be a number already; null and booleans have no order.
  bool CheckOrdered(const Node& k, const std::string& op, std::size_t at) {
    if (k.type == Type::kNumber || k.type == Type::kString || k.type == Type::kAttr) {
      double ignored;
      if (k.op != Op::kStr || ParseNumber(k.text, &ignored)) return true;
      return FailAt(errors::kRulesExpressionType,
                    "'" + op + "' compares numbers; '" + k.text + "' is not a number", at);
    }
    return FailAt(errors::kRulesExpressionType,
                  "'" + op + "' compares numbers, got " + std::string(TypeName(k.type)), at);
  }

  bool CheckBinary(Op op, const std::string& op_text, const Node& a, const Node& b,
                   std::size_t at) {
    if (op == Op::kAnd || op == Op::kOr) {
      if (a.type == Type::kBool && b.type == Type::kBool) return true;
      return FailAt(errors::kRulesExpressionType,
                    std::string(op == Op::kAnd ? "AND" : "OR") +
                        " needs booleans on both "
                        "sides, got " +
                        TypeName(a.type) + " and " + TypeName(b.type),
                    at);
    }
    if (op == Op::kEq || op == Op::kNe) {
      if ((a.type == Type::kBool) == (b.type == Type::kBool)) return true;
      return FailAt(errors::kRulesExpressionType, "cannot compare a boolean with a string", at);
    }
    if (op == Op::kLt || op == Op::kLe || op == Op::kGt || op == Op::kGe) {
      return CheckOrdered(a, op_text, at) && CheckOrdered(b, op_text, at);
    }
    if (op == Op::kSub) {
      if (a.type == Type::kNumber && b.type == Type::kNumber) return true;
      return FailAt(errors::kRulesExpressionType,
                    "'-' subtracts numbers, got " + std::string(TypeName(a.type)) + " and " +
                        TypeName(b.type),
                    at);
    }
    if (IsTextual(a.type) && IsTextual(b.type)) return true;
    return FailAt(errors::kRulesExpressionType,
                  "'+' joins strings or adds numbers, got " + std::string(TypeName(a.type)) +
                      " and " + TypeName(b.type),
                  at);
  }

  bool ParseUnary(Node* n, int depth) {
    if (!Deeper(depth)) return false;
    if (!IsPunct("!") && !IsPunct("-")) return ParsePrimary(n, depth + 1);
    const bool negate = IsPunct("-");
    const std::size_t at = tok_.offset;
    Next();
    Node inner;
    if (!ParseUnary(&inner, depth + 1)) return false;
    const Type want = negate ? Type::kNumber : Type::kBool;
    if (inner.type != want) {
      return FailAt(errors::kRulesExpressionType,
                    std::string(negate ? "'-' needs a number, got " : "'!' needs a boolean, got ") +
                        TypeName(inner.type),
                    at);
    }
    *n = Node{negate ? Op::kNeg : Op::kNot, want, {}, {}, {}};
    n->kids.push_back(std::move(inner));
    return true;
  }

  bool ParsePrimary(Node* n, int depth) {
    if (tok_.kind == Tok::kString) {
      *n = Node{Op::kStr, Type::kString, tok_.text, {}, {}};
      Next();
      return true;
    }
    if (tok_.kind == Tok::kNumber) {
      *n = Node{Op::kNum, Type::kNumber, tok_.text, {}, {}};
      if (!ParseNumber(tok_.text, &n->num)) {
        return Fail(errors::kRulesExpressionSyntax, "number out of range");
      }
      Next();
      return true;
    }
    if (IsPunct("(")) {
      Next();
      return ParseExpr(n, depth + 1) && Expect(")");
    }
    if (tok_.kind == Tok::kBad)
      return Fail(errors::kRulesExpressionSyntax, tok_.text == "unterminated string"
                                                      ? "unterminated string literal"
                                                      : "unexpected character '" + tok_.text + "'");
    if (tok_.kind != Tok::kIdent) {
      return Fail(errors::kRulesExpressionSyntax, tok_.kind == Tok::kEnd
                                                      ? "expression ends too early"
                                                      : "unexpected '" + tok_.text + "'");
    }
    if (IsWord("null") || IsWord("true") || IsWord("false")) {
      *n = IsWord("null")   ? Node{Op::kNull, Type::kNull, {}, {}, {}}
           : IsWord("true") ? Node{Op::kTrue, Type::kBool, {}, {}, {}}
                            : Node{Op::kFalse, Type::kBool, {}, {}, {}};
      Next();
      return true;
    }
    if (IsWord("user")) return ParseUser(n);
    if (IsWord("worker")) return ParseWorker(n);
    return ParseCall(n, depth);
  }

  // After 'user' or 'worker': '.' IDENT or '[' STRING ']'. False (error recorded) otherwise.
  bool ParseMemberName(const char* root, std::string* name, bool* bracket) {
    Next();
    *bracket = IsPunct("[");
    if (*bracket) {
      Next();
      if (tok_.kind != Tok::kString) {
        return Fail(errors::kRulesExpressionSyntax,
                    std::string(root) + "[...] takes a quoted attribute name");
      }
      *name = tok_.text;
      Next();
      if (!Expect("]")) return false;
      if (name->empty()) return Fail(errors::kRulesExpressionSyntax, "empty attribute name");
      return true;
    }
    if (!Expect(".")) return false;
    if (tok_.kind != Tok::kIdent) {
      return Fail(errors::kRulesExpressionSyntax,
                  std::string("expected an attribute name after '") + root + ".'");
    }
    *name = tok_.text;
    Next();
    return true;
  }

  bool ParseUser(Node* n) {
    std::string name;
    bool bracket = false;
    if (!ParseMemberName("user", &name, &bracket)) return false;
    if (!bracket && (name == "nameId" || name == "nameIdFormat")) {
      *n = Node{name == "nameId" ? Op::kNameId : Op::kNameIdFormat, Type::kString, {}, {}, {}};
      return true;
    }
    *n = Node{Op::kAttr, Type::kAttr, {}, MakeNameRef(name, "", false), {}};
    out_->refs.push_back(n->ref);
    return true;
  }

  // worker.<name>: an output attribute as mapped so far (when rules only).
  bool ParseWorker(Node* n) {
    const std::size_t at = tok_.offset;
    if (options_.worker_names == nullptr) {
      return Fail(errors::kRulesUnknownFunction,
                  "worker.<name> is only available in when rules, "
                  "which run once every attribute is mapped");
    }
    std::string name;
    bool bracket = false;
    if (!ParseMemberName("worker", &name, &bracket)) return false;
    const std::vector<std::string>& names = *options_.worker_names;
    auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) {
      return FailAt(errors::kRulesUnknownAttribute,
                    "worker." + name + ": '" + name + "' is not declared in attributes", at);
    }
    *n = Node{Op::kWorker, Type::kAttr, name, {}, {}};
    n->index = static_cast<std::size_t>(it - names.begin());
    return true;
  }

  bool ParseCall(Node* n, int depth) {
    const std::size_t at = tok_.offset;
    std::string name = tok_.text;
    Next();
    while (IsPunct(".")) {
      Next();
      if (tok_.kind != Tok::kIdent)
        return Fail(errors::kRulesExpressionSyntax, "expected a name after '.'");
      name += "." + tok_.text;
      Next();
    }
    const FunctionInfo* fn = nullptr;
    for (const FunctionInfo& f : FunctionTable()) {
      if (name == f.name) fn = &f;
    }
    if (fn == nullptr) {
      return FailAt(errors::kRulesUnknownFunction,
                    "unknown name '" + name + "'" +
                        (IsPunct("(") ? "" : " (string literals are quoted: \"" + name + "\")"),
                    at);
    }
    if (!Expect("(")) return false;
    *n = Node{fn->op, fn->result, {}, {}, {}};
    while (!IsPunct(")")) {
      if (!n->kids.empty() && !Expect(",")) return false;
      Node arg;
      if (!ParseExpr(&arg, depth + 1)) return false;
      n->kids.push_back(std::move(arg));
    }
    Next();
    const int argc = static_cast<int>(n->kids.size());
    if (argc < fn->min_args || (fn->max_args >= 0 && argc > fn->max_args)) {
      return FailAt(errors::kRulesExpressionType,
                    name + " takes " + std::to_string(fn->min_args) +
                        (fn->max_args < 0               ? " or more"
                         : fn->max_args == fn->min_args ? ""
                                                        : " to " + std::to_string(fn->max_args)) +
                        " arguments, got " + std::to_string(argc),
                    at);
    }
    if (fn->op == Op::kSwitch && argc % 2 != 0) {
      return FailAt(errors::kRulesExpressionType,
                    name +
                        " takes the input, a default and then "
                        "key/value pairs: the last key has no value",
                    at);
    }
    return CheckArgs(*fn, n, at);
  }

  bool CheckArgs(const FunctionInfo& fn, Node* n, std::size_t at) {
    const std::string_view kinds(fn.args);
    for (std::size_t i = 0; i < n->kids.size(); ++i) {
      const char kind = kinds[std::min(i, kinds.size() - 1)];
      Node& arg = n->kids[i];
      const Type t = arg.type;
      const bool ok = kind == 'L'   ? IsListish(t)
                      : kind == 'N' ? t == Type::kNumber
                      : kind == 'R' ? arg.op == Op::kStr
                                    : IsStringish(t);
      if (!ok) {
        const char* want = kind == 'L'   ? "a list"
                           : kind == 'N' ? "a number"
                           : kind == 'R' ? "a regex in a string literal (compiled once, at load)"
                                         : "a string";
        return FailAt(errors::kRulesExpressionType,
                      std::string(fn.name) + " argument " + std::to_string(i + 1) + " is " +
                          TypeName(t) + ", not " + want,
                      at);
      }
      if (kind == 'R' && !CompileRegex(arg, n, at)) return false;
    }
    return true;
  }

  // RE2 syntax, as the rule document's regexes (no backreferences or lookaround): matching
  // stays linear in the value.
  bool CompileRegex(const Node& pattern, Node* call, std::size_t at) {
    re2::RE2::Options options;
    options.set_log_errors(false);
    options.set_max_mem(4 << 20);
    auto re = std::make_shared<const re2::RE2>(pattern.text, options);
    if (!re->ok()) {
      return FailAt(errors::kRulesBadRegex,
                    "the regex does not compile (RE2 syntax: no "
                    "backreferences or lookaround): " +
                        re->error(),
                    at);
    }
    call->re = std::move(re);
    return true;
  }

  std::string_view src_;
  std::size_t base_;
  const ParseOptions& options_;
  std::size_t pos_ = 0;
  Token tok_;
  Expr* out_;
  ParseError* err_;
};

bool ParseTemplate(std::string_view src, const ParseOptions& options, Expr* out, ParseError* err) {
  Node root{Op::kTemplate, Type::kString, {}, {}, {}};
  std::size_t pos = 0;
  while (pos < src.size()) {
    const std::size_t open = src.find("${", pos);
    if (open == std::string_view::npos) {
      root.kids.push_back(Node{Op::kStr, Type::kString, std::string(src.substr(pos)), {}, {}});
      break;
    }
    if (open > pos) {
      root.kids.push_back(
          Node{Op::kStr, Type::kString, std::string(src.substr(pos, open - pos)), {}, {}});
    }
    // Find the closing brace outside string literals.
    std::size_t close = open + 2;
    char quote = 0;
    for (; close < src.size(); ++close) {
      const char c = src[close];
      if (quote != 0) {
        if (c == '\\')
          ++close;
        else if (c == quote)
          quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '}') {
        break;
      }
    }
    if (close >= src.size()) {
      err->code = &errors::kRulesExpressionSyntax;
      err->message = "'${' without a closing '}'";
      err->offset = open;
      return false;
    }
    Node part;
    Parser p(src.substr(open + 2, close - open - 2), open + 2, options, out, err);
    if (!p.ParseAll(&part)) return false;
    if (!IsTextual(part.type)) {
      err->code = &errors::kRulesExpressionType;
      err->message = std::string("a ${...} part must be a string, got ") + TypeName(part.type);
      err->offset = open;
      return false;
    }
    root.kids.push_back(std::move(part));
    pos = close + 1;
  }
  out->root = std::move(root);
  return true;
}

}  // namespace

bool LooksLikeTemplate(std::string_view src) { return src.find("${") != std::string_view::npos; }

bool Parse(std::string_view src, const ParseOptions& options, Expr* out, ParseError* err) {
  *err = ParseError{};
  out->refs.clear();
  if (src.size() > kMaxExpressionBytes) {
    err->code = &errors::kRulesExpressionSyntax;
    err->message = "expression longer than " + std::to_string(kMaxExpressionBytes) + " bytes";
    return false;
  }
  if (options.is_template) return ParseTemplate(src, options, out, err);
  Parser p(src, 0, options, out, err);
  return p.ParseAll(&out->root);
}

}  // namespace claimgate::rules::expr
