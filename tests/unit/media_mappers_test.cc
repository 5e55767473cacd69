// Data-Juicer's media-producing mappers (image/video face blur, image blur, audio noise, ffmpeg
// filters, video resizes) on generated media: the produced files (pixels against the Pillow
// filters, sizes, durations), the rewritten lists and __dj__source_file__, deterministic names
// and draws, and errors for bad media and params. DJ's own test cases run on its test media
// (../shared/data/dj-media) when present.
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include <cmath>
#include <filesystem>

#include "test_support.h"
#include "winnow/core/json.h"
#include "winnow/media/image_codec.h"
#include "winnow/media/av_reader.h"
#include "winnow/media/av_writer.h"
#include "winnow/media/face_detect.h"
#include "winnow/media/pil_filter.h"
#include "winnow/media/sample_media.h"
#include "winnow/ops/image/blur_params.h"
#include "winnow/ops/registry.h"
#include "winnow/recipe/recipe.h"

namespace winnow {

bool VideoResizeResolutionTarget(int64_t w0, int64_t h0, double min_w, double max_w, double min_h, double max_h,
                                 const std::string& foar, int64_t divisible, int64_t* out_w, int64_t* out_h);

namespace {
namespace fs = std::filesystem;
using testing::TempDir;

std::string DjMedia() { return testing::SourcePath("../shared/data/dj-media"); }
bool HaveDjMedia() { return fs::exists(DjMedia() + "/video1.mp4"); }

std::unique_ptr<Op> MakeOp(const std::string& name, const std::string& params) {
  auto v = json::Parse(params);
  EXPECT_TRUE(v.ok());
  auto cfg = MakeOpConfig(name, *v);
  EXPECT_TRUE(cfg.ok()) << cfg.status().message();
  if (!cfg.ok()) return nullptr;
  return cfg->info->factory(cfg->params, OpEnv{});
}

Status ConfigError(const std::string& name, const std::string& params) {
  auto cfg = MakeOpConfig(name, *json::Parse(params));
  return cfg.ok() ? Status::Ok() : cfg.status();
}

// Runs a mapper on one record; returns the record as written (or the op's error).
struct Mapped {
  Status status = Status::Ok();
  json::Value record;
  size_t decodes = 0;
};

Mapped RunOn(const Op& op, const std::string& record, RowId row = RowId{0, 1},
             const std::string& probe_image = "") {
  Sample s;
  Mapped m;
  m.status = s.Init(record, row, "");
  if (!m.status.ok()) return m;
  m.status = static_cast<const Mapper&>(op).Map(s);
  if (!m.status.ok()) return m;
  if (!probe_image.empty()) {
    auto img = media::SampleMedia::Of(s).Image(probe_image);
    EXPECT_TRUE(img.ok());
  }
  if (s.attachment()) m.decodes = media::SampleMedia::Of(s).decodes();
  std::string out;
  s.Write(false, {}, &out);
  m.record = *json::Parse(out);
  return m;
}

std::vector<std::string> List(const json::Value& rec, const char* key) {
  std::vector<std::string> out;
  const json::Value* v = rec.Find(key);
  if (!v) return out;
  for (const auto& e : v->as_array()) out.push_back(e.as_string());
  return out;
}

std::string Quote(const std::string& s) {
  std::string o;
  json::AppendString(s, &o);
  return o;
}

cv::Mat NoiseImage(int w, int h, int seed) {
  cv::Mat m(h, w, CV_8UC3);
  uint32_t x = 2463534242u + seed;
  for (int y = 0; y < h; ++y)
    for (int i = 0; i < w * 3; ++i) {
      x ^= x << 13; x ^= x >> 17; x ^= x << 5;
      m.ptr<uint8_t>(y)[i] = static_cast<uint8_t>(x);
    }
  return m;
}

// ------------------------------------------------------------------------ image_blur_mapper
TEST(ImageBlurMapper, BlursExactlyLikePillowAndRewritesTheList) {
  TempDir dir;
  cv::Mat src = NoiseImage(37, 23, 1);
  ASSERT_TRUE(media::ImWrite(dir.File("a.png"), src).ok());
  for (const char* type : {"mean", "box", "gaussian"}) {
    std::string params = std::string("{\"p\": 1, \"blur_type\": \"") + type + "\", \"radius\": 1.5, \"save_dir\": " +
                         Quote(dir.File("out")) + "}";
    auto op = MakeOp("image_blur_mapper", params);
    Mapped m = RunOn(*op, "{\"text\": \"x\", \"images\": [" + Quote(dir.File("a.png")) + "]}");
    ASSERT_TRUE(m.status.ok()) << m.status.message();
    auto images = List(m.record, "images");
    ASSERT_EQ(images.size(), 1u);
    EXPECT_EQ(fs::path(images[0]).parent_path().string(), dir.File("out"));
    EXPECT_NE(images[0].find("a__dj_hash_#"), std::string::npos) << images[0];
    EXPECT_EQ(fs::path(images[0]).extension(), ".png");
    EXPECT_EQ(List(m.record, "__dj__source_file__"), std::vector<std::string>{dir.File("a.png")});
    cv::Mat expect = src.clone();
    BlurSpec spec{std::string(type) == "mean" ? BlurSpec::Type::kMean
                  : std::string(type) == "box" ? BlurSpec::Type::kBox : BlurSpec::Type::kGaussian, 1.5};
    ApplyBlur(expect, cv::Rect(0, 0, expect.cols, expect.rows), spec);
    cv::Mat got = *media::ImRead(images[0], cv::IMREAD_COLOR);
    ASSERT_FALSE(got.empty());
    EXPECT_EQ(cv::norm(got, expect, cv::NORM_INF), 0) << type;
    EXPECT_GT(cv::norm(got, src, cv::NORM_INF), 0) << type;
  }
}

TEST(ImageBlurMapper, OutputGoesToTheCacheAndJpegIsWritten) {
  TempDir dir;
  cv::Mat src = NoiseImage(40, 30, 2);
  ASSERT_TRUE(media::ImWrite(dir.File("b.jpg"), src).ok());
  auto op = MakeOp("image_blur_mapper", "{\"p\": 1.0}");
  Mapped m0 = RunOn(*op, "{\"images\": [" + Quote(dir.File("b.jpg")) + "]}");
  ASSERT_TRUE(m0.status.ok()) << m0.status.message();
  std::string out = List(m0.record, "images")[0];
  // DJ's default layout: <dir>/__dj__produced_data__/<op>/<name>__dj_hash_#...#.jpg
  EXPECT_EQ(fs::path(out).parent_path().string(), dir.File("__dj__produced_data__/image_blur_mapper"));
  EXPECT_EQ(fs::path(out).extension(), ".jpg");
  // A later op asking for the produced image gets it from the cache: one decode in all.
  Mapped m = RunOn(*op, "{\"images\": [" + Quote(dir.File("b.jpg")) + "]}", RowId{0, 1}, out);
  ASSERT_TRUE(m.status.ok());
  EXPECT_EQ(m.decodes, 1u);
  EXPECT_EQ(List(m.record, "images")[0], out);  // deterministic name
  cv::Mat got = *media::ImRead(out, cv::IMREAD_COLOR);
  ASSERT_EQ(got.size(), src.size());
  // No temporary files are left next to the output.
  int files = 0;
  for (const auto& e : fs::directory_iterator(fs::path(out).parent_path())) {
    ++files;
    EXPECT_EQ(e.path().filename().string().rfind(".winnow-tmp", 0), std::string::npos);
  }
  EXPECT_EQ(files, 1);
}

TEST(ImageBlurMapper, ProbabilityZeroLeavesImagesAndDrawsAreDeterministic) {
  TempDir dir;
  std::string list;
  for (int i = 0; i < 12; ++i) {
    std::string f = dir.File("i" + std::to_string(i) + ".png");
    ASSERT_TRUE(media::ImWrite(f, NoiseImage(8, 8, i)).ok());
    list += (i ? ", " : "") + Quote(f);
  }
  std::string rec = "{\"images\": [" + list + "]}";
  auto none = MakeOp("image_blur_mapper", "{\"p\": 0}");
  Mapped m = RunOn(*none, rec);
  ASSERT_TRUE(m.status.ok());
  EXPECT_EQ(List(m.record, "images"), List(*json::Parse(rec), "images"));
  EXPECT_FALSE(fs::exists(dir.File("__dj__produced_data__")));

  auto half = MakeOp("image_blur_mapper", "{\"p\": 0.5}");
  auto a = List(RunOn(*half, rec).record, "images");
  auto b = List(RunOn(*half, rec).record, "images");
  EXPECT_EQ(a, b);
  int blurred = 0;
  for (size_t i = 0; i < a.size(); ++i) blurred += a[i].find("__dj_hash_#") != std::string::npos;
  EXPECT_GT(blurred, 0);
  EXPECT_LT(blurred, 12);
  // Another row or seed draws differently.
  auto c = List(RunOn(*half, rec, RowId{0, 2}).record, "images");
  auto half7 = MakeOp("image_blur_mapper", "{\"p\": 0.5, \"seed\": 7}");
  auto d = List(RunOn(*half7, rec).record, "images");
  EXPECT_TRUE(a != c || a != d);
}

TEST(ImageBlurMapper, NoImagesMissingImageAndBadParams) {
  TempDir dir;
  auto op = MakeOp("image_blur_mapper", "{\"p\": 1}");
  Mapped m = RunOn(*op, "{\"text\": \"no images\"}");
  ASSERT_TRUE(m.status.ok());
  ASSERT_NE(m.record.Find("__dj__source_file__"), nullptr);
  EXPECT_TRUE(m.record.Find("__dj__source_file__")->as_array().empty());
  Mapped bad = RunOn(*op, "{\"images\": [" + Quote(dir.File("missing.png")) + "]}");
  EXPECT_FALSE(bad.status.ok());
  testing::WriteFile(dir.File("garbage.jpg"), "not an image");
  EXPECT_FALSE(RunOn(*op, "{\"images\": [" + Quote(dir.File("garbage.jpg")) + "]}").status.ok());
  EXPECT_FALSE(ConfigError("image_blur_mapper", "{\"blur_type\": \"median\"}").ok());
  EXPECT_FALSE(ConfigError("image_blur_mapper", "{\"radius\": -1}").ok());
}

// ------------------------------------------------------------------- image_face_blur_mapper
TEST(ImageFaceBlurMapper, NoFaceKeepsThePath) {
  TempDir dir;
  ASSERT_TRUE(media::ImWrite(dir.File("n.png"), NoiseImage(64, 48, 3)).ok());
  auto op = MakeOp("image_face_blur_mapper", "{}");
  std::string rec = "{\"images\": [" + Quote(dir.File("n.png")) + "]}";
  Mapped m = RunOn(*op, rec);
  ASSERT_TRUE(m.status.ok()) << m.status.message();
  EXPECT_EQ(List(m.record, "images"), std::vector<std::string>{dir.File("n.png")});
  EXPECT_FALSE(fs::exists(dir.File("__dj__produced_data__/image_face_blur_mapper")) &&
               !fs::is_empty(dir.File("__dj__produced_data__/image_face_blur_mapper")));
}

TEST(ImageFaceBlurMapper, DjMediaFacesAreBlurredInTheirBoxesOnly) {
  if (!HaveDjMedia()) GTEST_SKIP() << "no " << DjMedia();
  TempDir dir;
  // The first of DJ's test images in which the default cascade finds a face.
  media::FaceDetectOptions opt;
  opt.cascade_path = media::DefaultFaceCascade();
  std::string img;
  Result<cv::Mat> src = Status::Error("none");
  Result<std::vector<cv::Rect>> faces = Status::Error("none");
  for (int i = 1; i <= 10 && img.empty(); ++i) {
    for (const char* ext : {".jpg", ".png"}) {
      std::string f = DjMedia() + "/img" + std::to_string(i) + ext;
      if (!fs::exists(f)) continue;
      src = media::DecodeImageFile(f);
      ASSERT_TRUE(src.ok());
      faces = media::DetectFaces(*src, opt);
      ASSERT_TRUE(faces.ok());
      if (!faces->empty()) img = f;
    }
  }
  if (img.empty()) GTEST_SKIP() << "no face in DJ's images";
  auto op = MakeOp("image_face_blur_mapper", "{\"blur_type\": \"box\", \"radius\": 3, \"save_dir\": " +
                                                 Quote(dir.File("o")) + "}");
  Mapped m = RunOn(*op, "{\"images\": [" + Quote(img) + "]}");
  ASSERT_TRUE(m.status.ok()) << m.status.message();
  auto out = List(m.record, "images");
  ASSERT_NE(out[0], img);
  cv::Mat expect = src->clone();
  BlurBoxes(expect, *faces, BlurSpec{BlurSpec::Type::kBox, 3}, true);
  cv::Mat got = *media::ImRead(out[0], cv::IMREAD_COLOR);
  ASSERT_EQ(got.size(), expect.size());
  // JPEG at quality 75: close to the exact pixels, and the faces differ from the source.
  EXPECT_LT(cv::norm(got, expect, cv::NORM_L1) / got.total() / 3, 4.0);
  cv::Rect f = (*faces)[0];
  EXPECT_GT(cv::norm((*src)(f), expect(f), cv::NORM_L1), 0);
}

// ----------------------------------------------------------- audio_add_gaussian_noise_mapper
std::vector<double> Tone(int rate, double seconds) {
  std::vector<double> s;
  for (int i = 0; i < static_cast<int>(rate * seconds); ++i) s.push_back(0.25 * std::sin(2 * M_PI * 440.0 * i / rate));
  return s;
}

TEST(AudioAddGaussianNoiseMapper, WritesNoisedWavDeterministically) {
  TempDir dir;
  ASSERT_TRUE(media::WriteWav(dir.File("t.wav"), Tone(16000, 0.5), 16000).ok());
  auto op = MakeOp("audio_add_gaussian_noise_mapper",
                   "{\"p\": 1, \"min_amplitude\": 0.01, \"max_amplitude\": 0.02, \"save_dir\": " + Quote(dir.File("o")) + "}");
  std::string rec = "{\"audios\": [" + Quote(dir.File("t.wav")) + ", " + Quote(dir.File("t.wav")) + "]}";
  Mapped m = RunOn(*op, rec);
  ASSERT_TRUE(m.status.ok()) << m.status.message();
  auto out = List(m.record, "audios");
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0], out[1]);
  EXPECT_EQ(fs::path(out[0]).extension(), ".wav");
  // DJ's audio variant records the produced path as the source.
  EXPECT_EQ(List(m.record, "__dj__source_file__"), (std::vector<std::string>{dir.File("t.wav"), dir.File("t.wav")}));
  auto in = media::DecodeAudio(dir.File("t.wav"));
  auto got = media::DecodeAudio(out[0]);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->sample_rate, 16000);
  ASSERT_EQ(got->samples.size(), in->samples.size());
  double diff = 0;
  for (size_t i = 0; i < in->samples.size(); ++i) diff = std::max(diff, std::fabs(got->samples[i] - in->samples[i]));
  EXPECT_GT(diff, 0.005);
  EXPECT_LT(diff, 0.2);
  std::string first = testing::ReadFile(out[0]);
  ASSERT_TRUE(RunOn(*op, rec).status.ok());
  EXPECT_EQ(testing::ReadFile(out[0]), first);  // same row, same noise
}

