// video_split_by_key_frame_mapper: cuts each video at its key frames (get_key_frame_seconds):
// clips [k0, k1), [k1, k2), ..., [kN, end) with cut_video_by_seconds. Text, `videos`,
// `__dj__source_file__` and keep_original_sample as in video_split_by_duration_mapper (DJ's two
// ops share _process_single_sample). Clips are <produced dir>/<stem>__dj_hash_#<hash>#_<i>.<ext>.
#include "winnow/media/av_writer.h"
#include "winnow/media/produced_paths.h"
#include "winnow/ops/registry.h"
#include "winnow/ops/video/video_mapper_util.h"

namespace winnow {
namespace {

constexpr const char* kName = "video_split_by_key_frame_mapper";

class VideoSplitByKeyFrameMapper : public Mapper {
 public:
  VideoSplitByKeyFrameMapper(const Params& p, const OpEnv& env)
      : Mapper(kName, p, env), env_(env),
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
    auto ts = media::GetKeyFrameSeconds(path);
    if (!ts.ok()) return ts.status();
    if (ts->empty()) return Status::Error(path + ": the video has no key frame");
    auto unique = media::TransferFilename(path, kName, save_dir_, hash_);
    if (!unique.ok()) return unique.status();
    std::vector<std::string> clips;
    int count = 0;
    for (size_t i = 1; i < ts->size(); ++i) {
      std::string clip = video_ops::AddSuffixToFilename(*unique, "_" + std::to_string(count));
      auto wrote = media::CutVideoBySeconds(path, clip, (*ts)[i - 1], (*ts)[i]);
      if (!wrote.ok()) return wrote.status();
      if (*wrote) {
        clips.push_back(std::move(clip));
        ++count;
      }
    }
    std::string clip = video_ops::AddSuffixToFilename(*unique, "_" + std::to_string(count));
    auto wrote = media::CutVideoBySeconds(path, clip, ts->back());
    if (!wrote.ok()) return wrote.status();
    if (*wrote) clips.push_back(std::move(clip));
    return clips;
  }

  OpEnv env_;
  bool keep_original_;
  std::string save_dir_, hash_, video_key_;
};

}  // namespace

void RegisterVideoSplitByKeyFrameMapper(Registry& r) {
  r.Add({kName, OpKind::kMapper,
         "Split each video at its key frames into clips; one video token per clip; optionally keep the "
         "original sample.",
         {BoolParam("keep_original_sample", true, "keep the original sample before the split one"),
          Optional(StringParam("save_dir", "", "directory for the clips (default: $DJ_PRODUCED_DATA_DIR or "
                                               "__dj__produced_data__ next to the input)"))},
         {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<VideoSplitByKeyFrameMapper>(p, e); }});
}

}  // namespace winnow
