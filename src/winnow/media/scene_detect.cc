// PySceneDetect 0.6.6 detectors; see scene_detect.h. Each class mirrors one scenedetect class
// statement by statement where the order of floating-point operations or the frame bookkeeping
// decides a cut; deviations would move cuts by a frame on borderline videos.
#include "winnow/media/scene_detect.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <set>
#include <utility>

#include <opencv2/imgproc.hpp>

namespace winnow::media {

class SceneDetector::Algorithm {
 public:
  virtual ~Algorithm() = default;
  // scenedetect's process_frame / post_process: append cut frame numbers to *cuts.
  virtual void ProcessFrame(int64_t frame_num, const cv::Mat& bgr, std::vector<int64_t>* cuts) = 0;
  virtual void PostProcess(int64_t /*frame_num*/, std::vector<int64_t>* /*cuts*/) {}
};

namespace {

// Python's round() on a float: half to even (the default FE_TONEAREST mode of nearbyint).
int64_t PyRound(double x) { return static_cast<int64_t>(std::nearbyint(x)); }

// scene_detector.FlashFilter: how ContentDetector enforces min_scene_len.
class FlashFilter {
 public:
  enum class Mode { kMerge, kSuppress };
  FlashFilter(Mode mode, int64_t length) : mode_(mode), length_(length) {}

  void Filter(int64_t frame_num, bool above, std::vector<int64_t>* cuts) {
    if (!(length_ > 0)) {
      if (above) cuts->push_back(frame_num);
      return;
    }
    if (!last_above_) last_above_ = frame_num;
    const bool min_length_met = frame_num - *last_above_ >= length_;
    if (mode_ == Mode::kSuppress) {
      if (above && min_length_met) {
        last_above_ = frame_num;
        cuts->push_back(frame_num);
      }
      return;
    }
    // Merge: a cut closer than length_ to the previous one starts a merge that swallows every
    // cut until length_ quiet frames have passed, then emits the burst's last cut frame.
    if (above) last_above_ = frame_num;
    if (merge_triggered_) {
      const int64_t merged = *last_above_ - merge_start_;
      if (min_length_met && !above && merged >= length_) {
        merge_triggered_ = false;
        cuts->push_back(*last_above_);
      }
      return;
    }
    if (!above) return;
    if (min_length_met) {
      merge_enabled_ = true;
      cuts->push_back(frame_num);
      return;
    }
    if (merge_enabled_) {
      merge_triggered_ = true;
      merge_start_ = frame_num;
    }
  }

 private:
  Mode mode_;
  int64_t length_;
  std::optional<int64_t> last_above_;
  bool merge_enabled_ = false;    // no merging before the first real cut
  bool merge_triggered_ = false;
  int64_t merge_start_ = 0;
};

// numpy.median of a uint8 plane: the middle value, or the mean of the two middle values.
double Median(const cv::Mat& plane) {
  int64_t hist[256] = {};
  for (int y = 0; y < plane.rows; ++y) {
    const uint8_t* p = plane.ptr<uint8_t>(y);
    for (int x = 0; x < plane.cols; ++x) ++hist[p[x]];
  }
  const int64_t n = static_cast<int64_t>(plane.total());
  auto kth = [&](int64_t k) {  // k-th smallest, 0-based
    int64_t seen = 0;
    for (int v = 0; v < 256; ++v) {
      seen += hist[v];
      if (seen > k) return v;
    }
    return 255;
  };
  if (n % 2 == 1) return kth(n / 2);
  return (static_cast<double>(kth(n / 2 - 1)) + kth(n / 2)) / 2.0;
}

// _mean_pixel_distance over channel c of two same-size multi-channel uint8 images.
double MeanDistance(const cv::Mat& a, const cv::Mat& b, int c) {
  const int ch = a.channels();
  int64_t sum = 0;
  for (int y = 0; y < a.rows; ++y) {
    const uint8_t* p = a.ptr<uint8_t>(y);
    const uint8_t* q = b.ptr<uint8_t>(y);
    for (int x = 0; x < a.cols; ++x) sum += std::abs(int{p[x * ch + c]} - int{q[x * ch + c]});
  }
  return static_cast<double>(sum) / static_cast<double>(static_cast<int64_t>(a.rows) * a.cols);
}

// detectors/content_detector.py: weighted mean HSV (and optionally edge) change between
// consecutive frames; a cut where it reaches the threshold, filtered by FlashFilter (merge).
class ContentAlgorithm : public SceneDetector::Algorithm {
 public:
  ContentAlgorithm(double threshold, int64_t min_scene_len, std::array<double, 4> weights,
                   bool luma_only, int kernel_size)
      : threshold_(threshold),
        weights_(luma_only ? std::array<double, 4>{0.0, 0.0, 1.0, 0.0} : weights),
        kernel_size_(kernel_size),
        flash_(FlashFilter::Mode::kMerge, min_scene_len) {}

