// PySceneDetect 0.6.6 detectors (Data-Juicer's video_split_by_scene_mapper). The frame
// sequences are generated here and, identically, in numpy; every expected scene list is what
// scenedetect 0.6.6's own SceneManager (the one detect() uses, start_in_scene=True) returned for
// them, fed through an in-memory VideoStream (bench/scene_detect_parity.py's ArrayStream).
// The bench script compares many more sequences and Data-Juicer's videos.
#include "winnow/media/scene_detect.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace winnow::media {
namespace {

using Frames = std::vector<cv::Mat>;
using Scenes = std::vector<SceneRange>;

cv::Mat Solid(int w, int h, std::array<int, 3> bgr) {
  return cv::Mat(h, w, CV_8UC3, cv::Scalar(bgr[0], bgr[1], bgr[2]));
}

// k/n of a colour, integer maths (numpy: v * k // n).
cv::Mat Fade(int w, int h, std::array<int, 3> bgr, int k, int n) {
  return Solid(w, h, {bgr[0] * k / n, bgr[1] * k / n, bgr[2] * k / n});
}

// (3x + 5y + 71c + 2t + 37 seed + 60 * checker(8 px)) % 256: a texture that drifts with t.
cv::Mat Pattern(int w, int h, int t, int seed) {
  cv::Mat m(h, w, CV_8UC3);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < 3; ++c)
        m.ptr<uint8_t>(y)[x * 3 + c] =
            static_cast<uint8_t>((x * 3 + y * 5 + c * 71 + t * 2 + seed * 37 + ((x / 8 + y / 8) % 2) * 60) % 256);
  return m;
}

void Append(Frames* f, const cv::Mat& m, int count) {
  for (int i = 0; i < count; ++i) f->push_back(m);
}

Scenes Detect(const Frames& frames, SceneDetectorOptions o) {
  auto det = SceneDetector::Create(o);
  EXPECT_TRUE(det.ok()) << det.status().message();
  if (!det.ok()) return {};
  for (size_t i = 0; i < frames.size(); ++i) (*det)->Feed(frames[i], static_cast<int64_t>(i));
  return (*det)->Finish(static_cast<int64_t>(frames.size()));
}

SceneDetectorOptions Opts(const char* detector, double threshold, int64_t min_scene_len) {
  SceneDetectorOptions o;
  o.detector = detector;
  o.threshold = threshold;
  o.min_scene_len = min_scene_len;
  return o;
}

constexpr int W = 64, H = 48;
constexpr std::array<int, 3> kA{20, 20, 20}, kB{240, 240, 240}, kC{0, 0, 255}, kD{255, 0, 0};

Frames HardCuts() {  // dark 20 | light 5 | red 35 | blue 40
  Frames f;
  Append(&f, Solid(W, H, kA), 20);
  Append(&f, Solid(W, H, kB), 5);
  Append(&f, Solid(W, H, kC), 35);
  Append(&f, Solid(W, H, kD), 40);
  return f;
}

TEST(SceneDetect, ContentHardCutsAndMinSceneLen) {
  // min_scene_len 15: the cut at 25 follows the one at 20 too closely and is merged away.
  EXPECT_EQ(Detect(HardCuts(), Opts("ContentDetector", 27, 15)), (Scenes{{0, 20}, {20, 60}, {60, 100}}));
  EXPECT_EQ(Detect(HardCuts(), Opts("ContentDetector", 27, 0)),
            (Scenes{{0, 20}, {20, 25}, {25, 60}, {60, 100}}));
  EXPECT_EQ(Detect(HardCuts(), Opts("ContentDetector", 27, 3)),
            (Scenes{{0, 20}, {20, 25}, {25, 60}, {60, 100}}));
}

