// video_duration_filter: keeps samples whose videos last a number of seconds in range: DJ's
// round(stream.duration * time_base) of video stream 0, from container metadata (no decode).
#include "winnow/ops/registry.h"
#include "winnow/ops/video/video_filter.h"

namespace winnow {
namespace {

class VideoDurationFilter : public VideoListFilter {
 public:
  VideoDurationFilter(const Params& p, const OpEnv& env)
      : VideoListFilter("video_duration_filter", p, env),
        min_(p.Number("min_duration")), max_(p.Number("max_duration")) {}

  Status ComputeStats(Sample& s) const override {
    if (s.stats().Has("video_duration")) return Status::Ok();
    std::vector<double> durations;
    WINNOW_RETURN_IF_ERROR(ForEachVideoStream(s, [&](size_t, const std::string& path, const media::StreamInfo& v) {
      if (!v.has_duration) return Status::Error(path + ": the video stream records no duration");
      durations.push_back(static_cast<double>(v.RoundedDuration()));
      return Status::Ok();
    }));
    s.stats().SetRaw("video_duration", JsonList(durations));
    return Status::Ok();
  }

  bool Keep(const Sample& s) const override {
    std::vector<bool> keeps;
    for (double d : ListStat(s, "video_duration")) keeps.push_back(KeepValue(d, min_, max_));
    return Combine(keeps);
  }

  std::string DropReason(const Sample& s) const override { return ListReason(s, {{"video_duration", {min_, max_}}}); }

 private:
  double min_, max_;
};

}  // namespace

void RegisterVideoDurationFilter(Registry& r) {
  r.Add({"video_duration_filter", OpKind::kFilter,
         "Keep samples whose videos' durations (seconds, rounded) are within range; read from metadata.",
         {FloatParam("min_duration", 0, "minimum duration in seconds"),
          FloatParam("max_duration", kPyMaxSize, "maximum duration in seconds"), AnyOrAllParam()},
         {"video_duration"},
         [](const Params& p, const OpEnv& e) { return std::make_unique<VideoDurationFilter>(p, e); },
         ValidateAnyOrAll});
}

}  // namespace winnow
