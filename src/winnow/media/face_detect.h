// Face detection as Data-Juicer's detect_faces does it: an OpenCV Haar cascade (DJ's default is
// haarcascade_frontalface_alt.xml, from Debian's opencv-data) run by detectMultiScale on the
// grey image, each box then clipped to the image.
#pragma once

#include <opencv2/core.hpp>

#include <string>
#include <vector>

#include "winnow/core/status.h"

namespace winnow::media {

class SampleMedia;

// detectMultiScale's keyword arguments as DJ passes them (scaleFactor, minNeighbors, minSize,
// maxSize; None = OpenCV's default).
struct FaceDetectOptions {
  std::string cascade_path;  // empty: the default cascade
  double scale_factor = 1.1;
  int min_neighbors = 3;
  cv::Size min_size, max_size;
};

// The default cascade's path (DJ: cv2.data.haarcascades + haarcascade_frontalface_alt.xml).
std::string DefaultFaceCascade();

// Loads the cascade (once per thread) to check it, so a bad path fails at recipe load.
Status CheckFaceCascade(const std::string& path);

// Boxes (x, y, w, h) of the faces in a BGR image, clipped to it as DJ clips them.
Result<std::vector<cv::Rect>> DetectFaces(const cv::Mat& bgr, const FaceDetectOptions& opt);

// The same, computed once per sample for each image and settings (SampleMedia's face cache).
Result<std::vector<cv::Rect>> DetectFacesCached(SampleMedia& media, const std::string& image_path, const cv::Mat& bgr,
                                                const FaceDetectOptions& opt);

}  // namespace winnow::media