  void ProcessFrame(int64_t frame_num, const cv::Mat& bgr, std::vector<int64_t>* cuts) override {
    score_ = Score(bgr);
    flash_.Filter(frame_num, score_ >= threshold_, cuts);
  }

  double last_score() const { return score_; }

 private:
  double Score(const cv::Mat& bgr) {
    cv::Mat hsv;
    cv::cvtColor(bgr, hsv, cv::COLOR_BGR2HSV);
    // No StatsManager in detect() without a stats file, so edges only when weighted.
    cv::Mat edges;
    if (weights_[3] > 0.0) edges = Edges(hsv);
    if (!have_last_) {
      have_last_ = true;
      last_hsv_ = hsv;
      last_edges_ = edges;
      return 0.0;
    }
    const double components[4] = {
        MeanDistance(hsv, last_hsv_, 0), MeanDistance(hsv, last_hsv_, 1),
        MeanDistance(hsv, last_hsv_, 2), edges.empty() ? 0.0 : MeanDistance(edges, last_edges_, 0)};
    // Python: sum(c * w for ...) / sum(abs(w) for ...), both sums left to right from 0.
    double num = 0.0, den = 0.0;
    for (int i = 0; i < 4; ++i) {
      num += components[i] * weights_[i];
      den += std::abs(weights_[i]);
    }
    last_hsv_ = hsv;
    last_edges_ = edges;
    return num / den;
  }

  cv::Mat Edges(const cv::Mat& hsv) {
    cv::Mat lum;
    cv::extractChannel(hsv, lum, 2);
    if (kernel_.empty()) {
      int size = kernel_size_;
      if (size == 0) {
        size = 4 + static_cast<int>(PyRound(std::sqrt(static_cast<double>(lum.cols * lum.rows)) / 192));
        if (size % 2 == 0) ++size;
      }
      kernel_ = cv::Mat::ones(size, size, CV_8U);
    }
    const double sigma = 1.0 / 3.0;
    const double median = Median(lum);
    const int low = static_cast<int>(std::max(0.0, (1.0 - sigma) * median));
    const int high = static_cast<int>(std::min(255.0, (1.0 + sigma) * median));
    cv::Mat edges, dilated;
    cv::Canny(lum, edges, low, high);
    cv::dilate(edges, dilated, kernel_);
    return dilated;
  }

  double threshold_;
  std::array<double, 4> weights_;
  int kernel_size_;
  FlashFilter flash_;
  cv::Mat kernel_;
  bool have_last_ = false;
  cv::Mat last_hsv_, last_edges_;
  double score_ = 0.0;
};

// detectors/adaptive_detector.py: ContentDetector's score compared with the mean score of the
// window_width frames on each side; cuts are reported window_width frames late.
class AdaptiveAlgorithm : public SceneDetector::Algorithm {
 public:
  AdaptiveAlgorithm(const SceneDetectorOptions& o)
      // scenedetect builds its ContentDetector with threshold 255 and min_scene_len 0; only its
      // score is used.
      : content_(255.0, 0, o.weights, o.luma_only, o.kernel_size),
        adaptive_threshold_(o.threshold),
        min_scene_len_(o.min_scene_len),
        window_(o.window_width),
        min_content_val_(o.min_delta_hsv ? *o.min_delta_hsv : o.min_content_val) {}

