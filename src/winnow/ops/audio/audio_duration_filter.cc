// audio_duration_filter: keeps samples whose audios last a number of seconds in range
// (librosa.get_duration of the decoded audio: frames / sample rate).
#include "winnow/media/sample_media.h"
#include "winnow/ops/media_list_filter.h"
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

class AudioDurationFilter : public MediaListFilter {
 public:
  AudioDurationFilter(const Params& p, const OpEnv& env)
      : MediaListFilter("audio_duration_filter", p, env, MediaKind::kAudio),
        min_(p.Number("min_duration")), max_(p.Number("max_duration")) {}

  Status ComputeStats(Sample& s) const override {
    if (s.stats().Has("audio_duration")) return Status::Ok();
    std::vector<std::string> paths;
    WINNOW_RETURN_IF_ERROR(Paths(s, &paths));
    std::vector<double> durations;
    for (const std::string& path : paths) {
      auto audio = media::SampleMedia::Of(s).Audio(path);
      if (!audio.ok()) return audio.status();
      durations.push_back((*audio)->duration());
    }
    s.stats().SetRaw("audio_duration", JsonList(durations, /*integers=*/false));
    return Status::Ok();
  }

  bool Keep(const Sample& s) const override {
    std::vector<bool> keeps;
    for (double d : ListStat(s, "audio_duration")) keeps.push_back(KeepValue(d, min_, max_));
    return Combine(keeps);
  }

  std::string DropReason(const Sample& s) const override { return ListReason(s, {{"audio_duration", {min_, max_}}}); }

 private:
  double min_, max_;
};

}  // namespace

void RegisterAudioDurationFilter(Registry& r) {
  r.Add({"audio_duration_filter", OpKind::kFilter, "Keep samples whose audios' durations (seconds) are within range.",
         {IntParam("min_duration", 0, "minimum duration in seconds"),
          IntParam("max_duration", kPyMaxSize, "maximum duration in seconds"), AnyOrAllParam()},
         {"audio_duration"},
         [](const Params& p, const OpEnv& e) { return std::make_unique<AudioDurationFilter>(p, e); },
         ValidateAnyOrAll});
}

}  // namespace winnow
