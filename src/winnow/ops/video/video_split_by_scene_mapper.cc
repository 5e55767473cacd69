// video_split_by_scene_mapper: detects scenes as scenedetect.detect(path, detector,
// start_in_scene=True) does (media/scene_detect.h, fed every decoded frame) and, when a video
// has more than one scene, cuts it into one clip per scene named
// <produced dir>/<stem>__dj_hash_#<hash>#_<NNN>.<ext> (1-based, at least 3 digits, as
// split_video_ffmpeg's $SCENE_NUMBER). In place (1 -> 1): each video token, in order, becomes
// one token per scene of the matching video (tokens past the last video stay), `videos` lists
// the clips (or the original when it has a single scene) and `__dj__source_file__` their
// originals. show_progress is accepted and ignored.
// Difference: DJ cuts with the ffmpeg CLI (split_video_ffmpeg: -ss/-t, libx264 crf 22, AAC);
// Winnow cuts with cut_video_by_seconds' re-encoder at the scene's frame boundaries, so each
// clip holds the same frames but the encoded bytes differ.
#include <cmath>
#include <cstdio>
#include <map>

#include "winnow/core/json.h"
#include "winnow/media/av_writer.h"
#include "winnow/media/produced_paths.h"
#include "winnow/media/scene_detect.h"
#include "winnow/ops/registry.h"
#include "winnow/ops/video/video_mapper_util.h"

namespace winnow {
namespace {

constexpr const char* kName = "video_split_by_scene_mapper";

class VideoSplitBySceneMapper : public Mapper {
 public:
  VideoSplitBySceneMapper(const Params& p, const OpEnv& env)
      : Mapper(kName, p, env), env_(env),
        save_dir_(p.IsNull("save_dir") ? "" : p.String("save_dir")),
        hash_(video_ops::ParamsHash(kName, p)) {
    video_key_ = p.Get("video_key").type() == json::Type::kString ? p.String("video_key") : env.video_key;
    opt_ = Options(p);
  }

  static media::SceneDetectorOptions Options(const Params& p) {
    media::SceneDetectorOptions o;
    o.detector = p.String("detector");
    o.threshold = p.Number("threshold");
    o.min_scene_len = static_cast<int64_t>(p.Number("min_scene_len"));
    const std::string& d = o.detector;
    bool content = d == "ContentDetector" || d == "AdaptiveDetector";
    if (content && !p.IsNull("weights")) {
      const auto& w = p.Get("weights").as_array();
      for (size_t i = 0; i < 4 && i < w.size(); ++i) o.weights[i] = w[i].as_number();
    }
    if (content && !p.IsNull("luma_only")) o.luma_only = p.Bool("luma_only");
    if (content && !p.IsNull("kernel_size")) o.kernel_size = static_cast<int>(p.Number("kernel_size"));
    if (d == "AdaptiveDetector") {
      if (!p.IsNull("window_width")) o.window_width = static_cast<int64_t>(p.Number("window_width"));
      if (!p.IsNull("min_content_val")) o.min_content_val = p.Number("min_content_val");
      if (!p.IsNull("min_delta_hsv")) o.min_delta_hsv = p.Number("min_delta_hsv");
    }
    if (d == "ThresholdDetector") {
      if (!p.IsNull("fade_bias")) o.fade_bias = p.Number("fade_bias");
      if (!p.IsNull("add_final_scene")) o.add_final_scene = p.Bool("add_final_scene");
      if (!p.IsNull("method")) o.method = static_cast<int>(p.Number("method"));
    }
    return o;
  }

  Status Map(Sample& s) const override {
    std::vector<std::string> raw, paths;
    WINNOW_RETURN_IF_ERROR(video_ops::VideoKeys(s, video_key_, env_.input_files, &raw, &paths));
    if (paths.empty()) {
      s.SetFieldRaw(video_ops::kSourceFileField, "[]");
      return Status::Ok();
    }
    std::map<std::string, std::vector<std::string>> outputs;  // raw key -> output keys
    std::map<std::string, size_t> scene_counts;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (outputs.count(raw[i])) continue;
      size_t n = 0;
      auto clips = Split(paths[i], raw[i], &n);
      if (!clips.ok()) return clips.status();
      outputs[raw[i]] = std::move(*clips);
      scene_counts[raw[i]] = n;
    }
    std::string text_raw;
    if (s.FieldRaw(text_key_, &text_raw)) {
      auto text = s.Text(text_key_);
      if (!text.ok()) return text.status();
      const std::string t(*text);
      const std::string& vtok = env_.video_special_token;
      std::string nt;
      size_t pos = 0, k = 0;
      for (size_t hit = t.find(vtok); hit != std::string::npos; hit = t.find(vtok, pos)) {
        nt.append(t, pos, hit - pos);
        if (k < raw.size()) {
          for (size_t c = 0; c < scene_counts[raw[k]]; ++c) nt += vtok;
          ++k;
        } else {
          nt += vtok;
        }
        pos = hit + vtok.size();
      }
      nt.append(t, pos, std::string::npos);
      s.SetText(text_key_, std::move(nt));
    }
    std::vector<std::string> sources, videos;
    for (const auto& r : raw) {
      const auto& o = outputs[r];
      for (size_t i = 0; i < o.size(); ++i) sources.push_back(r);
      videos.insert(videos.end(), o.begin(), o.end());
    }
    s.SetFieldRaw(video_ops::kSourceFileField, video_ops::JsonStringList(sources));
    s.SetFieldRaw(video_key_, video_ops::JsonStringList(videos));
    return Status::Ok();
  }

