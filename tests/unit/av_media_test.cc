// Audio/video layer (media/av_reader, media/av_writer) on FFmpeg's libraries. The media are made
// here with Winnow's own writer (a moving colour pattern to MP4 and to MKV, sine tones to WAV),
// then probed, decoded, cut and filtered; corrupt inputs (missing, empty, truncated, garbage,
// audio-as-video) must give a Status naming the file, never a crash. When Data-Juicer's test
// media are present, a few numbers PyAV 10 gives for them are pinned too
// (bench/av_probe_parity.py checks them all).
#include "winnow/media/av_reader.h"
#include "winnow/media/av_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace winnow::media {
namespace {

namespace fs = std::filesystem;

// A fresh directory per test, removed afterwards.
class AvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("winnow_av_" + std::to_string(getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  void WriteBytes(const std::string& name, const std::string& bytes) const {
    std::ofstream(Path(name), std::ios::binary) << bytes;
  }
  fs::path dir_;
};

const char* kDjMedia = "/work/shared/data/dj-media";
bool HaveDjMedia() { return fs::exists(fs::path(kDjMedia) / "video1.mp4"); }
std::string Dj(const std::string& name) { return std::string(kDjMedia) + "/" + name; }

constexpr int kW = 160, kH = 120, kFps = 24, kFrames = 72;  // 3 s
constexpr int kRate = 44100;

// Frame i: left half red, right half blue, and a white bar moving right along the top rows.
cv::Mat PatternFrame(int i) {
  cv::Mat m(kH, kW, CV_8UC3);
  for (int y = 0; y < kH; ++y) {
    for (int x = 0; x < kW; ++x) {
      cv::Vec3b c = x < kW / 2 ? cv::Vec3b(0, 0, 200) : cv::Vec3b(200, 0, 0);
      if (y < 16 && std::abs(x - (i * 2) % kW) < 8) c = cv::Vec3b(255, 255, 255);
      m.at<cv::Vec3b>(y, x) = c;
    }
  }
  return m;
}

// Interleaved stereo: 440 Hz left, 660 Hz right, amplitude 0.5.
std::vector<double> Sine(int rate, double seconds, int channels = 2) {
  std::vector<double> s;
  const int n = static_cast<int>(rate * seconds);
  for (int i = 0; i < n; ++i) {
    for (int c = 0; c < channels; ++c) {
      s.push_back(0.5 * std::sin(2 * M_PI * (c == 0 ? 440.0 : 660.0) * i / rate));
    }
  }
  return s;
}

// Mean colour of a rectangle.
cv::Vec3d Mean(const cv::Mat& m, int x0, int y0, int x1, int y1) {
  cv::Vec3d sum(0, 0, 0);
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x)
      for (int c = 0; c < 3; ++c) sum[c] += m.at<cv::Vec3b>(y, x)[c];
  return sum / static_cast<double>((x1 - x0) * (y1 - y0));
}

// The pattern, 3 s at 24 fps, one key frame per second, with a stereo AAC/Vorbis/... track.
Status MakeVideo(const std::string& path, const std::string& codec, bool with_audio = true) {
  VideoWriterOptions o;
  o.width = kW;
  o.height = kH;
  o.fps = {kFps, 1};
  o.codec = codec;
  o.gop_size = kFps;
  if (codec == "libx264") o.encoder_options = {{"preset", "ultrafast"}, {"x264-params", "scenecut=0"}};
  if (with_audio) {
    o.audio_sample_rate = kRate;
    o.audio_channels = 2;
  }
  auto w = VideoWriter::Open(path, o);
  if (!w.ok()) return w.status();
  for (int i = 0; i < kFrames; ++i) WINNOW_RETURN_IF_ERROR((*w)->WriteFrame(PatternFrame(i)));
  if (with_audio) WINNOW_RETURN_IF_ERROR((*w)->WriteAudio(Sine(kRate, 3.0)));
  return (*w)->Close();
}

// All frames of a file (timestamps only unless images are asked for).
std::vector<VideoFrame> DecodeAll(const std::string& path, bool images = false) {
  std::vector<VideoFrame> out;
  auto d = VideoDecoder::Open(path);
  EXPECT_TRUE(d.ok()) << d.status().message();
  if (!d.ok()) return out;
  for (;;) {
    VideoFrame f;
    auto more = (*d)->Next(&f, images);
    EXPECT_TRUE(more.ok()) << more.status().message();
    if (!more.ok() || !*more) break;
    out.push_back(std::move(f));
  }
  return out;
}

// ------------------------------------------------------------------ corrupt / wrong input
TEST_F(AvTest, MissingFileIsAnErrorNamingIt) {
  const std::string p = Path("nope.mp4");
  auto info = ProbeMedia(p);
  ASSERT_FALSE(info.ok());
  EXPECT_NE(info.status().message().find(p), std::string::npos);
  EXPECT_NE(info.status().message().find("No such file"), std::string::npos);
  EXPECT_FALSE(DecodeAudio(p).ok());
  EXPECT_FALSE(VideoDecoder::Open(p).ok());
  EXPECT_FALSE(Md5OfVideoPackets(p).ok());
  EXPECT_FALSE(ExtractKeyFrames(p).ok());
}

TEST_F(AvTest, EmptyAndGarbageFilesAreErrors) {
  WriteBytes("zero.mp4", "");
  std::string junk;
  uint32_t x = 12345;
  for (int i = 0; i < 20000; ++i) junk.push_back(static_cast<char>((x = x * 1103515245u + 12345u) >> 24));
  WriteBytes("garbage.mp4", junk);
  for (const char* name : {"zero.mp4", "garbage.mp4"}) {
    const std::string p = Path(name);
    auto info = ProbeMedia(p);
    ASSERT_FALSE(info.ok()) << name;
    EXPECT_NE(info.status().message().find(p), std::string::npos);
    EXPECT_NE(info.status().message().find("Invalid data"), std::string::npos)
        << info.status().message();
    EXPECT_FALSE(DecodeAudio(p).ok());
    EXPECT_FALSE(ExtractFramesUniformly(p, 3).ok());
    EXPECT_FALSE(GetVideoDuration(p).ok());
  }
}

TEST_F(AvTest, DirectoryIsAnError) {
  auto info = ProbeMedia(dir_.string());
  ASSERT_FALSE(info.ok());
  EXPECT_NE(info.status().message().find("directory"), std::string::npos);
}

// ------------------------------------------------------------------ generated media: reading
TEST_F(AvTest, ProbeAndDecodeGeneratedMp4) {
  const std::string mp4 = Path("pattern.mp4");
  ASSERT_TRUE(MakeVideo(mp4, "libx264").ok());
  auto info = ProbeMedia(mp4);
  ASSERT_TRUE(info.ok()) << info.status().message();
  ASSERT_EQ(info->NumVideo(), 1);
  ASSERT_EQ(info->NumAudio(), 1);
  const StreamInfo& v = *info->Video();
  EXPECT_EQ(v.codec, "h264");
  EXPECT_EQ(v.width, kW);
  EXPECT_EQ(v.height, kH);
  EXPECT_EQ(v.nb_frames, kFrames);
  EXPECT_EQ(v.avg_frame_rate, (Rational{kFps, 1}));
  EXPECT_EQ(v.time_base, (Rational{1, 12288}));  // the mp4 muxer's 24 * 512
  ASSERT_TRUE(v.has_duration);
  EXPECT_DOUBLE_EQ(v.duration, 3.0);
  EXPECT_EQ(v.RoundedDuration(), 3);
  EXPECT_DOUBLE_EQ(*GetVideoDuration(mp4), 3.0);
  const StreamInfo& a = *info->Audio();
  EXPECT_EQ(a.codec, "aac");
  EXPECT_EQ(a.sample_rate, kRate);
  EXPECT_EQ(a.channels, 2);

  auto frames = DecodeAll(mp4, /*images=*/true);
  ASSERT_EQ(frames.size(), static_cast<size_t>(kFrames));
  for (int i = 0; i < kFrames; ++i) {
    EXPECT_EQ(frames[i].pts, i * 512);
    EXPECT_DOUBLE_EQ(frames[i].seconds, i / 24.0);
    EXPECT_EQ(frames[i].key_frame, i % kFps == 0) << i;
  }
  const cv::Mat& f0 = frames[10].bgr;
  ASSERT_EQ(f0.cols, kW);
  ASSERT_EQ(f0.rows, kH);
  cv::Vec3d left = Mean(f0, 10, 40, 60, 100), right = Mean(f0, 100, 40, 150, 100);
  EXPECT_NEAR(left[2], 200, 12);   // red
  EXPECT_NEAR(left[0], 0, 12);
  EXPECT_NEAR(right[0], 200, 12);  // blue
  EXPECT_NEAR(right[2], 0, 12);

  auto ks = GetKeyFrameSeconds(mp4);
  ASSERT_TRUE(ks.ok());
  EXPECT_EQ(*ks, (std::vector<double>{0.0, 1.0, 2.0}));
  auto kf = ExtractKeyFrames(mp4);
  ASSERT_TRUE(kf.ok());
  ASSERT_EQ(kf->size(), 3u);
  EXPECT_EQ((*kf)[1].pts, 24 * 512);
  EXPECT_FALSE((*kf)[1].bgr.empty());

  // Seeking lands on the key frame at or before the time.
  auto d = VideoDecoder::Open(mp4);
  ASSERT_TRUE(d.ok());
  ASSERT_TRUE((*d)->SeekMicros(1'500'000).ok());
  VideoFrame f;
  ASSERT_TRUE(*(*d)->Next(&f, false));
  EXPECT_EQ(f.pts, 24 * 512);

  // The audio track, as HF's Audio would load it (mono mean of a 440/660 Hz pair).
  auto aud = DecodeAudio(mp4);
  ASSERT_TRUE(aud.ok()) << aud.status().message();
  EXPECT_EQ(aud->channels, 1);
  EXPECT_GE(aud->frames(), 3 * kRate);
  EXPECT_LE(aud->frames(), 3 * kRate + 1024);
}

TEST_F(AvTest, UniformFramesFollowDataJuicer) {
  const std::string mp4 = Path("pattern.mp4");
  ASSERT_TRUE(MakeVideo(mp4, "libx264", false).ok());
  // frame_num 3: targets 0, 1.5, 3.0 s; 3.0 s is past the last frame, so DJ's
  // "add the last frame" rule answers it with frame 71.
  auto u3 = ExtractFramesUniformly(mp4, 3);
  ASSERT_TRUE(u3.ok()) << u3.status().message();
  ASSERT_EQ(u3->size(), 3u);
  EXPECT_EQ((*u3)[0].pts, 0);
  EXPECT_EQ((*u3)[1].pts, 36 * 512);
  EXPECT_EQ((*u3)[2].pts, 71 * 512);
  EXPECT_EQ((*u3)[1].bgr.cols, kW);
  auto u1 = ExtractFramesUniformly(mp4, 1);  // the middle: the first frame at >= 1.5 s
  ASSERT_TRUE(u1.ok());
  ASSERT_EQ(u1->size(), 1u);
  EXPECT_EQ((*u1)[0].pts, 36 * 512);
  auto many = ExtractFramesUniformly(mp4, 500);  // capped at nb_frames (72)
  ASSERT_TRUE(many.ok());
  EXPECT_GE(many->size(), static_cast<size_t>(kFrames));
}

TEST_F(AvTest, OtherContainerAndPacketMd5) {
  const std::string mp4 = Path("a.mp4"), mkv = Path("b.mkv");
  ASSERT_TRUE(MakeVideo(mp4, "libx264", false).ok());
  ASSERT_TRUE(MakeVideo(mkv, "mpeg4", false).ok());
  auto info = ProbeMedia(mkv);
  ASSERT_TRUE(info.ok()) << info.status().message();
  EXPECT_EQ(info->Video()->codec, "mpeg4");
  EXPECT_FALSE(info->Video()->has_duration);  // Matroska keeps only the container duration
  EXPECT_NEAR(info->duration, 3.0, 0.05);
  EXPECT_FALSE(GetVideoDuration(mkv).ok());    // DJ's get_video_duration raises here too
  EXPECT_EQ(DecodeAll(mkv).size(), static_cast<size_t>(kFrames));

  auto h1 = Md5OfVideoPackets(mp4), h2 = Md5OfVideoPackets(mp4), h3 = Md5OfVideoPackets(mkv);
  ASSERT_TRUE(h1.ok() && h2.ok() && h3.ok());
  EXPECT_EQ(h1->size(), 32u);
  EXPECT_EQ(*h1, *h2);
  EXPECT_NE(*h1, *h3);
  auto both = Md5OfVideoPackets(std::vector<std::string>{mp4, mkv});
  ASSERT_TRUE(both.ok());
  EXPECT_NE(*both, *h1);
  // Only video packets count: a file with audio added hashes the same video the same way.
  const std::string with_audio = Path("c.mp4");
  ASSERT_TRUE(MakeVideo(with_audio, "libx264", true).ok());
  EXPECT_EQ(*Md5OfVideoPackets(with_audio), *h1);
}

TEST_F(AvTest, GeneratedCorruptInputs) {
  const std::string mp4 = Path("pattern.mp4"), wav = Path("tone.wav");
  ASSERT_TRUE(MakeVideo(mp4, "libx264").ok());
  std::ifstream in(mp4, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  WriteBytes("trunc.mp4", bytes.substr(0, bytes.size() / 2));  // moov is at the end
  auto t = ProbeMedia(Path("trunc.mp4"));
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("trunc.mp4"), std::string::npos);
  EXPECT_FALSE(ExtractKeyFrames(Path("trunc.mp4")).ok());
  EXPECT_FALSE(CutVideoBySeconds(Path("trunc.mp4"), Path("o.mp4"), 0, 1).ok());

  ASSERT_TRUE(WriteWav(wav, Sine(16000, 0.5), 16000, 2).ok());
  for (auto st : {VideoDecoder::Open(wav).status(), ExtractFramesUniformly(wav, 3).status(),
                  GetVideoDuration(wav).status(), CutVideoBySeconds(wav, Path("o.mp4"), 0, 1).status(),
                  ProcessEachFrame(wav, Path("o.mp4"), [](cv::Mat&, const VideoFrame&) -> Result<bool> {
                    return true;
                  }).status()}) {
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.message().find("no video stream"), std::string::npos) << st.message();
  }
  EXPECT_FALSE(fs::exists(Path("o.mp4")));
}