TEST(AudioAddGaussianNoiseMapper, ProbabilityZeroStillWritesTheQuantisedCopy) {
  TempDir dir;
  ASSERT_TRUE(media::WriteWav(dir.File("t.wav"), Tone(8000, 0.25), 8000).ok());
  auto op = MakeOp("audio_add_gaussian_noise_mapper", "{\"p\": 0}");
  Mapped m = RunOn(*op, "{\"audios\": [" + Quote(dir.File("t.wav")) + "]}");
  ASSERT_TRUE(m.status.ok()) << m.status.message();
  auto out = List(m.record, "audios");
  auto in = media::DecodeAudio(dir.File("t.wav"));
  auto got = media::DecodeAudio(out[0]);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->samples.size(), in->samples.size());
  for (size_t i = 0; i < in->samples.size(); ++i) ASSERT_NEAR(got->samples[i], in->samples[i], 1.5 / 32768);
  // No audio: DJ returns the sample untouched.
  Mapped none = RunOn(*op, "{\"text\": \"a\"}");
  EXPECT_EQ(none.record.Find("__dj__source_file__"), nullptr);
  EXPECT_FALSE(RunOn(*op, "{\"audios\": [" + Quote(dir.File("nope.wav")) + "]}").status.ok());
  EXPECT_FALSE(ConfigError("audio_add_gaussian_noise_mapper", "{\"min_amplitude\": 0.1, \"max_amplitude\": 0.1}").ok());
  EXPECT_FALSE(ConfigError("audio_add_gaussian_noise_mapper", "{\"p\": 1.5}").ok());
}

