// image_face_count_filter: keeps samples whose images show a number of faces in range (OpenCV
// Haar cascade, DJ's detectMultiScale arguments). One count per image ([] without images).
#include "winnow/media/sample_media.h"
#include "winnow/ops/image/face_params.h"
#include "winnow/ops/image/image_filter.h"
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

class ImageFaceCountFilter : public ImageListFilter {
 public:
  ImageFaceCountFilter(const Params& p, const OpEnv& env)
      : ImageListFilter("image_face_count_filter", p, env),
        opt_(*FaceDetectOptionsFromParams(p)),
        min_(p.Number("min_face_count")), max_(p.Number("max_face_count")) {}

  Status ComputeStats(Sample& s) const override {
    if (s.stats().Has("face_counts")) return Status::Ok();
    std::vector<double> counts;
    WINNOW_RETURN_IF_ERROR(ForEachImage(s, [&](size_t, const std::string& path, const cv::Mat& img) {
      auto faces = media::DetectFacesCached(media::SampleMedia::Of(s), path, img, opt_);
      if (!faces.ok()) return faces.status();
      counts.push_back(static_cast<double>(faces->size()));
      return Status::Ok();
    }));
    s.stats().SetRaw("face_counts", JsonList(counts));
    return Status::Ok();
  }

  bool Keep(const Sample& s) const override {
    std::vector<bool> keeps;
    for (double c : ListStat(s, "face_counts")) keeps.push_back(KeepValue(c, min_, max_));
    return Combine(keeps);
  }

  std::string DropReason(const Sample& s) const override { return ListReason(s, {{"face_counts", {min_, max_}}}); }

 private:
  media::FaceDetectOptions opt_;
  double min_, max_;
};

}  // namespace

void RegisterImageFaceCountFilter(Registry& r) {
  std::vector<ParamSpec> params = {IntParam("min_face_count", 1, "minimum number of faces"),
                                   IntParam("max_face_count", 1, "maximum number of faces"), AnyOrAllParam()};
  for (ParamSpec& p : FaceDetectParams()) params.push_back(std::move(p));
  r.Add({"image_face_count_filter", OpKind::kFilter,
         "Keep samples whose images have a face count within range (OpenCV Haar cascade).", std::move(params),
         {"face_counts"},
         [](const Params& p, const OpEnv& e) { return std::make_unique<ImageFaceCountFilter>(p, e); },
         [](const Params& p) {
           WINNOW_RETURN_IF_ERROR(ValidateAnyOrAll(p));
           return ValidateFaceDetectParams(p);
         }});
}

}  // namespace winnow
