// video_remove_watermark_mapper: finds a watermark inside given regions of a video and inpaints
// it away in every frame, as DJ's op does:
//   1. `frame_num` frames sampled with extract_video_frames_uniformly (BGR24, PyAV's conversion);
//   2. a mask inside the ROIs, by one of DJ's two detectors, with numpy's semantics:
//      pixel_value:     per frame and ROI, Otsu's binarisation of the grey ROI, inverted when
//                       more than half of its first row + first column is set (the watermark is
//                       assumed not to touch the ROI's edge); a pixel is watermark when it is set
//                       in >= min_frame_threshold frames (the count is numpy's uint8 sum, so it
//                       wraps past 255 frames as DJ's does);
//      pixel_diversity: per ROI, the population std over frames of each pixel (float64, frames
//                       summed in order), summed over B, G, R, min-max scaled to 0..255 and
//                       truncated to uint8, then Otsu's binarisation, inverted (low diversity =
//                       watermark);
//   3. the mask dilated by a 5x5 box, then cv2.inpaint(frame, mask, 3, INPAINT_NS) on every frame,
//      re-encoded through ProcessEachFrame (DJ's process_each_frame).
// The output goes to TransferFilename's path and replaces the input in the video list.
//
// Differences from DJ (docs/parity.md): with roi_key and roi_type 'ratio' DJ scales its
// constructor's (empty) ROI list instead of the sample's, so it detects nothing and only
// re-encodes; Winnow scales the sample's ROIs. DJ aliases __dj__source_file__ to the rewritten
// list; Winnow writes no __dj__source_file__.
#include <opencv2/imgproc.hpp>
#include <opencv2/photo.hpp>

#include <array>
#include <cmath>
#include <map>
#include <optional>
#include <regex>

#include "winnow/media/av_reader.h"
#include "winnow/media/av_writer.h"
#include "winnow/media/media_paths.h"
#include "winnow/media/produced_paths.h"
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

constexpr const char* kName = "video_remove_watermark_mapper";

// parse_string_to_roi's numbers: "x1, y1, x2, y2", "(...)" or "[...]", non-negative. nullopt
// when the string does not match (DJ returns None); for 'pixel' a decimal is an error, as
// Python's int("1.5") raises.
struct RoiNumbers {
  std::array<double, 4> v{};
};
Result<std::optional<RoiNumbers>> ParseRoi(const std::string& s, bool pixel) {
  static const std::regex re(
      R"(^\s*[\[\(]?\s*(\d+(?:\.\d+)?)\s*,\s*(\d+(?:\.\d+)?)\s*,\s*(\d+(?:\.\d+)?)\s*,\s*(\d+(?:\.\d+)?)\s*[\]\)]?\s*$)");
  std::smatch m;
  if (s.empty() || !std::regex_match(s, m, re)) return std::optional<RoiNumbers>();
  RoiNumbers r;
  for (int i = 0; i < 4; ++i) {
    const std::string num = m[i + 1].str();
    if (pixel && num.find('.') != std::string::npos)
      return Status::Error("roi '" + s + "': pixel coordinates must be integers");
    r.v[i] = pixel ? std::stod(num) : std::min(1.0, std::stod(num));
  }
  return std::optional<RoiNumbers>(r);
}

// A numpy slice [a:b] of an axis of length n, for non-negative a, b.
std::pair<int, int> Slice(int64_t a, int64_t b, int n) {
  int lo = static_cast<int>(std::min<int64_t>(a, n)), hi = static_cast<int>(std::min<int64_t>(b, n));
  return {lo, std::max(lo, hi)};
}

