// What Data-Juicer's per-image filters share beyond MediaListFilter: sizes from file headers
// (no decode) and decoded images shared by the op chain (SampleMedia), with DJ's image_bytes.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "winnow/ops/media_list_filter.h"

namespace cv { class Mat; }

namespace winnow {

class ImageListFilter : public MediaListFilter {
 public:
  ImageListFilter(std::string name, const Params& p, const OpEnv& env);

 protected:
  // Width and height of each of the sample's images, from the file headers (no decode).
  Status HeaderSizes(const Sample& s, std::vector<double>* widths, std::vector<double>* heights) const;
  // Calls fn for each of the sample's images, decoded at most once per sample whichever ops ask
  // (from `image_bytes` when the sample carries them). The Mat is 8-bit BGR and read-only.
  Status ForEachImage(Sample& s,
                      const std::function<Status(size_t i, const std::string& path, const cv::Mat& bgr)>& fn) const;

  std::string image_bytes_key_;
};

}  // namespace winnow
