#include "winnow/ops/text/regex_mapper.h"

#include <array>

namespace winnow {
namespace {

std::string PatternOf(const Params& p, const std::string& default_pattern) {
  const json::Value& v = p.Get("pattern");
  return v.is_null() ? default_pattern : StripPythonRawQuotes(v.as_string());
}

// ASCII whitespace bytes (all matched by \s, so no default pattern's match spans them).
const std::array<bool, 256> kAsciiSpace = [] {
  std::array<bool, 256> a{};
  for (unsigned char c : {' ', '\n', '\t', '\r', '\f', '\v'}) a[c] = true;
  return a;
}();
inline bool IsAsciiSpace(char c) { return kAsciiSpace[static_cast<unsigned char>(c)]; }

}  // namespace

RegexMapper::RegexMapper(std::string name, const Params& p, const OpEnv& env,
                         const std::string& default_pattern, TokenPrefilter prefilter)
    : Mapper(std::move(name), p, env),
      repl_(p.String("repl")),
      prefilter_(p.Get("pattern").is_null() ? prefilter : nullptr) {
  auto r = Regex::Compile(PatternOf(p, default_pattern), /*dotall=*/true);
  WINNOW_CHECK(r.ok());  // Validate() ran at recipe load
  regex_ = *r;
}

Status RegexMapper::Validate(const Params& p, const std::string& default_pattern) {
  auto r = Regex::Compile(PatternOf(p, default_pattern), true);
  if (!r.ok()) return r.status().WithContext("pattern");
  return (*r)->CheckReplacement(p.String("repl")).WithContext("repl");
}

std::vector<ParamSpec> RegexMapper::Specs(const std::string& what) {
  return {Optional(ParamSpec{"pattern", ParamType::kString, json::Value::Null(),
                             "regular expression for " + what + " (None = DJ's default; r'...' accepted)"}),
          StringParam("repl", "", "replacement (Python re.sub syntax: \\1, \\g<name>)")};
}

Status RegexMapper::Map(Sample& s) const {
  auto t = s.Text(text_key_);
  if (!t.ok()) return t.status();
  thread_local std::string out;
  bool replaced = false;
  if (prefilter_) {
    // Candidate tokens: maximal runs without ASCII whitespace (which the pattern never matches)
    // that pass the prefilter.
    thread_local Regex::Windows windows;
    windows.clear();
    std::string_view text = *t;
    size_t i = 0, n = text.size();
    while (i < n) {
      while (i < n && IsAsciiSpace(text[i])) ++i;
      size_t b = i;
      while (i < n && !IsAsciiSpace(text[i])) ++i;
      if (i > b && prefilter_(text.substr(b, i - b))) windows.emplace_back(b, i);
    }
    if (windows.empty()) return Status::Ok();
    WINNOW_RETURN_IF_ERROR(regex_->SubWindows(text, windows, repl_, &out, &replaced));
    if (replaced) s.SetText(text_key_, out);
    return Status::Ok();
  }
  WINNOW_RETURN_IF_ERROR(regex_->Sub(*t, repl_, &out, &replaced));
  if (replaced) s.SetText(text_key_, out);
  return Status::Ok();
}

}  // namespace winnow