class VideoRemoveWatermarkMapper : public Mapper {
 public:
  VideoRemoveWatermarkMapper(const Params& p, const OpEnv& env)
      : Mapper(kName, p, env), files_(env.input_files), video_key_(env.video_key),
        pixel_(p.String("roi_type") == "pixel"), frame_num_(static_cast<int>(p.Number("frame_num"))),
        min_frame_threshold_(static_cast<int>(p.Number("min_frame_threshold"))),
        diversity_(p.String("detection_method") == "pixel_diversity") {
    if (p.Get("video_key").type() == json::Type::kString) video_key_ = p.String("video_key");
    if (!p.IsNull("roi_key")) roi_key_ = p.String("roi_key");
    if (!p.IsNull("save_dir")) save_dir_ = p.String("save_dir");
    if (!roi_key_) {
      for (const auto& v : p.Get("roi_strings").as_array()) {
        auto r = ParseRoi(v.as_string(), pixel_);
        if (r.ok() && *r) rois_.push_back(**r);  // Validate rejected the rest
      }
    }
    // The output name's hash: the op's own params except save_dir (DJ's _init_parameters).
    std::vector<std::pair<std::string, json::Value>> own;
    for (const char* k : {"roi_strings", "roi_type", "roi_key", "frame_num", "min_frame_threshold",
                          "detection_method"})
      own.emplace_back(k, p.Get(k));
    hash_ = media::OpOutputHash(kName, json::Value::Object(std::move(own)).ToJson());
  }

  Status Map(Sample& s) const override {
    std::vector<std::string> paths;
    WINNOW_RETURN_IF_ERROR(media::MediaPaths(s, video_key_, files_, &paths));
    if (paths.empty()) return Status::Ok();
    std::vector<RoiNumbers> rois = rois_;
    if (roi_key_) WINNOW_RETURN_IF_ERROR(SampleRois(s, &rois));
    std::map<std::string, std::string> done;
    std::vector<json::Value> out;
    for (const std::string& path : paths) {
      auto it = done.find(path);
      if (it == done.end()) {
        auto cleaned = Clean(path, rois);
        if (!cleaned.ok()) return cleaned.status();
        it = done.emplace(path, *cleaned).first;
      }
      out.push_back(json::Value::String(it->second));
    }
    s.SetFieldRaw(video_key_, json::Value::Array(std::move(out)).ToJson());
    return Status::Ok();
  }

 private:
  // sample[roi_key]: a string or a list of strings; entries that do not parse are dropped.
  Status SampleRois(const Sample& s, std::vector<RoiNumbers>* rois) const {
    std::string raw;
    if (!s.FieldRaw(*roi_key_, &raw)) return Status::Error("roi_key: the sample has no field '" + *roi_key_ + "'");
    auto v = json::Parse(raw);
    if (!v.ok()) return v.status();
    std::vector<std::string> strings;
    if (v->type() == json::Type::kString) {
      strings.push_back(v->as_string());
    } else if (v->type() == json::Type::kArray) {
      for (const auto& e : v->as_array())
        if (e.type() == json::Type::kString) strings.push_back(e.as_string());
        else if (!e.is_null()) return Status::Error("roi_key '" + *roi_key_ + "': expected strings");
    } else if (!v->is_null()) {
      return Status::Error("roi_key '" + *roi_key_ + "': expected a string or a list of strings");
    }
    for (const std::string& str : strings) {
      auto r = ParseRoi(str, pixel_);
      if (!r.ok()) return r.status();
      if (*r) rois->push_back(**r);
    }
    return Status::Ok();
  }

  Result<std::string> Clean(const std::string& path, const std::vector<RoiNumbers>& rois) const {
    auto mask = WatermarkMask(path, rois);
    if (!mask.ok()) return mask.status();
    auto target = media::TransferFilename(path, kName, save_dir_, hash_);
    if (!target.ok()) return target.status();
    const cv::Mat m = *mask;
    const bool empty = cv::countNonZero(m) == 0;
    media::FrameFn fn = [&](cv::Mat& bgr, const media::VideoFrame&) -> Result<bool> {
      if (bgr.size() != m.size()) return Status::Error(path + ": frame size changed within the video");
      // An empty mask leaves inpaint's output equal to its input; DJ still writes a new frame.
      if (!empty) {
        cv::Mat cleaned;
        cv::inpaint(bgr, m, cleaned, 3, cv::INPAINT_NS);
        bgr = cleaned;
      }
      return true;
    };
    return media::ProcessEachFrame(path, *target, fn);
  }

