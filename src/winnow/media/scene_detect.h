// PySceneDetect 0.6.6's scene detectors, as Data-Juicer's video_split_by_scene_mapper runs them:
//
//   detector = <ContentDetector|ThresholdDetector|AdaptiveDetector>(threshold, min_scene_len, **kw)
//   scenes = scenedetect.detect(path, detector, start_in_scene=True)
//
// detect() opens the video with its OpenCV backend, reads every frame as BGR, shrinks it
// (SceneManager auto_downscale: when the larger side exceeds 256 px, factor = larger / 256.0,
// new size = (max(1, round(w / f)), max(1, round(h / f))) with Python's half-even round,
// cv2.resize INTER_LINEAR), feeds it to the detector, and turns the sorted unique cut frames
// into contiguous scenes [start, cut1), [cut1, cut2), ..., [cutN, frames read). With no cut and
// start_in_scene=True the whole video is one scene.
//
// SceneDetector below is that pipeline minus the decoding: the caller decodes (frames must be
// what cv2.VideoCapture.read() returns for the result to match) and feeds frames in order;
// Finish() returns the scenes in frame numbers (seconds = frame / fps, as FrameTimecode does).
// The arithmetic follows scenedetect's: HSV via cv::cvtColor, integer sums of absolute
// deltas divided in double, Python's summation order for weighted scores, numpy's median for
// the Canny thresholds, and the FlashFilter "merge" mode that ContentDetector uses to enforce
// min_scene_len in 0.6.6 (a burst of cuts closer than min_scene_len becomes one cut at the
// burst's last frame once it has lasted min_scene_len frames).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "winnow/core/status.h"

namespace winnow::media {

// Data-Juicer's params: `detector`, `threshold`, `min_scene_len`, plus the detector kwargs it
// forwards (VideoSplitBySceneMapper.avaliable_detectors). Unset kwargs keep scenedetect's
// defaults.
struct SceneDetectorOptions {
  std::string detector = "ContentDetector";  // or "ThresholdDetector", "AdaptiveDetector"
  double threshold = 27.0;  // Adaptive: adaptive_threshold; Threshold: truncated to int
  int64_t min_scene_len = 15;

  // ContentDetector / AdaptiveDetector. weights = (delta_hue, delta_sat, delta_lum,
  // delta_edges); luma_only overrides them with (0, 0, 1, 0). kernel_size 0 = scenedetect's
  // estimate 4 + round(sqrt(w * h) / 192), made odd (only used when delta_edges > 0).
  std::array<double, 4> weights = {1.0, 1.0, 1.0, 0.0};
  bool luma_only = false;
  int kernel_size = 0;

  // AdaptiveDetector. min_delta_hsv is the deprecated alias; when set it replaces
  // min_content_val, as in scenedetect.
  int64_t window_width = 2;
  double min_content_val = 15.0;
  std::optional<double> min_delta_hsv;

  // ThresholdDetector. method: 0 = FLOOR (fade out = mean below threshold), 1 = CEILING.
  double fade_bias = 0.0;
  bool add_final_scene = false;
  int method = 0;

  // SceneManager.auto_downscale (detect() always has it on).
  bool auto_downscale = true;
};

struct SceneRange {
  int64_t start = 0;  // first frame of the scene
  int64_t end = 0;    // one past its last frame
  bool operator==(const SceneRange&) const = default;
};

class SceneDetector {
 public:
  // Validates like scenedetect's constructors (unknown detector, kernel_size even or < 3,
  // window_width < 1, method not 0/1, all-zero weights) and returns an error for those.
  static Result<std::unique_ptr<SceneDetector>> Create(const SceneDetectorOptions& options);

  ~SceneDetector();
  SceneDetector(const SceneDetector&) = delete;
  SceneDetector& operator=(const SceneDetector&) = delete;

  // Feeds decoded frame `frame_num` (0-based, consecutive), a full-size CV_8UC3 BGR image. The
  // first frame fixes the processing size; a later frame of another size is skipped, as
  // SceneManager skips frames whose decoded size changed (they still count in Finish()).
  void Feed(const cv::Mat& bgr, int64_t frame_num);

  // Ends the video after `frames_read` frames (the decoder's count, skipped frames included)
  // and returns detect(..., start_in_scene=True)'s scene list. Call once.
  std::vector<SceneRange> Finish(int64_t frames_read);

  // The sorted, de-duplicated cut frames found so far (before Finish: without post-processing).
  std::vector<int64_t> Cuts() const;

  class Algorithm;  // one per scenedetect detector, defined in scene_detect.cc

 private:
  SceneDetector(SceneDetectorOptions options, std::unique_ptr<Algorithm> algorithm);

  SceneDetectorOptions options_;
  std::unique_ptr<Algorithm> algorithm_;
  std::vector<int64_t> cuts_;
  cv::Size first_size_;
  int64_t first_frame_ = -1;
  cv::Mat small_;
};

// The processing size detect() uses for a `width` x `height` video (exposed for tests).
cv::Size SceneDetectProcessingSize(int width, int height);

}  // namespace winnow::media
