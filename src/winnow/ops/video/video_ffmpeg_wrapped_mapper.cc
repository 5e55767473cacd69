// video_ffmpeg_wrapped_mapper: one FFmpeg video filter on each video (see ffmpeg_wrapped_mapper.h).
#include "winnow/ops/ffmpeg_wrapped_mapper.h"

namespace winnow {

void RegisterVideoFfmpegWrappedMapper(Registry& r) {
  RegisterFfmpegWrappedMapper(r, "video_ffmpeg_wrapped_mapper", MediaKind::kVideo,
                              "Apply one FFmpeg video filter to each video, writing new files.");
}

}  // namespace winnow
