// expand_macro_mapper: expands argument-less LaTeX macros defined in the document
// (\newcommand{\name}{value} and \def\name{value}, one per line), as DJ does: names and values
// go through Python's 'unicode-escape' encoding before being used as pattern and replacement.
#include <cstdio>

#include "winnow/core/unicode.h"
#include "winnow/ops/text/regex_mapper.h"

namespace winnow {
namespace {

// Python's str.encode('unicode-escape').decode('utf-8').
std::string UnicodeEscape(std::string_view s) {
  std::string out;
  char buf[16];
  for (const char* p = s.data(); p < s.data() + s.size();) {
    uint32_t cp = unicode::DecodeUtf8(p);
    if (cp == '\\') out += "\\\\";
    else if (cp == '\t') out += "\\t";
    else if (cp == '\n') out += "\\n";
    else if (cp == '\r') out += "\\r";
    else if (cp >= 0x20 && cp < 0x7F) out.push_back(static_cast<char>(cp));
    else if (cp < 0x100) { std::snprintf(buf, sizeof buf, "\\x%02x", cp); out += buf; }
    else if (cp < 0x10000) { std::snprintf(buf, sizeof buf, "\\u%04x", cp); out += buf; }
    else { std::snprintf(buf, sizeof buf, "\\U%08x", cp); out += buf; }
  }
  return out;
}

class ExpandMacroMapper : public Mapper {
 public:
  ExpandMacroMapper(const Params& p, const OpEnv& env)
      : Mapper("expand_macro_mapper", p, env),
        newcommand_(CompileConstant(R"(\\\bnewcommand\b\*?\{(\\[a-zA-Z0-9]+?)\}\{(.*?)\}$)", Regex::kMultiline)),
        def_(CompileConstant(R"(\\def\s*(\\[a-zA-Z0-9]+?)\s*\{(.*?)\}$)", Regex::kMultiline)) {}

  Status Map(Sample& s) const override {
    auto t = s.Text(text_key_);
    if (!t.ok()) return t.status();
    // name -> value, in first-definition order, later definitions overriding the value.
    std::vector<std::pair<std::string, std::string>> macros;
    for (const auto* re : {&newcommand_, &def_}) {
      WINNOW_RETURN_IF_ERROR((*re)->ForEachMatch(*t, [&](const std::vector<std::string_view>& g) {
        std::string name = UnicodeEscape(g[1]), value = UnicodeEscape(g[2]);
        for (auto& m : macros)
          if (m.first == name) { m.second = std::move(value); return; }
        macros.emplace_back(std::move(name), std::move(value));
      }));
    }
    if (macros.empty()) return Status::Ok();
    std::string text(*t), out;
    bool changed = false;
    for (const auto& [name, value] : macros) {
      auto re = Regex::Compile("(" + name + ")([^a-zA-Z0-9])", Regex::kNone);
      if (!re.ok()) return re.status().WithContext("macro " + name);
      bool replaced = false;
      WINNOW_RETURN_IF_ERROR((*re)->Sub(text, value + "\\2", &out, &replaced));
      if (replaced) {
        text.swap(out);
        changed = true;
      }
    }
    if (changed) s.SetText(text_key_, std::move(text));
    return Status::Ok();
  }

 private:
  std::shared_ptr<const Regex> newcommand_, def_;
};

}  // namespace

void RegisterExpandMacroMapper(Registry& r) {
  r.Add({"expand_macro_mapper", OpKind::kMapper, "Expand argument-less macro definitions in LaTeX documents.", {}, {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<ExpandMacroMapper>(p, e); }});
}

}  // namespace winnow
