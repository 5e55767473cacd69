// remove_header_mapper: removes everything before the first LaTeX sectioning command.
// DJ's pattern is kept verbatim, including its missing '|' between the paragraph and
// subparagraph alternatives. DJ's drop_no_head has no effect (it assigns a local and moves on),
// so a text without a header is left unchanged here too.
#include "winnow/ops/text/regex_mapper.h"

namespace winnow {
namespace {
const char* kPattern =
    R"(^(.*?)()"
    R"(\\\bchapter\b\*?(?:\[(.*?)\])?\{(.*?)\}|)"
    R"(\\\bpart\b\*?(?:\[(.*?)\])?\{(.*?)\}|)"
    R"(\\\bsection\b\*?(?:\[(.*?)\])?\{(.*?)\}|)"
    R"(\\\bsubsection\b\*?(?:\[(.*?)\])?\{(.*?)\}|)"
    R"(\\\bsubsubsection\b\*?(?:\[(.*?)\])?\{(.*?)\}|)"
    R"(\\\bparagraph\b\*?(?:\[(.*?)\])?\{(.*?)\})"
    R"(\\\bsubparagraph\b\*?(?:\[(.*?)\])?\{(.*?)\})"
    R"())";
}  // namespace

void RegisterRemoveHeaderMapper(Registry& r) {
  r.Add({"remove_header_mapper", OpKind::kMapper, "Remove the header (text before the first chapter/section) of LaTeX documents.",
         {BoolParam("drop_no_head", true, "accepted; as in DJ it has no effect")}, {},
         [](const Params& p, const OpEnv& e) {
           return std::make_unique<SubstitutionMapper>("remove_header_mapper", p, e,
                                                       std::vector<SubstitutionMapper::Step>{{kPattern, Regex::kDotAll, "\\2"}});
         }});
}

}  // namespace winnow
