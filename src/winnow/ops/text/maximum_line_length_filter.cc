// maximum_line_length_filter: the longest str.splitlines() line, in code points.
#include <algorithm>

#include "winnow/core/unicode.h"
#include "winnow/ops/registry.h"
#include "winnow/ops/text/text_stat_filter.h"

namespace winnow {
namespace {

class MaximumLineLengthFilter : public TextStatFilter {
 public:
  MaximumLineLengthFilter(const Params& p, const OpEnv& env)
      : TextStatFilter("maximum_line_length_filter", p, env, "max_line_length", "min_len", "max_len") {}
  void Compute(TextCache& t, Stats& stats) const override {
    size_t longest = 0;
    for (std::string_view line : Lines(t)) longest = std::max(longest, unicode::CountCodePoints(line));
    stats.SetInt(stat_key_, static_cast<int64_t>(longest));
  }
};

}  // namespace

void RegisterMaximumLineLengthFilter(Registry& r) {
  r.Add({"maximum_line_length_filter", OpKind::kFilter,
         "Keep samples whose longest line (code points, str.splitlines()) is within [min_len, max_len].",
         {IntParam("min_len", 10, "minimum of the longest line's length"),
          IntParam("max_len", kPyMaxSize, "maximum of the longest line's length")},
         {"max_line_length"},
         [](const Params& p, const OpEnv& e) { return std::make_unique<MaximumLineLengthFilter>(p, e); }});
}

}  // namespace winnow
