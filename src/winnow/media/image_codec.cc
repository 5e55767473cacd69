#include "winnow/media/image_codec.h"

#include "winnow/core/plugin.h"

namespace winnow::media {
namespace {
using ReadFn = int (*)(const char*, int, cv::Mat*, char*, size_t);
using DecodeFn = int (*)(const uint8_t*, size_t, int, cv::Mat*, char*, size_t);
using WriteFn = int (*)(const char*, const cv::Mat*, const int*, int, char*, size_t);
}  // namespace

Result<cv::Mat> ImRead(const std::string& path, int flags) {
  static auto fn = PluginFunction<ReadFn>("img", "wn_cv_imread");
  if (!fn.ok()) return fn.status();
  cv::Mat m;
  char err[512] = "";
  if ((*fn)(path.c_str(), flags, &m, err, sizeof(err)) != 0)
    return Status::Error(path + ": cannot decode image: " + err);
  return m;
}

Result<cv::Mat> ImDecode(std::string_view bytes, int flags) {
  static auto fn = PluginFunction<DecodeFn>("img", "wn_cv_imdecode");
  if (!fn.ok()) return fn.status();
  cv::Mat m;
  char err[512] = "";
  if ((*fn)(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), flags, &m, err, sizeof(err)) != 0)
    return Status::Error(std::string("cannot decode image bytes: ") + err);
  return m;
}

Status ImWrite(const std::string& path, const cv::Mat& img, const std::vector<int>& params) {
  static auto fn = PluginFunction<WriteFn>("img", "wn_cv_imwrite");
  if (!fn.ok()) return fn.status();
  char err[512] = "";
  if ((*fn)(path.c_str(), &img, params.data(), static_cast<int>(params.size()), err, sizeof(err)) != 0)
    return Status::Error(path + ": cannot write image: " + err);
  return Status::Ok();
}

}  // namespace winnow::media
