// video_aspect_ratio_filter: keeps samples whose videos' width / height is in range. The bounds
// are Python Fractions ("9/21", "16:9", "1.5"), and DJ compares the float ratio with them
// exactly (Python compares float and Fraction without rounding); so does this op.
#include <cmath>
#include <cstdlib>

#include "winnow/ops/registry.h"
#include "winnow/ops/video/video_filter.h"
#include "winnow/ops/video/video_ratio.h"

namespace winnow {
namespace {

class VideoAspectRatioFilter : public VideoListFilter {
 public:
  VideoAspectRatioFilter(const Params& p, const OpEnv& env)
      : VideoListFilter("video_aspect_ratio_filter", p, env),
        min_(*ParseVideoRatio(p.String("min_ratio"))), max_(*ParseVideoRatio(p.String("max_ratio"))) {}

  Status ComputeStats(Sample& s) const override {
    if (s.stats().Has("video_aspect_ratios")) return Status::Ok();
    std::vector<double> ratios;
    WINNOW_RETURN_IF_ERROR(ForEachVideoStream(s, [&](size_t, const std::string& path, const media::StreamInfo& v) {
      if (v.height == 0) return Status::Error(path + ": video height is 0 (division by zero)");
      ratios.push_back(static_cast<double>(v.width) / v.height);
      return Status::Ok();
    }));
    s.stats().SetRaw("video_aspect_ratios", JsonList(ratios, /*integers=*/false));
    return Status::Ok();
  }

  bool Keep(const Sample& s) const override {
    std::vector<bool> keeps;
    for (double r : ListStat(s, "video_aspect_ratios")) keeps.push_back(KeepRatio(r));
    return Combine(keeps);
  }

  std::string DropReason(const Sample& s) const override {
    return ListReason(s, {{"video_aspect_ratios", {static_cast<double>(min_.num) / static_cast<double>(min_.den),
                                                   static_cast<double>(max_.num) / static_cast<double>(max_.den)}}});
  }

 private:
  // get_keep_boolean with exact float-vs-Fraction comparisons: r * den is exact in long double
  // for the denominators recipes use (a 53-bit ratio times a denominator below 2^11).
  bool KeepRatio(double r) const {
    long double lo = static_cast<long double>(r) * static_cast<long double>(min_.den) - static_cast<long double>(min_.num);
    long double hi = static_cast<long double>(r) * static_cast<long double>(max_.den) - static_cast<long double>(max_.num);
    bool keep = (min_closed_ ? lo >= 0 : lo > 0) && (max_closed_ ? hi <= 0 : hi < 0);
    return reversed_ ? !keep : keep;
  }
  VideoRatio min_, max_;
};

Status Validate(const Params& p) {
  WINNOW_RETURN_IF_ERROR(ValidateAnyOrAll(p));
  for (const char* k : {"min_ratio", "max_ratio"}) {
    auto f = ParseVideoRatio(p.String(k));
    if (!f.ok()) return Status::Error(std::string(k) + ": " + f.status().message());
  }
  return Status::Ok();
}

}  // namespace

void RegisterVideoAspectRatioFilter(Registry& r) {
  r.Add({"video_aspect_ratio_filter", OpKind::kFilter,
         "Keep samples whose videos' aspect ratio (width / height) is within [min_ratio, max_ratio] (fractions).",
         {StringParam("min_ratio", "9/21", "minimum ratio, a fraction like \"9/21\" or \"9:21\""),
          StringParam("max_ratio", "21/9", "maximum ratio, a fraction like \"21/9\""), AnyOrAllParam()},
         {"video_aspect_ratios"},
         [](const Params& p, const OpEnv& e) { return std::make_unique<VideoAspectRatioFilter>(p, e); },
         Validate});
}

}  // namespace winnow
