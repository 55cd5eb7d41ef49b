// Hand-written lexer and recursive-descent parser for the expression language. Every node
// gets its static type here, so type and name errors surface when the rules are loaded.
//
// Grammar (lowest precedence first):
//   expr    := or ('?' expr ':' expr)?
//   or      := and (('OR' | '||') and)*
//   and     := eq (('AND' | '&&') eq)*
//   eq      := sum (('==' | '!=') sum)?
//   sum     := unary ('+' unary)*
//   unary   := '!' unary | primary
//   primary := STRING | 'null' | 'true' | 'false' | '(' expr ')'
//            | 'user' '.' IDENT | 'user' '[' STRING ']' | NS '.' IDENT '(' args ')'
#include <cctype>
#include <string>
#include <utility>

#include "rules/expr/expr.h"

namespace claimgate::rules::expr {
namespace {

enum class Tok { kEnd, kIdent, kString, kPunct, kBad };

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;
  std::size_t offset = 0;
};

struct FnInfo {
  const char* name;
  Op op;
  int min_args;
  int max_args;  // -1: any
};

constexpr FnInfo kFunctions[] = {
    {"String.join", Op::kJoin, 2, -1},           {"String.toLowerCase", Op::kLower, 1, 1},
    {"String.toUpperCase", Op::kUpper, 1, 1},    {"String.substringBefore", Op::kBefore, 2, 2},
    {"String.substringAfter", Op::kAfter, 2, 2}, {"String.replace", Op::kReplace, 3, 3},
    {"String.stringContains", Op::kContains, 2, 2},
    {"Arrays.contains", Op::kArrContains, 2, 2}, {"Arrays.isEmpty", Op::kArrEmpty, 1, 1},
};

bool IsStringish(Type t) { return t == Type::kString || t == Type::kAttr || t == Type::kNull; }
bool IsListish(Type t) { return t != Type::kBool; }
const char* TypeName(Type t) {
  switch (t) {
    case Type::kNull: return "null";
    case Type::kString: return "a string";
    case Type::kList: return "a list";
    case Type::kBool: return "a boolean";
    case Type::kAttr: return "an attribute";
  }
  return "?";
}

class Parser {
 public:
  Parser(std::string_view src, std::size_t base, Expr* out, ParseError* err)
      : src_(src), base_(base), out_(out), err_(err) {}

