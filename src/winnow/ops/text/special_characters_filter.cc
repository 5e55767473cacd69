// special_characters_filter: ratio of code points in DJ's SPECIAL_CHARACTERS set
// (ASCII punctuation, digits, whitespace, DJ's extra symbols and single-code-point emoji).
#include "winnow/core/unicode.h"
#include "winnow/ops/registry.h"
#include "winnow/ops/text/text_stat_filter.h"

namespace winnow {
namespace {

class SpecialCharactersFilter : public TextStatFilter {
 public:
  SpecialCharactersFilter(const Params& p, const OpEnv& env)
      : TextStatFilter("special_characters_filter", p, env, "special_char_ratio", "min_ratio", "max_ratio") {
    for (int c = 0; c < 128; ++c) ascii_special_[c] = unicode::Is(c, unicode::kDjSpecial);
  }
  void Compute(TextCache& t, Stats& stats) const override {
    size_t special = 0, total = 0;
    const char* p = t.text.data();
    const char* end = p + t.text.size();
    while (p < end) {
      unsigned char c = static_cast<unsigned char>(*p);
      if (c < 0x80) {
        special += ascii_special_[c];
        ++p;
      } else {
        special += unicode::Is(unicode::DecodeUtf8(p), unicode::kDjSpecial);
      }
      ++total;
    }
    stats.SetDouble(stat_key_, Ratio(static_cast<double>(special), static_cast<double>(total)));
  }

 private:
  bool ascii_special_[128];
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