  Result<cv::Mat> WatermarkMask(const std::string& path, const std::vector<RoiNumbers>& in_rois) const {
    auto frames = media::ExtractFramesUniformly(path, frame_num_);
    if (!frames.ok()) return frames.status();
    if (frames->empty()) return Status::Error(path + ": no video frame decoded");
    const int h = (*frames)[0].bgr.rows, w = (*frames)[0].bgr.cols;
    for (const auto& f : *frames)
      if (f.bgr.rows != h || f.bgr.cols != w || f.bgr.type() != CV_8UC3)
        return Status::Error(path + ": sampled frames differ in size");
    // (x1, y1, x2, y2) in pixels; 'ratio' scales by frame 0's size with int() truncation.
    std::vector<cv::Rect> rois;
    for (const RoiNumbers& r : in_rois) {
      int64_t c[4];
      for (int i = 0; i < 4; ++i)
        c[i] = pixel_ ? static_cast<int64_t>(r.v[i])
                      : static_cast<int64_t>(r.v[i] * static_cast<double>(i % 2 == 0 ? w : h));
      auto [x0, x1] = Slice(c[0], c[2], w);
      auto [y0, y1] = Slice(c[1], c[3], h);
      if (x1 <= x0 || y1 <= y0)  // cv2.cvtColor / np.max raise on DJ's empty ROI array
        return Status::Error(path + ": watermark roi (" + std::to_string(c[0]) + ", " + std::to_string(c[1]) +
                             ", " + std::to_string(c[2]) + ", " + std::to_string(c[3]) + ") is empty in a " +
                             std::to_string(w) + "x" + std::to_string(h) + " frame");
      rois.emplace_back(x0, y0, x1 - x0, y1 - y0);
    }
    cv::Mat mask = diversity_ ? ByDiversity(*frames, rois, h, w) : ByValue(*frames, rois, h, w);
    cv::Mat dilated;
    cv::dilate(mask, dilated, cv::Mat::ones(5, 5, CV_8U));
    return dilated;
  }

  static cv::Mat OtsuBinary(const cv::Mat& gray) {
    cv::Mat bin;
    cv::threshold(gray, bin, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    return bin;
  }

  cv::Mat ByValue(const std::vector<media::VideoFrame>& frames, const std::vector<cv::Rect>& rois, int h,
                  int w) const {
    cv::Mat count = cv::Mat::zeros(h, w, CV_8U);  // numpy's uint8 sum (wraps)
    for (const auto& f : frames) {
      cv::Mat mask = cv::Mat::zeros(h, w, CV_8U);
      for (const cv::Rect& r : rois) {
        cv::Mat gray;
        cv::cvtColor(f.bgr(r), gray, cv::COLOR_BGR2GRAY);
        cv::Mat bin = OtsuBinary(gray);
        int edge = cv::countNonZero(bin.row(0)) + cv::countNonZero(bin.col(0));
        if (edge * 2 > bin.rows + bin.cols) cv::bitwise_not(bin, bin);
        cv::Mat dst = mask(r);
        cv::bitwise_or(dst, bin, dst);
      }
      for (int y = 0; y < h; ++y) {
        const uint8_t* m = mask.ptr<uint8_t>(y);
        uint8_t* c = count.ptr<uint8_t>(y);
        for (int x = 0; x < w; ++x) c[x] = static_cast<uint8_t>(c[x] + (m[x] == 255));
      }
    }
    cv::Mat out(h, w, CV_8U);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) out.at<uint8_t>(y, x) = count.at<uint8_t>(y, x) >= min_frame_threshold_ ? 255 : 0;
    return out;
  }

