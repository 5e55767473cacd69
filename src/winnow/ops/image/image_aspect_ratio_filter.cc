// image_aspect_ratio_filter: keeps samples whose images' width / height is in range (sizes from
// the file headers, no pixel decode).
#include "winnow/ops/image/image_filter.h"
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

class ImageAspectRatioFilter : public ImageListFilter {
 public:
  ImageAspectRatioFilter(const Params& p, const OpEnv& env)
      : ImageListFilter("image_aspect_ratio_filter", p, env),
        min_(p.Number("min_ratio")), max_(p.Number("max_ratio")) {}

  Status ComputeStats(Sample& s) const override {
    if (s.stats().Has("aspect_ratios")) return Status::Ok();
    std::vector<double> ws, hs, ratios;
    WINNOW_RETURN_IF_ERROR(HeaderSizes(s, &ws, &hs));
    for (size_t i = 0; i < ws.size(); ++i) ratios.push_back(ws[i] / hs[i]);
    s.stats().SetRaw("aspect_ratios", JsonList(ratios, /*integers=*/false));
    return Status::Ok();
  }

  bool Keep(const Sample& s) const override {
    std::vector<bool> keeps;
    for (double r : ListStat(s, "aspect_ratios")) keeps.push_back(KeepValue(r, min_, max_));
    return Combine(keeps);
  }

  std::string DropReason(const Sample& s) const override { return ListReason(s, {{"aspect_ratios", {min_, max_}}}); }

 private:
  double min_, max_;
};

}  // namespace

void RegisterImageAspectRatioFilter(Registry& r) {
  r.Add({"image_aspect_ratio_filter", OpKind::kFilter,
         "Keep samples whose images' aspect ratio (width / height, from the file headers) is within range.",
         {FloatParam("min_ratio", 0.333, "minimum aspect ratio"), FloatParam("max_ratio", 3.0, "maximum aspect ratio"),
          AnyOrAllParam()},
         {"aspect_ratios"},
         [](const Params& p, const OpEnv& e) { return std::make_unique<ImageAspectRatioFilter>(p, e); },
         ValidateAnyOrAll});
}

}  // namespace winnow