  bool ParseAll(Node* node) {
    Next();
    if (!ParseExpr(node, 0)) return false;
    if (tok_.kind != Tok::kEnd) return Fail(errors::kRulesExpressionSyntax, "unexpected '" +
                                            tok_.text + "' after the end of the expression");
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
      while (e < src_.size() && (std::isalnum(static_cast<unsigned char>(src_[e])) ||
                                 src_[e] == '_')) {
        ++e;
      }
      tok_ = {Tok::kIdent, std::string(src_.substr(pos_, e - pos_)), pos_};
      pos_ = e;
      return;
    }
    if (c == '"' || c == '\'') return LexString(c);
    static constexpr std::string_view kTwo[] = {"==", "!=", "&&", "||"};
    for (std::string_view two : kTwo) {
      if (src_.substr(pos_, 2) == two) {
        tok_ = {Tok::kPunct, std::string(two), pos_};
        pos_ += 2;
        return;
      }
    }
    if (std::string_view("().,?:![]+").find(c) != std::string_view::npos) {
      tok_ = {Tok::kPunct, std::string(1, c), pos_};
      ++pos_;
      return;
    }
    tok_ = {Tok::kBad, std::string(1, c), pos_};
    ++pos_;
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
      return Fail(errors::kRulesExpressionSyntax, "expected '" + std::string(p) + "'" +
                                                      (tok_.kind == Tok::kEnd ? " at the end"
                                                                               : " before '" +
                                                                                     tok_.text +
                                                                                     "'"));
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
      return FailAt(errors::kRulesExpressionType, std::string("the condition before '?' is ") +
                    TypeName(cond.type) + ", not a boolean", at);
    }
    Type t = Type::kString;
    if (a.type == Type::kBool || b.type == Type::kBool) {
      if (a.type != b.type) {
        return FailAt(errors::kRulesExpressionType, "both branches of '?:' must be booleans", at);
      }
      t = Type::kBool;
    } else if (a.type == Type::kAttr && b.type == Type::kAttr) {
      t = Type::kAttr;
    }
    *n = Node{Op::kCond, t, {}, {}, {}};
    n->kids.push_back(std::move(cond));
    n->kids.push_back(std::move(a));
    n->kids.push_back(std::move(b));
    return true;
  }

  // Levels: 0 OR, 1 AND, 2 equality, 3 '+'.
  bool ParseBinary(Node* n, int level, int depth) {
    if (!Deeper(depth)) return false;
    if (level == 4) return ParseUnary(n, depth + 1);
    if (!ParseBinary(n, level + 1, depth + 1)) return false;
    for (;;) {
      Op op;
      if (level == 0 && (IsWord("OR") || IsPunct("||"))) {
        op = Op::kOr;
      } else if (level == 1 && (IsWord("AND") || IsPunct("&&"))) {
        op = Op::kAnd;
      } else if (level == 2 && (IsPunct("==") || IsPunct("!="))) {
        op = IsPunct("==") ? Op::kEq : Op::kNe;
      } else if (level == 3 && IsPunct("+")) {
        op = Op::kConcat;
      } else {
        return true;
      }
      const std::size_t at = tok_.offset;
      Next();
      Node rhs;
      if (!ParseBinary(&rhs, level + 1, depth + 1)) return false;
      if (!CheckBinary(op, n->type, rhs.type, at)) return false;
      Node lhs = std::move(*n);
      *n = Node{op, op == Op::kConcat ? Type::kString : Type::kBool, {}, {}, {}};
      n->kids.push_back(std::move(lhs));
      n->kids.push_back(std::move(rhs));
      if (level == 2 && (IsPunct("==") || IsPunct("!="))) {
        return Fail(errors::kRulesExpressionSyntax, "chained comparison; use parentheses");
      }
    }
  }

  bool CheckBinary(Op op, Type a, Type b, std::size_t at) {
    if (op == Op::kAnd || op == Op::kOr) {
      if (a == Type::kBool && b == Type::kBool) return true;
      return FailAt(errors::kRulesExpressionType,
                    std::string(op == Op::kAnd ? "AND" : "OR") + " needs booleans on both "
                    "sides, got " + TypeName(a) + " and " + TypeName(b), at);
    }
    if (op == Op::kEq || op == Op::kNe) {
      if ((a == Type::kBool) == (b == Type::kBool)) return true;
      return FailAt(errors::kRulesExpressionType, "cannot compare a boolean with a string", at);
    }
    if (IsStringish(a) && IsStringish(b)) return true;
    return FailAt(errors::kRulesExpressionType, "'+' joins strings, got " +
                  std::string(TypeName(a)) + " and " + TypeName(b), at);
  }

  bool ParseUnary(Node* n, int depth) {
    if (!Deeper(depth)) return false;
    if (!IsPunct("!")) return ParsePrimary(n, depth + 1);
    const std::size_t at = tok_.offset;
    Next();
    Node inner;
    if (!ParseUnary(&inner, depth + 1)) return false;
    if (inner.type != Type::kBool) {
      return FailAt(errors::kRulesExpressionType,
                    std::string("'!' needs a boolean, got ") + TypeName(inner.type), at);
    }
    *n = Node{Op::kNot, Type::kBool, {}, {}, {}};
    n->kids.push_back(std::move(inner));
    return true;
  }

  bool ParsePrimary(Node* n, int depth) {
    if (tok_.kind == Tok::kString) {
      *n = Node{Op::kStr, Type::kString, tok_.text, {}, {}};
      Next();
      return true;
    }
    if (IsPunct("(")) {
      Next();
      return ParseExpr(n, depth + 1) && Expect(")");
    }
    if (tok_.kind == Tok::kBad) return Fail(errors::kRulesExpressionSyntax,
                                            tok_.text == "unterminated string"
                                                ? "unterminated string literal"
                                                : "unexpected character '" + tok_.text + "'");
    if (tok_.kind != Tok::kIdent) {
      return Fail(errors::kRulesExpressionSyntax,
                  tok_.kind == Tok::kEnd ? "expression ends too early"
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
    return ParseCall(n, depth);
  }

  bool ParseUser(Node* n) {
    Next();
    std::string name;
    if (IsPunct("[")) {
      Next();
      if (tok_.kind != Tok::kString) {
        return Fail(errors::kRulesExpressionSyntax, "user[...] takes a quoted attribute name");
      }
      name = tok_.text;
      Next();
      if (!Expect("]")) return false;
      if (name.empty()) return Fail(errors::kRulesExpressionSyntax, "empty attribute name");
    } else {
      if (!Expect(".")) return false;
      if (tok_.kind != Tok::kIdent) {
        return Fail(errors::kRulesExpressionSyntax, "expected an attribute name after 'user.'");
      }
      name = tok_.text;
      Next();
      if (name == "nameId" || name == "nameIdFormat") {
        *n = Node{name == "nameId" ? Op::kNameId : Op::kNameIdFormat, Type::kString, {}, {}, {}};
        return true;
      }
    }
    *n = Node{Op::kAttr, Type::kAttr, {}, MakeNameRef(name, "", false), {}};
    out_->refs.push_back(n->ref);
    return true;
  }

  bool ParseCall(Node* n, int depth) {
    const std::size_t at = tok_.offset;
    std::string name = tok_.text;
    Next();
    while (IsPunct(".")) {
      Next();
      if (tok_.kind != Tok::kIdent) return Fail(errors::kRulesExpressionSyntax,
                                                "expected a name after '.'");
      name += "." + tok_.text;
      Next();
    }
    const FnInfo* fn = nullptr;
    for (const FnInfo& f : kFunctions) {
      if (name == f.name) fn = &f;
    }
    if (fn == nullptr) {
      return FailAt(errors::kRulesUnknownFunction, "unknown name '" + name + "'" +
                    (IsPunct("(") ? "" : " (string literals are quoted: \"" + name + "\")"), at);
    }
    if (!Expect("(")) return false;
    *n = Node{fn->op, Type::kString, {}, {}, {}};
    while (!IsPunct(")")) {
      if (!n->kids.empty() && !Expect(",")) return false;
      Node arg;
      if (!ParseExpr(&arg, depth + 1)) return false;
      n->kids.push_back(std::move(arg));
    }
    Next();
    const int argc = static_cast<int>(n->kids.size());
    if (argc < fn->min_args || (fn->max_args >= 0 && argc > fn->max_args)) {
      return FailAt(errors::kRulesExpressionType, name + " takes " +
                    std::to_string(fn->min_args) +
                    (fn->max_args < 0 ? " or more" : fn->max_args == fn->min_args ? "" :
                     " to " + std::to_string(fn->max_args)) +
                    " arguments, got " + std::to_string(argc), at);
    }
    return CheckArgs(*fn, n, at);
  }

  bool CheckArgs(const FnInfo& fn, Node* n, std::size_t at) {
    const bool list_first = fn.op == Op::kArrContains || fn.op == Op::kArrEmpty;
    const bool any_list = fn.op == Op::kJoin;
    for (std::size_t i = 0; i < n->kids.size(); ++i) {
      const Type t = n->kids[i].type;
      const bool ok = (list_first && i == 0) || (any_list && i > 0) ? IsListish(t)
                                                                    : IsStringish(t);
      if (!ok) {
        return FailAt(errors::kRulesExpressionType, std::string(fn.name) + " argument " +
                      std::to_string(i + 1) + " is " + TypeName(t) + ", not " +
                      ((list_first && i == 0) ? "a list" : "a string"), at);
      }
    }
    n->type = (fn.op == Op::kContains || list_first) ? Type::kBool : Type::kString;
    return true;
  }

  std::string_view src_;
  std::size_t base_;
  std::size_t pos_ = 0;
  Token tok_;
  Expr* out_;
  ParseError* err_;
};

bool ParseTemplate(std::string_view src, Expr* out, ParseError* err) {
  Node root{Op::kTemplate, Type::kString, {}, {}, {}};
  std::size_t pos = 0;
  while (pos < src.size()) {
    const std::size_t open = src.find("${", pos);
    if (open == std::string_view::npos) {
      root.kids.push_back(Node{Op::kStr, Type::kString, std::string(src.substr(pos)), {}, {}});
      break;
    }
    if (open > pos) {
      root.kids.push_back(Node{Op::kStr, Type::kString,
                               std::string(src.substr(pos, open - pos)), {}, {}});
    }
    // Find the closing brace outside string literals.
    std::size_t close = open + 2;
    char quote = 0;
    for (; close < src.size(); ++close) {
      const char c = src[close];
      if (quote != 0) {
        if (c == '\\') ++close;
        else if (c == quote) quote = 0;
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
    Parser p(src.substr(open + 2, close - open - 2), open + 2, out, err);
    if (!p.ParseAll(&part)) return false;
    if (!IsStringish(part.type)) {
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

bool Parse(std::string_view src, bool is_template, Expr* out, ParseError* err) {
  *err = ParseError{};
  out->refs.clear();
  if (src.size() > kMaxExpressionBytes) {
    err->code = &errors::kRulesExpressionSyntax;
    err->message = "expression longer than " + std::to_string(kMaxExpressionBytes) + " bytes";
    return false;
  }
  if (is_template) return ParseTemplate(src, out, err);
  Parser p(src, 0, out, err);
  return p.ParseAll(&out->root);
}

}  // namespace claimgate::rules::expr
