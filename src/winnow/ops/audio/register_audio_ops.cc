// The audio op group: one Register call per op file.
#include "winnow/ops/registry.h"

namespace winnow {

void RegisterAudioAddGaussianNoiseMapper(Registry& r);
void RegisterAudioDurationFilter(Registry& r);
void RegisterAudioFfmpegWrappedMapper(Registry& r);
void RegisterAudioNmfSnrFilter(Registry& r);
void RegisterAudioSizeFilter(Registry& r);

void RegisterAudioOps(Registry& r) {
  RegisterAudioAddGaussianNoiseMapper(r);
  RegisterAudioDurationFilter(r);
  RegisterAudioFfmpegWrappedMapper(r);
  RegisterAudioNmfSnrFilter(r);
  RegisterAudioSizeFilter(r);
}

}  // namespace winnow