// ------------------------------------------------------------------------------------ audio
TEST_F(AvTest, WavRoundTripIsExact) {
  const std::string wav = Path("tone.wav");
  const auto s = Sine(16000, 0.5);
  ASSERT_TRUE(WriteWav(wav, s, 16000, 2).ok());
  EXPECT_EQ(fs::file_size(wav), 44u + s.size() * 2);
  auto info = ProbeMedia(wav);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->Audio()->codec, "pcm_s16le");
  EXPECT_EQ(info->Audio()->channels, 2);

  auto st = DecodeAudio(wav, 0, /*mono=*/false);
  ASSERT_TRUE(st.ok());
  ASSERT_EQ(st->samples.size(), s.size());
  EXPECT_EQ(st->channels, 2);
  EXPECT_DOUBLE_EQ(st->duration(), 0.5);
  for (size_t i = 0; i < s.size(); ++i) {
    // soundfile: written as lrint(x * 32767), read back as v / 32768.0, exactly.
    ASSERT_EQ(st->samples[i], std::lrint(s[i] * 32767.0) / 32768.0) << i;
  }
  auto mono = DecodeAudio(wav);
  ASSERT_TRUE(mono.ok());
  ASSERT_EQ(mono->frames(), 8000);
  for (int i = 0; i < 8000; ++i) {
    ASSERT_EQ(mono->samples[i], (st->samples[2 * i] + st->samples[2 * i + 1]) / 2);
  }
  auto rs = DecodeAudio(wav, 8000);
  ASSERT_TRUE(rs.ok());
  EXPECT_EQ(rs->sample_rate, 8000);
  EXPECT_NEAR(static_cast<double>(rs->frames()), 4000, 2);

  // Clipping instead of wrapping.
  ASSERT_TRUE(WriteWav(Path("clip.wav"), {2.0, -2.0, 1.0, -1.0}, 8000, 1).ok());
  auto c = DecodeAudio(Path("clip.wav"));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->samples, (std::vector<double>{32767 / 32768.0, -32767 / 32768.0, 32767 / 32768.0,
                                             -32767 / 32768.0}));
  EXPECT_FALSE(WriteWav(Path("bad.wav"), {0.1, 0.2, 0.3}, 8000, 2).ok());
}

