// word_repetition_filter: share of word n-gram occurrences whose n-gram occurs more than once.
// Words are DJ's refined words, lower-cased (words_refinement(lower_case=True)).
#include <xxhash.h>

#include "winnow/core/hash_counter.h"
#include "winnow/core/rolling_hash.h"
#include "winnow/ops/registry.h"
#include "winnow/ops/text/text_stat_filter.h"

namespace winnow {
namespace {

class WordRepetitionFilter : public TextStatFilter {
 public:
  WordRepetitionFilter(const Params& p, const OpEnv& env)
      : TextStatFilter("word_repetition_filter", p, env, "word_rep_ratio", "min_ratio", "max_ratio"),
        n_(static_cast<size_t>(p.Number("rep_len"))) {}

  void Compute(TextCache& t, Stats& stats) const override {
    const auto& words = LowerRefinedWords(t);
    if (words.size() < n_) {
      stats.SetDouble(stat_key_, 0.0);
      return;
    }
    thread_local std::vector<uint64_t> syms, hashes;
    thread_local HashCounter counter;
    syms.clear();
    for (std::string_view w : words) syms.push_back(RollingHash::Symbol(XXH3_64bits(w.data(), w.size())));
    // An n-gram is identified by the rolling hash of its words' hashes (words never contain the
    // ' ' DJ joins them with, so the word sequence determines the joined n-gram).
    size_t total = words.size() - n_ + 1;
    hashes.resize(total);
    RollingHash::AllWindows(syms.data(), syms.size(), n_, hashes.data());
    counter.Count(hashes.data(), hashes.data() + total);
    uint64_t repeated = 0;
    for (uint32_t c : counter.repeated_counts()) repeated += c;
    stats.SetDouble(stat_key_, Ratio(static_cast<double>(repeated), static_cast<double>(total)));
  }

 private:
  size_t n_;
};

}  // namespace

void RegisterWordRepetitionFilter(Registry& r) {
  r.Add({"word_repetition_filter", OpKind::kFilter,
         "Keep samples whose word n-gram repetition ratio is within [min_ratio, max_ratio].",
         {StringParam("lang", "en", "language of the text (used with tokenization)"),
          BoolParam("tokenization", false, "split words with a SentencePiece model (not supported yet)"),
          Range(IntParam("rep_len", 10, "n-gram length in words"), 0, std::nullopt, true),
          FloatParam("min_ratio", 0.0, "minimum ratio"), FloatParam("max_ratio", 0.5, "maximum ratio")},
         {"word_rep_ratio"},
         [](const Params& p, const OpEnv& e) { return std::make_unique<WordRepetitionFilter>(p, e); },
         [](const Params& p) { return RejectTokenization(p, "a SentencePiece model"); }});
}

}  // namespace winnow
