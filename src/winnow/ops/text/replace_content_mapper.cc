// replace_content_mapper: re.sub of each pattern (a string or a list; r'...' unwrapped) by its
// repl (one string for all, or a list matched by position), in order, with re.DOTALL.
#include "winnow/ops/text/regex_mapper.h"

namespace winnow {
namespace {

std::vector<std::string> StringList(const json::Value& v) {
  std::vector<std::string> out;
  if (v.type() == json::Type::kString) out.push_back(v.as_string());
  if (v.type() == json::Type::kArray)
    for (const auto& e : v.as_array()) out.push_back(e.as_string());
  return out;
}

std::vector<SubstitutionMapper::Step> Steps(const Params& p) {
  std::vector<SubstitutionMapper::Step> steps;
  std::vector<std::string> patterns = StringList(p.Get("pattern"));
  std::vector<std::string> repls = StringList(p.Get("repl"));
  bool repl_list = p.Get("repl").type() == json::Type::kArray;
  for (size_t i = 0; i < patterns.size(); ++i)
    steps.push_back({StripPythonRawQuotes(patterns[i]), Regex::kDotAll,
                     repl_list ? (i < repls.size() ? repls[i] : "") : repls.empty() ? "" : repls[0]});
  return steps;
}

Status Validate(const Params& p) {
  auto is_strings = [](const json::Value& v) {
    if (v.type() == json::Type::kString) return true;
    if (v.type() != json::Type::kArray) return false;
    for (const auto& e : v.as_array())
      if (e.type() != json::Type::kString) return false;
    return true;
  };
  if (!p.IsNull("pattern") && !is_strings(p.Get("pattern")))
    return Status::Error("pattern must be a string or a list of strings");
  if (!is_strings(p.Get("repl"))) return Status::Error("repl must be a string or a list of strings");
  // DJ raises this for every sample at run time; it is a recipe error here.
  size_t n_patterns = StringList(p.Get("pattern")).size();
  if (p.Get("repl").type() == json::Type::kArray && StringList(p.Get("repl")).size() < n_patterns)
    return Status::Error("pattern has " + std::to_string(n_patterns) + " entries but repl only " +
                         std::to_string(StringList(p.Get("repl")).size()));
  for (const auto& st : Steps(p)) {
    auto r = Regex::Compile(st.pattern, st.flags);
    if (!r.ok()) return r.status().WithContext("pattern '" + st.pattern + "'");
    WINNOW_RETURN_IF_ERROR((*r)->CheckReplacement(st.repl).WithContext("repl"));
  }
  return Status::Ok();
}

}  // namespace

void RegisterReplaceContentMapper(Registry& r) {
  r.Add({"replace_content_mapper", OpKind::kMapper, "Replace what matches the pattern(s) with repl.",
         {Optional(ParamSpec{"pattern", ParamType::kAny, json::Value::Null(), "regex or list of regexes"}),
          ParamSpec{"repl", ParamType::kAny, json::Value::String(""), "replacement, or one per pattern"}},
         {},
         [](const Params& p, const OpEnv& e) {
           return std::make_unique<SubstitutionMapper>("replace_content_mapper", p, e, Steps(p));
         },
         Validate});
}

}  // namespace winnow
