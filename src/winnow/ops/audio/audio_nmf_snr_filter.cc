// audio_nmf_snr_filter: keeps samples whose audios' signal-to-noise ratio (dB) is in range. The
// SNR splits the magnitude spectrogram into two NMF components (signal, noise) exactly as DJ does
// with librosa + scikit-learn (media/audio_dsp), then compares their powers.
#include "winnow/media/audio_dsp.h"
#include "winnow/media/sample_media.h"
#include "winnow/ops/media_list_filter.h"
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

class AudioNmfSnrFilter : public MediaListFilter {
 public:
  AudioNmfSnrFilter(const Params& p, const OpEnv& env)
      : MediaListFilter("audio_nmf_snr_filter", p, env, MediaKind::kAudio),
        min_(p.Number("min_snr")), max_(p.Number("max_snr")), iters_(static_cast<int>(p.Number("nmf_iter_num"))) {}

  Status ComputeStats(Sample& s) const override {
    if (s.stats().Has("audio_nmf_snr")) return Status::Ok();
    std::vector<std::string> paths;
    WINNOW_RETURN_IF_ERROR(Paths(s, &paths));
    std::vector<double> snrs;
    for (const std::string& path : paths) {
      auto audio = media::SampleMedia::Of(s).Audio(path);
      if (!audio.ok()) return audio.status();
      WINNOW_RETURN_IF_ERROR(media::CheckAudioFinite((*audio)->samples).WithContext(path));
      snrs.push_back(media::NmfSnr((*audio)->samples, iters_));
    }
    s.stats().SetRaw("audio_nmf_snr", JsonList(snrs, /*integers=*/false));
    return Status::Ok();
  }

  bool Keep(const Sample& s) const override {
    std::vector<bool> keeps;
    for (double d : ListStat(s, "audio_nmf_snr")) keeps.push_back(KeepValue(d, min_, max_));
    return Combine(keeps);
  }

  std::string DropReason(const Sample& s) const override { return ListReason(s, {{"audio_nmf_snr", {min_, max_}}}); }

 private:
  double min_, max_;
  int iters_;
};

}  // namespace

void RegisterAudioNmfSnrFilter(Registry& r) {
  r.Add({"audio_nmf_snr_filter", OpKind::kFilter,
         "Keep samples whose audios' NMF-estimated signal-to-noise ratio (dB) is within range.",
         {FloatParam("min_snr", 0, "minimum SNR in dB"), FloatParam("max_snr", kPyMaxSize, "maximum SNR in dB"),
          Range(IntParam("nmf_iter_num", 500, "maximum NMF iterations"), 0, std::nullopt, true), AnyOrAllParam()},
         {"audio_nmf_snr"},
         [](const Params& p, const OpEnv& e) { return std::make_unique<AudioNmfSnrFilter>(p, e); },
         ValidateAnyOrAll});
}

}  // namespace winnow