  void ProcessFrame(int64_t frame_num, const cv::Mat& bgr, std::vector<int64_t>* cuts) override {
    std::vector<int64_t> ignored;
    content_.ProcessFrame(frame_num, bgr, &ignored);
    if (!last_cut_) last_cut_ = frame_num;
    const size_t required = static_cast<size_t>(1 + 2 * window_);
    buffer_.emplace_back(frame_num, content_.last_score());
    if (buffer_.size() < required) return;
    while (buffer_.size() > required) buffer_.pop_front();
    const auto [target_frame, target_score] = buffer_[window_];
    double sum = 0.0;
    for (size_t i = 0; i < buffer_.size(); ++i)
      if (i != static_cast<size_t>(window_)) sum += buffer_[i].second;
    const double average = sum / (2.0 * static_cast<double>(window_));
    const bool average_is_zero = std::abs(average) < 0.00001;
    double ratio = 0.0;
    if (!average_is_zero) {
      ratio = std::min(target_score / average, 255.0);
    } else if (target_score >= min_content_val_) {
      ratio = 255.0;
    }
    const bool threshold_met = ratio >= adaptive_threshold_ && target_score >= min_content_val_;
    // scenedetect measures min_scene_len from the current frame, not the target frame.
    const bool min_length_met = frame_num - *last_cut_ >= min_scene_len_;
    if (threshold_met && min_length_met) {
      last_cut_ = target_frame;
      cuts->push_back(target_frame);
    }
  }

 private:
  ContentAlgorithm content_;
  double adaptive_threshold_;
  int64_t min_scene_len_;
  int64_t window_;
  double min_content_val_;
  std::optional<int64_t> last_cut_;
  std::deque<std::pair<int64_t, double>> buffer_;
};

// detectors/threshold_detector.py: fades to/from a mean intensity level; the cut lands between
// the fade-out and the fade-in, skewed by fade_bias.
class ThresholdAlgorithm : public SceneDetector::Algorithm {
 public:
  ThresholdAlgorithm(const SceneDetectorOptions& o)
      : threshold_(static_cast<int>(o.threshold)),  // Python int(): truncation
        ceiling_(o.method == 1),
        fade_bias_(o.fade_bias),
        min_scene_len_(o.min_scene_len),
        add_final_scene_(o.add_final_scene) {}

  void ProcessFrame(int64_t frame_num, const cv::Mat& bgr, std::vector<int64_t>* cuts) override {
    if (!last_scene_cut_) last_scene_cut_ = frame_num;
    const double avg = Mean(bgr);  // numpy.mean over all channels: exact sum / count
    if (processed_) {
      const bool below = avg < threshold_;
      if (fade_ == Fade::kIn && (ceiling_ ? !below : below)) {
        fade_ = Fade::kOut;
        fade_frame_ = frame_num;
      } else if (fade_ == Fade::kOut && (ceiling_ ? below : !below)) {
        if (frame_num - *last_scene_cut_ >= min_scene_len_) {
          const int64_t f_out = fade_frame_;
          const double bias = std::trunc(fade_bias_ * static_cast<double>(frame_num - f_out));
          cuts->push_back(static_cast<int64_t>(
              std::trunc((static_cast<double>(frame_num + f_out) + bias) / 2)));
          last_scene_cut_ = frame_num;
        }
        fade_ = Fade::kIn;
        fade_frame_ = frame_num;
      }
    } else {
      // The first frame decides the initial state with "below" whatever the method.
      fade_frame_ = 0;
      fade_ = avg < threshold_ ? Fade::kOut : Fade::kIn;
    }
    processed_ = true;
  }

  void PostProcess(int64_t frame_num, std::vector<int64_t>* cuts) override {
    if (fade_ == Fade::kOut && add_final_scene_ &&
        ((!last_scene_cut_ && frame_num >= min_scene_len_) ||
         (last_scene_cut_ && frame_num - *last_scene_cut_ >= min_scene_len_))) {
      cuts->push_back(fade_frame_);
    }
  }

 private:
  enum class Fade { kNone, kIn, kOut };

  static double Mean(const cv::Mat& m) {
    int64_t sum = 0;
    const int n = m.cols * m.channels();
    for (int y = 0; y < m.rows; ++y) {
      const uint8_t* p = m.ptr<uint8_t>(y);
      for (int x = 0; x < n; ++x) sum += p[x];
    }
    return static_cast<double>(sum) / static_cast<double>(static_cast<int64_t>(m.rows) * n);
  }

