// video_split_by_duration_mapper: cuts each video into split_duration-second clips
// (cut_video_by_seconds at np.arange(0, duration, split_duration)); the last, shorter clip is
// kept only when it lasts at least min_last_split_duration. The split sample's text gets one
// video token per clip in place of each original token (chunk by chunk, every chunk closed with
// the EOC token), its `videos` lists the clips and `__dj__source_file__` their originals; with
// keep_original_sample the original sample comes first (1 -> 2), otherwise it is replaced.
// Clips are <save_dir or produced dir>/<stem>__dj_hash_#<hash>#_<i>.<ext> (TransferFilename).
#include "winnow/media/av_writer.h"
#include "winnow/media/produced_paths.h"
#include "winnow/ops/registry.h"
#include "winnow/ops/video/video_mapper_util.h"

namespace winnow {
namespace {

constexpr const char* kName = "video_split_by_duration_mapper";

class VideoSplitByDurationMapper : public Mapper {
 public:
  VideoSplitByDurationMapper(const Params& p, const OpEnv& env)
      : Mapper(kName, p, env), env_(env),
        split_duration_(p.Number("split_duration")),
        min_last_(p.Number("min_last_split_duration")),
        keep_original_(p.Bool("keep_original_sample")),
        save_dir_(p.IsNull("save_dir") ? "" : p.String("save_dir")),
        hash_(video_ops::ParamsHash(kName, p)) {
    video_key_ = p.Get("video_key").type() == json::Type::kString ? p.String("video_key") : env.video_key;
  }

  bool expands() const override { return true; }

  Status Expand(Sample& s, std::vector<std::string>* out) const override {
    return video_ops::ExpandSplit(s, env_, text_key_, video_key_, keep_original_,
                                  [this](const std::string& p) { return Split(p); }, out);
  }

 private:
  Result<std::vector<std::string>> Split(const std::string& path) const {
    auto duration = media::GetVideoDuration(path);
    if (!duration.ok()) return duration.status();
    std::vector<double> ts = media::NpArange(*duration, split_duration_);
    if (ts.empty()) return Status::Error(path + ": the video lasts 0 seconds, nothing to split");
    auto unique = media::TransferFilename(path, kName, save_dir_, hash_);
    if (!unique.ok()) return unique.status();
    std::vector<std::string> clips;
    int count = 0;
    for (size_t i = 1; i < ts.size(); ++i) {
      std::string clip = video_ops::AddSuffixToFilename(*unique, "_" + std::to_string(count));
      auto wrote = media::CutVideoBySeconds(path, clip, ts[i - 1], ts[i]);
      if (!wrote.ok()) return wrote.status();
      if (*wrote) {
        clips.push_back(std::move(clip));
        ++count;
      }
    }
    if (*duration - ts.back() >= min_last_) {
      std::string clip = video_ops::AddSuffixToFilename(*unique, "_" + std::to_string(count));
      auto wrote = media::CutVideoBySeconds(path, clip, ts.back());
      if (!wrote.ok()) return wrote.status();
      if (*wrote) clips.push_back(std::move(clip));
    }
    return clips;
  }

  OpEnv env_;
  double split_duration_, min_last_;
  bool keep_original_;
  std::string save_dir_, hash_, video_key_;
};

}  // namespace

void RegisterVideoSplitByDurationMapper(Registry& r) {
  r.Add({kName, OpKind::kMapper,
         "Split each video into clips of split_duration seconds (the last one kept if at least "
         "min_last_split_duration long); one video token per clip; optionally keep the original sample.",
         {Range(FloatParam("split_duration", 10, "duration of each clip in seconds"), 0, std::nullopt, true),
          FloatParam("min_last_split_duration", 0, "the last, shorter clip is dropped when it lasts less than this"),
          BoolParam("keep_original_sample", true, "keep the original sample before the split one"),
          Optional(StringParam("save_dir", "", "directory for the clips (default: $DJ_PRODUCED_DATA_DIR or "
                                               "__dj__produced_data__ next to the input)"))},
         {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<VideoSplitByDurationMapper>(p, e); }});
}

}  // namespace winnow