// ------------------------------------------------------------------- ffmpeg wrapped mappers
Status MakeVideo(const std::string& path, int w, int h, int frames = 12) {
  media::VideoWriterOptions o;
  o.width = w;
  o.height = h;
  o.fps = {12, 1};
  o.codec = "libx264";
  o.encoder_options = {{"preset", "ultrafast"}};
  auto wr = media::VideoWriter::Open(path, o);
  if (!wr.ok()) return wr.status();
  for (int i = 0; i < frames; ++i) WINNOW_RETURN_IF_ERROR((*wr)->WriteFrame(NoiseImage(w, h, i)));
  return (*wr)->Close();
}

std::pair<int, int> VideoSize(const std::string& path) {
  auto info = media::ProbeMedia(path);
  EXPECT_TRUE(info.ok()) << path;
  if (!info.ok() || !info->Video(0)) return {0, 0};
  return {info->Video(0)->width, info->Video(0)->height};
}

TEST(FfmpegWrappedMappers, AudioVolumeFilter) {
  TempDir dir;
  ASSERT_TRUE(media::WriteWav(dir.File("t.wav"), Tone(8000, 0.25), 8000).ok());
  auto op = MakeOp("audio_ffmpeg_wrapped_mapper",
                   "{\"filter_name\": \"volume\", \"filter_kwargs\": {\"volume\": 0.5}, \"global_args\": [\"-nostdin\", \"-v\", \"quiet\", \"-y\"]}");
  Mapped m = RunOn(*op, "{\"audios\": [" + Quote(dir.File("t.wav")) + "]}");
  ASSERT_TRUE(m.status.ok()) << m.status.message();
  auto out = List(m.record, "audios");
  EXPECT_NE(out[0].find("__dj__produced_data__/audio_ffmpeg_wrapped_mapper/t__dj_hash_#"), std::string::npos);
  auto in = media::DecodeAudio(dir.File("t.wav"));
  auto got = media::DecodeAudio(out[0]);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->samples.size(), in->samples.size());
  for (size_t i = 0; i < in->samples.size(); i += 97) ASSERT_NEAR(got->samples[i], in->samples[i] / 2, 2.0 / 32768);
  // No filter: unchanged list, only the source file recorded.
  auto noop = MakeOp("audio_ffmpeg_wrapped_mapper", "{}");
  Mapped n = RunOn(*noop, "{\"audios\": [" + Quote(dir.File("t.wav")) + "]}");
  EXPECT_EQ(List(n.record, "audios"), std::vector<std::string>{dir.File("t.wav")});
  EXPECT_EQ(List(n.record, "__dj__source_file__"), std::vector<std::string>{dir.File("t.wav")});
  EXPECT_FALSE(ConfigError("audio_ffmpeg_wrapped_mapper", "{\"filter_name\": \"volume\", \"global_args\": [\"-ss\", \"1\"]}").ok());
}

