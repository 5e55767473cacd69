// Python value semantics DJ's field-based ops rely on: float(), truthiness, stats_to_number.
#pragma once

#include <string_view>

namespace winnow {

// Python float(s) for a str: surrounding whitespace, inf/nan words, digit underscores.
bool PyFloatFromString(std::string_view s, double* out);
// DJ's stats_to_number(raw JSON value, reverse): str -> float, list -> mean, otherwise
// (None, [], unparsable) -> -sys.maxsize if reverse else sys.maxsize.
double StatsToNumber(std::string_view raw, bool reverse);

}  // namespace winnow
