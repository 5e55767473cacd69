// video_resize_resolution_mapper: videos whose size is outside [min, max] width/height are
// rescaled with FFmpeg's `scale` filter to the size DJ computes (its clamping, aspect-ratio and
// divisible-by rules, reproduced step by step with Python's int/float semantics in
// TargetSize). Videos within the bounds keep their path. As in DJ, the output holds only the
// scaled video stream.
#include <cmath>
#include <filesystem>

#include "winnow/media/av_writer.h"
#include "winnow/media/sample_media.h"
#include "winnow/ops/media_mapper.h"
#include "winnow/ops/registry.h"

namespace winnow {

// DJ's size computation, exposed for tests. Returns false when the video is within bounds.
bool VideoResizeResolutionTarget(int64_t w0, int64_t h0, double min_w, double max_w, double min_h, double max_h,
                                 const std::string& foar, int64_t divisible, int64_t* out_w, int64_t* out_h) {
  if (w0 >= min_w && w0 <= max_w && h0 >= min_h && h0 <= max_h) return false;
  const double ratio = static_cast<double>(w0) / static_cast<double>(h0);
  double width = static_cast<double>(w0), height = static_cast<double>(h0);
  if (width < min_w) { height = min_w / ratio; width = min_w; }
  if (width > max_w) { height = max_w / ratio; width = max_w; }
  if (height < min_h) { width = min_h * ratio; height = min_h; }
  if (height > max_h) { width = max_h * ratio; height = max_h; }
  const double d = static_cast<double>(foar == "disable" ? 2 : divisible);
  // width = int(max(width, min_w)); ceil(width / d) * d; int(min(width, max_w)); int(width / d) * d
  auto fit = [d](double v, double lo, double hi) {
    v = std::trunc(std::max(v, lo));
    v = std::ceil(v / d) * d;
    v = std::trunc(std::min(v, hi));
    return std::trunc(v / d) * d;
  };
  width = fit(width, min_w, max_w);
  height = fit(height, min_h, max_h);
  if (foar == "increase") {
    if (width / height < ratio) width = height * ratio;
    else if (width / height > ratio) height = width / ratio;
  } else if (foar == "decrease") {
    if (width / height < ratio) height = width / ratio;
    else if (width / height > ratio) width = height * ratio;
  }
  // int(round(x / d)) * d: Python's round is half to even, as nearbyint in the default mode.
  *out_w = static_cast<int64_t>(std::nearbyint(width / d)) * static_cast<int64_t>(d);
  *out_h = static_cast<int64_t>(std::nearbyint(height / d)) * static_cast<int64_t>(d);
  return true;
}

namespace {

class VideoResizeResolutionMapper : public MediaMapper {
 public:
  VideoResizeResolutionMapper(const Params& p, const OpEnv& env)
      : MediaMapper("video_resize_resolution_mapper", p, env, MediaKind::kVideo),
        min_w_(p.Number("min_width")), max_w_(p.Number("max_width")),
        min_h_(p.Number("min_height")), max_h_(p.Number("max_height")),
        foar_(Lower(p.String("force_original_aspect_ratio"))),
        divisible_(static_cast<int64_t>(p.Number("force_divisible_by"))) {}

  static std::string Lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
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
      int64_t w = 0, h = 0;
      if (!VideoResizeResolutionTarget(v->width, v->height, min_w_, max_w_, min_h_, max_h_, foar_, divisible_, &w, &h))
        continue;
      auto target = OutputPath(path);
      if (!target.ok()) return target.status();
      std::string tmp = TempSiblingPath(*target);
      Status st = media::ApplyFfmpegFilter(path, tmp, "scale",
                                           {{"width", std::to_string(w)}, {"height", std::to_string(h)}});
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
  double min_w_, max_w_, min_h_, max_h_;
  std::string foar_;
  int64_t divisible_;
};

Status Validate(const Params& p) {
  std::string f = p.String("force_original_aspect_ratio");
  for (char& c : f) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (f != "disable" && f != "decrease" && f != "increase")
    return Status::Error("force_original_aspect_ratio [" + f +
                         "] is not supported. Can only be one of ['disable', 'decrease', 'increase'].");
  int64_t d = static_cast<int64_t>(p.Number("force_divisible_by"));
  if ((d <= 1 || d % 2 == 1) && f != "disable")
    return Status::Error("force_divisible_by [" + std::to_string(d) + "] must be a positive even number.");
  return Status::Ok();
}

}  // namespace

void RegisterVideoResizeResolutionMapper(Registry& r) {
  r.Add({"video_resize_resolution_mapper", OpKind::kMapper,
         "Rescale videos whose width/height is outside the bounds (FFmpeg scale, DJ's size rules), writing new files.",
         {IntParam("min_width", 1, "videos narrower than this are enlarged"),
          IntParam("max_width", kPyMaxSize, "videos wider than this are shrunk"),
          IntParam("min_height", 1, "videos shorter than this are enlarged"),
          IntParam("max_height", kPyMaxSize, "videos taller than this are shrunk"),
          StringParam("force_original_aspect_ratio", "disable", "disable, decrease or increase"),
          Range(IntParam("force_divisible_by", 2, "output sides divisible by this (an even number with an aspect mode)"),
                0, std::nullopt, true),
          SaveDirParam("video")},
         {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<VideoResizeResolutionMapper>(p, e); },
         Validate});
}

}  // namespace winnow