 private:
  Result<std::vector<std::string>> Split(const std::string& path, const std::string& raw, size_t* n_scenes) const {
    auto dec = media::VideoDecoder::Open(path);
    if (!dec.ok()) return dec.status();
    auto det = media::SceneDetector::Create(opt_);
    if (!det.ok()) return det.status();
    int64_t frames = 0;
    for (;;) {
      media::VideoFrame f;
      auto more = (*dec)->Next(&f, true);
      if (!more.ok()) return more.status();
      if (!*more) break;
      (*det)->Feed(f.bgr, frames++);
    }
    const double fps = (*dec)->stream().fps();
    std::vector<media::SceneRange> scenes = (*det)->Finish(frames);
    *n_scenes = scenes.size();
    if (scenes.size() <= 1) return std::vector<std::string>{raw};
    if (fps <= 0) return Status::Error(path + ": the video stream has no frame rate");
    auto redirected = media::TransferFilename(path, kName, save_dir_, hash_);
    if (!redirected.ok()) return redirected.status();
    int digits = std::max(3, static_cast<int>(std::floor(std::log10(static_cast<double>(scenes.size())))) + 1);
    std::vector<std::string> clips;
    for (size_t i = 0; i < scenes.size(); ++i) {
      char num[32];
      std::snprintf(num, sizeof num, "%0*zu", digits, i + 1);
      std::string clip = video_ops::AddSuffixToFilename(*redirected, std::string("_") + num);
      // Half a frame before each boundary: the window takes exactly the scene's frames.
      double start = std::max(0.0, (static_cast<double>(scenes[i].start) - 0.5) / fps);
      std::optional<double> end;
      if (i + 1 < scenes.size()) end = (static_cast<double>(scenes[i].end) - 0.5) / fps;
      auto wrote = media::CutVideoBySeconds(path, clip, start, end);
      if (!wrote.ok()) return wrote.status();
      if (!*wrote) return Status::Error(path + ": scene " + std::to_string(i + 1) + " produced no frames");
      clips.push_back(std::move(clip));
    }
    return clips;
  }

  OpEnv env_;
  std::string save_dir_, hash_, video_key_;
  media::SceneDetectorOptions opt_;
};

ParamSpec ListParam(std::string name, std::string doc) {
  ParamSpec p{std::move(name), ParamType::kList, json::Value::Null(), std::move(doc)};
  p.nullable = true;
  return p;
}

Status Validate(const Params& p) {
  const std::string& d = p.String("detector");
  if (d != "ContentDetector" && d != "ThresholdDetector" && d != "AdaptiveDetector")
    return Status::Error("Scene detector " + d +
                         " is not supported. Can only be one of ['ContentDetector', 'AdaptiveDetector', 'ThresholdDetector']");
  if (!p.IsNull("weights") && p.Get("weights").as_array().size() != 4)
    return Status::Error("weights must hold 4 numbers (delta_hue, delta_sat, delta_lum, delta_edges)");
  auto det = media::SceneDetector::Create(VideoSplitBySceneMapper::Options(p));
  return det.ok() ? Status::Ok() : det.status();
}

}  // namespace

void RegisterVideoSplitBySceneMapper(Registry& r) {
  r.Add({kName, OpKind::kMapper,
         "Split each video into one clip per detected scene (PySceneDetect's Content/Threshold/Adaptive "
         "detectors); one video token per clip.",
         {StringParam("detector", "ContentDetector", "'ContentDetector', 'ThresholdDetector' or 'AdaptiveDetector'"),
          Range(FloatParam("threshold", 27.0, "threshold passed to the detector"), 0, std::nullopt),
          Range(IntParam("min_scene_len", 15, "minimum length of a scene in frames"), 0, std::nullopt),
          BoolParam("show_progress", false, "ignored"),
          Optional(StringParam("save_dir", "", "directory for the clips (default: $DJ_PRODUCED_DATA_DIR or "
                                               "__dj__produced_data__ next to the input)")),
          ListParam("weights", "Content/Adaptive: [delta_hue, delta_sat, delta_lum, delta_edges]"),
          Optional(BoolParam("luma_only", false, "Content/Adaptive: only the luma channel")),
          Optional(IntParam("kernel_size", 0, "Content/Adaptive: edge dilation kernel (odd, >= 3)")),
          Optional(IntParam("window_width", 2, "Adaptive: frames before/after for the rolling average")),
          Optional(FloatParam("min_content_val", 15.0, "Adaptive: minimum content score for a cut")),
          Optional(FloatParam("min_delta_hsv", 15.0, "Adaptive: deprecated alias of min_content_val")),
          Optional(FloatParam("fade_bias", 0.0, "Threshold: fade-in/out bias in [-1, 1]")),
          Optional(BoolParam("add_final_scene", false, "Threshold: add a scene after a final fade out")),
          Optional(IntParam("method", 0, "Threshold: 0 = FLOOR, 1 = CEILING"))},
         {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<VideoSplitBySceneMapper>(p, e); },
         Validate});
}

}  // namespace winnow
