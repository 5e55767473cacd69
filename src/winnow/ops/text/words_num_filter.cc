// words_num_filter: number of words after DJ's refinement (split on space/newline/tab, strip
// SPECIAL_CHARACTERS from both ends, drop empties).
#include "winnow/ops/registry.h"
#include "winnow/ops/text/dj_words.h"
#include "winnow/ops/text/text_stat_filter.h"
#include "winnow/core/unicode.h"

namespace winnow {
namespace {

class WordsNumFilter : public TextStatFilter {
 public:
  WordsNumFilter(const Params& p, const OpEnv& env)
      : TextStatFilter("words_num_filter", p, env, "num_words", "min_num", "max_num"), sp_(*DjTokenizer(p)) {
    if (sp_) counts_ = PerPieceId(*sp_, Counts);
  }
  void Compute(TextCache& t, Stats& stats) const override {
    if (!sp_) {
      stats.SetInt(stat_key_, static_cast<int64_t>(CountRefinedWords(t.text)));
      return;
    }
    int64_t n = 0;
    ForEachDjPiece(t, *sp_, counts_, Counts, [&](uint8_t counts) { n += counts; });
    stats.SetInt(stat_key_, n);
  }

 private:
  // Whether a piece is a word once stripped of SPECIAL_CHARACTERS.
  static uint8_t Counts(std::string_view w) {
    return StartsWithKeptSpaceMark(w) || !unicode::StripClass(w, unicode::kDjSpecial).empty();
  }
  std::shared_ptr<const DjWordTokenizer> sp_;
  std::vector<uint8_t> counts_;  // Counts() of each vocabulary piece
};

}  // namespace

void RegisterWordsNumFilter(Registry& r) {
  r.Add({"words_num_filter", OpKind::kFilter,
         "Keep samples whose number of words is within [min_num, max_num].",
         {StringParam("lang", "en", "language of the text (used with tokenization)"),
          TokenizationParam(), ModelDirParam(),
          IntParam("min_num", 10, "minimum number of words"),
          IntParam("max_num", kPyMaxSize, "maximum number of words")},
         {"num_words"},
         [](const Params& p, const OpEnv& e) { return std::make_unique<WordsNumFilter>(p, e); },
         ValidateDjTokenizer});
}

}  // namespace winnow
