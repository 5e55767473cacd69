// Audio/video reading on FFmpeg's libraries (libavformat/libavcodec/libswscale/libswresample):
// the native counterpart of what Data-Juicer does with PyAV in utils/mm_utils.py and of how
// HF datasets' Audio feature (soundfile) loads audio.
//
// The numbers follow PyAV 10 on the same FFmpeg (Debian 12: libavformat 59, libavcodec 59):
//   - ProbeMedia reads metadata only (avformat_open_input + avformat_find_stream_info, as
//     `av.open` does); width/height come from the codec parameters, which is what PyAV's
//     `stream.codec_context.width` reports before any decode.
//   - Stream duration is `stream.duration * stream.time_base` (DJ's get_video_duration); it is
//     absent for containers that do not store it (e.g. most WebM/MKV), where DJ raises.
//   - Frame timestamps are the decoder's `frame->pts` (PyAV's `frame.pts`).
//   - Decoded pictures are converted to BGR24 with swscale's SWS_BILINEAR, as PyAV's
//     `frame.to_ndarray(format="bgr24")` does.
// Every error is a Status naming the file and FFmpeg's own message (av_strerror); nothing
// throws, and corrupt or truncated input ends in an error, never a crash.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "winnow/core/status.h"

extern "C" {
struct AVFormatContext;
struct AVStream;
struct AVCodecContext;
struct AVFrame;
struct AVPacket;
struct SwsContext;
}

namespace winnow::media {

// ------------------------------------------------------------------ RAII over FFmpeg objects
// Shared with av_writer.cc; each deleter calls the matching FFmpeg free function.
namespace av {
struct InputCloser { void operator()(AVFormatContext* p) const; };    // avformat_close_input
struct CodecFreer { void operator()(AVCodecContext* p) const; };      // avcodec_free_context
struct FrameFreer { void operator()(AVFrame* p) const; };             // av_frame_free
struct PacketFreer { void operator()(AVPacket* p) const; };           // av_packet_free
struct SwsFreer { void operator()(SwsContext* p) const; };            // sws_freeContext
using InputPtr = std::unique_ptr<AVFormatContext, InputCloser>;
using CodecPtr = std::unique_ptr<AVCodecContext, CodecFreer>;
using FramePtr = std::unique_ptr<AVFrame, FrameFreer>;
using PacketPtr = std::unique_ptr<AVPacket, PacketFreer>;
using SwsPtr = std::unique_ptr<SwsContext, SwsFreer>;

// FFmpeg's message for an AVERROR code.
std::string ErrorString(int averror);
// "<path>: <what>: <av_strerror(averror)>".
Status Error(const std::string& path, const std::string& what, int averror);
// Opens `path` for demuxing and reads stream info (as `av.open(path)`), quieting FFmpeg's log.
Result<InputPtr> OpenInput(const std::string& path, bool stream_info = true);
// Opens the decoder of `st` (avcodec_parameters_to_context + avcodec_open2); threads 0 = auto.
Result<CodecPtr> OpenDecoder(const std::string& path, const AVStream* st, int threads);
// Container index of the k-th stream whose codec_type is `media_type` (an AVMediaType), or -1.
int NthStreamIndex(const AVFormatContext* fmt, int media_type, int k);
// Lowers FFmpeg's global log level (AV_LOG_* value); Winnow reports errors through Status, so
// the default set on first use is AV_LOG_FATAL.
void SetLogLevel(int av_log_level);
}  // namespace av

// ---------------------------------------------------------------------------------- metadata
struct Rational {
  int num = 0;
  int den = 1;
  double ToDouble() const { return den == 0 ? 0.0 : static_cast<double>(num) / den; }
  bool operator==(const Rational&) const = default;
};

enum class StreamType { kVideo, kAudio, kSubtitle, kData, kAttachment, kUnknown };
const char* StreamTypeName(StreamType t);  // "video", "audio", ... (PyAV's stream.type)

struct StreamInfo {
  int index = 0;               // index in the container (packet.stream_index)
  StreamType type = StreamType::kUnknown;
  std::string codec;           // decoder name, PyAV's codec_context.name ("h264", "aac", ...)
  Rational time_base;
  bool has_duration = false;   // false where PyAV's stream.duration is None
  int64_t duration_pts = 0;    // in time_base units
  double duration = 0;         // seconds: float(duration * time_base)
  int64_t start_pts = 0;       // AV_NOPTS_VALUE maps to 0
  int64_t nb_frames = 0;       // PyAV's stream.frames (0 when the container does not say)
  int64_t bit_rate = 0;
  // Video.
  int width = 0;               // codec_context.width (video_resolution/aspect_ratio filters)
  int height = 0;
  Rational sample_aspect_ratio;  // 0/1 when unknown
  Rational avg_frame_rate;     // PyAV's stream.average_rate; fps() below
  Rational r_frame_rate;       // PyAV's stream.base_rate (what cut_video_by_seconds encodes at)
  std::string pix_fmt;
  double rotation = 0;         // degrees from the display matrix (0 when none)
  // Audio.
  int sample_rate = 0;
  int channels = 0;
  std::string sample_fmt;

