// audio_ffmpeg_wrapped_mapper and video_ffmpeg_wrapped_mapper: DJ's
//   ffmpeg.input(path).filter(filter_name, **filter_kwargs).output(new_path)
//         .global_args(*global_args).run(capture_stderr, overwrite_output)
// done in-process with libavfilter (media::ApplyFfmpegFilter; only the filtered stream is
// written, as ffmpeg-python's single-stream graph does). Without filter_name the sample is left
// as it is (DJ only records `__dj__source_file__`).
//
// Differences from DJ, all at recipe load: filter_kwargs values must be scalars (they are passed
// as Python's str() gives them: 1, 1.5, True, text); filter_kwargs null with a filter is taken as
// {} (DJ fails every sample with a TypeError); global_args may hold only the CLI flags that do
// not change the output (-nostdin, -hide_banner, -nostats, -stats, -v/-loglevel LEVEL) and -y / -n,
// which set overwrite_output; capture_stderr has nothing to capture (errors come back in the
// sample's Status).
#pragma once

#include "winnow/ops/media_list_filter.h"
#include "winnow/ops/registry.h"

namespace winnow {

// Registers one of the two ops (kind: kAudio or kVideo).
void RegisterFfmpegWrappedMapper(Registry& r, const std::string& name, MediaKind kind, const std::string& doc);

}  // namespace winnow