TEST(FfmpegWrappedMappers, VideoScaleFilterAndBadInput) {
  TempDir dir;
  ASSERT_TRUE(MakeVideo(dir.File("v.mp4"), 64, 48).ok());
  auto op = MakeOp("video_ffmpeg_wrapped_mapper",
                   "{\"filter_name\": \"scale\", \"filter_kwargs\": {\"width\": 32, \"height\": 24}, \"save_dir\": " +
                       Quote(dir.File("o")) + "}");
  Mapped m = RunOn(*op, "{\"videos\": [" + Quote(dir.File("v.mp4")) + "]}");
  ASSERT_TRUE(m.status.ok()) << m.status.message();
  auto out = List(m.record, "videos");
  EXPECT_EQ(VideoSize(out[0]), std::make_pair(32, 24));
  auto frames = media::ProbeMedia(out[0]);
  EXPECT_NEAR(frames->Video(0)->duration, 1.0, 0.1);
  testing::WriteFile(dir.File("bad.mp4"), "garbage");
  EXPECT_FALSE(RunOn(*op, "{\"videos\": [" + Quote(dir.File("bad.mp4")) + "]}").status.ok());
}

// -------------------------------------------------------------------------- video resizes
TEST(VideoResizeResolutionMapper, DjSizeRules) {
  auto t = [](int w, int h, double mnw, double mxw, double mnh, double mxh, const char* f, int d) {
    int64_t ow = w, oh = h;
    VideoResizeResolutionTarget(w, h, mnw, mxw, mnh, mxh, f, d, &ow, &oh);
    return std::make_pair(ow, oh);
  };
  const double inf = kPyMaxSize;
  using P = std::pair<int64_t, int64_t>;
  // DJ's test cases (video1 640x360, video2 480x640, video3 362x640).
  EXPECT_EQ(t(640, 360, 400, 480, 1, inf, "disable", 2), P(480, 270));
  EXPECT_EQ(t(480, 640, 400, 480, 1, inf, "disable", 2), P(480, 640));
  EXPECT_EQ(t(362, 640, 400, 480, 1, inf, "disable", 2), P(400, 708));
  EXPECT_EQ(t(640, 360, 1, inf, 480, 480, "disable", 2), P(854, 480));
  EXPECT_EQ(t(480, 640, 1, inf, 480, 480, "disable", 2), P(360, 480));
  EXPECT_EQ(t(362, 640, 1, inf, 480, 480, "disable", 2), P(272, 480));
  EXPECT_EQ(t(640, 360, 400, 480, 480, 480, "disable", 2), P(480, 480));
  EXPECT_EQ(t(480, 640, 400, 480, 480, 480, "disable", 2), P(400, 480));
  EXPECT_EQ(t(362, 640, 400, 480, 480, 480, "disable", 2), P(400, 480));
  EXPECT_EQ(t(640, 360, 400, 480, 480, 480, "decrease", 2), P(480, 270));
  EXPECT_EQ(t(640, 360, 400, 480, 480, 480, "increase", 2), P(854, 480));
  EXPECT_EQ(t(640, 360, 400, 480, 480, 480, "decrease", 4), P(480, 272));
  int64_t w = 0, h = 0;
  EXPECT_FALSE(VideoResizeResolutionTarget(362, 640, 1, inf, 1, inf, "disable", 2, &w, &h));
  EXPECT_FALSE(ConfigError("video_resize_resolution_mapper", "{\"force_original_aspect_ratio\": \"increase\", \"force_divisible_by\": 3}").ok());
  EXPECT_FALSE(ConfigError("video_resize_resolution_mapper", "{\"force_original_aspect_ratio\": \"up\"}").ok());
}

