#include "winnow/media/sample_media.h"

#include <opencv2/imgcodecs.hpp>  // flag values only; the codecs run in the img plugin

#include <sys/stat.h>

#include "winnow/core/json.h"
#include "winnow/media/image_codec.h"
#include "winnow/media/image_header.h"
#include "winnow/media/media_paths.h"

namespace winnow::media {
namespace {

// RFC 4648 base64 (padding optional, whitespace ignored); false on any other character.
bool Base64Decode(std::string_view in, std::string* out) {
  out->clear();
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+' || c == '-') v = 62;
    else if (c == '/' || c == '_') v = 63;
    else if (c == '=' || c == '\n' || c == '\r' || c == ' ') continue;
    else return false;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return true;
}

// 8-bit, 3 channels, as PIL's convert("RGB") leaves every mode DJ meets (L, LA, P, RGBA, I;16):
// grey is replicated, alpha dropped (not composited), 16-bit scaled to 8.
Result<cv::Mat> ToBgr8(cv::Mat m, const std::string& what) {
  if (m.empty()) return Status::Error(what + ": cannot decode image (unsupported format or corrupt data)");
  return m;
}

}  // namespace

Status CollectImageSources(const Sample& s, std::string_view image_key, std::string_view bytes_key,
                           const std::vector<std::string>* input_files, ImageSources* out) {
  WINNOW_RETURN_IF_ERROR(MediaPaths(s, image_key, input_files, &out->paths));
  out->bytes.assign(out->paths.size(), std::string());
  std::string raw;
  if (bytes_key.empty() || !s.FieldRaw(bytes_key, &raw) || json::TypeOf(raw) != json::Type::kArray) return Status::Ok();
  std::vector<std::string_view> items;
  json::SplitArray(raw, &items);
  for (size_t i = 0; i < items.size() && i < out->paths.size(); ++i) {
    std::string b64;
    if (!json::StringValue(items[i], &b64) || b64.empty()) continue;
    if (!Base64Decode(b64, &out->bytes[i]))
      return Status::Error("field '" + std::string(bytes_key) + "' item " + std::to_string(i) + " is not base64");
  }
  return Status::Ok();
}

Result<cv::Mat> DecodeImageFile(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return Status::Error(path + ": image file not found");
  if (st.st_size == 0) return Status::Error(path + ": image file is empty (0 bytes)");
  // imread applies the EXIF orientation by default (DJ's path loads transpose too).
  auto read = ImRead(path, cv::IMREAD_COLOR);
  if (!read.ok()) return read.status();
  cv::Mat m = std::move(*read);
  if (m.empty()) {
    // OpenCV 4.6 has no GIF reader; FFmpeg's gif decoder gives the first frame (PIL's
    // convert("RGB") of frame 0: the palette colours).
    auto header = ReadImageHeaderFile(path);
    if (header.ok() && header->format == "GIF") {
      auto dec = VideoDecoder::Open(path);
      if (!dec.ok()) return dec.status();
      VideoFrame f;
      auto more = (*dec)->Next(&f);
      if (!more.ok()) return more.status();
      if (*more) m = f.bgr.clone();
    }
  }
  return ToBgr8(std::move(m), path);
}

Result<cv::Mat> DecodeImageBytes(std::string_view bytes, const std::string& what) {
  if (bytes.empty()) return Status::Error(what + ": image bytes are empty");
  auto m = ImDecode(bytes, cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION);
  if (!m.ok()) return m.status().WithContext(what);
  return ToBgr8(std::move(*m), what);
}

SampleMedia& SampleMedia::Of(Sample& s) {
  if (auto* m = dynamic_cast<SampleMedia*>(s.attachment())) return *m;
  s.set_attachment(std::make_unique<SampleMedia>());
  return *static_cast<SampleMedia*>(s.attachment());
}

Result<cv::Mat> SampleMedia::Image(const std::string& path, std::string_view bytes) {
  for (const Entry& e : images_)
    if (e.key == path) return e.mat;
  ++decodes_;
  Result<cv::Mat> m = bytes.empty() ? DecodeImageFile(path) : DecodeImageBytes(bytes, path + " (image bytes)");
  if (!m.ok()) return m.status();
  Insert(path, *m);
  return *m;
}

void SampleMedia::PutImage(const std::string& path, cv::Mat bgr) {
  for (Entry& e : images_)
    if (e.key == path) {
      bytes_ -= e.mat.total() * e.mat.elemSize();
      bytes_ += bgr.total() * bgr.elemSize();
      e.mat = std::move(bgr);
      return;
    }
  Insert(path, std::move(bgr));
}

void SampleMedia::Insert(const std::string& key, cv::Mat mat) {
  size_t sz = mat.total() * mat.elemSize();
  // Evict the oldest entries past the cap; Mats already handed out keep their pixels alive.
  while (!images_.empty() && bytes_ + sz > kMaxCachedBytes) {
    bytes_ -= images_.front().mat.total() * images_.front().mat.elemSize();
    images_.erase(images_.begin());
  }
  images_.push_back({key, std::move(mat)});
  bytes_ += sz;
}

const std::vector<cv::Rect>* SampleMedia::FindFaces(const std::string& key) const {
  for (const auto& [k, v] : faces_)
    if (k == key) return &v;
  return nullptr;
}

void SampleMedia::PutFaces(const std::string& key, std::vector<cv::Rect> faces) {
  faces_.emplace_back(key, std::move(faces));
}

Result<std::shared_ptr<const AudioData>> SampleMedia::Audio(const std::string& path) {
  for (const auto& [k, v] : audios_)
    if (k == path) return v;
  ++decodes_;
  auto a = DecodeAudio(path);
  if (!a.ok()) return a.status();
  auto sp = std::make_shared<const AudioData>(std::move(*a));
  audios_.emplace_back(path, sp);
  return sp;
}

Result<std::shared_ptr<const MediaInfo>> SampleMedia::Probe(const std::string& path) {
  for (const auto& [k, v] : probes_)
    if (k == path) return v;
  auto m = ProbeMedia(path, /*header_only=*/true);
  if (!m.ok()) return m.status();
  auto sp = std::make_shared<const MediaInfo>(std::move(*m));
  probes_.emplace_back(path, sp);
  return sp;
}

void SampleMedia::Clear() {
  images_.clear();
  faces_.clear();
  audios_.clear();
  probes_.clear();
  bytes_ = 0;
  decodes_ = 0;
}

}  // namespace winnow::media
