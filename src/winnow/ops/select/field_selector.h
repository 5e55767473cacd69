// Shared key computation for the field-based selectors: DJ's stats_to_number of a (dotted)
// field. A missing field counts as unparsable (DJ would stop the run with an assertion).
#pragma once

#include <algorithm>
#include <optional>

#include "winnow/ops/general/field_value.h"
#include "winnow/ops/op.h"

namespace winnow {

inline Status FieldNumberKey(const Sample& s, const std::string& field_key, bool reverse, GlobalKey* key) {
  std::string raw;
  key->number = s.FieldRaw(field_key, &raw) ? StatsToNumber(raw, reverse) : StatsToNumber("null", reverse);
  return Status::Ok();
}

// DJ's top_ratio / topk rule (topk and frequency selectors): how many of `count` items to keep,
// or nullopt for "keep everything" (no ratio and no topk). A ratio of 0 counts as unset.
inline std::optional<size_t> TopCount(const json::Value& top_ratio, const json::Value& topk, size_t count) {
  double select_num;
  if (top_ratio.is_null() || top_ratio.as_number() == 0) {
    if (topk.is_null()) return std::nullopt;
    select_num = topk.as_number();
  } else {
    select_num = top_ratio.as_number() * static_cast<double>(count);
    if (!topk.is_null() && topk.as_number() < select_num) select_num = topk.as_number();
  }
  return std::min(count, static_cast<size_t>(select_num));
}

// Indices 0..n-1 stably sorted by key number, descending (heapq.nlargest order) or ascending.
std::vector<uint32_t> StableOrder(const std::vector<GlobalKey>& keys, const std::vector<uint32_t>& subset,
                                  bool descending);

}  // namespace winnow
