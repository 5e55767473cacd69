// remove_bibliography_mapper: drops a LaTeX document's tail from the appendix / references /
// bibliography onwards (DJ's pattern, re.DOTALL).
#include "winnow/ops/text/regex_mapper.h"

namespace winnow {

void RegisterRemoveBibliographyMapper(Registry& r) {
  r.Add({"remove_bibliography_mapper", OpKind::kMapper,
         "Remove the bibliography (and anything after \\appendix or the references) from LaTeX text.", {}, {},
         [](const Params& p, const OpEnv& e) {
           return std::make_unique<SubstitutionMapper>(
               "remove_bibliography_mapper", p, e,
               std::vector<SubstitutionMapper::Step>{
                   {R"((\\appendix|\\begin\{references\}|\\begin\{REFERENCES\}|\\begin\{thebibliography\}|\\bibliography\{.*\}).*$)",
                    Regex::kDotAll, ""}});
         }});
}

}  // namespace winnow
