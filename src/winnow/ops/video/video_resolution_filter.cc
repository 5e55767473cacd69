// video_resolution_filter: keeps samples whose videos' width and height are in range (video
// stream 0's codec width/height, from metadata; no decode).
#include "winnow/ops/registry.h"
#include "winnow/ops/video/video_filter.h"

namespace winnow {
namespace {

class VideoResolutionFilter : public VideoListFilter {
 public:
  VideoResolutionFilter(const Params& p, const OpEnv& env)
      : VideoListFilter("video_resolution_filter", p, env),
        min_w_(p.Number("min_width")), max_w_(p.Number("max_width")),
        min_h_(p.Number("min_height")), max_h_(p.Number("max_height")) {}

  Status ComputeStats(Sample& s) const override {
    if (s.stats().Has("video_width") && s.stats().Has("video_height")) return Status::Ok();
    std::vector<double> ws, hs;
    WINNOW_RETURN_IF_ERROR(ForEachVideoStream(s, [&](size_t, const std::string&, const media::StreamInfo& v) {
      ws.push_back(v.width);
      hs.push_back(v.height);
      return Status::Ok();
    }));
    s.stats().SetRaw("video_width", JsonList(ws));
    s.stats().SetRaw("video_height", JsonList(hs));
    return Status::Ok();
  }

  bool Keep(const Sample& s) const override {
    std::vector<double> ws = ListStat(s, "video_width"), hs = ListStat(s, "video_height");
    std::vector<bool> keeps;
    for (size_t i = 0; i < ws.size() && i < hs.size(); ++i)
      keeps.push_back(KeepValue(ws[i], min_w_, max_w_) && KeepValue(hs[i], min_h_, max_h_));
    return Combine(keeps);
  }

  std::string DropReason(const Sample& s) const override {
    return ListReason(s, {{"video_width", {min_w_, max_w_}}, {"video_height", {min_h_, max_h_}}});
  }

 private:
  double min_w_, max_w_, min_h_, max_h_;
};

}  // namespace

void RegisterVideoResolutionFilter(Registry& r) {
  r.Add({"video_resolution_filter", OpKind::kFilter,
         "Keep samples whose videos' width and height are within range (from metadata, no decode).",
         {IntParam("min_width", 1, "minimum width"), IntParam("max_width", kPyMaxSize, "maximum width"),
          IntParam("min_height", 1, "minimum height"), IntParam("max_height", kPyMaxSize, "maximum height"),
          AnyOrAllParam()},
         {"video_width", "video_height"},
         [](const Params& p, const OpEnv& e) { return std::make_unique<VideoResolutionFilter>(p, e); },
         ValidateAnyOrAll});
}

}  // namespace winnow
