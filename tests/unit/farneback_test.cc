// The native Farneback (media/farneback.h) against OpenCV's cv::calcOpticalFlowFarneback (run
// through the cv plugin): flow fields must be bit-identical, frame pair after frame pair, for
// DJ's defaults and other parameters, odd sizes, motion that leaves the frame, and textures.
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "winnow/media/farneback.h"
#include "winnow/media/optical_flow.h"

namespace winnow::media {
namespace {

// A textured scene (smoothed noise plus shapes), moved by (dx, dy) * t with subpixel accuracy.
cv::Mat Frame(int w, int h, double t, double dx, double dy, unsigned seed) {
  cv::Mat big(h + 80, w + 80, CV_8UC1);
  std::mt19937 rng(seed);
  for (int y = 0; y < big.rows; ++y)
    for (int x = 0; x < big.cols; ++x) big.at<uint8_t>(y, x) = static_cast<uint8_t>(rng() & 0xFF);
  cv::GaussianBlur(big, big, cv::Size(7, 7), 2.0);
  cv::circle(big, cv::Point(big.cols / 3, big.rows / 2), std::max(4, h / 6), cv::Scalar(250), -1);
  cv::rectangle(big, cv::Rect(big.cols / 2, big.rows / 4, std::max(3, w / 5), std::max(3, h / 4)), cv::Scalar(10),
                -1);
  cv::Mat shift = (cv::Mat_<double>(2, 3) << 1, 0, dx * t - 40, 0, 1, dy * t - 40);
  cv::Mat out;
  cv::warpAffine(big, out, shift, cv::Size(w, h), cv::INTER_LINEAR, cv::BORDER_REFLECT);
  return out;
}

::testing::AssertionResult SameFlow(const cv::Mat& a, const cv::Mat& b) {
  if (a.size() != b.size() || a.type() != b.type())
    return ::testing::AssertionFailure() << "shape " << a.size() << " vs " << b.size();
  for (int y = 0; y < a.rows; ++y) {
    const float* p = a.ptr<float>(y);
    const float* q = b.ptr<float>(y);
    for (int x = 0; x < a.cols * 2; ++x)
      if (std::memcmp(&p[x], &q[x], sizeof(float)) != 0)
        return ::testing::AssertionFailure() << "first difference at row " << y << " value " << x << ": " << p[x]
                                             << " vs OpenCV " << q[x];
  }
  return ::testing::AssertionSuccess();
}

// Pushes `frames` frames and checks every consecutive pair (and a repeated frame) against OpenCV.
void CheckSequence(const FarnebackOptions& opt, int w, int h, double dx, double dy, int frames = 3) {
  SCOPED_TRACE(testing::Message() << w << "x" << h << " levels " << opt.levels << " winsize " << opt.winsize
                                  << " poly_n " << opt.poly_n << " iterations " << opt.iterations << " pyr_scale "
                                  << opt.pyr_scale << " motion " << dx << "," << dy);
  ASSERT_TRUE(FarnebackSequence::Supports(opt, w, h));
  FarnebackSequence seq(opt);
  cv::Mat prev;
  for (int i = 0; i < frames; ++i) {
    cv::Mat cur = Frame(w, h, i, dx, dy, 7);
    ASSERT_TRUE(seq.Push(cur).ok());
    if (i > 0) {
      auto native = seq.Flow();
      ASSERT_TRUE(native.ok()) << native.status().message();
      auto ref = OpenCvFarnebackFlow(prev, cur, opt);
      ASSERT_TRUE(ref.ok()) << ref.status().message();
      EXPECT_TRUE(SameFlow(*native, *ref)) << "pair " << i;
      auto mean = seq.MeanMagnitude();
      ASSERT_TRUE(mean.ok());
      EXPECT_EQ(*mean, MeanFlowMagnitudeOf(*ref));
    }
    prev = cur;
  }
  // DJ's loop compares a frame with itself when its sampling step is 1.
  ASSERT_TRUE(seq.Push(prev).ok());
  auto same = seq.Flow();
  ASSERT_TRUE(same.ok());
  auto ref = OpenCvFarnebackFlow(prev, prev, opt);
  ASSERT_TRUE(ref.ok());
  EXPECT_TRUE(SameFlow(*same, *ref));
}

TEST(Farneback, MatchesOpenCvWithDjDefaults) {
  FarnebackOptions opt;  // DJ's: pyr_scale 0.5, levels 3, winsize 15, iterations 3, poly_n 5, sigma 1.2
  CheckSequence(opt, 320, 240, 1.7, -0.6);
  CheckSequence(opt, 333, 197, -2.3, 1.1);  // odd sizes: vector tails and uneven pyramid levels
  CheckSequence(opt, 64, 64, 0.4, 0.3);     // the smallest size with a pyramid level
  CheckSequence(opt, 63, 40, 0.4, 0.3);     // no pyramid: one level
  CheckSequence(opt, 12, 9, 0.2, 0.1);      // smaller than OpenCV's border band
  CheckSequence(opt, 160, 90, 9.0, 7.5);    // fast motion: samples fall outside the frame
}

TEST(Farneback, MatchesOpenCvWithOtherParameters) {
  FarnebackOptions opt;
  opt.levels = 5;
  opt.winsize = 21;
  CheckSequence(opt, 400, 300, 3.2, 2.1);
  opt = FarnebackOptions();
  opt.levels = 1;
  opt.winsize = 7;
  opt.iterations = 1;
  CheckSequence(opt, 200, 120, -1.0, 0.5);
  opt = FarnebackOptions();
  opt.poly_n = 7;
  opt.poly_sigma = 1.5;
  opt.pyr_scale = 0.7;
  opt.winsize = 10;  // even window
  CheckSequence(opt, 256, 144, 0.8, 0.8);
  opt = FarnebackOptions();
  opt.levels = 0;      // one level, whatever the size
  opt.iterations = 0;  // no update: the flow stays zero
  opt.poly_sigma = 0;  // OpenCV then uses n * 0.3
  CheckSequence(opt, 128, 96, 1.0, 1.0, 2);
}

TEST(Farneback, CoversOnlyWhatItReproduces) {
  FarnebackOptions opt;
  EXPECT_TRUE(FarnebackSequence::Supports(opt, 64, 64));
  EXPECT_TRUE(FarnebackSequence::Supports(opt, 63, 200));
  opt.flags = 256;  // OPTFLOW_FARNEBACK_GAUSSIAN
  EXPECT_FALSE(FarnebackSequence::Supports(opt, 320, 240));
  opt = FarnebackOptions();
  opt.pyr_scale = 1.0;
  EXPECT_FALSE(FarnebackSequence::Supports(opt, 320, 240));
  opt = FarnebackOptions();
  opt.flags = 4;  // OPTFLOW_USE_INITIAL_FLOW
  EXPECT_FALSE(FarnebackSequence::Supports(opt, 320, 240));
}

TEST(Farneback, RejectsBadFrames) {
  FarnebackSequence seq{FarnebackOptions()};
  EXPECT_FALSE(seq.Flow().ok());  // no frames yet
  EXPECT_FALSE(seq.Push(cv::Mat(100, 100, CV_8UC3, cv::Scalar(0))).ok());
  ASSERT_TRUE(seq.Push(cv::Mat(100, 100, CV_8UC1, cv::Scalar(0))).ok());
  EXPECT_FALSE(seq.Flow().ok());  // one frame
  auto st = seq.Push(cv::Mat(100, 120, CV_8UC1, cv::Scalar(0)));
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("change size"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace winnow::media
