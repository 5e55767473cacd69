// remove_table_text_mapper: removes runs of 2+ lines that look like table rows with i+1
// columns (whitespace/'|'-separated), for every i in [min_col - 1, max_col), as DJ does.
#include "winnow/ops/text/regex_mapper.h"

namespace winnow {
namespace {

std::vector<SubstitutionMapper::Step> Steps(const Params& p) {
  std::vector<SubstitutionMapper::Step> steps;
  for (int i = static_cast<int>(p.Number("min_col")) - 1; i < static_cast<int>(p.Number("max_col")); ++i)
    steps.push_back({R"((?<=\n)((\S+?)([ |\t](\S+?)){)" + std::to_string(i) + R"(}\n+){2,})", Regex::kNone, ""});
  return steps;
}

}  // namespace

void RegisterRemoveTableTextMapper(Registry& r) {
  r.Add({"remove_table_text_mapper", OpKind::kMapper, "Remove table-like text (rows of min_col..max_col columns).",
         {Range(IntParam("min_col", 2, "fewest columns of a table"), 2, 20),
          Range(IntParam("max_col", 20, "most columns of a table"), 2, 20)},
         {},
         [](const Params& p, const OpEnv& e) {
           return std::make_unique<SubstitutionMapper>("remove_table_text_mapper", p, e, Steps(p));
         }});
}

}  // namespace winnow