TEST(VideoResizeMappers, RescaleGeneratedVideos) {
  TempDir dir;
  ASSERT_TRUE(MakeVideo(dir.File("v.mp4"), 64, 48).ok());
  std::string rec = "{\"videos\": [" + Quote(dir.File("v.mp4")) + "]}";
  auto res = MakeOp("video_resize_resolution_mapper", "{\"max_width\": 32}");
  Mapped m = RunOn(*res, rec);
  ASSERT_TRUE(m.status.ok()) << m.status.message();
  EXPECT_EQ(VideoSize(List(m.record, "videos")[0]), std::make_pair(32, 24));
  EXPECT_EQ(List(m.record, "__dj__source_file__"), std::vector<std::string>{dir.File("v.mp4")});
  // Within bounds: untouched.
  auto keep = MakeOp("video_resize_resolution_mapper", "{\"max_width\": 64}");
  EXPECT_EQ(List(RunOn(*keep, rec).record, "videos"), std::vector<std::string>{dir.File("v.mp4")});
  // 4:3 -> at most 1:1, decreasing the width: 48x48.
  auto ar = MakeOp("video_resize_aspect_ratio_mapper", "{\"max_ratio\": \"1:1\", \"strategy\": \"decrease\"}");
  Mapped a = RunOn(*ar, rec);
  ASSERT_TRUE(a.status.ok()) << a.status.message();
  EXPECT_EQ(VideoSize(List(a.record, "videos")[0]), std::make_pair(48, 48));
  testing::WriteFile(dir.File("bad.mp4"), "garbage");
  EXPECT_FALSE(RunOn(*ar, "{\"videos\": [" + Quote(dir.File("bad.mp4")) + "]}").status.ok());
  EXPECT_FALSE(ConfigError("video_resize_aspect_ratio_mapper", "{\"min_ratio\": \"a/b\"}").ok());
  EXPECT_FALSE(ConfigError("video_resize_aspect_ratio_mapper", "{\"strategy\": \"keep\"}").ok());
}

