// audio_ffmpeg_wrapped_mapper: one FFmpeg audio filter on each audio (see ffmpeg_wrapped_mapper.h).
#include "winnow/ops/ffmpeg_wrapped_mapper.h"

namespace winnow {

void RegisterAudioFfmpegWrappedMapper(Registry& r) {
  RegisterFfmpegWrappedMapper(r, "audio_ffmpeg_wrapped_mapper", MediaKind::kAudio,
                              "Apply one FFmpeg audio filter to each audio, writing new files.");
}

}  // namespace winnow
