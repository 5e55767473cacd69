// The media a sample's ops share: each image (audio, video probe) is decoded at most once per sample, whichever ops
// ask for it (Data-Juicer's LOADED_IMAGES / LOADED_VIDEOS op fusion, always on). The cache is a
// Sample attachment, cleared when the worker's sample object takes the next record, so memory is
// bounded by one sample per worker; within a sample, decoded pixels past kMaxCachedBytes evict
// the oldest entries (an op that asks again decodes again).
#pragma once

#include <opencv2/core.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/sample.h"
#include "winnow/core/status.h"
#include "winnow/media/av_reader.h"

namespace winnow::media {

// Where a sample's images come from: resolved paths, and DJ's optional `image_bytes` list
// (in JSON: base64 strings; an entry that is null, empty or not a string falls back to the
// path, as DJ falls back when an entry is not `bytes`).
struct ImageSources {
  std::vector<std::string> paths;
  std::vector<std::string> bytes;  // decoded base64, "" where the path is used
};

Status CollectImageSources(const Sample& s, std::string_view image_key, std::string_view bytes_key,
                           const std::vector<std::string>* input_files, ImageSources* out);

// Decodes like DJ's load_image: all formats PIL reads that OpenCV reads, converted to 8-bit
// 3-channel (BGR order, OpenCV's). A file path gets the EXIF orientation applied (DJ loads paths
// through HF datasets' Image feature, which transposes); bytes do not (DJ opens them directly).
Result<cv::Mat> DecodeImageFile(const std::string& path);
Result<cv::Mat> DecodeImageBytes(std::string_view bytes, const std::string& what);

class SampleMedia final : public SampleAttachment {
 public:
  static constexpr size_t kMaxCachedBytes = size_t{512} << 20;

  // The sample's cache (created on first use).
  static SampleMedia& Of(Sample& s);

  // The decoded image for `path` (from `bytes` when not empty). The Mat shares the cached
  // pixels: treat it as read-only (clone before drawing on it).
  Result<cv::Mat> Image(const std::string& path, std::string_view bytes = {});
  // A mapper's output image, so later ops in the chain do not decode the file it wrote.
  void PutImage(const std::string& path, cv::Mat bgr);

  // Audio decoded as DJ's load_audio does (float64, mono, native rate), once per sample.
  Result<std::shared_ptr<const AudioData>> Audio(const std::string& path);
  // Container and stream metadata (no decode), once per sample.
  Result<std::shared_ptr<const MediaInfo>> Probe(const std::string& path);

  // Face boxes found in an image with given detector settings (`key` names both), so DJ's face
  // ops (count, ratio, blur) in one chain detect once.
  const std::vector<cv::Rect>* FindFaces(const std::string& key) const;
  void PutFaces(const std::string& key, std::vector<cv::Rect> faces);

  void Clear() override;
  size_t decodes() const { return decodes_; }  // how many decodes this sample cost (tests)

 private:
  struct Entry {
    std::string key;
    cv::Mat mat;
  };
  void Insert(const std::string& key, cv::Mat mat);
  std::vector<Entry> images_;
  std::vector<std::pair<std::string, std::vector<cv::Rect>>> faces_;
  std::vector<std::pair<std::string, std::shared_ptr<const AudioData>>> audios_;
  std::vector<std::pair<std::string, std::shared_ptr<const MediaInfo>>> probes_;
  size_t bytes_ = 0;
  size_t decodes_ = 0;
};

}  // namespace winnow::media