  static cv::Mat ByDiversity(const std::vector<media::VideoFrame>& frames, const std::vector<cv::Rect>& rois, int h,
                             int w) {
    cv::Mat mask = cv::Mat::zeros(h, w, CV_8U);
    const double n = static_cast<double>(frames.size());
    for (const cv::Rect& r : rois) {
      // roi_frames.std(axis=0).sum(-1): numpy's _var (mean, deviations, mean of squares, sqrt),
      // each reduction over frames a sequential float64 sum in frame order.
      cv::Mat div(r.height, r.width, CV_64F);
      double max_d = -1, min_d = 0;
      for (int y = 0; y < r.height; ++y) {
        for (int x = 0; x < r.width; ++x) {
          double total = 0;
          for (int c = 0; c < 3; ++c) {
            double sum = 0;
            for (const auto& f : frames) sum += f.bgr.at<cv::Vec3b>(r.y + y, r.x + x)[c];
            const double mean = sum / n;
            double sq = 0;
            for (const auto& f : frames) {
              const double d = f.bgr.at<cv::Vec3b>(r.y + y, r.x + x)[c] - mean;
              sq += d * d;
            }
            total += std::sqrt(sq / n);
          }
          div.at<double>(y, x) = total;
          if (max_d < 0) max_d = min_d = total;
          max_d = std::max(max_d, total);
          min_d = std::min(min_d, total);
        }
      }
      cv::Mat scaled(r.height, r.width, CV_8U);
      for (int y = 0; y < r.height; ++y)
        for (int x = 0; x < r.width; ++x)
          scaled.at<uint8_t>(y, x) =
              max_d > min_d ? static_cast<uint8_t>(255 * (div.at<double>(y, x) - min_d) / (max_d - min_d)) : 0;
      cv::Mat bin = OtsuBinary(scaled);
      cv::bitwise_not(bin, bin);  // the watermark's pixels vary least
      cv::Mat dst = mask(r);
      cv::bitwise_or(dst, bin, dst);
    }
    return mask;
  }

  const std::vector<std::string>* files_;
  std::string video_key_;
  bool pixel_;
  int frame_num_, min_frame_threshold_;
  bool diversity_;
  std::optional<std::string> roi_key_;
  std::string save_dir_;
  std::vector<RoiNumbers> rois_;
  std::string hash_;
};

Status Validate(const Params& p) {
  const std::string& type = p.String("roi_type");
  if (type != "ratio" && type != "pixel")
    return Status::Error("roi_type [" + type + "] is not supported; use 'ratio' or 'pixel'");
  const std::string& method = p.String("detection_method");
  if (method != "pixel_value" && method != "pixel_diversity")
    return Status::Error("detection_method [" + method + "] is not supported; use 'pixel_value' or 'pixel_diversity'");
  if (method == "pixel_diversity" && p.Number("frame_num") < 2)
    return Status::Error("frame_num must be greater than 1 in 'pixel_diversity' mode");
  if (p.IsNull("roi_key")) {
    const json::Value& rs = p.Get("roi_strings");
    if (rs.type() != json::Type::kArray) return Status::Error("roi_strings: expected a list of strings");
    for (const auto& v : rs.as_array()) {
      if (v.type() != json::Type::kString) return Status::Error("roi_strings: expected a list of strings");
      auto r = ParseRoi(v.as_string(), type == "pixel");
      if (!r.ok()) return r.status();
      if (!*r)
        return Status::Error("roi_strings: '" + v.as_string() +
                             "' is not four non-negative numbers as \"x1, y1, x2, y2\", \"(x1, y1, x2, y2)\" or "
                             "\"[x1, y1, x2, y2]\"");
    }
  }
  return Status::Ok();
}

}  // namespace

void RegisterVideoRemoveWatermarkMapper(Registry& r) {
  ParamSpec rois{"roi_strings", ParamType::kList, json::Value::Array({json::Value::String("0,0,0.1,0.1")}),
                 "regions holding the watermark, each \"x1, y1, x2, y2\" (or in () or [])"};
  r.Add({kName, OpKind::kMapper,
         "Detect a watermark inside given regions over uniformly sampled frames (pixel value or pixel diversity) "
         "and inpaint it (OpenCV Navier-Stokes) in every frame; the cleaned video replaces the input.",
         {rois, StringParam("roi_type", "ratio", "'ratio' (of width/height) or 'pixel' coordinates"),
          Optional(StringParam("roi_key", "", "sample field holding per-sample roi strings (overrides roi_strings)")),
          Range(IntParam("frame_num", 10, "frames sampled uniformly to detect the watermark"), 0, std::nullopt, true),
          Range(IntParam("min_frame_threshold", 7, "frames a pixel must be detected in (pixel_value)"), 0,
                std::nullopt, true),
          StringParam("detection_method", "pixel_value", "'pixel_value' or 'pixel_diversity'"),
          Optional(StringParam("save_dir", "", "directory for the produced videos (default: next to the input, "
                                                "or $DJ_PRODUCED_DATA_DIR)"))},
         {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<VideoRemoveWatermarkMapper>(p, e); },
         Validate});
}

}  // namespace winnow
