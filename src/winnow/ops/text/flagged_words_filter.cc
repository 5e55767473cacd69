// flagged_words_filter: keep samples whose share of flagged (obscene/offensive) words is within
// [min_ratio, max_ratio]. Default lists: LDNOOBW via npm naughty-words.
#include "winnow/ops/registry.h"
#include "winnow/ops/text/word_list_ratio_filter.h"

namespace winnow {

void RegisterFlaggedWordsFilter(Registry& r) {
  r.Add({"flagged_words_filter", OpKind::kFilter,
         "Keep samples whose flagged-word ratio (refined words in the lang's flagged-word list / all words) is in range.",
         WordListRatioFilter::SharedParams("flagged_words_dir", 0.0, 0.045),
         {"flagged_words_ratio"},
         [](const Params& p, const OpEnv& e) {
           return std::make_unique<WordListRatioFilter>("flagged_words_filter", p, e, "flagged_words",
                                                        "flagged_words_dir", "flagged_words_ratio");
         },
         [](const Params& p) { return WordListRatioFilter::Validate(p, "flagged_words", "flagged_words_dir"); }});
}

}  // namespace winnow
