// audio_add_gaussian_noise_mapper: audiomentations.AddGaussianNoise on each distinct audio
// (media/audio_dsp.h reproduces its draws and float32 arithmetic), written as a new file the way
// soundfile.write does (16-bit PCM WAV; an .ogg input is written as .wav, as DJ renames it).
// DJ writes a new file for every audio, noised or not (then only float32 -> PCM16 quantised).
//
// Randomness: DJ draws from Python's `random` module and numpy's global RandomState, both
// unseeded, so its output differs from run to run. Winnow seeds both per sample from (seed,
// input file, line) — `random` from the key [seed_lo, seed_hi, file, line_lo, line_hi, 0],
// numpy from the same key ending in 1 (init_by_array, as random.seed / np.random.seed of a list
// or big int) — and draws the sample's audios in order from them: reproducible for any thread
// count, and p = 0 / p = 1 as exact as in DJ.
#include <filesystem>

#include "winnow/media/audio_dsp.h"
#include "winnow/media/av_writer.h"
#include "winnow/media/sample_media.h"
#include "winnow/ops/media_mapper.h"
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

class AudioAddGaussianNoiseMapper : public MediaMapper {
 public:
  AudioAddGaussianNoiseMapper(const Params& p, const OpEnv& env)
      : MediaMapper("audio_add_gaussian_noise_mapper", p, env, MediaKind::kAudio),
        seed_(static_cast<uint64_t>(p.Number("seed"))) {
    opt_.min_amplitude = p.Number("min_amplitude");
    opt_.max_amplitude = p.Number("max_amplitude");
    opt_.p = p.Number("p");
  }

  Status Map(Sample& s) const override {
    MediaList list;
    WINNOW_RETURN_IF_ERROR(ReadList(s, &list));
    if (list.resolved.empty()) return Status::Ok();  // DJ returns such samples untouched
    media::SampleMedia& cache = media::SampleMedia::Of(s);
    media::GaussianNoiseRng rng{NumpyRandomState::FromKey(Key(s.row(), 0)),
                                NumpyRandomState::FromKey(Key(s.row(), 1))};
    std::vector<std::string> out(list.raw.size());
    for (size_t i = 0; i < list.resolved.size(); ++i) {
      const std::string& path = list.resolved[i];
      bool seen = false;
      for (size_t j = 0; j < i && !seen; ++j)
        if (list.resolved[j] == path) {
          out[i] = out[j];
          seen = true;
        }
      if (seen) continue;
      auto audio = cache.Audio(path);
      if (!audio.ok()) return audio.status();
      auto target = OutputPath(path);
      if (!target.ok()) return target.status();
      std::string dst = *target;
      // DJ: new_audio_key.replace(".ogg", ".wav") when it ends with ".ogg" (every occurrence).
      if (dst.size() >= 4 && dst.compare(dst.size() - 4, 4, ".ogg") == 0)
        for (size_t at = dst.find(".ogg"); at != std::string::npos; at = dst.find(".ogg", at + 4))
          dst.replace(at, 4, ".wav");
      media::GaussianNoiseResult r = media::AddGaussianNoise((*audio)->samples, opt_, rng);
      WINNOW_RETURN_IF_ERROR(WriteLikeSoundfile(dst, r.samples, (*audio)->sample_rate));
      out[i] = dst;
    }
    WriteBack(s, list, out, /*source_gets_new=*/true);
    return Status::Ok();
  }

 private:
  std::vector<uint32_t> Key(RowId row, uint32_t which) const {
    return {static_cast<uint32_t>(seed_), static_cast<uint32_t>(seed_ >> 32), row.file,
            static_cast<uint32_t>(row.line), static_cast<uint32_t>(row.line >> 32), which};
  }

  // soundfile.write(path, float32 mono, rate): PCM_16 in the container the extension names.
  // WAV is written directly; other containers go through a temporary WAV and FFmpeg.
  static Status WriteLikeSoundfile(const std::string& path, const std::vector<float>& samples, int rate) {
    std::vector<double> d(samples.begin(), samples.end());
    std::string ext = std::filesystem::path(path).extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string tmp = TempSiblingPath(path);
    if (ext == ".wav") {
      Status st = media::WriteWav(tmp, d, rate, 1);
      if (!st.ok()) {
        std::error_code ec;
        std::filesystem::remove(tmp, ec);
        return st;
      }
      return CommitTempFile(tmp, path);
    }
    std::string wav = tmp + ".wav";
    Status st = media::WriteWav(wav, d, rate, 1);
    if (st.ok()) st = media::ApplyFfmpegFilter(wav, tmp, "anull");
    std::error_code ec;
    std::filesystem::remove(wav, ec);
    if (!st.ok()) {
      std::filesystem::remove(tmp, ec);
      return st;
    }
    return CommitTempFile(tmp, path);
  }

  media::GaussianNoiseOptions opt_;
  uint64_t seed_;
};

Status Validate(const Params& p) {
  if (!(p.Number("min_amplitude") < p.Number("max_amplitude")))
    return Status::Error("min_amplitude must be < max_amplitude");
  double prob = p.Number("p");
  if (!(prob >= 0 && prob <= 1)) return Status::Error("p must be in [0, 1]");
  return Status::Ok();
}

}  // namespace

void RegisterAudioAddGaussianNoiseMapper(Registry& r) {
  r.Add({"audio_add_gaussian_noise_mapper", OpKind::kMapper,
         "Add Gaussian noise to audios (audiomentations.AddGaussianNoise), writing them as new 16-bit WAV files.",
         {FloatParam("min_amplitude", 0.001, "minimum noise amplitude (linear)"),
          FloatParam("max_amplitude", 0.015, "maximum noise amplitude (linear)"),
          FloatParam("p", 0.5, "probability of adding noise to each audio"), SaveDirParam("audio"),
          Range(IntParam("seed", 0, "Winnow: seed of the per-sample noise draws (DJ draws unseeded)"), 0,
                std::nullopt)},
         {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<AudioAddGaussianNoiseMapper>(p, e); },
         Validate});
}

}  // namespace winnow