  double fps() const { return avg_frame_rate.ToDouble(); }
  // DJ's video_duration_filter stat: Python's round(Fraction(duration_pts) * time_base), i.e.
  // round-half-to-even on the exact rational. Only meaningful when has_duration.
  int64_t RoundedDuration() const;
};

struct MediaInfo {
  std::string path;
  std::string format;          // container format name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
  bool has_duration = false;
  double duration = 0;         // container duration in seconds (PyAV: container.duration / 1e6)
  int64_t bit_rate = 0;
  std::vector<StreamInfo> streams;

  // PyAV's container.streams.video[k] / .audio[k]: the k-th stream of that type, or nullptr.
  const StreamInfo* Video(int k = 0) const;
  const StreamInfo* Audio(int k = 0) const;
  int NumVideo() const;
  int NumAudio() const;
};

// Metadata only: no frame is decoded beyond what avformat_find_stream_info needs.
// header_only: skip avformat_find_stream_info (which decodes the first frames) when the
// container header already gives every video stream's size and duration (MP4, MKV, WebM...);
// rates and codec details may then be less complete. The metadata filters use this.
Result<MediaInfo> ProbeMedia(const std::string& path, bool header_only = false);

// DJ's get_video_duration(path): video stream 0's duration * time_base. Errors when there is
// no video stream or the stream does not record a duration.
Result<double> GetVideoDuration(const std::string& path);

// ------------------------------------------------------------------------------------- audio
struct AudioData {
  int sample_rate = 0;
  int channels = 0;                 // 1 when decoded with mono = true
  std::vector<double> samples;      // interleaved (frames * channels)
  int64_t frames() const { return channels ? static_cast<int64_t>(samples.size()) / channels : 0; }
  // librosa.get_duration(y, sr) = frames / sr (audio_duration_filter's stat).
  double duration() const { return sample_rate ? static_cast<double>(frames()) / sample_rate : 0; }
};

// HF datasets' Audio(sampling_rate=None | target_rate, mono) decode (soundfile.read -> float64):
// integer PCM is scaled exactly as libsndfile does (s16 / 32768.0, s32 / 2^31, (u8 - 128) / 128),
// float formats pass through, and mono is the per-frame channel mean (librosa.to_mono). Decodes
// the first audio stream, so it also reads the audio of a video file. target_rate > 0 resamples
// with libswresample (HF uses librosa/soxr there: close, not bit-identical).
Result<AudioData> DecodeAudio(const std::string& path, int target_rate = 0, bool mono = true);

// ------------------------------------------------------------------------------------- video
struct VideoFrame {
  cv::Mat bgr;                  // 8UC3 BGR24, empty when the decode asked for no image
  int64_t pts = 0;              // frame->pts in the stream's time_base
  double seconds = 0;           // float(pts * time_base)
  bool key_frame = false;
  char pict_type = '?';         // 'I', 'P', 'B', ... (av_get_picture_type_char)
};

struct VideoDecoderOptions {
  int video_index = 0;          // the k-th video stream (streams.video[k])
  int threads = 1;              // decoder threads; 0 = FFmpeg's automatic choice
  // The YUV -> BGR conversion: PyAV's reformat (bilinear, the default) or OpenCV's VideoCapture
  // (bicubic), for ops that read frames the way DJ's OpenCV-based ops do.
  bool opencv_conversion = false;
};

// Iterates the decoded frames of one video stream, in presentation order, as
// `container.decode(stream)` does; Seek* then continue from the new position.
class VideoDecoder {
 public:
  static Result<std::unique_ptr<VideoDecoder>> Open(const std::string& path,
                                                    VideoDecoderOptions options = {});
  ~VideoDecoder();
  VideoDecoder(const VideoDecoder&) = delete;
  VideoDecoder& operator=(const VideoDecoder&) = delete;