TEST(SceneDetect, ContentMergesBurstsOfCuts) {
  // 30 dark, 10 frames alternating red/light, 30 dark, 20 blue.
  Frames f;
  Append(&f, Solid(W, H, kA), 30);
  for (int i = 0; i < 10; ++i) f.push_back(Solid(W, H, i % 2 ? kB : kC));
  Append(&f, Solid(W, H, kA), 30);
  Append(&f, Solid(W, H, kD), 20);
  // The cut at 70 is only emitted by the merge filter 15 quiet frames later; 40 is swallowed.
  EXPECT_EQ(Detect(f, Opts("ContentDetector", 27, 15)), (Scenes{{0, 30}, {30, 70}, {70, 90}}));
  EXPECT_EQ(Detect(f, Opts("ContentDetector", 27, 5)), (Scenes{{0, 30}, {30, 40}, {40, 70}, {70, 90}}));
}

Frames Fades() {
  // 20 frames colour A (dark grey), fade out over 10, 5 black, fade in C over 10,
  // 20 frames C, fade out over 10, 3 black (78 frames).
  Frames f;
  Append(&f, Fade(W, H, kA, 10, 10), 20);
  for (int k = 1; k <= 10; ++k) f.push_back(Fade(W, H, kA, 10 - k, 10));
  Append(&f, Solid(W, H, {0, 0, 0}), 5);
  for (int k = 1; k <= 10; ++k) f.push_back(Fade(W, H, kC, k, 10));
  Append(&f, Fade(W, H, kC, 10, 10), 20);
  for (int k = 1; k <= 10; ++k) f.push_back(Fade(W, H, kC, 10 - k, 10));
  Append(&f, Solid(W, H, {0, 0, 0}), 3);
  return f;
}

TEST(SceneDetect, ThresholdFades) {
  const Frames f = Fades();
  ASSERT_EQ(f.size(), 78u);
  EXPECT_EQ(Detect(f, Opts("ThresholdDetector", 12, 15)), (Scenes{{0, 30}, {30, 78}}));
  SceneDetectorOptions o = Opts("ThresholdDetector", 12, 15);
  o.add_final_scene = true;  // the video ends faded out: one more cut at the fade-out frame
  EXPECT_EQ(Detect(f, o), (Scenes{{0, 30}, {30, 73}, {73, 78}}));
  // Colour A averages below 50, so the video "starts faded out"; bias -1 puts the first cut at
  // the fade-out frame 0, and scenedetect reports the empty scene (0, 0).
  o = Opts("ThresholdDetector", 50, 5);
  o.fade_bias = -1.0;
  o.add_final_scene = true;
  EXPECT_EQ(Detect(f, o), (Scenes{{0, 0}, {0, 69}, {69, 78}}));
  o = Opts("ThresholdDetector", 50, 5);
  o.fade_bias = 1.0;
  EXPECT_EQ(Detect(f, o), (Scenes{{0, 40}, {40, 78}}));
  o = Opts("ThresholdDetector", 50, 5);
  o.method = 1;  // CEILING
  EXPECT_EQ(Detect(f, o), (Scenes{{0, 54}, {54, 78}}));
  EXPECT_EQ(Detect(f, Opts("ContentDetector", 27, 15)), (Scenes{{0, 35}, {35, 74}, {74, 78}}));
}

Frames MovingPatterns() {
  Frames f;
  for (int t = 0; t < 30; ++t) f.push_back(Pattern(W, H, t, 1));
  for (int t = 0; t < 40; ++t) f.push_back(Pattern(W, H, t, 4));
  for (int t = 0; t < 30; ++t) f.push_back(Pattern(W, H, t, 2));
  return f;
}

TEST(SceneDetect, Adaptive) {
  const Frames f = MovingPatterns();
  EXPECT_EQ(Detect(f, Opts("AdaptiveDetector", 3.0, 15)), (Scenes{{0, 30}, {30, 70}, {70, 100}}));
  // Data-Juicer passes its `threshold` (default 27) as adaptive_threshold: no cut here.
  EXPECT_EQ(Detect(f, Opts("AdaptiveDetector", 27.0, 15)), (Scenes{{0, 100}}));
  SceneDetectorOptions o = Opts("AdaptiveDetector", 2.0, 0);
  o.window_width = 3;
  o.min_content_val = 5.0;
  EXPECT_EQ(Detect(f, o), (Scenes{{0, 30}, {30, 70}, {70, 100}}));
  EXPECT_EQ(Detect(f, Opts("ContentDetector", 27, 15)), (Scenes{{0, 30}, {30, 70}, {70, 100}}));
}