TEST(VideoResizeMappers, DjTestCases) {
  if (!HaveDjMedia()) GTEST_SKIP() << "no " << DjMedia();
  TempDir dir;
  struct Case {
    const char* op;
    const char* params;
    std::vector<std::pair<int, int>> sizes;  // video1, video2, video3
  };
  const Case cases[] = {
      {"video_resize_aspect_ratio_mapper", "{\"min_ratio\": \"3/4\", \"strategy\": \"increase\"}", {{640, 360}, {480, 640}, {480, 640}}},
      {"video_resize_aspect_ratio_mapper", "{\"min_ratio\": \"3/4\", \"strategy\": \"decrease\"}", {{640, 360}, {480, 640}, {362, 482}}},
      {"video_resize_aspect_ratio_mapper", "{\"max_ratio\": \"4/3\", \"strategy\": \"increase\"}", {{640, 480}, {480, 640}, {362, 640}}},
      {"video_resize_aspect_ratio_mapper", "{\"max_ratio\": \"4/3\", \"strategy\": \"decrease\"}", {{480, 360}, {480, 640}, {362, 640}}},
      {"video_resize_resolution_mapper", "{\"min_width\": 400, \"max_width\": 480}", {{480, 270}, {480, 640}, {400, 708}}},
  };
  // Short cuts of DJ's videos (same sizes) keep the re-encodes quick.
  std::vector<std::string> videos;
  for (int i = 1; i <= 3; ++i) {
    videos.push_back(dir.File("video" + std::to_string(i) + ".mp4"));
    auto cut = media::CutVideoBySeconds(DjMedia() + "/video" + std::to_string(i) + ".mp4", videos.back(), 0, 0.3);
    ASSERT_TRUE(cut.ok()) << cut.status().message();
  }
  for (const Case& c : cases) {
    std::string params = std::string(c.params);
    params.insert(params.size() - 1, ", \"save_dir\": " + Quote(dir.File(c.op)));
    auto op = MakeOp(c.op, params);
    for (int i = 0; i < 3; ++i) {
      const std::string& v = videos[i];
      Mapped m = RunOn(*op, "{\"videos\": [" + Quote(v) + "]}");
      ASSERT_TRUE(m.status.ok()) << m.status.message();
      EXPECT_EQ(VideoSize(List(m.record, "videos")[0]), c.sizes[i]) << c.op << " " << c.params << " video" << i + 1;
    }
  }
}

