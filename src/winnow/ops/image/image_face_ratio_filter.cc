// image_face_ratio_filter: keeps samples whose images' largest face covers a share of the image
// area in range (OpenCV Haar cascade, DJ's detectMultiScale arguments); 0.0 without faces.
#include "winnow/media/sample_media.h"
#include "winnow/ops/image/face_params.h"
#include "winnow/ops/image/image_filter.h"
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

class ImageFaceRatioFilter : public ImageListFilter {
 public:
  ImageFaceRatioFilter(const Params& p, const OpEnv& env)
      : ImageListFilter("image_face_ratio_filter", p, env),
        opt_(*FaceDetectOptionsFromParams(p)),
        min_(p.Number("min_ratio")), max_(p.Number("max_ratio")) {}

  Status ComputeStats(Sample& s) const override {
    if (s.stats().Has("face_ratios")) return Status::Ok();
    std::vector<double> ratios;
    WINNOW_RETURN_IF_ERROR(ForEachImage(s, [&](size_t, const std::string& path, const cv::Mat& img) {
      auto faces = media::DetectFacesCached(media::SampleMedia::Of(s), path, img, opt_);
      if (!faces.ok()) return faces.status();
      int64_t largest = 0;
      for (const cv::Rect& f : *faces) largest = std::max<int64_t>(largest, int64_t{f.width} * f.height);
      ratios.push_back(static_cast<double>(largest) / (static_cast<double>(img.cols) * img.rows));
      return Status::Ok();
    }));
    s.stats().SetRaw("face_ratios", JsonList(ratios, /*integers=*/false));
    return Status::Ok();
  }

  bool Keep(const Sample& s) const override {
    std::vector<bool> keeps;
    for (double r : ListStat(s, "face_ratios")) keeps.push_back(KeepValue(r, min_, max_));
    return Combine(keeps);
  }

  std::string DropReason(const Sample& s) const override { return ListReason(s, {{"face_ratios", {min_, max_}}}); }

 private:
  media::FaceDetectOptions opt_;
  double min_, max_;
};

}  // namespace

void RegisterImageFaceRatioFilter(Registry& r) {
  std::vector<ParamSpec> params = {FloatParam("min_ratio", 0.0, "minimum largest-face area ratio"),
                                   FloatParam("max_ratio", 0.4, "maximum largest-face area ratio"), AnyOrAllParam()};
  for (ParamSpec& p : FaceDetectParams()) params.push_back(std::move(p));
  r.Add({"image_face_ratio_filter", OpKind::kFilter,
         "Keep samples whose images' largest face covers an area ratio within range (OpenCV Haar cascade).",
         std::move(params), {"face_ratios"},
         [](const Params& p, const OpEnv& e) { return std::make_unique<ImageFaceRatioFilter>(p, e); },
         [](const Params& p) {
           WINNOW_RETURN_IF_ERROR(ValidateAnyOrAll(p));
           return ValidateFaceDetectParams(p);
         }});
}

}  // namespace winnow
