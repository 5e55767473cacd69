// clean_links_mapper: removes (or replaces) URLs and other links.
#include "winnow/ops/text/regex_mapper.h"

namespace winnow {
namespace {
// DJ's default pattern, verbatim (case-insensitive; `\w` is Unicode-aware).
const std::string kDefaultPattern =
    R"((?i)\b()"
    R"((?:[a-z][\w-]+:(?:\/{1,3}|)"
    R"([a-z0-9%])|www\d{0,3}[.]|)"
    R"([a-z0-9.\-]+[.][a-z]{2,4}\/))"
    R"((?:[^\s()<>]+|\(([^\s()<>]+|)"
    R"((\([^\s()<>]+\)))*\)))"
    R"(+(?:\(([^\s()<>]+|(\([^\s()<>]+\)))*\)|)"
    R"([^\s`!()\[\]{};:\'\".,<>?«»“”‘’]))"
    R"())";
}  // namespace

void RegisterCleanLinksMapper(Registry& r) {
  r.Add({"clean_links_mapper", OpKind::kMapper, "Remove or replace links (URLs) in the text.",
         RegexMapper::Specs("links"), {},
         [](const Params& p, const OpEnv& e) {
           return std::make_unique<RegexMapper>("clean_links_mapper", p, e, kDefaultPattern);
         },
         [](const Params& p) { return RegexMapper::Validate(p, kDefaultPattern); }});
}

}  // namespace winnow
