// Gunnar Farneback's dense optical flow computed as OpenCV 4.6's cv::calcOpticalFlowFarneback does
// with flags 0 (box-filtered flow updates, zero initial flow), bit for bit, but over a sequence of
// frames: each frame's pyramid and polynomial expansion are computed once and serve both the pair
// the frame ends and the pair it starts (OpenCV recomputes them for every pair, which is about a
// third of its time in DJ's video_motion_score_filter loop).
//
// The per-pixel arithmetic keeps OpenCV's float/double operation order exactly (this file's .cc
// is built with -ffp-contract=off, so no multiply-add is fused); loops are rearranged so that
// the compiler can vectorise across pixels, which changes no result. The blur, resize and scaling
// steps call the same OpenCV functions OpenCV's own implementation calls.
#pragma once

#include <vector>

#include <opencv2/core.hpp>

#include "winnow/core/status.h"
#include "winnow/media/optical_flow.h"

namespace winnow::media {

class FarnebackSequence {
 public:
  explicit FarnebackSequence(const FarnebackOptions& opt) : opt_(opt) {}

  // Whether this implementation covers the options; otherwise use MeanFlowMagnitude (OpenCV
  // itself): the Gaussian-window and initial-flow flags, and pyr_scale >= 1, which OpenCV rejects.
  static bool Supports(const FarnebackOptions& opt, int width, int height);

  // Adds the next 8-bit single-channel frame; every frame must have the first one's size.
  Status Push(const cv::Mat& gray);
  // Flow from the frame pushed before the last to the last one (CV_32FC2, dx dy per pixel).
  Result<cv::Mat> Flow();
  // mean(cartToPolar(flow).magnitude), as DJ's loop computes it (see MeanFlowMagnitude).
  Result<double> MeanMagnitude();

 private:
  struct Level {
    int width = 0, height = 0;
    double sigma = 0;  // Gaussian blur applied to the full frame before resizing to this level
    int smooth = 0;    // its kernel size
  };
  void PlanLevels(int cols, int rows);

  FarnebackOptions opt_;
  int cols_ = 0, rows_ = 0;
  std::vector<Level> levels_;               // coarsest first
  std::vector<std::vector<float>> prev_r_;  // per level: the polynomial expansion (5 planes)
  std::vector<std::vector<float>> cur_r_;
  int frames_ = 0;
};

// The three inner steps of OpenCV's Farneback, exposed for tests. The expansions and M are kept
// as 5 planes of width * height floats (OpenCV interleaves the 5 channels; planes let the pixel
// loops vectorise), in OpenCV's channel order.
namespace farneback {
// Polynomial expansion of a float image (w x h) into 5 planes.
void PolyExp(const float* src, int width, int height, int n, double sigma, float* dst);
// M (5 planes) for rows [y0, y1) from the expansions and the current flow.
void UpdateMatrices(const float* r0, const float* r1, const float* flow, int width, int height, float* m, int y0,
                    int y1);
// Box-filtered flow update over all rows; recomputes M when update_matrices.
void UpdateFlowBlur(const float* r0, const float* r1, float* flow, float* m, int width, int height, int block_size,
                    bool update_matrices);
}  // namespace farneback

}  // namespace winnow::media
