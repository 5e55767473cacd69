// stopwords_filter: keep samples whose share of stop words (DJ's refined words found in the
// lang's stop-word list) is within [min_ratio, max_ratio]. Default lists: npm stopwords-iso.
#include "winnow/ops/registry.h"
#include "winnow/ops/text/word_list_ratio_filter.h"

namespace winnow {

void RegisterStopwordsFilter(Registry& r) {
  r.Add({"stopwords_filter", OpKind::kFilter,
         "Keep samples whose stop-word ratio (refined words in the lang's stop-word list / all words) is in range.",
         WordListRatioFilter::SharedParams("stopwords_dir", 0.3, 1.0),
         {"stopwords_ratio"},
         [](const Params& p, const OpEnv& e) {
           return std::make_unique<WordListRatioFilter>("stopwords_filter", p, e, "stopwords", "stopwords_dir",
                                                        "stopwords_ratio");
         },
         [](const Params& p) { return WordListRatioFilter::Validate(p, "stopwords", "stopwords_dir"); }});
}

}  // namespace winnow
