// video_ocr_area_ratio_filter (Tesseract text lines) and video_remove_watermark_mapper (DJ's
// mask detection + cv::inpaint) on small generated videos.
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include <cmath>

#include "test_support.h"
#include "winnow/core/sample.h"
#include "winnow/media/av_reader.h"
#include "winnow/media/av_writer.h"
#include "winnow/ops/registry.h"
#include "winnow/recipe/recipe.h"

namespace winnow {
namespace {

using testing::TempDir;

std::unique_ptr<Op> MakeOp(const std::string& name, const std::string& params) {
  auto v = json::Parse(params);
  EXPECT_TRUE(v.ok());
  auto cfg = MakeOpConfig(name, *v);
  EXPECT_TRUE(cfg.ok()) << cfg.status().message();
  if (!cfg.ok()) return nullptr;
  return cfg->info->factory(cfg->params, OpEnv{});
}

Status ParamsError(const std::string& name, const std::string& params) {
  auto cfg = MakeOpConfig(name, *json::Parse(params));
  return cfg.ok() ? Status::Ok() : cfg.status();
}

// A sample over its own record text (Sample keeps views into it).
struct RawSample {
  std::string raw;
  Sample s;
  explicit RawSample(std::string r) : raw(std::move(r)) { EXPECT_TRUE(s.Init(raw, RowId{0, 1}, "").ok()); }
};

std::string Quote(const std::string& s) { return json::Value::String(s).ToJson(); }

// `frames` frames of w x h at 12 fps from draw(i, frame).
Status WriteVideo(const std::string& path, int w, int h, int frames, const std::function<void(int, cv::Mat&)>& draw) {
  media::VideoWriterOptions o;
  o.width = w;
  o.height = h;
  o.fps = {12, 1};
  o.codec = "libx264";
  o.gop_size = 12;
  o.encoder_options = {{"preset", "ultrafast"}, {"crf", "12"}};
  auto wr = media::VideoWriter::Open(path, o);
  if (!wr.ok()) return wr.status();
  for (int i = 0; i < frames; ++i) {
    cv::Mat f(h, w, CV_8UC3, cv::Scalar(255, 255, 255));
    draw(i, f);
    WINNOW_RETURN_IF_ERROR((*wr)->WriteFrame(f));
  }
  return (*wr)->Close();
}

double OcrRatio(const Op& op, const std::string& path, Status* st = nullptr) {
  RawSample rs("{\"videos\": [" + Quote(path) + "]}");
  Sample& s = rs.s;
  Status c = static_cast<const Filter&>(op).ComputeStats(s);
  if (st) *st = c;
  if (!c.ok()) return -1;
  const StatValue* v = s.stats().Find("video_ocr_area_ratio");
  if (!v) return -1;
  std::vector<std::string_view> items;
  json::SplitArray(v->raw, &items);
  double d = -1;
  if (items.size() == 1) json::ParseNumber(items[0], &d);
  return d;
}

class VideoOcr : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    // Two lines of large black text on white, the whole video long.
    ASSERT_TRUE(WriteVideo(dir_->File("text.mp4"), 320, 180, 12, [](int, cv::Mat& f) {
                  cv::putText(f, "HELLO WORLD", {12, 70}, cv::FONT_HERSHEY_SIMPLEX, 1.3, cv::Scalar(0, 0, 0), 3);
                  cv::putText(f, "DATA 2024", {12, 140}, cv::FONT_HERSHEY_SIMPLEX, 1.3, cv::Scalar(0, 0, 0), 3);
                }).ok());
    // One small caption line.
    ASSERT_TRUE(WriteVideo(dir_->File("caption.mp4"), 320, 180, 12, [](int, cv::Mat& f) {
                  cv::putText(f, "small caption", {12, 160}, cv::FONT_HERSHEY_SIMPLEX, 0.7, cv::Scalar(0, 0, 0), 2);
                }).ok());
    ASSERT_TRUE(WriteVideo(dir_->File("blank.mp4"), 320, 180, 12, [](int i, cv::Mat& f) {
                  f.setTo(cv::Scalar(90 + i, 120, 140));
                }).ok());
    testing::WriteFile(dir_->File("corrupt.mp4"), std::string(4096, '\x17'));
  }
  static void TearDownTestSuite() { delete dir_; }
  static TempDir* dir_;
};
TempDir* VideoOcr::dir_ = nullptr;

