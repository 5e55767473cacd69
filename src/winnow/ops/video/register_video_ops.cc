// The video op group: one Register call per op file.
#include "winnow/ops/registry.h"

namespace winnow {

void RegisterVideoAspectRatioFilter(Registry& r);
void RegisterVideoDurationFilter(Registry& r);
void RegisterVideoResolutionFilter(Registry& r);
void RegisterVideoExtractFramesMapper(Registry& r);
void RegisterVideoSplitByDurationMapper(Registry& r);
void RegisterVideoSplitByKeyFrameMapper(Registry& r);
void RegisterVideoSplitBySceneMapper(Registry& r);

void RegisterVideoOps(Registry& r) {
  RegisterVideoAspectRatioFilter(r);
  RegisterVideoDurationFilter(r);
  RegisterVideoResolutionFilter(r);
  RegisterVideoExtractFramesMapper(r);
  RegisterVideoSplitByDurationMapper(r);
  RegisterVideoSplitByKeyFrameMapper(r);
  RegisterVideoSplitBySceneMapper(r);
}

}  // namespace winnow
