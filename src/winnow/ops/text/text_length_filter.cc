// text_length_filter: keeps samples whose text length (code points, Python len) is in range.
#include "winnow/core/unicode.h"
#include "winnow/ops/registry.h"
#include "winnow/ops/text/text_stat_filter.h"

namespace winnow {
namespace {

class TextLengthFilter : public TextStatFilter {
 public:
  TextLengthFilter(const Params& p, const OpEnv& env)
      : TextStatFilter("text_length_filter", p, env, "text_len", "min_len", "max_len") {}
  void Compute(TextCache& t, Stats& stats) const override {
    stats.SetInt(stat_key_, static_cast<int64_t>(unicode::CountCodePoints(t.text)));
  }
};

}  // namespace

void RegisterTextLengthFilter(Registry& r) {
  r.Add({"text_length_filter", OpKind::kFilter,
         "Keep samples whose text length (in Unicode code points) is within [min_len, max_len].",
         {IntParam("min_len", 10, "minimum text length"),
          IntParam("max_len", kPyMaxSize, "maximum text length")},
         {"text_len"},
         [](const Params& p, const OpEnv& e) { return std::make_unique<TextLengthFilter>(p, e); }});
}

}  // namespace winnow