TEST_F(AvTest, ExtractAudioFromVideo) {
  const std::string mp4 = Path("pattern.mp4");
  ASSERT_TRUE(MakeVideo(mp4, "libx264").ok());
  auto ex = ExtractAudioFromVideo(mp4, Path("out.mp3"));
  ASSERT_TRUE(ex.ok()) << ex.status().message();
  ASSERT_EQ(ex->data.size(), 1u);
  EXPECT_EQ(ex->sampling_rates, std::vector<double>{44100.0});
  EXPECT_EQ(ex->stream_indexes, std::vector<int>{0});
  EXPECT_GE(ex->data[0].size(), 3u * kRate);  // channel 0 of the planar AAC frames
  ASSERT_EQ(ex->written, std::vector<std::string>{Path("out_0.mp3")});
  auto mp3 = ProbeMedia(Path("out_0.mp3"));
  ASSERT_TRUE(mp3.ok()) << mp3.status().message();
  EXPECT_EQ(mp3->Audio()->codec, "mp3float");
  EXPECT_EQ(mp3->Audio()->sample_rate, 48000);
  EXPECT_EQ(mp3->Audio()->channels, 2);
  EXPECT_NEAR(mp3->duration, 3.0, 0.1);
  // A window, and DJ's rules on indexes and output names.
  auto part = ExtractAudioFromVideo(mp4, "", 1.0, 2.0);
  ASSERT_TRUE(part.ok());
  EXPECT_NEAR(static_cast<double>(part->data[0].size()), kRate, 2048);
  auto none = ExtractAudioFromVideo(mp4, "", 0, {}, {3});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->data.empty());
  EXPECT_FALSE(ExtractAudioFromVideo(mp4, Path("out.wav")).ok());
}

