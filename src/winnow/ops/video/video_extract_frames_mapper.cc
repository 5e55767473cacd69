// video_extract_frames_mapper: samples frames of each video referenced by a video token
// (all key frames, or frame_num frames uniformly; with duration > 0, per duration-second segment
// as DJ's *_by_seconds helpers do) and writes them as JPEG files
// <frame_dir>/<video file stem>/frame_<i>.jpg (an existing file is not rewritten, as in DJ).
// The sample gets `frame_key` = one list of frame paths per video, in the order of `videos`
// ([] for a video no token refers to). A sample that already has `frame_key` is left as it is.
// output_format "bytes" (raw JPEG bytes in the dataset) has no JSON form and is rejected.
#include <algorithm>
#include <cctype>
#include <filesystem>

#include <opencv2/imgcodecs.hpp>  // flag values only; the codec runs in the img plugin

#include "winnow/core/json.h"
#include "winnow/media/image_codec.h"
#include "winnow/media/av_writer.h"
#include "winnow/ops/registry.h"
#include "winnow/ops/video/video_mapper_util.h"

namespace winnow {
namespace {

namespace fs = std::filesystem;
constexpr const char* kName = "video_extract_frames_mapper";

class VideoExtractFramesMapper : public Mapper {
 public:
  VideoExtractFramesMapper(const Params& p, const OpEnv& env)
      : Mapper(kName, p, env), env_(env),
        uniform_(p.String("frame_sampling_method") == "uniform"),
        frame_num_(static_cast<int>(p.Number("frame_num"))),
        duration_(p.Number("duration")),
        frame_dir_(p.String("frame_dir")),
        frame_key_(p.String("frame_key")) {
    video_key_ = p.Get("video_key").type() == json::Type::kString ? p.String("video_key") : env.video_key;
  }

  Status Map(Sample& s) const override {
    std::string existing;
    if (s.FieldRaw(frame_key_, &existing)) return Status::Ok();
    std::vector<std::string> raw, paths;
    WINNOW_RETURN_IF_ERROR(video_ops::VideoKeys(s, video_key_, env_.input_files, &raw, &paths));
    // DJ's process_single returns [] here, which its batched wrapper cannot merge: the sample
    // is dropped with an error.
    if (paths.empty()) return Status::Error("the sample has no videos");
    auto text = s.Text(text_key_);
    if (!text.ok()) return text.status();
    const std::string t(*text);
    const std::string& vtok = env_.video_special_token;
    const std::string& eoc = env_.eoc_special_token;
    std::vector<std::vector<std::string>> frames_list(raw.size());
    size_t offset = 0, pos = 0;
    for (;;) {
      size_t hit = t.find(eoc, pos);
      std::string_view chunk = std::string_view(t).substr(pos, hit == std::string::npos ? std::string::npos : hit - pos);
      size_t count = 0;
      for (size_t k = chunk.find(vtok); k != std::string_view::npos; k = chunk.find(vtok, k + vtok.size())) ++count;
      if (count > 0 && !chunk.empty()) {
        for (size_t i = offset; i < offset + count && i < raw.size(); ++i) {
          size_t idx = static_cast<size_t>(std::find(raw.begin(), raw.end(), raw[i]) - raw.begin());
          auto frames = Extract(paths[idx]);
          if (!frames.ok()) return frames.status();
          std::string dir = (fs::path(frame_dir_) / Stem(raw[i])).string();
          std::error_code ec;
          fs::create_directories(dir, ec);
          if (ec) return Status::Error("cannot create " + dir + ": " + ec.message());
          std::vector<std::string> cur;
          for (size_t f = 0; f < frames->size(); ++f) {
            std::string fp = (fs::path(dir) / ("frame_" + std::to_string(f) + ".jpg")).string();
            if (!fs::exists(fp)) {
              // PIL's Image.save default JPEG quality is 75.
              WINNOW_RETURN_IF_ERROR(media::ImWrite(fp, (*frames)[f].bgr, {cv::IMWRITE_JPEG_QUALITY, 75}));
            }
            cur.push_back(std::move(fp));
          }
          frames_list[idx] = std::move(cur);
        }
        offset += count;
      }
      if (hit == std::string::npos) break;
      pos = hit + eoc.size();
    }
    std::string out = "[";
    for (size_t i = 0; i < frames_list.size(); ++i) {
      if (i) out += ", ";
      out += video_ops::JsonStringList(frames_list[i]);
    }
    out += "]";
    s.SetFieldRaw(frame_key_, std::move(out));
    return Status::Ok();
  }

 private:
  static std::string Stem(const std::string& path) {
    std::string base = fs::path(path).filename().string();
    std::string with = video_ops::AddSuffixToFilename(base, std::string(1, '\x01'));
    return with.substr(0, with.find('\x01'));
  }

  Result<std::vector<media::VideoFrame>> Extract(const std::string& path) const {
    if (uniform_)
      return duration_ ? media::ExtractFramesUniformlyBySeconds(path, frame_num_, duration_)
                       : media::ExtractFramesUniformly(path, frame_num_);
    return duration_ ? media::ExtractKeyFramesBySeconds(path, duration_) : media::ExtractKeyFrames(path);
  }

  OpEnv env_;
  bool uniform_;
  int frame_num_;
  double duration_;
  std::string frame_dir_, frame_key_, video_key_;
};

Status Validate(const Params& p) {
  const std::string& m = p.String("frame_sampling_method");
  if (m != "all_keyframes" && m != "uniform")
    return Status::Error("frame_sampling_method [" + m + "] is not supported. Can only be one of [\"all_keyframes\", \"uniform\"].");
  std::string f = p.String("output_format");
  for (char& c : f) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (f == "bytes")
    return Status::Error("output_format 'bytes' is not supported by Winnow (JSON output cannot hold raw bytes); use 'path'");
  if (f != "path")
    return Status::Error("output_format '" + p.String("output_format") + "' is not supported. Can only be one of ['path', 'bytes'].");
  if (p.IsNull("frame_dir")) return Status::Error("'frame_dir' must be specified when output_format is in ['path'].");
  return Status::Ok();
}

}  // namespace

void RegisterVideoExtractFramesMapper(Registry& r) {
  r.Add({kName, OpKind::kMapper,
         "Extract frames (all key frames, or frame_num uniformly; per duration-second segment when duration > 0) "
         "of each video as JPEG files frame_dir/<video stem>/frame_<i>.jpg, listed per video in frame_key.",
         {StringParam("frame_sampling_method", "all_keyframes", "'all_keyframes' or 'uniform'"),
          StringParam("output_format", "path", "'path' (only; DJ's 'bytes' is rejected)"),
          Range(IntParam("frame_num", 3, "frames per video (or segment) with 'uniform'"), 0, std::nullopt, true),
          FloatParam("duration", 0, "segment length in seconds; 0 = the whole video"),
          Optional(StringParam("frame_dir", "", "output directory of the frames (required)")),
          StringParam("frame_key", "video_frames", "field for the frame paths")},
         {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<VideoExtractFramesMapper>(p, e); },
         Validate});
}

}  // namespace winnow
