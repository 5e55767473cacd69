// The audio op group: one Register call per op file.
#include "winnow/ops/registry.h"

namespace winnow {

void RegisterAudioDurationFilter(Registry& r);
void RegisterAudioNmfSnrFilter(Registry& r);
void RegisterAudioSizeFilter(Registry& r);

void RegisterAudioOps(Registry& r) {
  RegisterAudioDurationFilter(r);
  RegisterAudioNmfSnrFilter(r);
  RegisterAudioSizeFilter(r);
}

}  // namespace winnow
