// Dense optical flow (OpenCV's Farneback, in the cv plugin) reduced to what DJ's
// video_motion_score_filter keeps: the mean flow magnitude between two grey frames.
#pragma once

#include <opencv2/core.hpp>

#include "winnow/core/status.h"

namespace winnow::media {

// cv2.calcOpticalFlowFarneback's keyword arguments (DJ's defaults).
struct FarnebackOptions {
  double pyr_scale = 0.5;
  int levels = 3;
  int winsize = 15;
  int iterations = 3;
  int poly_n = 5;
  double poly_sigma = 1.2;
  int flags = 0;
};

// cv::calcOpticalFlowFarneback itself (CV_32FC2) for 8-bit single-channel frames of equal size.
Result<cv::Mat> OpenCvFarnebackFlow(const cv::Mat& prev_gray, const cv::Mat& next_gray, const FarnebackOptions& opt);

// mean(cartToPolar(flow).magnitude) of a CV_32FC2 flow field.
double MeanFlowMagnitudeOf(const cv::Mat& flow);

// MeanFlowMagnitudeOf(OpenCvFarnebackFlow(...)). FarnebackSequence (farneback.h) gives the same
// numbers for a sequence of frames at about two thirds of the cost.
Result<double> MeanFlowMagnitude(const cv::Mat& prev_gray, const cv::Mat& next_gray, const FarnebackOptions& opt);

}  // namespace winnow::media
