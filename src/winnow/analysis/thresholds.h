// Which of a filter's params bound which of its stats: DJ names range bounds min_* / max_*
// (min_len, max_ratio, min_score ...). The report draws them on the stat's histogram and the
// suggested-threshold snippet rewrites them.
#pragma once

#include <string>

#include "winnow/analysis/stats_collector.h"
#include "winnow/ops/params.h"

namespace winnow::analysis {

// Fills spec->min/max (and the param names) from `params` for stat `key` of an op with
// `n_keys` stat keys. With one stat key, its numeric min_X / max_X params; with several, only
// those whose X is a word of the key (min_score -> lang_score).
void FindThresholds(const Params& params, const std::string& key, size_t n_keys, ColumnSpec* spec);

}  // namespace winnow::analysis