// ------------------------------------------------------------------------------------ writing
TEST_F(AvTest, CutVideoBySeconds) {
  const std::string mp4 = Path("pattern.mp4"), cut = Path("cut.mp4");
  ASSERT_TRUE(MakeVideo(mp4, "libx264").ok());
  auto ok = CutVideoBySeconds(mp4, cut, 1.0, 2.0);
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  ASSERT_TRUE(*ok);
  auto info = ProbeMedia(cut);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->Video()->codec, "h264");  // the input's codec, re-encoded (libx264)
  EXPECT_EQ(info->Video()->width, kW);
  ASSERT_NE(info->Audio(), nullptr);        // audio packets copied
  EXPECT_EQ(info->Audio()->codec, "aac");
  // Frames with 1.0 <= t <= 2.0 (both ends, as DJ), shifted to start at 0.
  auto frames = DecodeAll(cut);
  ASSERT_EQ(frames.size(), 25u);
  EXPECT_EQ(frames.front().pts, 0);
  EXPECT_DOUBLE_EQ(frames.back().seconds, 1.0);
  EXPECT_DOUBLE_EQ(info->Video()->duration, 25.0 / 24);
  // The source's I frame at 2.0 s stays a key frame (PyAV hands libx264 the picture types).
  auto ks = GetKeyFrameSeconds(cut);
  ASSERT_TRUE(ks.ok());
  EXPECT_EQ(*ks, (std::vector<double>{0.0, 1.0}));
  // Open end: to the end of the stream.
  ASSERT_TRUE(*CutVideoBySeconds(mp4, Path("tail.mp4"), 2.0));
  EXPECT_EQ(DecodeAll(Path("tail.mp4")).size(), 24u);
  // Past the end nothing is written and no file appears.
  auto none = CutVideoBySeconds(mp4, Path("none.mp4"), 10.0, 11.0);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(*none);
  EXPECT_FALSE(fs::exists(Path("none.mp4")));

  EXPECT_EQ(NpArange(3.0, 1.0), (std::vector<double>{0, 1, 2}));
  EXPECT_EQ(NpArange(2.5, 1.0), (std::vector<double>{0, 1, 2}));
  auto kbs = ExtractKeyFramesBySeconds(mp4, 1.0);  // segments [0,1] and [1,2]
  ASSERT_TRUE(kbs.ok()) << kbs.status().message();
  ASSERT_EQ(kbs->size(), 4u);                      // each: its first frame + the source I frame
  EXPECT_EQ((*kbs)[0].pts, 0);
  EXPECT_EQ((*kbs)[2].pts, 0);
  auto ubs = ExtractFramesUniformlyBySeconds(mp4, 2, 1.0);
  ASSERT_TRUE(ubs.ok());
  EXPECT_EQ(ubs->size(), 4u);
}

