// average_line_length_filter: len(text) / number of str.splitlines() lines.
#include "winnow/core/unicode.h"
#include "winnow/ops/registry.h"
#include "winnow/ops/text/text_stat_filter.h"

namespace winnow {
namespace {

class AverageLineLengthFilter : public TextStatFilter {
 public:
  AverageLineLengthFilter(const Params& p, const OpEnv& env)
      : TextStatFilter("average_line_length_filter", p, env, "avg_line_length", "min_len", "max_len") {}
  void Compute(TextCache& t, Stats& stats) const override {
    double n_lines = static_cast<double>(Lines(t).size());
    stats.SetDouble(stat_key_, Ratio(static_cast<double>(unicode::CountCodePoints(t.text)), n_lines));
  }
};

}  // namespace

void RegisterAverageLineLengthFilter(Registry& r) {
  r.Add({"average_line_length_filter", OpKind::kFilter,
         "Keep samples whose average line length (code points per str.splitlines() line) is in range.",
         {IntParam("min_len", 10, "minimum average line length"),
          IntParam("max_len", kPyMaxSize, "maximum average line length")},
         {"avg_line_length"},
         [](const Params& p, const OpEnv& e) { return std::make_unique<AverageLineLengthFilter>(p, e); }});
}

}  // namespace winnow
