#include "winnow/ops/image/face_params.h"

#include "winnow/ops/registry.h"

namespace winnow {
namespace {

Result<cv::Size> SizeParam(const Params& p, const char* name) {
  const json::Value& v = p.Get(name);
  if (v.is_null()) return cv::Size();
  const auto& a = v.as_array();
  if (v.type() != json::Type::kArray || a.size() != 2 || a[0].type() != json::Type::kNumber ||
      a[1].type() != json::Type::kNumber || a[0].as_number() < 0 || a[1].as_number() < 0)
    return Status::Error(std::string(name) + " must be null or [width, height]");
  return cv::Size(static_cast<int>(a[0].as_number()), static_cast<int>(a[1].as_number()));
}

}  // namespace

std::vector<ParamSpec> FaceDetectParams() {
  ParamSpec min_size{"minSize", ParamType::kAny, json::Value(), "detectMultiScale minSize [w, h] (null: none)"};
  ParamSpec max_size{"maxSize", ParamType::kAny, json::Value(), "detectMultiScale maxSize [w, h] (null: none)"};
  return {StringParam("cv_classifier", "", "OpenCV cascade XML; '' = haarcascade_frontalface_alt.xml"),
          Range(FloatParam("scaleFactor", 1.1, "detectMultiScale scaleFactor"), 1.0, std::nullopt, true),
          Range(IntParam("minNeighbors", 3, "detectMultiScale minNeighbors"), 0, std::nullopt),
          min_size, max_size};
}

Result<media::FaceDetectOptions> FaceDetectOptionsFromParams(const Params& p) {
  media::FaceDetectOptions o;
  o.cascade_path = p.String("cv_classifier");
  if (o.cascade_path.empty()) o.cascade_path = media::DefaultFaceCascade();
  o.scale_factor = p.Number("scaleFactor");
  o.min_neighbors = static_cast<int>(p.Number("minNeighbors"));
  auto mn = SizeParam(p, "minSize");
  if (!mn.ok()) return mn.status();
  auto mx = SizeParam(p, "maxSize");
  if (!mx.ok()) return mx.status();
  o.min_size = *mn;
  o.max_size = *mx;
  return o;
}

Status ValidateFaceDetectParams(const Params& p) {
  auto o = FaceDetectOptionsFromParams(p);
  if (!o.ok()) return o.status();
  return media::CheckFaceCascade(o->cascade_path);
}

}  // namespace winnow
