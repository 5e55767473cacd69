// libwinnow_cv.so: the OpenCV modules that bring protobuf along (objdetect's Haar cascades,
// video's Farneback optical flow) behind a C interface (see README.md for why it is a plugin).
#include <opencv2/core.hpp>
#include <opencv2/objdetect.hpp>
#include <opencv2/video/tracking.hpp>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace {
// Winnow runs np workers over samples; OpenCV's own thread pool on top of them only adds
// oversubscription and synchronisation (the results do not depend on it).
const bool kSingleThreaded = [] {
  cv::setNumThreads(1);
  return true;
}();

void SetError(const std::string& msg, char* err, size_t errlen) {
  if (!err || errlen == 0) return;
  std::strncpy(err, msg.c_str(), errlen - 1);
  err[errlen - 1] = '\0';
}
}  // namespace

extern "C" {

void* wn_cv_cascade_load(const char* path, char* err, size_t errlen) {
  auto* c = new cv::CascadeClassifier();
  bool ok = false;
  try {
    ok = c->load(path);
  } catch (const cv::Exception& e) {
    SetError(e.what(), err, errlen);
  }
  if (!ok || c->empty()) {
    if (ok) SetError("empty cascade", err, errlen);
    delete c;
    return nullptr;
  }
  return c;
}

void wn_cv_cascade_free(void* c) { delete static_cast<cv::CascadeClassifier*>(c); }

// detectMultiScale on an 8-bit grey image; writes up to max_rects (x, y, w, h) quadruples and
// returns the number found (more than max_rects: call again with room), or -1 on error.
int wn_cv_detect(void* c, const uint8_t* gray, int w, int h, size_t step, double scale_factor, int min_neighbors,
                 int min_w, int min_h, int max_w, int max_h, int* rects, int max_rects, char* err, size_t errlen) {
  try {
    cv::Mat img(h, w, CV_8UC1, const_cast<uint8_t*>(gray), step);
    std::vector<cv::Rect> dets;
    static_cast<cv::CascadeClassifier*>(c)->detectMultiScale(img, dets, scale_factor, min_neighbors, 0,
                                                              cv::Size(min_w, min_h), cv::Size(max_w, max_h));
    for (size_t i = 0; i < dets.size() && static_cast<int>(i) < max_rects; ++i) {
      rects[4 * i] = dets[i].x;
      rects[4 * i + 1] = dets[i].y;
      rects[4 * i + 2] = dets[i].width;
      rects[4 * i + 3] = dets[i].height;
    }
    return static_cast<int>(dets.size());
  } catch (const cv::Exception& e) {
    SetError(e.what(), err, errlen);
    return -1;
  }
}

// cv::calcOpticalFlowFarneback(prev, next) into `flow` (w * h * 2 floats, dx dy per pixel).
int wn_cv_farneback(const uint8_t* prev, const uint8_t* next, int w, int h, size_t step, double pyr_scale,
                    int levels, int winsize, int iterations, int poly_n, double poly_sigma, int flags, float* flow,
                    char* err, size_t errlen) {
  try {
    cv::Mat a(h, w, CV_8UC1, const_cast<uint8_t*>(prev), step);
    cv::Mat b(h, w, CV_8UC1, const_cast<uint8_t*>(next), step);
    cv::Mat out(h, w, CV_32FC2, flow);
    cv::calcOpticalFlowFarneback(a, b, out, pyr_scale, levels, winsize, iterations, poly_n, poly_sigma, flags);
    if (out.data != reinterpret_cast<uchar*>(flow)) out.copyTo(cv::Mat(h, w, CV_32FC2, flow));
    return 0;
  } catch (const cv::Exception& e) {
    SetError(e.what(), err, errlen);
    return -1;
  }
}

}  // extern "C"
