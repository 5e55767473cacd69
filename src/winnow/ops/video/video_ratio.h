// Python's Fraction(str(x).replace(":", "/")) as DJ's video ops read their ratio bounds
// ("9/21", "9:21", "1.5", "2e-1"), exact: video_aspect_ratio_filter and
// video_resize_aspect_ratio_mapper compare aspect ratios with them without rounding.
#pragma once

#include <string>

#include "winnow/core/status.h"

namespace winnow {

// An exact fraction num/den (den > 0), enough for Python's Fraction here.
struct VideoRatio {
  __int128 num = 0, den = 1;
  bool operator<(const VideoRatio& o) const { return num * o.den < o.num * den; }
  bool operator>(const VideoRatio& o) const { return o < *this; }
};

Result<VideoRatio> ParseVideoRatio(const std::string& text);

}  // namespace winnow
