// Audio/video writing on FFmpeg's libraries: the native counterpart of Data-Juicer's PyAV
// writers in utils/mm_utils.py (cut_video_by_seconds, process_each_frame,
// extract_audio_from_video, the "by seconds" frame samplers that cut first), of soundfile.write
// for WAV, and of the ffmpeg-python one-filter pipelines of audio_/video_ffmpeg_wrapped_mapper
// and video_resize_*_mapper (`ffmpeg.input(in).filter(name, **kw).output(out, **out_kw).run()`).
//
// Re-encoding follows what PyAV 10 does when DJ calls `output.add_stream(codec_name, rate)`:
// the encoder is looked up by the *input decoder's* name (h264 -> libx264, hevc -> libx265,
// mpeg4 -> mpeg4), at the input's r_frame_rate (PyAV's base_rate), with PyAV's defaults
// (bit_rate 1024000, tolerance 128000), and decoded frames go to it with their picture type, so
// libx264 keeps the source's I/P/B pattern (PyAV does not clear pict_type). Audio in a cut is a
// stream copy (add_stream(template=...)). Encoded bytes depend on encoder threading, so parity
// with DJ is in frame counts, timestamps and key-frame positions, not in bytes.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <opencv2/core.hpp>

#include "winnow/core/status.h"
#include "winnow/media/av_reader.h"

