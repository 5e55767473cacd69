#include "winnow/analysis/thresholds.h"

#include <cmath>

namespace winnow::analysis {
namespace {

// True if `word` is one of the '_'-separated parts of `key`, or the key itself.
bool KeyHasWord(const std::string& key, const std::string& word) {
  size_t pos = 0;
  while (pos <= key.size()) {
    size_t end = key.find('_', pos);
    if (end == std::string::npos) end = key.size();
    if (key.compare(pos, end - pos, word) == 0) return true;
    pos = end + 1;
  }
  return false;
}

}  // namespace

void FindThresholds(const Params& params, const std::string& key, size_t n_keys, ColumnSpec* spec) {
  int n_min = 0, n_max = 0;
  std::string min_name, max_name;
  double min_v = 0, max_v = 0;
  for (const auto& [name, value] : params.all()) {
    if (value.type() != json::Type::kNumber) continue;
    const bool is_min = name.rfind("min_", 0) == 0, is_max = name.rfind("max_", 0) == 0;
    if (!is_min && !is_max) continue;
    if (n_keys > 1 && !KeyHasWord(key, name.substr(4))) continue;
    if (is_min) { ++n_min; min_name = name; min_v = value.as_number(); }
    else { ++n_max; max_name = name; max_v = value.as_number(); }
  }
  // Ambiguous (two min_* for one stat): nothing rather than the wrong line. A bound at DJ's
  // sys.maxsize means "unbounded": the param is named (suggestions set it) but no line is drawn.
  auto bounded = [](double v) { return std::isfinite(v) && std::fabs(v) < kPyMaxSize; };
  if (n_min == 1) {
    spec->min_param = min_name;
    if (bounded(min_v)) spec->min = min_v;
  }
  if (n_max == 1) {
    spec->max_param = max_name;
    if (bounded(max_v)) spec->max = max_v;
  }
}

}  // namespace winnow::analysis
