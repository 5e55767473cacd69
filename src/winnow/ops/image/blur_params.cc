#include "winnow/ops/image/blur_params.h"

#include <cmath>

#include "winnow/media/pil_filter.h"
#include "winnow/ops/registry.h"

namespace winnow {

std::vector<ParamSpec> BlurParams() {
  return {StringParam("blur_type", "gaussian", "blur kernel: mean (ImageFilter.BLUR), box or gaussian"),
          FloatParam("radius", 2, "radius of the box / gaussian blur")};
}

Status ValidateBlurParams(const Params& p) {
  const std::string& t = p.String("blur_type");
  if (t != "mean" && t != "box" && t != "gaussian")
    return Status::Error("Blur_type [" + t + "] is not supported. Can only be one of [\"mean\", \"box\", \"gaussian\"].");
  double r = p.Number("radius");
  if (!(r >= 0) || !std::isfinite(r)) return Status::Error("Radius must be >= 0.");
  return Status::Ok();
}

BlurSpec BlurSpecFromParams(const Params& p) {
  BlurSpec s;
  const std::string& t = p.String("blur_type");
  s.type = t == "mean" ? BlurSpec::Type::kMean : t == "box" ? BlurSpec::Type::kBox : BlurSpec::Type::kGaussian;
  s.radius = p.Number("radius");
  return s;
}

void ApplyBlur(cv::Mat& bgr, const cv::Rect& r, const BlurSpec& spec) {
  media::Rgb8View v(bgr.data, bgr.cols, bgr.rows, static_cast<ptrdiff_t>(bgr.step));
  media::Rgb8View sub = v.Sub(r.x, r.y, r.width, r.height);
  switch (spec.type) {
    case BlurSpec::Type::kMean: media::BlurKernel(sub); break;
    case BlurSpec::Type::kBox: media::BoxBlur(sub, spec.radius); break;
    case BlurSpec::Type::kGaussian: media::GaussianBlur(sub, spec.radius); break;
  }
}

void BlurBoxes(cv::Mat& bgr, const std::vector<cv::Rect>& boxes, const BlurSpec& spec, bool from_original) {
  const cv::Rect whole(0, 0, bgr.cols, bgr.rows);
  if (!from_original) {
    for (const cv::Rect& b : boxes) {
      cv::Rect r = b & whole;
      if (r.area() > 0) ApplyBlur(bgr, r, spec);
    }
    return;
  }
  cv::Mat original = bgr.clone();
  for (const cv::Rect& b : boxes) {
    cv::Rect r = b & whole;
    if (r.area() <= 0) continue;
    cv::Mat roi = original(r).clone();
    ApplyBlur(roi, cv::Rect(0, 0, r.width, r.height), spec);
    roi.copyTo(bgr(r));
  }
}

}  // namespace winnow

#include <opencv2/imgcodecs.hpp>  // flag values only

#include <algorithm>
#include <filesystem>

#include "winnow/core/json.h"
#include "winnow/media/image_codec.h"
#include "winnow/ops/media_mapper.h"

namespace winnow {

Status SaveImageLikePil(const std::string& path, const cv::Mat& bgr) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  std::vector<int> opts;
  if (ext == ".jpg" || ext == ".jpeg" || ext == ".jpe" || ext == ".jfif")
    opts = {cv::IMWRITE_JPEG_QUALITY, 75};
  else if (ext == ".webp")
    opts = {cv::IMWRITE_WEBP_QUALITY, 80};
  std::string tmp = TempSiblingPath(path);
  Status st = media::ImWrite(tmp, bgr, opts);  // OpenCV's imgcodecs, in the img plugin
  if (!st.ok()) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    return Status::Error(path + ": cannot encode image: " + st.message());
  }
  return CommitTempFile(tmp, path);
}

void DropReplacedImageBytes(Sample& s, const std::string& bytes_key, const std::vector<bool>& replaced) {
  std::string raw;
  if (bytes_key.empty() || !s.FieldRaw(bytes_key, &raw) || json::TypeOf(raw) != json::Type::kArray) return;
  std::vector<std::string_view> items;
  json::SplitArray(raw, &items);
  bool changed = false;
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    if (i < replaced.size() && replaced[i] && items[i] != "null") {
      out += "null";
      changed = true;
    } else {
      out += items[i];
    }
  }
  if (changed) s.SetFieldRaw(bytes_key, out + "]");
}

}  // namespace winnow
