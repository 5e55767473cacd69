// The video op group: one Register call per op file.
#include "winnow/ops/registry.h"

namespace winnow {

void RegisterVideoAspectRatioFilter(Registry& r);
void RegisterVideoDurationFilter(Registry& r);
void RegisterVideoMotionScoreFilter(Registry& r);
void RegisterVideoOcrAreaRatioFilter(Registry& r);
void RegisterVideoRemoveWatermarkMapper(Registry& r);
void RegisterVideoResolutionFilter(Registry& r);

void RegisterVideoOps(Registry& r) {
  RegisterVideoAspectRatioFilter(r);
  RegisterVideoDurationFilter(r);
  RegisterVideoMotionScoreFilter(r);
  RegisterVideoOcrAreaRatioFilter(r);
  RegisterVideoRemoveWatermarkMapper(r);
  RegisterVideoResolutionFilter(r);
}

}  // namespace winnow
