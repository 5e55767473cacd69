// The video op group: one Register call per op file.
#include "winnow/ops/registry.h"

namespace winnow {

void RegisterVideoAspectRatioFilter(Registry& r);
void RegisterVideoDurationFilter(Registry& r);
void RegisterVideoMotionScoreFilter(Registry& r);
void RegisterVideoFaceBlurMapper(Registry& r);
void RegisterVideoFfmpegWrappedMapper(Registry& r);
void RegisterVideoResizeAspectRatioMapper(Registry& r);
void RegisterVideoResizeResolutionMapper(Registry& r);
void RegisterVideoOcrAreaRatioFilter(Registry& r);
void RegisterVideoRemoveWatermarkMapper(Registry& r);
void RegisterVideoResolutionFilter(Registry& r);
void RegisterVideoExtractFramesMapper(Registry& r);
void RegisterVideoSplitByDurationMapper(Registry& r);
void RegisterVideoSplitByKeyFrameMapper(Registry& r);
void RegisterVideoSplitBySceneMapper(Registry& r);

void RegisterVideoOps(Registry& r) {
  RegisterVideoAspectRatioFilter(r);
  RegisterVideoDurationFilter(r);
  RegisterVideoMotionScoreFilter(r);
  RegisterVideoFaceBlurMapper(r);
  RegisterVideoFfmpegWrappedMapper(r);
  RegisterVideoResizeAspectRatioMapper(r);
  RegisterVideoResizeResolutionMapper(r);
  RegisterVideoOcrAreaRatioFilter(r);
  RegisterVideoRemoveWatermarkMapper(r);
  RegisterVideoResolutionFilter(r);
  RegisterVideoExtractFramesMapper(r);
  RegisterVideoSplitByDurationMapper(r);
  RegisterVideoSplitByKeyFrameMapper(r);
  RegisterVideoSplitBySceneMapper(r);
}

}  // namespace winnow
