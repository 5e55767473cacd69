#include "winnow/media/optical_flow.h"

#include <cmath>
#include <vector>

#include "winnow/core/plugin.h"

namespace winnow::media {
namespace {
using FarnebackFn = int (*)(const uint8_t*, const uint8_t*, int, int, size_t, double, int, int, int, int, double, int,
                            float*, char*, size_t);
}  // namespace

Result<cv::Mat> OpenCvFarnebackFlow(const cv::Mat& prev_gray, const cv::Mat& next_gray, const FarnebackOptions& opt) {
  if (prev_gray.type() != CV_8UC1 || next_gray.type() != CV_8UC1 || prev_gray.size() != next_gray.size() ||
      !prev_gray.isContinuous() || !next_gray.isContinuous())
    return Status::Error("optical flow needs two continuous 8-bit grey frames of one size");
  auto fn = PluginFunction<FarnebackFn>("cv", "wn_cv_farneback");
  if (!fn.ok()) return fn.status();
  cv::Mat flow(prev_gray.rows, prev_gray.cols, CV_32FC2);
  char err[512] = "";
  if ((*fn)(prev_gray.data, next_gray.data, prev_gray.cols, prev_gray.rows, prev_gray.step, opt.pyr_scale,
            opt.levels, opt.winsize, opt.iterations, opt.poly_n, opt.poly_sigma, opt.flags, flow.ptr<float>(), err,
            sizeof(err)) != 0)
    return Status::Error(std::string("optical flow failed: ") + err);
  return flow;
}

double MeanFlowMagnitudeOf(const cv::Mat& flow) {
  // cv2.cartToPolar's magnitude is a float32 sqrt(dx^2 + dy^2); the mean is taken in double here
  // (numpy's float32 pairwise mean agrees to ~1e-7 relative).
  if (flow.empty()) return 0.0;
  double sum = 0;
  for (int y = 0; y < flow.rows; ++y) {
    const float* f = flow.ptr<float>(y);
    for (int x = 0; x < flow.cols; ++x) {
      float dx = f[2 * x], dy = f[2 * x + 1];
      sum += std::sqrt(dx * dx + dy * dy);
    }
  }
  return sum / (static_cast<double>(flow.cols) * flow.rows);
}

Result<double> MeanFlowMagnitude(const cv::Mat& prev_gray, const cv::Mat& next_gray, const FarnebackOptions& opt) {
  auto flow = OpenCvFarnebackFlow(prev_gray, next_gray, opt);
  if (!flow.ok()) return flow.status();
  return MeanFlowMagnitudeOf(*flow);
}

}  // namespace winnow::media
