#include "winnow/media/face_detect.h"

#include <opencv2/imgproc.hpp>

#include <map>
#include <memory>

#include "winnow/core/plugin.h"
#include "winnow/media/sample_media.h"

namespace winnow::media {
namespace {

// OpenCV's objdetect lives in the cv plugin (src/winnow/plugins/README.md).
using LoadFn = void* (*)(const char*, char*, size_t);
using FreeFn = void (*)(void*);
using DetectFn = int (*)(void*, const uint8_t*, int, int, size_t, double, int, int, int, int, int, int*, int, char*,
                         size_t);

struct Cascade {
  void* handle = nullptr;
  FreeFn free_fn = nullptr;
  ~Cascade() {
    if (handle) free_fn(handle);
  }
};

// A CascadeClassifier is not safe to share between threads: each worker loads its own copy,
// once per cascade file.
Result<void*> ThreadCascade(const std::string& path) {
  thread_local std::map<std::string, std::unique_ptr<Cascade>> cascades;
  auto it = cascades.find(path);
  if (it != cascades.end()) return it->second->handle;
  auto load = PluginFunction<LoadFn>("cv", "wn_cv_cascade_load");
  if (!load.ok()) return load.status();
  auto free_fn = PluginFunction<FreeFn>("cv", "wn_cv_cascade_free");
  if (!free_fn.ok()) return free_fn.status();
  char err[512] = "";
  auto c = std::make_unique<Cascade>();
  c->free_fn = *free_fn;
  c->handle = (*load)(path.c_str(), err, sizeof(err));
  if (!c->handle) return Status::Error("cannot load the face cascade " + path + (err[0] ? ": " : "") + err);
  return cascades.emplace(path, std::move(c)).first->second->handle;
}

}  // namespace

std::string DefaultFaceCascade() { return "/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt.xml"; }

Status CheckFaceCascade(const std::string& path) {
  auto c = ThreadCascade(path);
  return c.ok() ? Status::Ok() : c.status();
}

Result<std::vector<cv::Rect>> DetectFaces(const cv::Mat& bgr, const FaceDetectOptions& opt) {
  auto cascade = ThreadCascade(opt.cascade_path.empty() ? DefaultFaceCascade() : opt.cascade_path);
  if (!cascade.ok()) return cascade.status();
  static const DetectFn detect = *PluginFunction<DetectFn>("cv", "wn_cv_detect");  // loaded above
  cv::Mat gray;
  try {
    cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
  } catch (const cv::Exception& e) {
    return Status::Error(std::string("face detection failed: ") + e.what());
  }
  std::vector<int> rects(4 * 64);
  char err[512] = "";
  int n;
  while (true) {
    n = detect(*cascade, gray.data, gray.cols, gray.rows, gray.step, opt.scale_factor, opt.min_neighbors,
               opt.min_size.width, opt.min_size.height, opt.max_size.width, opt.max_size.height, rects.data(),
               static_cast<int>(rects.size() / 4), err, sizeof(err));
    if (n < 0) return Status::Error(std::string("face detection failed: ") + err);
    if (static_cast<size_t>(n) * 4 <= rects.size()) break;
    rects.resize(static_cast<size_t>(n) * 4);
  }
  std::vector<cv::Rect> dets;
  for (int i = 0; i < n; ++i) {  // DJ's clipping: x, y >= 0; w, h within the image
    int x = std::max(rects[4 * i], 0), y = std::max(rects[4 * i + 1], 0);
    dets.emplace_back(x, y, std::min(rects[4 * i + 2], bgr.cols - x), std::min(rects[4 * i + 3], bgr.rows - y));
  }
  return dets;
}

Result<std::vector<cv::Rect>> DetectFacesCached(SampleMedia& media, const std::string& image_path, const cv::Mat& bgr,
                                                const FaceDetectOptions& opt) {
  std::string key = image_path + '\n' + opt.cascade_path + '\n' + std::to_string(opt.scale_factor) + ' ' +
                    std::to_string(opt.min_neighbors) + ' ' + std::to_string(opt.min_size.width) + 'x' +
                    std::to_string(opt.min_size.height) + ' ' + std::to_string(opt.max_size.width) + 'x' +
                    std::to_string(opt.max_size.height);
  if (const auto* f = media.FindFaces(key)) return *f;
  auto faces = DetectFaces(bgr, opt);
  if (faces.ok()) media.PutFaces(key, *faces);
  return faces;
}

}  // namespace winnow::media