TEST_F(AvTest, ProcessEachFrame) {
  const std::string mp4 = Path("pattern.mp4");
  ASSERT_TRUE(MakeVideo(mp4, "libx264").ok());
  int seen = 0;
  auto out = ProcessEachFrame(mp4, Path("inv.mp4"), [&](cv::Mat& m, const VideoFrame&) -> Result<bool> {
    ++seen;
    m = cv::Scalar(255, 255, 255) - m;  // invert
    return true;
  });
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(*out, Path("inv.mp4"));
  EXPECT_EQ(seen, kFrames);
  auto info = ProbeMedia(*out);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->Video()->nb_frames, kFrames);
  // DJ declares the audio streams but never muxes their packets; the mp4 muxer then drops the
  // empty track, so DJ's output (checked with PyAV) has video only, like this one.
  EXPECT_EQ(info->NumAudio(), 0);
  auto frames = DecodeAll(*out, true);
  ASSERT_EQ(frames.size(), static_cast<size_t>(kFrames));
  cv::Vec3d left = Mean(frames[5].bgr, 10, 40, 60, 100);
  EXPECT_NEAR(left[0], 255, 12);  // inverted red = (255, 255, 55)
  EXPECT_NEAR(left[2], 55, 12);

  auto same = ProcessEachFrame(mp4, Path("same.mp4"),
                               [](cv::Mat&, const VideoFrame&) -> Result<bool> { return false; });
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(*same, mp4);
  EXPECT_FALSE(fs::exists(Path("same.mp4")));
  auto fail = ProcessEachFrame(mp4, Path("f.mp4"), [](cv::Mat&, const VideoFrame&) -> Result<bool> {
    return Status::Error("detector failed");
  });
  ASSERT_FALSE(fail.ok());
  EXPECT_EQ(fail.status().message(), "detector failed");
}

