// Data-Juicer's video mappers that write media: video_split_by_{duration,key_frame,scene}_mapper
// and video_extract_frames_mapper. The golden files cannot check produced files, so these run
// the ops directly on tiny generated videos (and on DJ's test media when present).
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <filesystem>

#include <opencv2/core.hpp>

#include "test_support.h"
#include "winnow/core/json.h"
#include "winnow/media/av_reader.h"
#include "winnow/media/av_writer.h"
#include "winnow/ops/registry.h"
#include "winnow/recipe/recipe.h"

namespace winnow {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

const std::string kV = "<__dj__video>";
const std::string kE = "<|__dj__eoc|>";

std::unique_ptr<Op> MakeOp(const std::string& name, const std::string& params) {
  auto cfg = MakeOpConfig(name, *json::Parse(params));
  EXPECT_TRUE(cfg.ok()) << cfg.status().message();
  if (!cfg.ok()) return nullptr;
  return cfg->info->factory(cfg->params, OpEnv{});
}

// `seconds` at 24 fps, 64x48, a key frame every `gop` frames; the colour changes every
// `scene_frames` frames (0 = a slowly moving gradient, no scene cut).
void MakeVideo(const std::string& path, int frames, int gop, int scene_frames = 0) {
  media::VideoWriterOptions o;
  o.width = 64;
  o.height = 48;
  o.fps = {24, 1};
  o.codec = "libx264";
  o.gop_size = gop;
  o.encoder_options = {{"preset", "ultrafast"}, {"x264-params", "scenecut=0"}};
  auto w = media::VideoWriter::Open(path, o);
  ASSERT_TRUE(w.ok()) << w.status().message();
  // Black and white alternate: a luma jump ContentDetector's default threshold (27) sees.
  const cv::Scalar colours[] = {{0, 0, 0}, {255, 255, 255}, {0, 0, 0}, {255, 255, 255}};
  for (int i = 0; i < frames; ++i) {
    cv::Mat m(48, 64, CV_8UC3);
    if (scene_frames) {
      m.setTo(colours[(i / scene_frames) % 4]);
    } else {
      for (int y = 0; y < 48; ++y)
        for (int x = 0; x < 64; ++x) m.at<cv::Vec3b>(y, x) = cv::Vec3b((x + i) % 256, (y * 4) % 256, 128);
    }
    ASSERT_TRUE((*w)->WriteFrame(m).ok());
  }
  ASSERT_TRUE((*w)->Close().ok());
}

std::string Q(const std::string& s) { return json::Value::String(s).ToJson(); }

std::string Record(const std::string& text, const std::vector<std::string>& videos) {
  std::string v = "[";
  for (size_t i = 0; i < videos.size(); ++i) v += (i ? "," : "") + Q(videos[i]);
  return "{\"text\":" + Q(text) + ",\"videos\":" + v + "]}";
}

Result<std::vector<json::Value>> Expand(const Op& op, const std::string& raw) {
  Sample s;
  WINNOW_RETURN_IF_ERROR(s.Init(raw, RowId{}, ""));
  std::vector<std::string> out;
  WINNOW_RETURN_IF_ERROR(static_cast<const Mapper&>(op).Expand(s, &out));
  std::vector<json::Value> res;
  for (const auto& o : out) res.push_back(*json::Parse(o));
  return res;
}

Result<json::Value> MapOne(const Op& op, const std::string& raw) {
  Sample s;
  WINNOW_RETURN_IF_ERROR(s.Init(raw, RowId{}, ""));
  WINNOW_RETURN_IF_ERROR(static_cast<const Mapper&>(op).Map(s));
  std::string out;
  s.Write(false, {}, &out);
  return *json::Parse(out);
}

std::vector<std::string> Strings(const json::Value& v) {
  std::vector<std::string> out;
  for (const auto& e : v.as_array()) out.push_back(e.as_string());
  return out;
}

double Duration(const std::string& path) {
  auto d = media::GetVideoDuration(path);
  EXPECT_TRUE(d.ok()) << d.status().message();
  return d.ok() ? *d : -1;
}

int64_t CountFrames(const std::string& path) {
  auto d = media::VideoDecoder::Open(path);
  if (!d.ok()) return -1;
  int64_t n = 0;
  media::VideoFrame f;
  while (true) {
    auto more = (*d)->Next(&f, false);
    if (!more.ok() || !*more) break;
    ++n;
  }
  return n;
}

std::string Repeat(const std::string& s, int n) {
  std::string r;
  for (int i = 0; i < n; ++i) r += s;
  return r;
}

class video_mappers : public ::testing::Test {
 protected:
  void SetUp() override {
    v5_ = tmp_.File("five.mp4");
    MakeVideo(v5_, 120, 24);  // 5 s, key frames at 0,1,2,3,4 s
    v3_ = tmp_.File("three.mp4");
    MakeVideo(v3_, 72, 24);  // 3 s
  }
  TempDir tmp_;
  std::string v5_, v3_;
};

TEST_F(video_mappers, SplitByDurationRewritesTokensListsAndNames) {
  const std::string out_dir = tmp_.File("clips");
  auto op = MakeOp("video_split_by_duration_mapper",
                   R"({"split_duration": 2, "keep_original_sample": false, "save_dir": )" + Q(out_dir) + "}");
  ASSERT_TRUE(op);
  ASSERT_TRUE(static_cast<const Mapper&>(*op).expands());
  // Two chunks, the second without a closing EOC: every kept chunk gets one.
  auto res = Expand(*op, Record(kV + " a" + kE + kV + " b", {v5_, v3_}));
  ASSERT_TRUE(res.ok()) << res.status().message();
  ASSERT_EQ(res->size(), 1u);
  const json::Value& s = (*res)[0];
  EXPECT_EQ(s.Find("text")->as_string(), Repeat(kV, 3) + " a" + kE + Repeat(kV, 2) + " b" + kE);
  auto videos = Strings(*s.Find("videos"));
  ASSERT_EQ(videos.size(), 5u);
  EXPECT_EQ(Strings(*s.Find("__dj__source_file__")),
            (std::vector<std::string>{v5_, v5_, v5_, v3_, v3_}));
  const double want[] = {2, 2, 1, 2, 1};
  for (size_t i = 0; i < videos.size(); ++i) {
    EXPECT_EQ(fs::path(videos[i]).parent_path().string(), out_dir);
    EXPECT_NEAR(Duration(videos[i]), want[i], 0.1) << videos[i];
  }
  const std::string stem = fs::path(videos[0]).filename().string();
  EXPECT_EQ(stem.rfind("five__dj_hash_#", 0), 0u) << stem;
  EXPECT_NE(videos[0].find("#_0.mp4"), std::string::npos);
  EXPECT_NE(videos[2].find("#_2.mp4"), std::string::npos);
  EXPECT_NE(videos[4].find("three__dj_hash_#"), std::string::npos);
  EXPECT_NE(videos[4].find("#_1.mp4"), std::string::npos);

  // Deterministic: the same op again writes the same names; other params another hash.
  auto again = Expand(*op, Record(kV + " a" + kE + kV + " b", {v5_, v3_}));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(Strings(*(*again)[0].Find("videos")), videos);
  auto op2 = MakeOp("video_split_by_duration_mapper",
                    R"({"split_duration": 2, "min_last_split_duration": 1.5, "keep_original_sample": false, "save_dir": )" +
                        Q(out_dir) + "}");
  auto res2 = Expand(*op2, Record(kV + " x", {v5_}));
  ASSERT_TRUE(res2.ok()) << res2.status().message();
  auto videos2 = Strings(*(*res2)[0].Find("videos"));
  EXPECT_EQ(videos2.size(), 2u);  // the 1 s tail is shorter than 1.5 s
  EXPECT_EQ((*res2)[0].Find("text")->as_string(), Repeat(kV, 2) + " x" + kE);
  EXPECT_NE(fs::path(videos2[0]).filename(), fs::path(videos[0]).filename());
}

TEST_F(video_mappers, SplitByDurationKeepsOriginalFirst) {
  auto op = MakeOp("video_split_by_duration_mapper", R"({"split_duration": 10, "save_dir": )" + Q(tmp_.File("c")) + "}");
  const std::string raw = Record(kV + " hi", {v3_});
  auto res = Expand(*op, raw);
  ASSERT_TRUE(res.ok()) << res.status().message();
  ASSERT_EQ(res->size(), 2u);
  EXPECT_EQ((*res)[0].Find("text")->as_string(), kV + " hi");
  EXPECT_EQ(Strings(*(*res)[0].Find("videos")), std::vector<std::string>{v3_});
  EXPECT_EQ(Strings(*(*res)[0].Find("__dj__source_file__")), std::vector<std::string>{v3_});
  // A video shorter than one split: one clip of the whole video.
  EXPECT_EQ((*res)[1].Find("text")->as_string(), kV + " hi" + kE);
  auto clips = Strings(*(*res)[1].Find("videos"));
  ASSERT_EQ(clips.size(), 1u);
  EXPECT_NEAR(Duration(clips[0]), 3, 0.1);
}

TEST_F(video_mappers, SplitWithoutVideosOrWithBrokenOnes) {
  auto keep = MakeOp("video_split_by_duration_mapper", R"({"save_dir": )" + Q(tmp_.File("c")) + "}");
  auto drop = MakeOp("video_split_by_key_frame_mapper",
                     R"({"keep_original_sample": false, "save_dir": )" + Q(tmp_.File("c")) + "}");
  auto r1 = Expand(*keep, R"({"text":"no video"})");
  ASSERT_TRUE(r1.ok());
  ASSERT_EQ(r1->size(), 1u);  // the original only, with an empty source_file
  EXPECT_EQ((*r1)[0].Find("__dj__source_file__")->as_array().size(), 0u);
  auto r2 = Expand(*drop, R"({"text":"no video","videos":[]})");
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->size(), 0u);
  // Missing and corrupt videos: an error naming the file (the sample is quarantined).
  const std::string missing = tmp_.File("missing.mp4");
  auto r3 = Expand(*drop, Record(kV, {missing}));
  ASSERT_FALSE(r3.ok());
  EXPECT_NE(r3.status().message().find(missing), std::string::npos);
  const std::string corrupt = tmp_.File("corrupt.mp4");
  testing::WriteFile(corrupt, "not a video at all");
  EXPECT_FALSE(Expand(*keep, Record(kV, {corrupt})).ok());
  // More tokens than videos: DJ's replacer runs out (IndexError).
  EXPECT_FALSE(Expand(*keep, Record(kV + kV, {v3_})).ok());
}

