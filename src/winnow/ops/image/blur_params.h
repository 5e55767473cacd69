// The blur params DJ's blur mappers share (blur_type mean/box/gaussian, radius) and applying
// them to BGR pixels with Pillow's exact filters (media/pil_filter.h). Pillow blurs each channel
// alike, so the filters run on OpenCV's BGR order directly.
#pragma once

#include <opencv2/core.hpp>

#include <vector>

#include "winnow/core/sample.h"
#include "winnow/ops/params.h"

namespace winnow {

struct BlurSpec {
  enum class Type { kMean, kBox, kGaussian } type = Type::kGaussian;
  double radius = 2;
};

std::vector<ParamSpec> BlurParams();
Status ValidateBlurParams(const Params& p);
BlurSpec BlurSpecFromParams(const Params& p);

// `img.filter(f)` on the rectangle `r` of an 8-bit 3-channel Mat, in place; the rectangle's
// borders are the image edge, as for Pillow's `img.crop(box).filter(f)`.
void ApplyBlur(cv::Mat& bgr, const cv::Rect& r, const BlurSpec& spec);

// DJ's face blur: each box cropped, blurred and pasted back. `from_original`: every crop is
// taken from the unblurred picture (image_face_blur_mapper crops `image` and pastes into a
// copy); otherwise from the picture as already pasted (video_face_blur_mapper works in place).
void BlurBoxes(cv::Mat& bgr, const std::vector<cv::Rect>& boxes, const BlurSpec& spec, bool from_original);

}  // namespace winnow

namespace winnow {

// PIL's `image.save(path)` for a mapper's output: JPEG at PIL's default quality 75 (4:2:0),
// WebP at PIL's default quality 80, other formats with OpenCV's defaults (PNG is lossless either
// way); written to a temporary sibling and renamed into place.
Status SaveImageLikePil(const std::string& path, const cv::Mat& bgr);

// The sample's `image_bytes` entries of replaced images set to null, so later ops read the new
// file (DJ writes the raw pixel buffer there, which no decoder reads back).
void DropReplacedImageBytes(Sample& s, const std::string& bytes_key, const std::vector<bool>& replaced);

}  // namespace winnow