  int threshold_;
  bool ceiling_;
  double fade_bias_;
  int64_t min_scene_len_;
  bool add_final_scene_;
  bool processed_ = false;
  std::optional<int64_t> last_scene_cut_;
  Fade fade_ = Fade::kNone;
  int64_t fade_frame_ = 0;
};

}  // namespace

cv::Size SceneDetectProcessingSize(int width, int height) {
  // compute_downscale_factor(max(frame_size)) with DEFAULT_MIN_WIDTH = 256.
  const int largest = std::max(width, height);
  if (largest < 256) return {width, height};
  const double factor = largest / 256.0;
  if (!(factor > 1.0)) return {width, height};
  return {static_cast<int>(std::max<int64_t>(1, PyRound(width / factor))),
          static_cast<int>(std::max<int64_t>(1, PyRound(height / factor)))};
}

Result<std::unique_ptr<SceneDetector>> SceneDetector::Create(const SceneDetectorOptions& o) {
  std::unique_ptr<Algorithm> algorithm;
  const bool content_like = o.detector == "ContentDetector" || o.detector == "AdaptiveDetector";
  if (content_like) {
    if (o.kernel_size != 0 && (o.kernel_size < 3 || o.kernel_size % 2 == 0))
      return Status::Error("kernel_size must be odd integer >= 3");
    const auto& w = o.luma_only ? std::array<double, 4>{0, 0, 1, 0} : o.weights;
    if (std::abs(w[0]) + std::abs(w[1]) + std::abs(w[2]) + std::abs(w[3]) == 0.0)
      return Status::Error("weights must not all be zero");
  }
  if (o.min_scene_len < 0) return Status::Error("min_scene_len must be >= 0");
  if (o.detector == "ContentDetector") {
    algorithm = std::make_unique<ContentAlgorithm>(o.threshold, o.min_scene_len, o.weights,
                                                   o.luma_only, o.kernel_size);
  } else if (o.detector == "AdaptiveDetector") {
    if (o.window_width < 1) return Status::Error("window_width must be at least 1.");
    algorithm = std::make_unique<AdaptiveAlgorithm>(o);
  } else if (o.detector == "ThresholdDetector") {
    if (o.method != 0 && o.method != 1)
      return Status::Error("method must be 0 (FLOOR) or 1 (CEILING), got " + std::to_string(o.method));
    algorithm = std::make_unique<ThresholdAlgorithm>(o);
  } else {
    return Status::Error("Scene detector " + o.detector +
                         " is not supported. Can only be one of ['ContentDetector', "
                         "'AdaptiveDetector', 'ThresholdDetector']");
  }
  return std::unique_ptr<SceneDetector>(new SceneDetector(o, std::move(algorithm)));
}

SceneDetector::SceneDetector(SceneDetectorOptions options, std::unique_ptr<Algorithm> algorithm)
    : options_(std::move(options)), algorithm_(std::move(algorithm)) {}

SceneDetector::~SceneDetector() = default;

void SceneDetector::Feed(const cv::Mat& bgr, int64_t frame_num) {
  WINNOW_CHECK(bgr.type() == CV_8UC3);
  if (first_frame_ < 0) {
    first_frame_ = frame_num;
    first_size_ = bgr.size();
  } else if (bgr.size() != first_size_) {
    return;  // SceneManager._decode_thread: "incorrect size and cannot be processed"
  }
  const cv::Size target = options_.auto_downscale
                              ? SceneDetectProcessingSize(first_size_.width, first_size_.height)
                              : first_size_;
  if (target != first_size_) {
    cv::resize(bgr, small_, target, 0, 0, cv::INTER_LINEAR);
    algorithm_->ProcessFrame(frame_num, small_, &cuts_);
  } else {
    algorithm_->ProcessFrame(frame_num, bgr, &cuts_);
  }
}

std::vector<int64_t> SceneDetector::Cuts() const {
  const std::set<int64_t> unique(cuts_.begin(), cuts_.end());
  return {unique.begin(), unique.end()};
}

std::vector<SceneRange> SceneDetector::Finish(int64_t frames_read) {
  // video.position after the last read is frame frames_read - 1 (0 when nothing was read).
  const int64_t last_pos = std::max<int64_t>(frames_read - 1, 0);
  algorithm_->PostProcess(last_pos, &cuts_);
  const int64_t start = first_frame_ < 0 ? 0 : first_frame_;
  std::vector<SceneRange> scenes;
  int64_t last_cut = start;
  for (int64_t cut : Cuts()) {  // get_scenes_from_cuts
    scenes.push_back({last_cut, cut});
    last_cut = cut;
  }
  scenes.push_back({last_cut, last_pos + 1});
  return scenes;
}

}  // namespace winnow::media