namespace winnow::media {

struct WriterOptions {
  int threads = 1;  // encoder/decoder threads; 1 keeps the encoded bytes reproducible
};

// np.arange(0, stop, step).tolist() as DJ uses it for split timestamps (start + i * step, length
// ceil(stop / step)).
std::vector<double> NpArange(double stop, double step);

// ------------------------------------------------------------------------------------- cut
// cut_video_by_seconds(input, output, start, end): video frames with
// int(start / tb) <= pts <= end / tb are re-encoded (pts shifted to start at 0); the first audio
// stream's packets in the same window are copied. end = nullopt (or 0, as DJ's `if end_seconds`)
// runs to the end of the stream. The container follows `output`'s extension. Returns whether the
// output exists afterwards, i.e. whether anything was written (PyAV only creates the file at the
// first packet). Equivalent to DJ on its effective behaviour: DJ's early stop (`pict_type in
// {"P", "I"}`) never fires under PyAV 10, so it reads to the end; this stops once every copied
// stream has passed the end, which writes the same packets.
Result<bool> CutVideoBySeconds(const std::string& input, const std::string& output,
                               double start_seconds, std::optional<double> end_seconds = {},
                               const WriterOptions& options = {});

// extract_key_frames_by_seconds / extract_video_frames_uniformly_by_seconds: cut the video into
// [t(i-1), t(i)) segments at t = NpArange(video duration, duration) (the last, partial segment
// is not used, as in DJ), re-encode each to a temporary MP4 and sample it; the frames'
// pts/seconds are relative to their segment.
Result<std::vector<VideoFrame>> ExtractKeyFramesBySeconds(const std::string& input,
                                                          double duration = 1,
                                                          const WriterOptions& options = {});
Result<std::vector<VideoFrame>> ExtractFramesUniformlyBySeconds(const std::string& input,
                                                                int frame_num, double duration = 1,
                                                                const WriterOptions& options = {});

// ------------------------------------------------------------------------- per-frame rewrite
// process_each_frame(input, output, frame_func): every frame of every video stream is decoded,
// handed to `fn` as BGR24 (change it in place; return true when changed) and re-encoded; audio
// streams are declared in the output but, as in DJ, get no packets. Changed frames are encoded
// as new frames (timestamps = running frame count, PyAV's rule for frames without pts);
// unchanged ones keep their own timestamps and picture types. Returns `output` when some frame
// changed, else removes it and returns `input` (DJ returns the input path then).
using FrameFn = std::function<Result<bool>(cv::Mat& bgr, const VideoFrame& info)>;
Result<std::string> ProcessEachFrame(const std::string& input, const std::string& output,
                                     const FrameFn& fn, const WriterOptions& options = {});

// ------------------------------------------------------------------------------------ audio
struct ExtractedAudio {
  // Per selected stream: DJ's `frame.to_ndarray()[0]` concatenated, as float64 — the first
  // channel for planar formats (AAC's fltp), the interleaved samples for packed ones; values are
  // not rescaled (an s16 stream gives -32768..32767).
  std::vector<std::vector<double>> data;
  std::vector<double> sampling_rates;  // float(1 / stream.time_base)
  std::vector<int> stream_indexes;     // valid audio stream indexes (k-th audio stream)
  std::vector<std::string> written;    // output files, "<stem>_<idx>.mp3"
};
// extract_audio_from_video(input, output_audio, start, end, stream_indexes): output_audio empty
// = do not write; otherwise it must end in "mp3" (DJ's rule) and each stream goes to
// <stem>_<idx>.mp3 through libmp3lame with PyAV's add_stream("mp3") defaults (48 kHz, stereo,
// 128 kb/s). stream_indexes empty = every audio stream; indexes past the last are dropped.
Result<ExtractedAudio> ExtractAudioFromVideo(const std::string& input,
                                             const std::string& output_audio = "",
                                             double start_seconds = 0,
                                             std::optional<double> end_seconds = {},
                                             const std::vector<int>& stream_indexes = {});

// soundfile.write(path, data, rate) for WAV: PCM_16, samples scaled by 32767 and rounded to
// nearest (libsndfile's double->short), clipped to [-1, 1] first; `samples` interleaved.
Status WriteWav(const std::string& path, const std::vector<double>& samples, int sample_rate,
                int channels = 1);

// ------------------------------------------------------------------------------- ffmpeg filter
// ffmpeg-python's `ffmpeg.input(in).filter(name, **filter_kwargs).output(out, **output_kwargs)
// .run(overwrite_output=overwrite)`, i.e. the CLI's
//   ffmpeg -i in -filter_complex "[0]name=k=v:...[s0]" -map "[s0]" [output options] out
// The filter reads the first input stream of the type its input pad takes; only the filtered
// stream is written (the `-map` drops the others, so a scaled video loses its audio, as in DJ).
// The encoder is the output format's default (mp4/mov/mkv: libx264 video, aac/vorbis audio;
// wav: pcm_s16le; mp3: libmp3lame; ogg: libvorbis; webm: libvpx-vp9/libopus; avi: mpeg4/mp3)
// unless output_kwargs say otherwise. Output keys understood: f/format, c/codec, c:v/vcodec,
// c:a/acodec, b/b:v/video_bitrate, b:a/audio_bitrate, pix_fmt, r, ar, ac, and any encoder
// AVOption (crf, preset, tune, x264-params, q:v/qscale -> global_quality, ...); an unknown key
// is an error. Values are strings as Python's str() gives them.
using KwArgs = std::vector<std::pair<std::string, std::string>>;
Status ApplyFfmpegFilter(const std::string& input, const std::string& output,
                         const std::string& filter_name, const KwArgs& filter_kwargs = {},
                         const KwArgs& output_kwargs = {}, bool overwrite = true,
                         const WriterOptions& options = {});

// --------------------------------------------------------------------- encoding from pixels
// Writes BGR frames (and optionally float audio) to a new file: used by tests and by ops that
// build videos. Container from the extension; codec empty = the container's default encoder.
struct VideoWriterOptions {
  int width = 0, height = 0;
  Rational fps{24, 1};
  std::string codec;                              // e.g. "libx264", "mpeg4"; empty = default
  std::string pix_fmt;                            // empty = yuv420p (or the encoder's first)
  int gop_size = -1;                              // key frame interval; -1 = encoder default
  int64_t bit_rate = 0;                           // 0 = encoder default
  std::map<std::string, std::string> encoder_options;  // AVOptions, e.g. {"preset","ultrafast"}
  int audio_sample_rate = 0;                      // > 0 adds an audio stream
  int audio_channels = 0;
  std::string audio_codec;                        // empty = the container's default
  int threads = 1;
};

class VideoWriter {
 public:
  static Result<std::unique_ptr<VideoWriter>> Open(const std::string& path,
                                                   const VideoWriterOptions& options);
  ~VideoWriter();
  VideoWriter(const VideoWriter&) = delete;
  VideoWriter& operator=(const VideoWriter&) = delete;
  // Frames are timed 0, 1, 2, ... in units of 1/fps. The Mat is 8UC3 BGR of the stream's size.
  Status WriteFrame(const cv::Mat& bgr);
  // Interleaved samples in [-1, 1], any amount per call.
  Status WriteAudio(const std::vector<double>& interleaved);
  // Flushes the encoders and writes the trailer; the destructor does it too, without a status.
  Status Close();

  struct Impl;

 private:
  explicit VideoWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace winnow::media
