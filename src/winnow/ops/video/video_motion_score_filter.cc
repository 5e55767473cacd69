// video_motion_score_filter: keeps samples whose videos move enough: the mean Farneback optical
// flow magnitude over frames sampled at `sampling_fps`, optionally resized and relative to the
// frame diagonal. The frames are chosen exactly as DJ's OpenCV loop chooses them: frame 0, frame
// 1, then every `step`-th frame (step = round(fps / min(sampling_fps, fps)), at most frames - 1);
// with step 1 that loop reads frame 1 twice (a zero-flow pair), and so does this op. Frames are
// decoded once, in order, instead of seeking per sample point.
#include <opencv2/imgproc.hpp>

#include <cfloat>
#include <cmath>
#include <map>
#include <optional>

#include "winnow/media/av_reader.h"
#include "winnow/media/farneback.h"
#include "winnow/media/optical_flow.h"
#include "winnow/ops/registry.h"
#include "winnow/ops/video/video_filter.h"

namespace winnow {
namespace {

// DJ's calculate_resized_dimensions: returns (a, b) that DJ then passes to cv2.resize as
// (width, height) although it documents (height, width); we keep its behaviour (see docs/parity.md).
std::pair<int, int> ResizedDimensions(int height, int width, const std::vector<int>& size, std::optional<int> max_len,
                                      int divisible) {
  int short_edge = std::min(width, height), long_edge = std::max(width, height);
  int new_short = short_edge, new_long = long_edge;
  if (size.size() == 1) {
    new_short = size[0];
    new_long = static_cast<int>(static_cast<double>(new_short) * long_edge / short_edge);
  } else if (size.size() == 2) {
    new_short = std::min(size[0], size[1]);
    new_long = std::max(size[0], size[1]);
  }
  if (max_len && new_long > *max_len) {
    double f = static_cast<double>(*max_len) / new_long;
    new_short = static_cast<int>(new_short * f);
    new_long = *max_len;
  }
  std::pair<int, int> d = width >= height ? std::make_pair(new_short, new_long) : std::make_pair(new_long, new_short);
  d.first = static_cast<int>(static_cast<double>(d.first) / divisible) * divisible;
  d.second = static_cast<int>(static_cast<double>(d.second) / divisible) * divisible;
  return d;
}

class VideoMotionScoreFilter : public VideoListFilter {
 public:
  VideoMotionScoreFilter(const Params& p, const OpEnv& env)
      : VideoListFilter("video_motion_score_filter", p, env),
        min_(p.Number("min_score")), max_(p.Number("max_score")), sampling_fps_(p.Number("sampling_fps")),
        divisible_(static_cast<int>(p.Number("divisible"))), relative_(p.Bool("relative")) {
    const json::Value& size = p.Get("size");
    if (size.type() == json::Type::kNumber) size_.push_back(static_cast<int>(size.as_number()));
    for (const auto& v : size.as_array()) size_.push_back(static_cast<int>(v.as_number()));
    if (!p.IsNull("max_size")) max_size_ = static_cast<int>(p.Number("max_size"));
    flow_.pyr_scale = p.Number("pyr_scale");
    flow_.levels = static_cast<int>(p.Number("levels"));
    flow_.winsize = static_cast<int>(p.Number("winsize"));
    flow_.iterations = static_cast<int>(p.Number("iterations"));
    flow_.poly_n = static_cast<int>(p.Number("poly_n"));
    flow_.poly_sigma = p.Number("poly_sigma");
    flow_.flags = static_cast<int>(p.Number("flags"));
  }

  Status ComputeStats(Sample& s) const override {
    if (s.stats().Has("video_motion_score")) return Status::Ok();
    std::vector<std::string> paths;
    WINNOW_RETURN_IF_ERROR(Paths(s, &paths));
    std::map<std::string, double> unique;
    std::vector<double> scores;
    for (const std::string& path : paths) {
      auto it = unique.find(path);
      if (it == unique.end()) {
        auto score = Score(path);
        if (!score.ok()) return score.status();
        it = unique.emplace(path, *score).first;
      }
      scores.push_back(it->second);
    }
    s.stats().SetRaw("video_motion_score", JsonList(scores, /*integers=*/false));
    return Status::Ok();
  }

  bool Keep(const Sample& s) const override {
    std::vector<bool> keeps;
    for (double d : ListStat(s, "video_motion_score")) keeps.push_back(KeepValue(d, min_, max_));
    return Combine(keeps);
  }

  std::string DropReason(const Sample& s) const override {
    return ListReason(s, {{"video_motion_score", {min_, max_}}});
  }