TEST_F(VideoOcr, TextAreaOrdersVideosAndFilters) {
  auto op = MakeOp("video_ocr_area_ratio_filter", R"({"languages_to_detect": "en"})");
  ASSERT_NE(op, nullptr);
  double text = OcrRatio(*op, dir_->File("text.mp4"));
  double caption = OcrRatio(*op, dir_->File("caption.mp4"));
  double blank = OcrRatio(*op, dir_->File("blank.mp4"));
  EXPECT_GT(text, 0.1);
  EXPECT_LT(text, 0.6);
  EXPECT_GT(caption, 0.005);
  EXPECT_LT(caption, text);
  EXPECT_EQ(blank, 0.0);

  // Keep decisions: the text video passes min 0.1, the others do not.
  auto f = MakeOp("video_ocr_area_ratio_filter", R"({"languages_to_detect": ["en"], "min_area_ratio": 0.1})");
  auto& filter = static_cast<const Filter&>(*f);
  RawSample rs("{\"videos\": [" + Quote(dir_->File("blank.mp4")) + ", " + Quote(dir_->File("text.mp4")) + "]}");
  Sample& s = rs.s;
  ASSERT_TRUE(filter.ComputeStats(s).ok());
  EXPECT_TRUE(filter.Keep(s));  // any
  auto all = MakeOp("video_ocr_area_ratio_filter",
                    R"({"languages_to_detect": "en", "min_area_ratio": 0.1, "any_or_all": "all"})");
  EXPECT_FALSE(static_cast<const Filter&>(*all).Keep(s));
}

TEST_F(VideoOcr, DefaultLanguagesChineseAndEnglish) {
  auto op = MakeOp("video_ocr_area_ratio_filter", R"({"frame_sample_num": 1})");
  ASSERT_NE(op, nullptr);
  EXPECT_GT(OcrRatio(*op, dir_->File("text.mp4")), 0.1);
}

TEST_F(VideoOcr, BrokenOrMissingVideosAreErrors) {
  auto op = MakeOp("video_ocr_area_ratio_filter", R"({"languages_to_detect": "en"})");
  Status st;
  OcrRatio(*op, dir_->File("corrupt.mp4"), &st);
  EXPECT_FALSE(st.ok());
  OcrRatio(*op, dir_->File("missing.mp4"), &st);
  EXPECT_FALSE(st.ok());
  EXPECT_FALSE(ParamsError("video_ocr_area_ratio_filter", R"({"languages_to_detect": ["xx_none"]})").ok());
  EXPECT_FALSE(ParamsError("video_ocr_area_ratio_filter", R"({"any_or_all": "some"})").ok());
}

// ------------------------------------------------------------------------------- watermark
constexpr int kW = 192, kH = 128, kFrames = 16;
const cv::Rect kLogo(14, 10, 40, 18);  // inside the ROI "0,0,0.4,0.4" (76 x 51), off its edges

cv::Mat Background(int i) {
  cv::Mat f(kH, kW, CV_8UC3);
  for (int y = 0; y < kH; ++y)
    for (int x = 0; x < kW; ++x) {
      int v = 20 + ((x * 3 + y * 2 + i * 11) % 80);  // a moving dark gradient
      f.at<cv::Vec3b>(y, x) = cv::Vec3b(v, v / 2 + 30, 100 - v / 2);
    }
  return f;
}

// A fixed semi-transparent white logo blended over the background.
void DrawLogo(cv::Mat& f) {
  cv::Mat roi = f(kLogo);
  cv::Mat white(roi.size(), roi.type(), cv::Scalar(255, 255, 255));
  cv::addWeighted(roi, 0.3, white, 0.7, 0, roi);
}

double MeanAbsDiff(const cv::Mat& a, const cv::Mat& b, const cv::Rect& r) {
  cv::Mat d;
  cv::absdiff(a(r), b(r), d);
  cv::Scalar m = cv::mean(d);
  return (m[0] + m[1] + m[2]) / 3;
}

std::vector<cv::Mat> AllFrames(const std::string& path) {
  std::vector<cv::Mat> out;
  auto d = media::VideoDecoder::Open(path);
  EXPECT_TRUE(d.ok());
  if (!d.ok()) return out;
  media::VideoFrame f;
  while (true) {
    auto more = (*d)->Next(&f);
    if (!more.ok() || !*more) break;
    out.push_back(f.bgr.clone());
  }
  return out;
}

