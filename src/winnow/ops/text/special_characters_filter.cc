// special_characters_filter: ratio of code points in DJ's SPECIAL_CHARACTERS set
// (ASCII punctuation, digits, whitespace, DJ's extra symbols and single-code-point emoji).
#include "winnow/core/ascii_simd.h"
#include "winnow/core/unicode.h"
#include "winnow/ops/registry.h"
#include "winnow/ops/text/text_stat_filter.h"

namespace winnow {
namespace {

class SpecialCharactersFilter : public TextStatFilter {
 public:
  SpecialCharactersFilter(const Params& p, const OpEnv& env)
      : TextStatFilter("special_characters_filter", p, env, "special_char_ratio", "min_ratio", "max_ratio") {}
  void Compute(TextCache& t, Stats& stats) const override {
    // ASCII specials are punctuation, digits and whitespace: everything but letters and the
    // control bytes other than \t\n\v\f\r (checked against the generated table in a test).
    size_t total = 0, special = 0;
    ascii::CountWhere(
        t.text,
        [](__m128i v) {
          __m128i controls = _mm_or_si128(_mm_or_si128(ascii::InRange(v, 0, 8), ascii::InRange(v, 14, 31)),
                                          _mm_cmpeq_epi8(v, _mm_set1_epi8(127)));
          return _mm_andnot_si128(_mm_or_si128(ascii::Letters(v), controls), _mm_set1_epi8(-1));
        },
        [](uint32_t cp) { return unicode::Is(cp, unicode::kDjSpecial); }, &total, &special);
    stats.SetDouble(stat_key_, Ratio(static_cast<double>(special), static_cast<double>(total)));
  }
};

}  // namespace

void RegisterSpecialCharactersFilter(Registry& r) {
  r.Add({"special_characters_filter", OpKind::kFilter,
         "Keep samples whose special-character ratio is within [min_ratio, max_ratio].",
         {FloatParam("min_ratio", 0.0, "minimum ratio"), FloatParam("max_ratio", 0.25, "maximum ratio")},
         {"special_char_ratio"},
         [](const Params& p, const OpEnv& e) { return std::make_unique<SpecialCharactersFilter>(p, e); }});
}

}  // namespace winnow
