// word_repetition_filter: share of word n-gram occurrences whose n-gram occurs more than once.
// Words are DJ's refined words, lower-cased (words_refinement(lower_case=True)).
#define XXH_INLINE_ALL  // short keys: let the compiler inline XXH3
#include "winnow/core/xxhash_include.h"

#include "winnow/core/hash_counter.h"
#include "winnow/core/rolling_hash.h"
#include "winnow/core/unicode.h"
#include "winnow/ops/registry.h"
#include "winnow/ops/text/dj_words.h"
#include "winnow/ops/text/text_stat_filter.h"

namespace winnow {
namespace {

class WordRepetitionFilter : public TextStatFilter {
 public:
  WordRepetitionFilter(const Params& p, const OpEnv& env)
      : TextStatFilter("word_repetition_filter", p, env, "word_rep_ratio", "min_ratio", "max_ratio"),
        n_(static_cast<size_t>(p.Number("rep_len"))),
        sp_(*DjTokenizer(p)) {
    if (sp_) refined_ = PerPieceId(*sp_, Refined);
  }

  void Compute(TextCache& t, Stats& stats) const override {
    // Words: DJ's split of the lower-cased text, stripped of SPECIAL_CHARACTERS, empties removed.
    // Each is reduced to a 64-bit hash on the fly (no word list is built).
    thread_local std::vector<uint64_t> syms, hashes;
    thread_local HashCounter counter;
    syms.clear();
    // Lowering never creates or removes ' ', '\n', '\t', so lower-then-split equals DJ's
    // split-then-lower.
    thread_local std::string lower;
    if (sp_) {  // pieces of the original text, each lower-cased, then stripped
      ForEachDjPiece(t, *sp_, refined_, Refined, [&](const RefinedPiece& r) {
        if (!r.empty) syms.push_back(r.hash);
      });
    } else {
    unicode::PyLowerInto(t.text, &lower);
    ForEachWord(lower, [&](std::string_view w) {
      // Words that start and end with an ASCII letter (most) have nothing to strip.
      auto letter = [](char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; };
      std::string_view s =
          letter(w.front()) && letter(w.back()) ? w : unicode::StripClass(w, unicode::kDjSpecial);
      if (!s.empty()) syms.push_back(XXH3_64bits(s.data(), s.size()));
    });
    }
    if (syms.size() < n_) {
      stats.SetDouble(stat_key_, 0.0);
      return;
    }
    // An n-gram is identified by the rolling hash of its words' hashes (words never contain the
    // ' ' DJ joins them with, so the word sequence determines the joined n-gram).
    size_t total = syms.size() - n_ + 1;
    hashes.resize(total);
    RollingHash::AllWindows(syms.data(), syms.size(), n_, hashes.data());
    counter.Count(hashes.data(), hashes.data() + total);
    uint64_t repeated = 0;
    for (uint32_t c : counter.repeated_counts()) repeated += c;
    stats.SetDouble(stat_key_, Ratio(static_cast<double>(repeated), static_cast<double>(total)));
  }

 private:
  // A piece as a word of the n-grams: lower-cased and stripped, then hashed (unless empty).
  struct RefinedPiece {
    uint64_t hash;
    bool empty;
  };
  static RefinedPiece Refined(std::string_view piece) {
    thread_local std::string buf;
    const std::string_view s = RefineDjWord(piece, &buf);
    return {s.empty() ? 0 : XXH3_64bits(s.data(), s.size()), s.empty()};
  }
  size_t n_;
  std::shared_ptr<const DjWordTokenizer> sp_;
  std::vector<RefinedPiece> refined_;  // of each vocabulary piece
};

}  // namespace

void RegisterWordRepetitionFilter(Registry& r) {
  r.Add({"word_repetition_filter", OpKind::kFilter,
         "Keep samples whose word n-gram repetition ratio is within [min_ratio, max_ratio].",
         {StringParam("lang", "en", "language of the text (used with tokenization)"),
          TokenizationParam(), ModelDirParam(),
          Range(IntParam("rep_len", 10, "n-gram length in words"), 0, std::nullopt, true),
          FloatParam("min_ratio", 0.0, "minimum ratio"), FloatParam("max_ratio", 0.5, "maximum ratio")},
         {"word_rep_ratio"},
         [](const Params& p, const OpEnv& e) { return std::make_unique<WordRepetitionFilter>(p, e); },
         ValidateDjTokenizer});
}

}  // namespace winnow