class VideoWatermark : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    ASSERT_TRUE(WriteVideo(dir_->File("logo.mp4"), kW, kH, kFrames, [](int i, cv::Mat& f) {
                  f = Background(i);
                  DrawLogo(f);
                }).ok());
    testing::WriteFile(dir_->File("corrupt.mp4"), std::string(4096, '\x17'));
  }
  static void TearDownTestSuite() { delete dir_; }

  // Runs the mapper on logo.mp4; returns the output path (checks the videos list was rewritten).
  std::string Run(const std::string& params) {
    auto op = MakeOp("video_remove_watermark_mapper", params);
    if (!op) return "";
    RawSample rs("{\"videos\": [" + Quote(dir_->File("logo.mp4")) + "], \"rois\": [\"none\", \"[0, 0, 76, 51]\"]}");
    Sample& s = rs.s;
    Status st = static_cast<const Mapper&>(*op).Map(s);
    EXPECT_TRUE(st.ok()) << st.message();
    std::string raw;
    EXPECT_TRUE(s.FieldRaw("videos", &raw));
    auto v = json::Parse(raw);
    if (!v.ok() || v->as_array().size() != 1) return "";
    return v->as_array()[0].as_string();
  }

  // The logo area of the output is close to the clean background, the input's is not.
  void ExpectLogoRemoved(const std::string& out) {
    ASSERT_FALSE(out.empty());
    EXPECT_NE(out, dir_->File("logo.mp4"));
    EXPECT_NE(out.find("__dj_hash_#"), std::string::npos) << out;
    auto frames = AllFrames(out);
    ASSERT_EQ(frames.size(), static_cast<size_t>(kFrames));
    auto in = AllFrames(dir_->File("logo.mp4"));
    for (int i : {0, kFrames / 2, kFrames - 1}) {
      cv::Mat bg = Background(i);
      double before = MeanAbsDiff(in[i], bg, kLogo), after = MeanAbsDiff(frames[i], bg, kLogo);
      EXPECT_GT(before, 80) << i;
      EXPECT_LT(after, 30) << i;
      // Away from the ROI nothing changes beyond re-encoding.
      EXPECT_LT(MeanAbsDiff(frames[i], in[i], cv::Rect(100, 60, 80, 60)), 3) << i;
    }
  }
  static TempDir* dir_;
};
TempDir* VideoWatermark::dir_ = nullptr;

TEST_F(VideoWatermark, PixelValueRatioRoi) {
  ExpectLogoRemoved(Run("{\"roi_strings\": [\"0,0,0.4,0.4\"], \"save_dir\": " + Quote(dir_->File("out_value")) + "}"));
}

TEST_F(VideoWatermark, PixelDiversityPixelRoi) {
  ExpectLogoRemoved(Run("{\"roi_strings\": [\"(0, 0, 76, 51)\"], \"roi_type\": \"pixel\", "
                        "\"detection_method\": \"pixel_diversity\", \"save_dir\": " +
                        Quote(dir_->File("out_div")) + "}"));
}

TEST_F(VideoWatermark, RoiKeyPerSample) {
  ExpectLogoRemoved(Run("{\"roi_key\": \"rois\", \"roi_type\": \"pixel\", \"save_dir\": " +
                        Quote(dir_->File("out_key")) + "}"));
}

TEST_F(VideoWatermark, DeterministicNameAndErrors) {
  std::string p = "{\"roi_strings\": [\"0,0,0.4,0.4\"], \"save_dir\": " + Quote(dir_->File("out_det")) + "}";
  std::string a = Run(p);
  EXPECT_EQ(a, Run(p));
  EXPECT_TRUE(testing::Exists(a));

  auto op = MakeOp("video_remove_watermark_mapper", "{\"save_dir\": " + Quote(dir_->File("out_err")) + "}");
  for (const char* name : {"corrupt.mp4", "missing.mp4"}) {
    RawSample rs("{\"videos\": [" + Quote(dir_->File(name)) + "]}");
    Sample& s = rs.s;
    EXPECT_FALSE(static_cast<const Mapper&>(*op).Map(s).ok()) << name;
  }
  // An ROI outside the frame is an error (DJ's cv2.cvtColor raises on the empty slice).
  auto far = MakeOp("video_remove_watermark_mapper",
                    "{\"roi_strings\": [\"500, 500, 600, 600\"], \"roi_type\": \"pixel\", \"save_dir\": " +
                        Quote(dir_->File("out_err")) + "}");
  RawSample rs("{\"videos\": [" + Quote(dir_->File("logo.mp4")) + "]}");
  Sample& s = rs.s;
  EXPECT_FALSE(static_cast<const Mapper&>(*far).Map(s).ok());

  EXPECT_FALSE(ParamsError("video_remove_watermark_mapper", R"({"roi_strings": ["1, 2, 3"]})").ok());
  EXPECT_FALSE(ParamsError("video_remove_watermark_mapper", R"({"roi_type": "pixel", "roi_strings": ["1.5, 2, 3, 4"]})").ok());
  EXPECT_FALSE(ParamsError("video_remove_watermark_mapper", R"({"detection_method": "pixel_diversity", "frame_num": 1})").ok());
  EXPECT_FALSE(ParamsError("video_remove_watermark_mapper", R"({"roi_type": "percent"})").ok());
}

}  // namespace
}  // namespace winnow
