#include "winnow/media/optical_flow.h"

#include <cmath>
#include <vector>

#include "winnow/core/plugin.h"

namespace winnow::media {
namespace {
using FarnebackFn = int (*)(const uint8_t*, const uint8_t*, int, int, size_t, double, int, int, int, int, double, int,
                            float*, char*, size_t);
}  // namespace

Result<double> MeanFlowMagnitude(const cv::Mat& prev_gray, const cv::Mat& next_gray, const FarnebackOptions& opt) {
  if (prev_gray.type() != CV_8UC1 || next_gray.type() != CV_8UC1 || prev_gray.size() != next_gray.size() ||
      !prev_gray.isContinuous() || !next_gray.isContinuous())
    return Status::Error("optical flow needs two continuous 8-bit grey frames of one size");
  auto fn = PluginFunction<FarnebackFn>("cv", "wn_cv_farneback");
  if (!fn.ok()) return fn.status();
  const int w = prev_gray.cols, h = prev_gray.rows;
  thread_local std::vector<float> flow;
  flow.resize(static_cast<size_t>(w) * h * 2);
  char err[512] = "";
  if ((*fn)(prev_gray.data, next_gray.data, w, h, prev_gray.step, opt.pyr_scale, opt.levels, opt.winsize,
            opt.iterations, opt.poly_n, opt.poly_sigma, opt.flags, flow.data(), err, sizeof(err)) != 0)
    return Status::Error(std::string("optical flow failed: ") + err);
  // cv2.cartToPolar's magnitude is a float32 sqrt(dx^2 + dy^2); the mean is taken in double here
  // (numpy's float32 pairwise mean agrees to ~1e-7 relative).
  double sum = 0;
  for (size_t i = 0; i < flow.size(); i += 2) {
    float dx = flow[i], dy = flow[i + 1];
    sum += std::sqrt(dx * dx + dy * dy);
  }
  return w && h ? sum / (static_cast<double>(w) * h) : 0.0;
}

}  // namespace winnow::media
