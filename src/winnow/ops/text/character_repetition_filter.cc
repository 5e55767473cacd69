// character_repetition_filter: share of character n-gram occurrences taken by the most frequent
// n-grams (the top floor(sqrt(#distinct)) of those that repeat), as in DJ / BigScience.
#include <algorithm>
#include <cmath>

#include <xxhash.h>

#include "winnow/core/hash_counter.h"
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
    thread_local std::vector<uint32_t> starts;
    thread_local HashCounter counter;
    thread_local std::vector<uint32_t> freqs;
    starts.clear();
    const char* b = t.text.data();
    for (size_t i = 0; i < t.text.size(); ++i)
      if ((static_cast<unsigned char>(b[i]) & 0xC0) != 0x80) starts.push_back(static_cast<uint32_t>(i));
    starts.push_back(static_cast<uint32_t>(t.text.size()));
    size_t len = starts.size() - 1;
    if (len < n_) {
      stats.SetDouble(stat_key_, 0.0);
      return;
    }
    size_t total = len - n_ + 1;
    counter.Reset(total);
    for (size_t i = 0; i < total; ++i) counter.Add(XXH3_64bits(b + starts[i], starts[i + n_] - starts[i]));
    freqs.clear();
    size_t singletons = 0;
    counter.ForEachCount([&](uint32_t c) {
      freqs.push_back(c);
      singletons += c == 1;
    });
    size_t distinct = freqs.size();
    size_t k = std::min(static_cast<size_t>(std::sqrt(static_cast<double>(distinct))), distinct - singletons);
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