TEST_F(AvTest, FfmpegFilters) {
  const std::string mp4 = Path("pattern.mp4"), wav = Path("tone.wav");
  ASSERT_TRUE(MakeVideo(mp4, "libx264").ok());
  // video_resize_resolution_mapper: ffmpeg.input(v).filter("scale", width=80, height=60)
  Status st = ApplyFfmpegFilter(mp4, Path("small.mp4"), "scale", {{"width", "80"}, {"height", "60"}});
  ASSERT_TRUE(st.ok()) << st.message();
  auto info = ProbeMedia(Path("small.mp4"));
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->streams.size(), 1u);  // only the filtered stream is mapped
  EXPECT_EQ(info->Video()->codec, "h264");
  EXPECT_EQ(info->Video()->width, 80);
  EXPECT_EQ(info->Video()->height, 60);
  EXPECT_EQ(info->Video()->nb_frames, kFrames);
  EXPECT_EQ(info->Video()->avg_frame_rate, (Rational{kFps, 1}));

  ASSERT_TRUE(ApplyFfmpegFilter(mp4, Path("flip.mkv"), "hflip").ok());
  auto flipped = DecodeAll(Path("flip.mkv"), true);
  ASSERT_EQ(flipped.size(), static_cast<size_t>(kFrames));
  EXPECT_NEAR(Mean(flipped[3].bgr, 10, 40, 60, 100)[0], 200, 12);  // blue now on the left

  ASSERT_TRUE(ApplyFfmpegFilter(mp4, Path("half.mp4"), "fps", {{"fps", "12"}}).ok());
  EXPECT_NEAR(static_cast<double>(DecodeAll(Path("half.mp4")).size()), 36, 1);

  // audio_ffmpeg_wrapped_mapper: atempo / volume, WAV in and out (pcm_s16le).
  ASSERT_TRUE(WriteWav(wav, Sine(16000, 3.0), 16000, 2).ok());
  ASSERT_TRUE(ApplyFfmpegFilter(wav, Path("fast.wav"), "atempo", {{"tempo", "2.0"}}).ok());
  auto fast = DecodeAudio(Path("fast.wav"));
  ASSERT_TRUE(fast.ok());
  EXPECT_NEAR(fast->duration(), 1.5, 0.05);
  ASSERT_TRUE(ApplyFfmpegFilter(wav, Path("quiet.wav"), "volume", {{"volume", "0.5"}}).ok());
  auto orig = DecodeAudio(wav, 0, false), quiet = DecodeAudio(Path("quiet.wav"), 0, false);
  ASSERT_TRUE(orig.ok() && quiet.ok());
  ASSERT_EQ(orig->samples.size(), quiet->samples.size());
  for (size_t i = 0; i < orig->samples.size(); i += 97) {
    ASSERT_NEAR(quiet->samples[i], orig->samples[i] * 0.5, 1.0 / 32768) << i;
  }
  ASSERT_TRUE(ApplyFfmpegFilter(wav, Path("low.wav"), "volume", {{"volume", "1"}}, {{"ar", "8000"}}).ok());
  EXPECT_EQ(ProbeMedia(Path("low.wav"))->Audio()->sample_rate, 8000);
  // The audio of a video file, re-encoded to the mp4 default (aac).
  ASSERT_TRUE(ApplyFfmpegFilter(mp4, Path("loud.m4a"), "volume", {{"volume", "2"}}).ok());
  EXPECT_EQ(ProbeMedia(Path("loud.m4a"))->Audio()->codec, "aac");

  // Errors: unknown filter, bad option, unknown output option, no overwrite; nothing left behind.
  EXPECT_FALSE(ApplyFfmpegFilter(mp4, Path("x.mp4"), "no_such_filter").ok());
  Status bad = ApplyFfmpegFilter(mp4, Path("x.mp4"), "scale", {{"bogus", "1"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("bogus"), std::string::npos) << bad.message();
  Status badout = ApplyFfmpegFilter(mp4, Path("x.mp4"), "hflip", {}, {{"no_such_opt", "1"}});
  ASSERT_FALSE(badout.ok());
  EXPECT_NE(badout.message().find("no_such_opt"), std::string::npos) << badout.message();
  EXPECT_FALSE(fs::exists(Path("x.mp4")));
  EXPECT_FALSE(ApplyFfmpegFilter(mp4, Path("small.mp4"), "hflip", {}, {}, /*overwrite=*/false).ok());
  EXPECT_FALSE(ApplyFfmpegFilter(wav, Path("x.mp4"), "hflip").ok());  // no video stream
  ASSERT_TRUE(ApplyFfmpegFilter(mp4, Path("crf.mp4"), "hflip", {}, {{"crf", "30"}, {"preset", "ultrafast"}}).ok());
}

// ---------------------------------------------------------------- Data-Juicer's test media
// Numbers from PyAV 10.0.0 (DJ's get_video_duration / get_key_frame_seconds /
// video_deduplicator) on the same files.
TEST_F(AvTest, DjMediaMatchesPyAv) {
  if (!HaveDjMedia()) GTEST_SKIP() << "no " << kDjMedia;
  auto info = ProbeMedia(Dj("video4.mp4"));
  ASSERT_TRUE(info.ok()) << info.status().message();
  const StreamInfo* v = info->Video();
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->codec, "h264");
  EXPECT_EQ(v->width, 480);
  EXPECT_EQ(v->height, 360);
  EXPECT_EQ(v->nb_frames, 673);
  EXPECT_EQ(v->avg_frame_rate, (Rational{30, 1}));
  EXPECT_EQ(v->time_base, (Rational{1, 15360}));
  EXPECT_EQ(v->duration_pts, 344576);
  EXPECT_DOUBLE_EQ(v->duration, 344576.0 / 15360);
  EXPECT_EQ(v->RoundedDuration(), 22);
  EXPECT_DOUBLE_EQ(info->duration, 22.5);
  const StreamInfo* a = info->Audio();
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->codec, "aac");
  EXPECT_EQ(a->sample_rate, 44100);
  EXPECT_EQ(a->channels, 1);

  auto md5 = Md5OfVideoPackets(Dj("video1.mp4"));
  ASSERT_TRUE(md5.ok());
  EXPECT_EQ(md5->substr(0, 8), "80ba761f");
  EXPECT_EQ(*md5, *Md5OfVideoPackets(Dj("video6.mp4")));  // byte-identical copies

  auto ks = GetKeyFrameSeconds(Dj("video1.mp4"));
  ASSERT_TRUE(ks.ok());
  EXPECT_EQ(ks->size(), 3u);
  EXPECT_EQ(ks->front(), 0.0);

  // Truncated MP4s: moov at the end (cannot open) and at the start (decode stops with FFmpeg's
  // error after the last whole frame, as PyAV raises InvalidDataError there).
  for (const char* name : {"video1.mp4", "video4.mp4"}) {
    std::ifstream in(Dj(name), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    WriteBytes(std::string("trunc_") + name, bytes.substr(0, bytes.size() / 2));
  }
  EXPECT_FALSE(ProbeMedia(Path("trunc_video1.mp4")).ok());
  auto dec = VideoDecoder::Open(Path("trunc_video4.mp4"));
  ASSERT_TRUE(dec.ok());
  int n = 0;
  Status st;
  for (;;) {
    VideoFrame f;
    auto more = (*dec)->Next(&f, false);
    if (!more.ok()) {
      st = more.status();
      break;
    }
    if (!*more) break;
    ++n;
  }
  EXPECT_GT(n, 0);
  EXPECT_LT(n, 673);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("trunc_video4.mp4"), std::string::npos);

  // Audio given where a video is expected.
  auto as_video = VideoDecoder::Open(Dj("audio1.wav"));
  ASSERT_FALSE(as_video.ok());
  EXPECT_NE(as_video.status().message().find("no video stream"), std::string::npos);
  auto wav = DecodeAudio(Dj("audio1.wav"));
  ASSERT_TRUE(wav.ok());
  EXPECT_EQ(wav->frames(), 242624);
  EXPECT_EQ(wav->sample_rate, 44100);
  // Audio of a video file.
  auto va = DecodeAudio(Dj("video4.mp4"));
  ASSERT_TRUE(va.ok()) << va.status().message();
  EXPECT_EQ(va->sample_rate, 44100);
  EXPECT_NEAR(va->duration(), 22.5, 0.05);
}

}  // namespace
}  // namespace winnow::media