TEST_F(video_mappers, SplitByKeyFrame) {
  auto op = MakeOp("video_split_by_key_frame_mapper",
                   R"({"keep_original_sample": false, "save_dir": )" + Q(tmp_.File("k")) + "}");
  auto res = Expand(*op, Record(kV + " clip", {v3_}));
  ASSERT_TRUE(res.ok()) << res.status().message();
  ASSERT_EQ(res->size(), 1u);
  EXPECT_EQ((*res)[0].Find("text")->as_string(), Repeat(kV, 3) + " clip" + kE);
  auto clips = Strings(*(*res)[0].Find("videos"));
  ASSERT_EQ(clips.size(), 3u);
  for (size_t i = 0; i < clips.size(); ++i) {
    EXPECT_NE(clips[i].find("#_" + std::to_string(i) + ".mp4"), std::string::npos);
    EXPECT_NEAR(Duration(clips[i]), 1, 0.1) << clips[i];
  }
}

TEST_F(video_mappers, SplitByScene) {
  const std::string scenes = tmp_.File("scenes.mp4");
  MakeVideo(scenes, 72, 24, 24);  // black, white, black: 24 frames each
  auto op = MakeOp("video_split_by_scene_mapper", R"({"save_dir": )" + Q(tmp_.File("s")) + "}");
  ASSERT_TRUE(op);
  auto res = MapOne(*op, Record("a " + kV + " b " + kV + " c " + kV, {scenes, v3_}));
  ASSERT_TRUE(res.ok()) << res.status().message();
  // Three scenes, then one (the unchanged original); the third token has no video: it stays.
  EXPECT_EQ(res->Find("text")->as_string(), "a " + Repeat(kV, 3) + " b " + kV + " c " + kV);
  auto videos = Strings(*res->Find("videos"));
  ASSERT_EQ(videos.size(), 4u);
  EXPECT_EQ(videos[3], v3_);
  EXPECT_EQ(Strings(*res->Find("__dj__source_file__")), (std::vector<std::string>{scenes, scenes, scenes, v3_}));
  for (int i = 0; i < 3; ++i) {
    EXPECT_NE(videos[i].find("#_00" + std::to_string(i + 1) + ".mp4"), std::string::npos) << videos[i];
    EXPECT_EQ(CountFrames(videos[i]), 24) << videos[i];
  }
}