 private:
  Result<double> Score(const std::string& path) const {
    media::VideoDecoderOptions opt;
    opt.opencv_conversion = true;  // DJ reads frames with cv2.VideoCapture
    auto dec = media::VideoDecoder::Open(path, opt);
    if (!dec.ok()) return dec.status();
    const media::StreamInfo& st = (*dec)->stream();
    double fps = st.fps();
    int64_t total = st.nb_frames > 0 ? st.nb_frames : static_cast<int64_t>(std::llround(st.duration * fps));
    double sampling = std::min(sampling_fps_, fps);
    int64_t step = sampling > 0 ? static_cast<int64_t>(std::nearbyint(fps / sampling)) : 1;
    step = std::max<int64_t>(std::min<int64_t>(step, total - 1), 1);
    auto [a, b] = ResizedDimensions(st.height, st.width, size_, max_size_, divisible_);
    bool resize = !(a == st.height && b == st.width);

    // The frame indices DJ's loop reads: 0, 1, then n * step after the n-th score.
    std::vector<double> frame_scores;
    cv::Mat prev;
    int64_t next_wanted = 0, frame_count = 0, index = -1;
    bool first = true, native = false;
    media::FarnebackSequence seq(flow_);
    media::VideoFrame frame;
    while (true) {
      auto more = (*dec)->Next(&frame, /*want_image=*/false);
      if (!more.ok() || !*more) break;  // a corrupt frame ends the loop, as cap.read() failing does
      ++index;
      // With step 1 the loop asks for frame 1 again right after reading it.
      while (index == next_wanted) {
        auto img = (*dec)->LastImage();
        if (!img.ok()) return img.status();
        cv::Mat bgr = *img;
        if (resize) cv::resize(bgr, bgr, cv::Size(a, b), 0, 0, cv::INTER_AREA);
        cv::Mat gray;
        cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
        // Each frame's flow pyramid is built once and shared by its two pairs; OpenCV itself is
        // called only for options the native Farneback does not cover (same numbers either way).
        if (first) native = media::FarnebackSequence::Supports(flow_, gray.cols, gray.rows);
        if (native) {
          Status pushed = seq.Push(gray);
          if (!pushed.ok()) return pushed.WithContext(path);
        }
        if (first) {
          first = false;
          next_wanted = index + 1;
        } else {
          auto m = native ? seq.MeanMagnitude() : media::MeanFlowMagnitude(prev, gray, flow_);
          if (!m.ok()) return m.status().WithContext(path);
          double score = *m;
          if (relative_) score /= std::hypot(static_cast<double>(gray.rows), static_cast<double>(gray.cols));
          frame_scores.push_back(score);
          frame_count += step;
          next_wanted = frame_count;
        }
        prev = gray;
      }
    }
    if (frame_scores.empty()) return -1.0;
    double sum = 0;
    for (double v : frame_scores) sum += v;
    return sum / frame_scores.size();
  }

  double min_, max_, sampling_fps_;
  std::vector<int> size_;
  std::optional<int> max_size_;
  int divisible_;
  bool relative_;
  media::FarnebackOptions flow_;
};

Status Validate(const Params& p) {
  WINNOW_RETURN_IF_ERROR(ValidateAnyOrAll(p));
  const json::Value& size = p.Get("size");
  if (!size.is_null() && size.type() != json::Type::kNumber &&
      !(size.type() == json::Type::kArray && (size.as_array().size() == 1 || size.as_array().size() == 2)))
    return Status::Error("size must be an int or a 1 or 2 element list");
  return Status::Ok();
}

}  // namespace

void RegisterVideoMotionScoreFilter(Registry& r) {
  ParamSpec size{"size", ParamType::kAny, json::Value(), "resize frames: short edge (int) or [h, w]; null keeps them"};
  r.Add({"video_motion_score_filter", OpKind::kFilter,
         "Keep samples whose videos' mean Farneback optical-flow magnitude is within range.",
         {FloatParam("min_score", 0.25, "minimum motion score"), FloatParam("max_score", DBL_MAX, "maximum motion score"),
          Range(FloatParam("sampling_fps", 2, "frames per second sampled for the flow"), 0, std::nullopt, true), size,
          Optional(Range(IntParam("max_size", 0, "maximum longer edge after resizing"), 0, std::nullopt, true)),
          Range(IntParam("divisible", 1, "resized edges are multiples of this"), 0, std::nullopt, true),
          BoolParam("relative", false, "divide by the frame diagonal"), AnyOrAllParam(),
          FloatParam("pyr_scale", 0.5, "Farneback pyr_scale"), IntParam("levels", 3, "Farneback levels"),
          IntParam("winsize", 15, "Farneback winsize"), IntParam("iterations", 3, "Farneback iterations"),
          IntParam("poly_n", 5, "Farneback poly_n"), FloatParam("poly_sigma", 1.2, "Farneback poly_sigma"),
          IntParam("flags", 0, "Farneback flags")},
         {"video_motion_score"},
         [](const Params& p, const OpEnv& e) { return std::make_unique<VideoMotionScoreFilter>(p, e); }, Validate});
}

}  // namespace winnow
