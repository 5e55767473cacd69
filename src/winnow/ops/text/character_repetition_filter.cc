// character_repetition_filter: share of character n-gram occurrences taken by the most frequent
// n-grams (the top floor(sqrt(#distinct)) of those that repeat), as in DJ / BigScience.
#include <algorithm>
#include <cmath>


#include "winnow/core/hash_counter.h"
#include "winnow/core/window_hash.h"
#include "winnow/core/unicode.h"
#include "winnow/ops/registry.h"
#include "winnow/ops/text/text_stat_filter.h"

namespace winnow {
namespace {

class CharacterRepetitionFilter : public TextStatFilter {
 public:
  CharacterRepetitionFilter(const Params& p, const OpEnv& env)
      : TextStatFilter("character_repetition_filter", p, env, "char_rep_ratio", "min_ratio", "max_ratio"),
        n_(static_cast<size_t>(p.Number("rep_len"))) {}

  void Compute(TextCache& t, Stats& stats) const override {
    thread_local std::vector<uint32_t> cps;
    thread_local std::vector<uint64_t> hashes;
    thread_local HashCounter counter;
    thread_local std::vector<uint32_t> freqs;
    // Count every n-gram of code points by its hash. ASCII text is its own code points.
    size_t len = unicode::CountCodePoints(t.text);
    if (len < n_) {
      stats.SetDouble(stat_key_, 0.0);
      return;
    }
    size_t total = len - n_ + 1;
    hashes.resize(total);
    if (len == t.text.size()) {
      WindowHash::AllWindows(reinterpret_cast<const uint8_t*>(t.text.data()), len, n_, hashes.data());
    } else {
      cps.resize(len + unicode::kDecodeSlack);
      unicode::DecodeAll(t.text, cps.data());
      WindowHash::AllWindows(cps.data(), len, n_, hashes.data());
    }
    counter.Count(hashes.data(), hashes.data() + total);
    // Only repeated n-grams can be among the top k (k <= #distinct - #singletons).
    freqs = counter.repeated_counts();
    size_t distinct = counter.distinct();
    size_t k = std::min(static_cast<size_t>(std::sqrt(static_cast<double>(distinct))), freqs.size());
    std::nth_element(freqs.begin(), freqs.begin() + k, freqs.end(), std::greater<uint32_t>());
    uint64_t top = 0;
    for (size_t i = 0; i < k; ++i) top += freqs[i];
    stats.SetDouble(stat_key_, Ratio(static_cast<double>(top), static_cast<double>(total)));
  }

 private:
  size_t n_;
};

}  // namespace

void RegisterCharacterRepetitionFilter(Registry& r) {
  r.Add({"character_repetition_filter", OpKind::kFilter,
         "Keep samples whose character n-gram repetition ratio is within [min_ratio, max_ratio].",
         {Range(IntParam("rep_len", 10, "n-gram length in code points"), 0, std::nullopt, true),
          FloatParam("min_ratio", 0.0, "minimum ratio"), FloatParam("max_ratio", 0.5, "maximum ratio")},
         {"char_rep_ratio"},
         [](const Params& p, const OpEnv& e) { return std::make_unique<CharacterRepetitionFilter>(p, e); }});
}

}  // namespace winnow
