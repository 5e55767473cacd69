// remove_non_chinese_character_mapper: removes every character that is not a CJK ideograph
// (U+4E00..U+9FA5), optionally keeping ASCII letters, digits and DJ's punctuation list.
#include "winnow/ops/text/regex_mapper.h"

namespace winnow {
namespace {

std::string Pattern(const Params& p) {
  std::string pattern = "[^一-龥";
  if (p.Bool("keep_alphabet")) pattern += "A-Za-z";
  if (p.Bool("keep_number")) pattern += "0-9";
  pattern += p.Bool("keep_punc") ? R"(.， ,\-。%《*》/•、&＆(—)（+）：？!！“”·]+)" : "]";
  return pattern;
}

}  // namespace

void RegisterRemoveNonChineseCharacterMapper(Registry& r) {
  r.Add({"remove_non_chinese_character_mapper", OpKind::kMapper,
         "Remove non-Chinese characters, optionally keeping letters, digits and punctuation.",
         {BoolParam("keep_alphabet", true, "keep A-Z and a-z"), BoolParam("keep_number", true, "keep 0-9"),
          BoolParam("keep_punc", true, "keep DJ's list of punctuation (and spaces)")},
         {},
         [](const Params& p, const OpEnv& e) {
           return std::make_unique<SubstitutionMapper>(
               "remove_non_chinese_character_mapper", p, e,
               std::vector<SubstitutionMapper::Step>{{Pattern(p), Regex::kDotAll, ""}});
         }});
}

}  // namespace winnow
