// video_resize_aspect_ratio_mapper: videos whose aspect ratio (width / height, exact) is outside
// [min_ratio, max_ratio] are rescaled with FFmpeg's `scale` filter to DJ's `rescale` size: the
// width or height moved to the nearest bound ("increase" grows a side, "decrease" shrinks one),
// kept even, then DJ's asserts that the new ratio is within the bounds (a failed assert fails
// the sample, as in DJ), then at least 2 each. Ratios are exact fractions ("9:21", "9/21",
// "0.75"), as Python's Fraction. Videos within the range keep their path; the output holds only
// the scaled video stream, as in DJ.
#include <cctype>
#include <filesystem>

#include "winnow/media/av_writer.h"
#include "winnow/media/sample_media.h"
#include "winnow/ops/media_mapper.h"
#include "winnow/ops/registry.h"
#include "winnow/ops/video/video_ratio.h"

namespace winnow {

namespace {

__int128 FloorDiv(__int128 a, __int128 b) { return a / b; }          // a, b >= 0
__int128 CeilDiv(__int128 a, __int128 b) { return (a + b - 1) / b; }  // a >= 0, b > 0

}  // namespace

// DJ's rescale(); an error where DJ's assert (or a zero height) fails.
Result<std::pair<int64_t, int64_t>> VideoResizeAspectRatioTarget(int64_t w, int64_t h, VideoRatio min_r,
                                                                  VideoRatio max_r, const std::string& strategy) {
  __int128 sw = w, sh = h;
  VideoRatio ori{w, h};
  if (ori < min_r) {
    if (strategy == "increase") {
      sw = CeilDiv(h * min_r.num, min_r.den);
      sw += sw % 2;
    } else {
      if (min_r.num == 0) return Status::Error("division by zero (min_ratio is 0)");
      sh = FloorDiv(w * min_r.den, min_r.num);
      sh -= sh % 2;
    }
  } else if (ori > max_r) {
    if (strategy == "increase") {
      if (max_r.num == 0) return Status::Error("division by zero (max_ratio is 0)");
      sh = CeilDiv(w * max_r.den, max_r.num);
      sh += sh % 2;
    } else {
      sw = FloorDiv(h * max_r.num, max_r.den);
      sw -= sw % 2;
    }
  }
  if (sh == 0) return Status::Error("Fraction(" + std::to_string(static_cast<int64_t>(sw)) + ", 0)");
  VideoRatio scaled{sw, sh};
  if (scaled < min_r || scaled > max_r)
    return Status::Error("AssertionError: rescaled " + std::to_string(static_cast<int64_t>(sw)) + "x" +
                         std::to_string(static_cast<int64_t>(sh)) + " is outside the ratio range");
  return std::make_pair(std::max<int64_t>(2, static_cast<int64_t>(sw)), std::max<int64_t>(2, static_cast<int64_t>(sh)));
}

namespace {

class VideoResizeAspectRatioMapper : public MediaMapper {
 public:
  VideoResizeAspectRatioMapper(const Params& p, const OpEnv& env)
      : MediaMapper("video_resize_aspect_ratio_mapper", p, env, MediaKind::kVideo),
        min_(*ParseVideoRatio(p.String("min_ratio"))), max_(*ParseVideoRatio(p.String("max_ratio"))),
        strategy_(p.String("strategy")) {
    for (char& c : strategy_) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }

  Status Map(Sample& s) const override {
    MediaList list;
    WINNOW_RETURN_IF_ERROR(ReadList(s, &list));
    if (list.resolved.empty()) {
      MarkNoMedia(s);
      return Status::Ok();
    }
    media::SampleMedia& cache = media::SampleMedia::Of(s);
    std::vector<std::string> out = list.raw;
    for (size_t i = 0; i < list.resolved.size(); ++i) {
      const std::string& path = list.resolved[i];
      auto info = cache.Probe(path);
      if (!info.ok()) return info.status();
      const media::StreamInfo* v = (*info)->Video(0);
      if (!v) return Status::Error(path + ": no video stream");
      if (v->height <= 0) return Status::Error(path + ": video height is 0");
      VideoRatio ori{v->width, v->height};
      if (!(ori < min_) && !(ori > max_)) continue;
      auto size = VideoResizeAspectRatioTarget(v->width, v->height, min_, max_, strategy_);
      if (!size.ok()) return size.status().WithContext(path);
      auto target = OutputPath(path);
      if (!target.ok()) return target.status();
      std::string tmp = TempSiblingPath(*target);
      Status st = media::ApplyFfmpegFilter(
          path, tmp, "scale", {{"width", std::to_string(size->first)}, {"height", std::to_string(size->second)}});
      std::error_code ec;
      if (!st.ok()) {
        std::filesystem::remove(tmp, ec);
        return st;
      }
      WINNOW_RETURN_IF_ERROR(CommitTempFile(tmp, *target));
      out[i] = *target;
    }
    WriteBack(s, list, out);
    return Status::Ok();
  }

 private:
  VideoRatio min_, max_;
  std::string strategy_;
};

Status Validate(const Params& p) {
  std::string st = p.String("strategy");
  for (char& c : st) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (st != "decrease" && st != "increase")
    return Status::Error("force_original_aspect_ratio [" + st + "] is not supported. Can only be one of "
                         "['decrease', 'increase'].");
  for (const char* k : {"min_ratio", "max_ratio"}) {
    auto r = ParseVideoRatio(p.String(k));
    if (!r.ok()) return r.status().WithContext(k);
    if (r->num < 0) return Status::Error("Invalid literal for Fraction: '" + p.String(k) + "'").WithContext(k);
  }
  return Status::Ok();
}

}  // namespace

void RegisterVideoResizeAspectRatioMapper(Registry& r) {
  r.Add({"video_resize_aspect_ratio_mapper", OpKind::kMapper,
         "Rescale videos whose aspect ratio is outside [min_ratio, max_ratio] to the nearest bound (FFmpeg scale).",
         {StringParam("min_ratio", "9/21", "minimum width/height, as \"9:21\" or \"9/21\""),
          StringParam("max_ratio", "21/9", "maximum width/height, as \"21:9\" or \"21/9\""),
          StringParam("strategy", "increase", "increase (grow a side) or decrease (shrink one)"), SaveDirParam("video")},
         {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<VideoResizeAspectRatioMapper>(p, e); },
         Validate});
}

}  // namespace winnow