  // Next frame into *out; returns false at the end of the stream. With want_image = false
  // only the timestamps are filled (no colour conversion); LastImage() converts it later.
  Result<bool> Next(VideoFrame* out, bool want_image = true);
  // The most recently decoded frame as BGR24 (empty before the first frame).
  Result<cv::Mat> LastImage();

  // PyAV's container.seek(offset_us, backward, any_frame) with the default stream: the demuxer
  // jumps to the key frame at or before the time (with backward), the decoder is flushed.
  Status SeekMicros(int64_t offset_us, bool backward = true, bool any_frame = false);
  // Decode only key frames (codec_context.skip_frame = "NONKEY") or everything again.
  void SetKeyFramesOnly(bool on);

  const StreamInfo& stream() const { return stream_; }
  const std::string& path() const { return path_; }
  // For av_writer: the last decoded frame as FFmpeg holds it (owned by the decoder; valid until
  // the next Next/Seek), and the stream's decoder (its name picks the re-encoder, as in DJ).
  const AVFrame* LastFrame() const { return has_last_ ? last_.get() : nullptr; }
  const AVCodecContext* codec_context() const { return codec_.get(); }

 private:
  VideoDecoder() = default;
  Status ConvertTo(const AVFrame* f, cv::Mat* out);

  std::string path_;
  StreamInfo stream_;
  av::InputPtr fmt_;
  av::CodecPtr codec_;
  av::PacketPtr pkt_;
  av::FramePtr frame_;
  av::FramePtr last_;
  bool has_last_ = false;
  av::SwsPtr sws_;
  int sws_flags_ = 0;
  bool draining_ = false;
  bool eof_ = false;
};

// ------------------------------------------------------- Data-Juicer's frame-sampling helpers
// extract_key_frames: every key frame (skip_frame NONKEY from the start); when there is none,
// the first frame.
Result<std::vector<VideoFrame>> ExtractKeyFrames(const std::string& path);
// get_key_frame_seconds: sorted float(pts * time_base) of the key frames.
Result<std::vector<double>> GetKeyFrameSeconds(const std::string& path);
// extract_video_frames_uniformly(frame_num): 1 -> the frame at duration/2; otherwise frame_num
// targets i * duration / (frame_num - 1), each answered by the first frame whose pts reaches it
// (searching from the key frame that opens the target's group), plus DJ's "append the last frame
// when a group runs out" rule. frame_num is capped at the stream's nb_frames, as DJ does.
Result<std::vector<VideoFrame>> ExtractFramesUniformly(const std::string& path, int frame_num);
// The by-seconds variants (which cut and re-encode segments) live in av_writer.h.

// video_deduplicator's hash: md5 over the bytes of every packet of every video stream, in
// demux order, over all `paths` in order (one digest per sample). Lower-case hex.
Result<std::string> Md5OfVideoPackets(const std::vector<std::string>& paths);
inline Result<std::string> Md5OfVideoPackets(const std::string& path) {
  return Md5OfVideoPackets(std::vector<std::string>{path});
}

}  // namespace winnow::media
