// OpenCV's image reading and writing (imgcodecs), which lives in the img plugin: imgcodecs pulls
// in ~140 shared objects (GDAL, Poppler, HDF5, ...) that text-only runs should not load.
#pragma once

#include <opencv2/core.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/status.h"

namespace winnow::media {

// cv::imread(path, flags); an empty Mat when OpenCV cannot decode the file.
Result<cv::Mat> ImRead(const std::string& path, int flags);
// cv::imdecode(bytes, flags); an empty Mat when OpenCV cannot decode them.
Result<cv::Mat> ImDecode(std::string_view bytes, int flags);
// cv::imwrite(path, img, params) (params: flag, value, ... e.g. IMWRITE_JPEG_QUALITY, 75).
Status ImWrite(const std::string& path, const cv::Mat& img, const std::vector<int>& params = {});

}  // namespace winnow::media