TEST_F(video_mappers, SplitBySceneRejectsUnknownDetector) {
  auto cfg = MakeOpConfig("video_split_by_scene_mapper", *json::Parse(R"({"detector": "HistogramDetector"})"));
  EXPECT_FALSE(cfg.ok() && (!cfg->info->validate || cfg->info->validate(cfg->params).ok()));
}

TEST_F(video_mappers, ExtractFrames) {
  const std::string dir = tmp_.File("frames");
  auto op = MakeOp("video_extract_frames_mapper", R"({"frame_dir": )" + Q(dir) + "}");
  ASSERT_TRUE(op);
  // The second video has no token: its list stays empty.
  auto res = MapOne(*op, Record(kV + " x" + kE, {v3_, v5_}));
  ASSERT_TRUE(res.ok()) << res.status().message();
  const json::Value* frames = res->Find("video_frames");
  ASSERT_TRUE(frames);
  ASSERT_EQ(frames->as_array().size(), 2u);
  auto f0 = Strings(frames->as_array()[0]);
  ASSERT_EQ(f0.size(), 3u);  // key frames at 0, 1, 2 s
  for (size_t i = 0; i < f0.size(); ++i) {
    EXPECT_EQ(f0[i], dir + "/three/frame_" + std::to_string(i) + ".jpg");
    EXPECT_TRUE(fs::exists(f0[i]));
  }
  EXPECT_EQ(frames->as_array()[1].as_array().size(), 0u);

  auto uni = MakeOp("video_extract_frames_mapper",
                    R"({"frame_sampling_method": "uniform", "frame_num": 2, "frame_key": "fr", "frame_dir": )" +
                        Q(tmp_.File("u")) + "}");
  auto r2 = MapOne(*uni, Record(kV + " x", {v5_}));
  ASSERT_TRUE(r2.ok()) << r2.status().message();
  EXPECT_EQ(Strings(r2->Find("fr")->as_array()[0]).size(), 2u);
  // Already has frame_key: untouched. No videos: an error (DJ drops the sample).
  auto r3 = MapOne(*uni, R"({"text":"x","videos":[],"fr":[]})");
  ASSERT_TRUE(r3.ok());
  EXPECT_FALSE(MapOne(*uni, R"({"text":"x","videos":[]})").ok());
  EXPECT_FALSE(MapOne(*uni, Record(kV, {tmp_.File("missing.mp4")})).ok());

  auto cfg = MakeOpConfig("video_extract_frames_mapper", *json::Parse(R"({"frame_dir": null})"));
  EXPECT_FALSE(cfg.ok() && cfg->info->validate(cfg->params).ok());
}