// -------------------------------------------------------------------- video_face_blur_mapper
TEST(VideoFaceBlurMapper, NoFaceKeepsThePathAndBadInputFails) {
  TempDir dir;
  ASSERT_TRUE(MakeVideo(dir.File("v.mp4"), 64, 48, 4).ok());
  auto op = MakeOp("video_face_blur_mapper", "{\"save_dir\": " + Quote(dir.File("o")) + "}");
  Mapped m = RunOn(*op, "{\"videos\": [" + Quote(dir.File("v.mp4")) + "]}");
  ASSERT_TRUE(m.status.ok()) << m.status.message();
  EXPECT_EQ(List(m.record, "videos"), std::vector<std::string>{dir.File("v.mp4")});
  testing::WriteFile(dir.File("bad.mp4"), "garbage");
  EXPECT_FALSE(RunOn(*op, "{\"videos\": [" + Quote(dir.File("bad.mp4")) + "]}").status.ok());
}

TEST(VideoFaceBlurMapper, DjMediaVideoWithFaces) {
  if (!HaveDjMedia()) GTEST_SKIP() << "no " << DjMedia();
  TempDir dir;
  // DJ's face-blur test videos, cut to their first second to keep the test short.
  auto op = MakeOp("video_face_blur_mapper", "{\"save_dir\": " + Quote(dir.File("o")) + "}");
  std::string out;
  for (const char* name : {"video4.mp4", "video5.mp4", "video1.mp4"}) {
    auto cut = media::CutVideoBySeconds(DjMedia() + "/" + name, dir.File("v1.mp4"), 0, 1.0);
    ASSERT_TRUE(cut.ok()) << cut.status().message();
    Mapped m = RunOn(*op, "{\"videos\": [" + Quote(dir.File("v1.mp4")) + "]}");
    ASSERT_TRUE(m.status.ok()) << m.status.message();
    out = List(m.record, "videos")[0];
    if (out != dir.File("v1.mp4")) break;
  }
  if (out == dir.File("v1.mp4")) GTEST_SKIP() << "no face found in the first seconds";
  auto a = media::ProbeMedia(dir.File("v1.mp4"));
  auto b = media::ProbeMedia(out);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->Video(0)->width, a->Video(0)->width);
  EXPECT_EQ(b->Video(0)->nb_frames, a->Video(0)->nb_frames);
}

}  // namespace
}  // namespace winnow
