// general_field_filter: keeps samples for which a Python-syntax condition over their fields holds,
// e.g. `num_words > 10 and meta.lang == "en"` or `__dj__stats__.text_len >= 100`. DJ evaluates
// the Python AST with a whitelist: and/or, comparison chains (== != < <= > >=), names,
// attribute access into dicts and constants; a comparison with None is False. The same subset
// is parsed here once at load time (anything else is a recipe error) and evaluated per sample.
#include <cctype>
#include <cstring>
#include <memory>
#include <vector>

#include "winnow/core/unicode.h"
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

struct Node {
  enum Kind { kAnd, kOr, kCompare, kName, kAttribute, kConstant } kind;
  std::vector<std::unique_ptr<Node>> children;  // operands / comparators / attribute base
  std::vector<std::string> ops;                 // comparison operators
  std::string name;                             // name or attribute
  json::Value value;                            // constant
};

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  Result<std::unique_ptr<Node>> Parse() {
    auto n = Or();
    if (!n.ok()) return n;
    Skip();
    if (i_ != s_.size()) return Error("unexpected '" + std::string(s_.substr(i_, 10)) + "'");
    return n;
  }

 private:
  Status Error(const std::string& what) const {
    return Status::Error("filter_condition: " + what + " at offset " + std::to_string(i_) +
                         " (supported: and, or, parentheses, == != < <= > >=, names, a.b, numbers, strings, "
                         "True, False, None)");
  }
  void Skip() { while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_; }
  bool Keyword(std::string_view kw) {
    Skip();
    if (s_.substr(i_, kw.size()) != kw) return false;
    size_t e = i_ + kw.size();
    if (e < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[e])) || s_[e] == '_')) return false;
    i_ = e;
    return true;
  }
  Result<std::unique_ptr<Node>> BoolChain(Node::Kind kind, std::string_view kw,
                                          Result<std::unique_ptr<Node>> (Parser::*next)()) {
    auto first = (this->*next)();
    if (!first.ok()) return first;
    if (!Keyword(kw)) return first;
    auto n = std::make_unique<Node>(Node{kind});
    n->children.push_back(std::move(*first));
    do {
      auto more = (this->*next)();
      if (!more.ok()) return more;
      n->children.push_back(std::move(*more));
    } while (Keyword(kw));
    return n;
  }
  Result<std::unique_ptr<Node>> Or() { return BoolChain(Node::kOr, "or", &Parser::And); }
  Result<std::unique_ptr<Node>> And() { return BoolChain(Node::kAnd, "and", &Parser::Compare); }
  Result<std::unique_ptr<Node>> Compare() {
    auto left = Primary();
    if (!left.ok()) return left;
    std::unique_ptr<Node> n;
    for (;;) {
      Skip();
      std::string op;
      for (const char* cand : {"==", "!=", "<=", ">=", "<", ">"})
        if (s_.substr(i_, std::strlen(cand)) == cand) { op = cand; break; }
      if (op.empty()) {
        if (Keyword("in") || Keyword("is") || Keyword("not")) return Error("unsupported operator");
        break;
      }
      i_ += op.size();
      if (!n) {
        n = std::make_unique<Node>(Node{Node::kCompare});
        n->children.push_back(std::move(*left));
      }
      auto right = Primary();
      if (!right.ok()) return right;
      n->ops.push_back(op);
      n->children.push_back(std::move(*right));
    }
    if (n) return n;
    return left;
  }
  Result<std::unique_ptr<Node>> Primary() {
    Skip();
    if (i_ >= s_.size()) return Error("unexpected end");
    char c = s_[i_];
    std::unique_ptr<Node> n;
    if (c == '(') {
      ++i_;
      auto inner = Or();
      if (!inner.ok()) return inner;
      Skip();
      if (i_ >= s_.size() || s_[i_] != ')') return Error("missing ')'");
      ++i_;
      n = std::move(*inner);
    } else if (c == '"' || c == '\'') {
      auto str = String();
      if (!str.ok()) return str.status();
      n = std::make_unique<Node>(Node{Node::kConstant});
      n->value = json::Value::String(std::move(*str));
    } else if (std::isdigit(static_cast<unsigned char>(c)) || (c == '.' && i_ + 1 < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_ + 1])))) {
      size_t b = i_;
      while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '.' || s_[i_] == '_' ||
                                ((s_[i_] == '+' || s_[i_] == '-') && (s_[i_ - 1] == 'e' || s_[i_ - 1] == 'E'))))
        ++i_;
      std::string text;
      for (char ch : s_.substr(b, i_ - b)) if (ch != '_') text.push_back(ch);
      double d = 0;
      if (!json::ParseNumber(text, &d)) return Error("bad number '" + text + "'");
      n = std::make_unique<Node>(Node{Node::kConstant});
      n->value = json::Value::Number(d, text.find_first_of(".eE") == std::string::npos);
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::string id = Identifier();
      n = std::make_unique<Node>(Node{Node::kConstant});
      if (id == "True") n->value = json::Value::Bool(true);
      else if (id == "False") n->value = json::Value::Bool(false);
      else if (id == "None") n->value = json::Value::Null();
      else if (id == "and" || id == "or" || id == "not" || id == "in" || id == "is" || id == "lambda" || id == "if")
        return Error("unsupported keyword '" + id + "'");
      else {
        n->kind = Node::kName;
        n->name = id;
      }
    } else {
      return Error(std::string("unsupported syntax '") + c + "'");
    }
    for (;;) {  // attribute access a.b.c
      Skip();
      if (i_ < s_.size() && s_[i_] == '.') {
        ++i_;
        Skip();
        if (i_ >= s_.size() || !(std::isalpha(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_'))
          return Error("expected an attribute name");
        auto a = std::make_unique<Node>(Node{Node::kAttribute});
        a->name = Identifier();
        a->children.push_back(std::move(n));
        n = std::move(a);
        continue;
      }
      if (i_ < s_.size() && (s_[i_] == '(' || s_[i_] == '[')) return Error("calls and subscripts are not supported");
      break;
    }
    return n;
  }
  std::string Identifier() {
    size_t b = i_;
    while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_')) ++i_;
    return std::string(s_.substr(b, i_ - b));
  }
  Result<std::string> String() {
    char q = s_[i_++];
    std::string out;
    while (i_ < s_.size() && s_[i_] != q) {
      char c = s_[i_++];
      if (c != '\\' || i_ >= s_.size()) { out.push_back(c); continue; }
      char e = s_[i_++];
      switch (e) {
        case 'n': out.push_back('\n'); break;
        case 't': out.push_back('\t'); break;
        case 'r': out.push_back('\r'); break;
        case '0': out.push_back('\0'); break;
        case '\\': case '\'': case '"': out.push_back(e); break;
        case 'x': case 'u': case 'U': {
          size_t n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
          std::string hex(s_.substr(i_, n));
          if (hex.size() != n || hex.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
            return Error("bad escape in string");
          unicode::AppendUtf8(static_cast<uint32_t>(std::stoul(hex, nullptr, 16)), out);
          i_ += n;
          break;
        }
        default: out.push_back('\\'); out.push_back(e);
      }
    }
    if (i_ >= s_.size()) return Error("unterminated string");
    ++i_;
    return out;
  }

  std::string_view s_;
  size_t i_ = 0;
};

bool Truthy(const json::Value& v) {
  switch (v.type()) {
    case json::Type::kNull: return false;
    case json::Type::kBool: return v.as_bool();
    case json::Type::kNumber: return v.as_number() != 0;
    case json::Type::kString: return !v.as_string().empty();
    case json::Type::kArray: return !v.as_array().empty();
    case json::Type::kObject: return !v.as_object().empty();
    default: return false;
  }
}

bool IsNumeric(const json::Value& v) { return v.type() == json::Type::kNumber || v.type() == json::Type::kBool; }
double Num(const json::Value& v) { return v.type() == json::Type::kBool ? (v.as_bool() ? 1 : 0) : v.as_number(); }

// Python's a <op> b for the values DJ's samples hold.
Result<bool> Apply(const std::string& op, const json::Value& a, const json::Value& b) {
  if (op == "==") return a.PyEquals(b);
  if (op == "!=") return !a.PyEquals(b);
  int cmp;
  if (IsNumeric(a) && IsNumeric(b)) {
    double x = Num(a), y = Num(b);
    if (x != x || y != y) return false;  // NaN compares false
    cmp = x < y ? -1 : x > y ? 1 : 0;
  } else if (a.type() == json::Type::kString && b.type() == json::Type::kString) {
    cmp = a.as_string().compare(b.as_string());  // UTF-8 byte order = code point order
    cmp = cmp < 0 ? -1 : cmp > 0 ? 1 : 0;
  } else {
    return Status::Error(std::string("'") + op + "' not supported between " + json::TypeName(a.type()) + " and " +
                         json::TypeName(b.type()));
  }
  if (op == "<") return cmp < 0;
  if (op == "<=") return cmp <= 0;
  if (op == ">") return cmp > 0;
  return cmp >= 0;
}

Result<json::Value> Eval(const Node& n, const Sample& s) {
  switch (n.kind) {
    case Node::kConstant: return n.value;
    case Node::kName: {
      std::string raw;
      return s.FieldRaw(n.name, &raw) ? json::FromRaw(raw) : json::Value::Null();
    }
    case Node::kAttribute: {
      auto base = Eval(*n.children[0], s);
      if (!base.ok()) return base;
      const json::Value* v = base->type() == json::Type::kObject ? base->Find(n.name) : nullptr;
      return v ? *v : json::Value::Null();
    }
    case Node::kAnd:
    case Node::kOr: {
      bool is_and = n.kind == Node::kAnd;
      for (const auto& c : n.children) {  // short-circuits like all() / any()
        auto v = Eval(*c, s);
        if (!v.ok()) return v;
        if (Truthy(*v) != is_and) return json::Value::Bool(!is_and);
      }
      return json::Value::Bool(is_and);
    }
    case Node::kCompare: {
      auto left = Eval(*n.children[0], s);
      if (!left.ok()) return left;
      std::vector<json::Value> right;
      for (size_t i = 1; i < n.children.size(); ++i) {  // DJ evaluates every comparator first
        auto v = Eval(*n.children[i], s);
        if (!v.ok()) return v;
        right.push_back(std::move(*v));
      }
      json::Value l = *left;
      for (size_t i = 0; i < n.ops.size(); ++i) {
        if (l.is_null() || right[i].is_null()) return json::Value::Bool(false);
        auto ok = Apply(n.ops[i], l, right[i]);
        if (!ok.ok()) return ok.status();
        if (!*ok) return json::Value::Bool(false);
        l = right[i];
      }
      return json::Value::Bool(true);
    }
  }
  return json::Value::Null();
}

constexpr const char* kStat = "general_field_filter_condition";

class GeneralFieldFilter : public Filter {
 public:
  GeneralFieldFilter(const Params& p, const OpEnv& env) : Filter("general_field_filter", p, env) {
    std::string cond(unicode::PyStrip(p.String("filter_condition")));
    if (!cond.empty()) {
      auto tree = Parser(cond).Parse();
      WINNOW_CHECK(tree.ok());  // validated at load
      tree_ = std::shared_ptr<Node>(std::move(*tree));
    }
  }

  Status ComputeStats(Sample& s) const override {
    if (!tree_ || s.stats().Has(kStat)) return Status::Ok();
    auto v = Eval(*tree_, s);
    if (!v.ok()) return v.status();
    s.stats().SetRaw(kStat, v->ToJson());
    return Status::Ok();
  }

  bool Keep(const Sample& s) const override {
    const StatValue* v = s.stats().Find(kStat);
    if (!v) return true;
    std::string raw;
    v->AppendJson(&raw);
    return Truthy(json::FromRaw(raw));
  }

  std::string DropReason(const Sample& s) const override { return "filter_condition is false"; }

 private:
  std::shared_ptr<Node> tree_;
};

}  // namespace

void RegisterGeneralFieldFilter(Registry& r) {
  r.Add({"general_field_filter", OpKind::kFilter,
         "Keep samples for which a condition over their fields holds (Python syntax: and/or, comparisons, a.b).",
         {StringParam("filter_condition", "", "e.g. `num > 10 and meta.lang == \"en\"`; empty keeps everything")},
         {kStat},
         [](const Params& p, const OpEnv& e) { return std::make_unique<GeneralFieldFilter>(p, e); },
         [](const Params& p) -> Status {
           const std::string& raw = p.String("filter_condition");
           if (raw.empty()) return Status::Ok();
           // DJ parses the condition as given: leading whitespace is Python's IndentationError.
           if (std::isspace(static_cast<unsigned char>(raw[0])))
             return Status::Error("filter_condition: invalid syntax: leading whitespace (Python IndentationError)");
           return Parser(std::string(unicode::PyStrip(raw))).Parse().status();
         }});
}

}  // namespace winnow