// Data-Juicer's own test media (skipped when absent): the clip counts of its unit tests for
// video1/2/3.mp4. One test per op, each within ctest's per-test timeout (re-encoding is slow).
struct DjCase {
  const char* op;
  const char* params;
  std::array<int, 3> clips;
  bool expands;
};

void RunDjMedia(const DjCase& c) {
  const std::string media = std::string(WINNOW_SOURCE_DIR) + "/../shared/data/dj-media";
  if (!fs::exists(media + "/video1.mp4")) GTEST_SKIP() << "no DJ media";
  TempDir tmp;
  auto op = MakeOp(c.op, std::string("{") + c.params + "\"save_dir\": " + Q(tmp.path()) + "}");
  ASSERT_TRUE(op);
  for (int i = 0; i < 3; ++i) {
    const std::string v = media + "/video" + std::to_string(i + 1) + ".mp4";
    const std::string raw = Record(kV + " t" + kE, {v});
    json::Value out;
    if (c.expands) {
      auto r = Expand(*op, raw);
      ASSERT_TRUE(r.ok()) << r.status().message();
      ASSERT_EQ(r->size(), 1u);
      out = (*r)[0];
      EXPECT_EQ(out.Find("text")->as_string(), Repeat(kV, c.clips[i]) + " t" + kE) << v;
    } else {
      auto r = MapOne(*op, raw);
      ASSERT_TRUE(r.ok()) << r.status().message();
      out = *r;
      EXPECT_EQ(out.Find("text")->as_string(), Repeat(kV, c.clips[i]) + " t" + kE) << v;
    }
    EXPECT_EQ(out.Find("videos")->as_array().size(), static_cast<size_t>(c.clips[i])) << v;
  }
}

TEST(video_mappers_dj_media, SplitByDurationCounts) {
  RunDjMedia({"video_split_by_duration_mapper", R"("keep_original_sample": false, )", {2, 3, 5}, true});
}
TEST(video_mappers_dj_media, SplitByKeyFrameCounts) {
  RunDjMedia({"video_split_by_key_frame_mapper", R"("keep_original_sample": false, )", {3, 3, 6}, true});
}
TEST(video_mappers_dj_media, SplitBySceneContentDetectorCounts) {
  RunDjMedia({"video_split_by_scene_mapper", "", {3, 1, 2}, false});
}

}  // namespace
}  // namespace winnow
