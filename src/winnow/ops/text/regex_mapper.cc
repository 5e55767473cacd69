#include "winnow/ops/text/regex_mapper.h"

namespace winnow {
namespace {

std::string PatternOf(const Params& p, const std::string& default_pattern) {
  const json::Value& v = p.Get("pattern");
  return v.is_null() ? default_pattern : StripPythonRawQuotes(v.as_string());
}

}  // namespace

RegexMapper::RegexMapper(std::string name, const Params& p, const OpEnv& env,
                         const std::string& default_pattern)
    : Mapper(std::move(name), p, env), repl_(p.String("repl")) {
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
  WINNOW_RETURN_IF_ERROR(regex_->Sub(*t, repl_, &out, &replaced));
  if (replaced) s.SetText(text_key_, out);
  return Status::Ok();
}

}  // namespace winnow