TEST(SceneDetect, DownscaledFramesAndEdges) {
  // 320x240 is processed at 256x192 (cv::resize INTER_LINEAR); weights with edges add Canny.
  Frames f;
  for (int t = 0; t < 25; ++t) f.push_back(Pattern(320, 240, t, 0));
  for (int t = 0; t < 20; ++t) f.push_back(Pattern(320, 240, t, 3));
  EXPECT_EQ(Detect(f, Opts("ContentDetector", 27, 15)), (Scenes{{0, 25}, {25, 45}}));
  SceneDetectorOptions o = Opts("ContentDetector", 20, 5);
  o.weights = {1.0, 1.0, 1.0, 1.0};
  EXPECT_EQ(Detect(f, o), (Scenes{{0, 25}, {25, 45}}));
}

TEST(SceneDetect, LumaOnlyIgnoresHue) {
  Frames f;  // blue -> green: same value and saturation, hue 120 -> 60 (score 20 over 3 parts)
  Append(&f, Solid(W, H, {200, 50, 50}), 20);
  Append(&f, Solid(W, H, {50, 200, 50}), 20);
  EXPECT_EQ(Detect(f, Opts("ContentDetector", 15, 15)), (Scenes{{0, 20}, {20, 40}}));
  SceneDetectorOptions o = Opts("ContentDetector", 15, 15);
  o.luma_only = true;
  EXPECT_EQ(Detect(f, o), (Scenes{{0, 40}}));
}

TEST(SceneDetect, NoCutIsOneSceneAndSkippedFramesCount) {
  Frames f;
  Append(&f, Solid(W, H, kA), 10);
  f.push_back(Solid(W + 2, H, kB));  // a frame of another size is not processed...
  Append(&f, Solid(W, H, kA), 5);
  EXPECT_EQ(Detect(f, Opts("ContentDetector", 27, 0)), (Scenes{{0, 16}}));  // ...but counts
  EXPECT_EQ(Detect({}, Opts("ContentDetector", 27, 15)), (Scenes{{0, 1}}));  // position 0 + 1
}

TEST(SceneDetect, ProcessingSizeMatchesAutoDownscale) {
  // From scenedetect: compute_downscale_factor(max(w, h)) and round() (half to even).
  EXPECT_EQ(SceneDetectProcessingSize(640, 360), cv::Size(256, 144));
  EXPECT_EQ(SceneDetectProcessingSize(362, 640), cv::Size(145, 256));
  EXPECT_EQ(SceneDetectProcessingSize(257, 300), cv::Size(219, 256));
  EXPECT_EQ(SceneDetectProcessingSize(255, 100), cv::Size(255, 100));
  EXPECT_EQ(SceneDetectProcessingSize(641, 361), cv::Size(256, 144));
  EXPECT_EQ(SceneDetectProcessingSize(5, 512), cv::Size(2, 256));  // 2.5 rounds to 2
  EXPECT_EQ(SceneDetectProcessingSize(256, 7), cv::Size(256, 7));
  EXPECT_EQ(SceneDetectProcessingSize(15, 1536), cv::Size(2, 256));
}

TEST(SceneDetect, FactoryRejectsWhatScenedetectRejects) {
  EXPECT_FALSE(SceneDetector::Create(Opts("HistogramDetector", 27, 15)).ok());
  SceneDetectorOptions o = Opts("ContentDetector", 27, 15);
  o.kernel_size = 4;
  EXPECT_FALSE(SceneDetector::Create(o).ok());
  o = Opts("AdaptiveDetector", 3, 15);
  o.window_width = 0;
  EXPECT_FALSE(SceneDetector::Create(o).ok());
  o = Opts("ThresholdDetector", 12, 15);
  o.method = 2;
  EXPECT_FALSE(SceneDetector::Create(o).ok());
  o = Opts("ContentDetector", 27, 15);
  o.weights = {0, 0, 0, 0};
  EXPECT_FALSE(SceneDetector::Create(o).ok());
}

}  // namespace
}  // namespace winnow::media
