// libwinnow_img.so: OpenCV's imgcodecs behind a C interface. imgcodecs brings ~140 shared objects
// (GDAL, Poppler, HDF5, ...), so only runs that read or write image files load it (README.md).
// cv::Mat crosses the interface by pointer: both sides share the one libopencv_core.
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace {
// No cv::setNumThreads(1) here, unlike cv_plugin.cc: imgcodecs does not use OpenCV's pool, and
// calling it from this plugin's initialiser crashed LeakSanitizer's thread tracer at exit.

void SetError(const std::string& msg, char* err, size_t errlen) {
  if (!err || errlen == 0) return;
  std::strncpy(err, msg.c_str(), errlen - 1);
  err[errlen - 1] = '\0';
}
}  // namespace

extern "C" {

// cv::imread / cv::imdecode into *out (empty when OpenCV cannot read it); -1 on an exception.
int wn_cv_imread(const char* path, int flags, cv::Mat* out, char* err, size_t errlen) {
  try {
    *out = cv::imread(path, flags);
    return 0;
  } catch (const cv::Exception& e) {
    SetError(e.what(), err, errlen);
    return -1;
  }
}

int wn_cv_imdecode(const uint8_t* data, size_t size, int flags, cv::Mat* out, char* err, size_t errlen) {
  try {
    cv::Mat buf(1, static_cast<int>(size), CV_8UC1, const_cast<uint8_t*>(data));
    *out = cv::imdecode(buf, flags);
    return 0;
  } catch (const cv::Exception& e) {
    SetError(e.what(), err, errlen);
    return -1;
  }
}

// cv::imwrite with (flag, value) pairs; 0 on success.
int wn_cv_imwrite(const char* path, const cv::Mat* img, const int* params, int n_params, char* err, size_t errlen) {
  try {
    if (!cv::imwrite(path, *img, std::vector<int>(params, params + n_params))) {
      SetError("cv::imwrite failed (unknown extension or unwritable path)", err, errlen);
      return -1;
    }
    return 0;
  } catch (const cv::Exception& e) {
    SetError(e.what(), err, errlen);
    return -1;
  }
}

}  // extern "C"
