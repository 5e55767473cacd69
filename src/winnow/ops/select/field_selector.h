// Shared key computation for the field-based selectors: DJ's stats_to_number of a (dotted)
// field. A missing field counts as unparsable (DJ would stop the run with an assertion).
#pragma once

#include "winnow/ops/general/field_value.h"
#include "winnow/ops/op.h"

namespace winnow {

inline Status FieldNumberKey(const Sample& s, const std::string& field_key, bool reverse, GlobalKey* key) {
  std::string raw;
  key->number = s.FieldRaw(field_key, &raw) ? StatsToNumber(raw, reverse) : StatsToNumber("null", reverse);
  return Status::Ok();
}

// Indices 0..n-1 stably sorted by key number, descending (heapq.nlargest order) or ascending.
std::vector<uint32_t> StableOrder(const std::vector<GlobalKey>& keys, const std::vector<uint32_t>& subset,
                                  bool descending);

}  // namespace winnow
