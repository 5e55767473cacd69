// clean_email_mapper: removes (or replaces) e-mail addresses.
#include "winnow/ops/text/regex_mapper.h"

namespace winnow {
namespace {
const std::string kDefaultPattern = R"([A-Za-z0-9.\-+_]+@[a-z0-9.\-+_]+\.[a-z]+)";
// Every match has an '@' and no whitespace.
bool MayHoldEmail(std::string_view token) { return token.find('@') != std::string_view::npos; }
}  // namespace

void RegisterCleanEmailMapper(Registry& r) {
  r.Add({"clean_email_mapper", OpKind::kMapper, "Remove or replace e-mail addresses in the text.",
         RegexMapper::Specs("e-mail addresses"), {},
         [](const Params& p, const OpEnv& e) {
           return std::make_unique<RegexMapper>("clean_email_mapper", p, e, kDefaultPattern, TokenPrefilter{"@", MayHoldEmail});
         },
         [](const Params& p) { return RegexMapper::Validate(p, kDefaultPattern); }});
}

}  // namespace winnow
