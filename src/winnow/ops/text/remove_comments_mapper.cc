// remove_comments_mapper: removes LaTeX comments: inline ones (an unescaped '%' to the end of
// the line, with the character before it, as DJ's pattern does) and whole comment lines.
#include "winnow/ops/text/regex_mapper.h"

namespace winnow {

void RegisterRemoveCommentsMapper(Registry& r) {
  r.Add({"remove_comments_mapper", OpKind::kMapper, "Remove comments from LaTeX documents.",
         {ParamSpec{"doc_type", ParamType::kAny, json::Value::String("tex"),
                    "document type(s); only 'tex' is handled (as in DJ)"},
          BoolParam("inline", true, "remove inline comments"),
          BoolParam("multiline", true, "remove whole-line comments")},
         {},
         [](const Params& p, const OpEnv& e) {
           std::vector<SubstitutionMapper::Step> steps;
           if (p.Bool("inline")) steps.push_back({R"([^\\]%.+$)", Regex::kMultiline, ""});
           if (p.Bool("multiline")) steps.push_back({R"((?m)^%.*\n?)", Regex::kMultiline, ""});
           return std::make_unique<SubstitutionMapper>("remove_comments_mapper", p, e, steps);
         }});
}

}  // namespace winnow
