#include "winnow/media/av_reader.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <mutex>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libavutil/md5.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}
#include "winnow/media/av_api.h"  // FFmpeg calls go through the lazily loaded table

namespace winnow::media {

// ----------------------------------------------------------------------------- av:: helpers
namespace av {

void InputCloser::operator()(AVFormatContext* p) const { avformat_close_input(&p); }
void CodecFreer::operator()(AVCodecContext* p) const { avcodec_free_context(&p); }
void FrameFreer::operator()(AVFrame* p) const { av_frame_free(&p); }
void PacketFreer::operator()(AVPacket* p) const { av_packet_free(&p); }
void SwsFreer::operator()(SwsContext* p) const { sws_freeContext(p); }

std::string ErrorString(int averror) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {0};
  av_strerror(averror, buf, sizeof(buf));
  return buf;
}

Status Error(const std::string& path, const std::string& what, int averror) {
  return Status::Error(path + ": " + what + ": " + ErrorString(averror));
}

void SetLogLevel(int av_log_level) { av_log_set_level(av_log_level); }

namespace {
// FFmpeg logs every recoverable decode hiccup to stderr; Winnow reports through Status, so the
// library is quiet unless someone asks otherwise (once, before the first open).
void QuietOnce() {
  static std::once_flag once;
  std::call_once(once, [] { av_log_set_level(AV_LOG_FATAL); });
}
}  // namespace

Result<InputPtr> OpenInput(const std::string& path, bool stream_info) {
  QuietOnce();
  // avformat_open_input on a directory gives a confusing "Is a directory"-less error; check.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Status::Error(path + ": cannot open media: is a directory");
  }
  AVFormatContext* raw = nullptr;
  int r = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);
  if (r < 0) return Error(path, "cannot open media", r);
  InputPtr fmt(raw);
  if (!stream_info) return fmt;
  r = avformat_find_stream_info(fmt.get(), nullptr);
  if (r < 0) return Error(path, "cannot read stream info", r);
  return fmt;
}

// Index in the container of the k-th stream of `type`, or -1.
int NthStreamIndex(const AVFormatContext* fmt, int type, int k) {
  for (unsigned i = 0; i < fmt->nb_streams; ++i) {
    if (fmt->streams[i]->codecpar->codec_type == type && k-- == 0) return static_cast<int>(i);
  }
  return -1;
}

Result<CodecPtr> OpenDecoder(const std::string& path, const AVStream* st, int threads) {
  const AVCodec* dec = avcodec_find_decoder(st->codecpar->codec_id);
  if (!dec) {
    return Status::Error(path + ": no decoder for codec '" +
                         avcodec_get_name(st->codecpar->codec_id) + "'");
  }
  CodecPtr ctx(avcodec_alloc_context3(dec));
  if (!ctx) return Status::Error(path + ": out of memory allocating a decoder");
  int r = avcodec_parameters_to_context(ctx.get(), st->codecpar);
  if (r < 0) return Error(path, "bad codec parameters", r);
  ctx->pkt_timebase = st->time_base;
  ctx->thread_count = threads;
  if (threads != 1) ctx->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
  r = avcodec_open2(ctx.get(), dec, nullptr);
  if (r < 0) return Error(path, std::string("cannot open decoder ") + dec->name, r);
  return ctx;
}

}  // namespace av

// ------------------------------------------------------------------------------- metadata
const char* StreamTypeName(StreamType t) {
  switch (t) {
    case StreamType::kVideo: return "video";
    case StreamType::kAudio: return "audio";
    case StreamType::kSubtitle: return "subtitle";
    case StreamType::kData: return "data";
    case StreamType::kAttachment: return "attachment";
    default: return "unknown";
  }
}

int64_t StreamInfo::RoundedDuration() const {
  // Exact rational duration_pts * num / den, rounded half to even like Python's round(Fraction).
  __int128 a = static_cast<__int128>(duration_pts) * time_base.num;
  __int128 b = time_base.den;
  if (b == 0) return 0;
  if (b < 0) a = -a, b = -b;
  __int128 q = a / b, r = a % b;
  if (r < 0) q -= 1, r += b;  // floor division
  if (2 * r > b || (2 * r == b && (q % 2 != 0))) q += 1;
  return static_cast<int64_t>(q);
}

namespace {

Rational R(AVRational q) { return Rational{q.num, q.den}; }

// float(Fraction(ticks) * time_base) as Python computes it: one correctly rounded division,
// which a single IEEE division of two exactly representable doubles is.
double TicksToSeconds(int64_t ticks, int num, int den) {
  if (den == 0) return 0;
  __int128 n = static_cast<__int128>(ticks) * num;
  if (n > (__int128(1) << 53) || n < -(__int128(1) << 53)) {
    return static_cast<double>(static_cast<long double>(n) / den);
  }
  return static_cast<double>(static_cast<int64_t>(n)) / den;
}

StreamType TypeOf(AVMediaType t) {
  switch (t) {
    case AVMEDIA_TYPE_VIDEO: return StreamType::kVideo;
    case AVMEDIA_TYPE_AUDIO: return StreamType::kAudio;
    case AVMEDIA_TYPE_SUBTITLE: return StreamType::kSubtitle;
    case AVMEDIA_TYPE_DATA: return StreamType::kData;
    case AVMEDIA_TYPE_ATTACHMENT: return StreamType::kAttachment;
    default: return StreamType::kUnknown;
  }
}

StreamInfo Describe(const AVStream* st) {
  const AVCodecParameters* par = st->codecpar;
  StreamInfo s;
  s.index = st->index;
  s.type = TypeOf(par->codec_type);
  const AVCodec* dec = avcodec_find_decoder(par->codec_id);
  s.codec = dec ? dec->name : avcodec_get_name(par->codec_id);
  s.time_base = R(st->time_base);
  s.has_duration = st->duration != AV_NOPTS_VALUE;
  if (s.has_duration) {
    s.duration_pts = st->duration;
    s.duration = TicksToSeconds(st->duration, st->time_base.num, st->time_base.den);
  }
  s.start_pts = st->start_time == AV_NOPTS_VALUE ? 0 : st->start_time;
  s.nb_frames = st->nb_frames;
  s.bit_rate = par->bit_rate;
  if (par->codec_type == AVMEDIA_TYPE_VIDEO) {
    s.width = par->width;
    s.height = par->height;
    s.sample_aspect_ratio = R(par->sample_aspect_ratio);
    s.avg_frame_rate = R(st->avg_frame_rate);
    s.r_frame_rate = R(st->r_frame_rate);
    const char* pf = av_get_pix_fmt_name(static_cast<AVPixelFormat>(par->format));
    s.pix_fmt = pf ? pf : "";
    size_t size = 0;
    const uint8_t* m = av_stream_get_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, &size);
    if (m && size >= 9 * sizeof(int32_t)) {
      double deg = av_display_rotation_get(reinterpret_cast<const int32_t*>(m));
      if (!std::isnan(deg)) s.rotation = deg;
    }
  } else if (par->codec_type == AVMEDIA_TYPE_AUDIO) {
    s.sample_rate = par->sample_rate;
    s.channels = par->ch_layout.nb_channels;
    const char* sf = av_get_sample_fmt_name(static_cast<AVSampleFormat>(par->format));
    s.sample_fmt = sf ? sf : "";
  }
  return s;
}

const StreamInfo* NthOfType(const std::vector<StreamInfo>& v, StreamType t, int k) {
  for (const auto& s : v) {
    if (s.type == t && k-- == 0) return &s;
  }
  return nullptr;
}

}  // namespace

const StreamInfo* MediaInfo::Video(int k) const { return NthOfType(streams, StreamType::kVideo, k); }
const StreamInfo* MediaInfo::Audio(int k) const { return NthOfType(streams, StreamType::kAudio, k); }
int MediaInfo::NumVideo() const {
  return static_cast<int>(std::count_if(streams.begin(), streams.end(),
                                        [](const auto& s) { return s.type == StreamType::kVideo; }));
}
int MediaInfo::NumAudio() const {
  return static_cast<int>(std::count_if(streams.begin(), streams.end(),
                                        [](const auto& s) { return s.type == StreamType::kAudio; }));
}

Result<MediaInfo> ProbeMedia(const std::string& path, bool header_only) {
  auto fmt = av::OpenInput(path, !header_only);
  if (!fmt.ok()) return fmt.status();
  if (header_only) {
    // The container header (e.g. MP4's moov) usually has every field the metadata filters read;
    // only when a video stream lacks its size or duration do we pay for find_stream_info's
    // decode of the first frames.
    bool complete = true;
    for (unsigned i = 0; i < (*fmt)->nb_streams; ++i) {
      const AVStream* st = (*fmt)->streams[i];
      if (st->codecpar->codec_type == AVMEDIA_TYPE_VIDEO &&
          (st->codecpar->width <= 0 || st->codecpar->height <= 0 || st->duration == AV_NOPTS_VALUE))
        complete = false;
    }
    if (!complete) {
      int r = avformat_find_stream_info(fmt->get(), nullptr);
      if (r < 0) return av::Error(path, "cannot read stream info", r);
    }
  }
  const AVFormatContext* f = fmt->get();
  MediaInfo info;
  info.path = path;
  info.format = f->iformat && f->iformat->name ? f->iformat->name : "";
  info.has_duration = f->duration != AV_NOPTS_VALUE;
  if (info.has_duration) info.duration = static_cast<double>(f->duration) / AV_TIME_BASE;
  info.bit_rate = f->bit_rate;
  for (unsigned i = 0; i < f->nb_streams; ++i) info.streams.push_back(Describe(f->streams[i]));
  return info;
}

Result<double> GetVideoDuration(const std::string& path) {
  auto info = ProbeMedia(path);
  if (!info.ok()) return info.status();
  const StreamInfo* v = info->Video(0);
  if (!v) return Status::Error(path + ": no video stream");
  if (!v->has_duration) return Status::Error(path + ": video stream has no duration");
  return v->duration;
}

// ------------------------------------------------------------------------------------- audio
namespace {

// Appends the frame's samples, interleaved, as float64 scaled the way libsndfile scales
// integer PCM to double (which is what soundfile.read returns).
Status AppendSamples(const std::string& path, const AVFrame* f, int channels,
                     std::vector<double>* out) {
  const auto fmt = static_cast<AVSampleFormat>(f->format);
  const bool planar = av_sample_fmt_is_planar(fmt);
  const int n = f->nb_samples;
  const size_t base = out->size();
  out->resize(base + static_cast<size_t>(n) * channels);
  double* dst = out->data() + base;
  auto get = [&](int ch, int i) -> const uint8_t* {
    int bps = av_get_bytes_per_sample(fmt);
    return planar ? f->extended_data[ch] + static_cast<size_t>(i) * bps
                  : f->extended_data[0] + (static_cast<size_t>(i) * channels + ch) * bps;
  };
  for (int i = 0; i < n; ++i) {
    for (int ch = 0; ch < channels; ++ch) {
      const uint8_t* p = get(ch, i);
      double v;
      switch (av_get_packed_sample_fmt(fmt)) {
        case AV_SAMPLE_FMT_U8: v = (static_cast<int>(*p) - 128) / 128.0; break;
        case AV_SAMPLE_FMT_S16: v = *reinterpret_cast<const int16_t*>(p) / 32768.0; break;
        case AV_SAMPLE_FMT_S32: v = *reinterpret_cast<const int32_t*>(p) / 2147483648.0; break;
        case AV_SAMPLE_FMT_S64:
          v = static_cast<double>(*reinterpret_cast<const int64_t*>(p)) / 9223372036854775808.0;
          break;
        case AV_SAMPLE_FMT_FLT: v = *reinterpret_cast<const float*>(p); break;
        case AV_SAMPLE_FMT_DBL: v = *reinterpret_cast<const double*>(p); break;
        default:
          return Status::Error(path + ": unsupported sample format " +
                               (av_get_sample_fmt_name(fmt) ? av_get_sample_fmt_name(fmt) : "?"));
      }
      dst[static_cast<size_t>(i) * channels + ch] = v;
    }
  }
  return Status::Ok();
}

Result<std::vector<double>> Resample(const std::string& path, const std::vector<double>& in,
                                     int channels, int from, int to) {
  SwrContext* swr = nullptr;
  AVChannelLayout layout;
  av_channel_layout_default(&layout, channels);
  int r = swr_alloc_set_opts2(&swr, &layout, AV_SAMPLE_FMT_DBL, to, &layout, AV_SAMPLE_FMT_DBL,
                              from, 0, nullptr);
  std::unique_ptr<SwrContext, void (*)(SwrContext*)> guard(swr, [](SwrContext* s) { swr_free(&s); });
  if (r < 0 || !swr) return av::Error(path, "cannot set up resampler", r < 0 ? r : AVERROR(ENOMEM));
  if ((r = swr_init(swr)) < 0) return av::Error(path, "cannot set up resampler", r);
  const int64_t in_frames = static_cast<int64_t>(in.size()) / channels;
  const int64_t cap = av_rescale_rnd(in_frames, to, from, AV_ROUND_UP) + 256;
  std::vector<double> out(static_cast<size_t>(cap) * channels);
  const uint8_t* src = reinterpret_cast<const uint8_t*>(in.data());
  uint8_t* dst = reinterpret_cast<uint8_t*>(out.data());
  int got = swr_convert(swr, &dst, static_cast<int>(cap), &src, static_cast<int>(in_frames));
  if (got < 0) return av::Error(path, "resampling", got);
  int64_t total = got;
  // Drain what the filter still holds.
  while (total < cap) {
    uint8_t* d = reinterpret_cast<uint8_t*>(out.data() + total * channels);
    int more = swr_convert(swr, &d, static_cast<int>(cap - total), nullptr, 0);
    if (more < 0) return av::Error(path, "resampling", more);
    if (more == 0) break;
    total += more;
  }
  out.resize(static_cast<size_t>(total) * channels);
  return out;
}

}  // namespace

Result<AudioData> DecodeAudio(const std::string& path, int target_rate, bool mono) {
  auto fmt = av::OpenInput(path);
  if (!fmt.ok()) return fmt.status();
  AVFormatContext* f = fmt->get();
  const int idx = av::NthStreamIndex(f, AVMEDIA_TYPE_AUDIO, 0);
  if (idx < 0) return Status::Error(path + ": no audio stream");
  auto ctx = av::OpenDecoder(path, f->streams[idx], 1);
  if (!ctx.ok()) return ctx.status();
  AVCodecContext* c = ctx->get();

  AudioData out;
  out.sample_rate = c->sample_rate;
  out.channels = c->ch_layout.nb_channels;
  if (out.channels <= 0 || out.sample_rate <= 0) {
    return Status::Error(path + ": audio stream has no channels or sample rate");
  }
  av::PacketPtr pkt(av_packet_alloc());
  av::FramePtr frame(av_frame_alloc());
  bool draining = false;
  for (;;) {
    int r = avcodec_receive_frame(c, frame.get());
    if (r == 0) {
      if (frame->ch_layout.nb_channels != out.channels) {
        return Status::Error(path + ": channel count changes mid-stream");
      }
      WINNOW_RETURN_IF_ERROR(AppendSamples(path, frame.get(), out.channels, &out.samples));
      continue;
    }
    if (r == AVERROR_EOF) break;
    if (r != AVERROR(EAGAIN)) return av::Error(path, "decoding audio", r);
    if (draining) break;
    for (;;) {
      r = av_read_frame(f, pkt.get());
      if (r == AVERROR_EOF) {
        avcodec_send_packet(c, nullptr);
        draining = true;
        break;
      }
      if (r < 0) return av::Error(path, "reading audio packet", r);
      if (pkt->stream_index != idx) {
        av_packet_unref(pkt.get());
        continue;
      }
      r = avcodec_send_packet(c, pkt.get());
      av_packet_unref(pkt.get());
      if (r < 0 && r != AVERROR(EAGAIN)) return av::Error(path, "decoding audio", r);
      break;
    }
  }

  if (mono && out.channels > 1) {
    // librosa.to_mono = np.mean(y, axis=0): sum the channels in order, then divide.
    const size_t n = out.samples.size() / out.channels;
    std::vector<double> m(n);
    for (size_t i = 0; i < n; ++i) {
      double s = 0;
      for (int ch = 0; ch < out.channels; ++ch) s += out.samples[i * out.channels + ch];
      m[i] = s / out.channels;
    }
    out.samples = std::move(m);
    out.channels = 1;
  }
  if (target_rate > 0 && target_rate != out.sample_rate && !out.samples.empty()) {
    auto rs = Resample(path, out.samples, out.channels, out.sample_rate, target_rate);
    if (!rs.ok()) return rs.status();
    out.samples = std::move(*rs);
    out.sample_rate = target_rate;
  }
  return out;
}

// ------------------------------------------------------------------------------------- video
VideoDecoder::~VideoDecoder() = default;

Result<std::unique_ptr<VideoDecoder>> VideoDecoder::Open(const std::string& path,
                                                         VideoDecoderOptions options) {
  auto fmt = av::OpenInput(path);
  if (!fmt.ok()) return fmt.status();
  const int idx = av::NthStreamIndex(fmt->get(), AVMEDIA_TYPE_VIDEO, options.video_index);
  if (idx < 0) {
    return Status::Error(path + ": no video stream" +
                         (options.video_index ? " #" + std::to_string(options.video_index) : ""));
  }
  const AVStream* st = (*fmt)->streams[idx];
  auto codec = av::OpenDecoder(path, st, options.threads);
  if (!codec.ok()) return codec.status();
  std::unique_ptr<VideoDecoder> d(new VideoDecoder());
  d->path_ = path;
  d->sws_flags_ = options.opencv_conversion ? SWS_BICUBIC : SWS_BILINEAR;
  d->stream_ = Describe(st);
  d->fmt_ = std::move(*fmt);
  d->codec_ = std::move(*codec);
  d->pkt_.reset(av_packet_alloc());
  d->frame_.reset(av_frame_alloc());
  d->last_.reset(av_frame_alloc());
  if (!d->pkt_ || !d->frame_ || !d->last_) return Status::Error(path + ": out of memory");
  return d;
}

Result<bool> VideoDecoder::Next(VideoFrame* out, bool want_image) {
  AVCodecContext* c = codec_.get();
  for (;;) {
    if (eof_) return false;
    int r = avcodec_receive_frame(c, frame_.get());
    if (r == 0) {
      av_frame_unref(last_.get());
      av_frame_move_ref(last_.get(), frame_.get());
      has_last_ = true;
      const AVFrame* f = last_.get();
      out->pts = f->pts != AV_NOPTS_VALUE ? f->pts : f->best_effort_timestamp;
      out->seconds = TicksToSeconds(out->pts, stream_.time_base.num, stream_.time_base.den);
      out->key_frame = f->key_frame != 0;
      out->pict_type = av_get_picture_type_char(f->pict_type);
      out->bgr.release();
      if (want_image) WINNOW_RETURN_IF_ERROR(ConvertTo(f, &out->bgr));
      return true;
    }
    if (r == AVERROR_EOF) {
      eof_ = true;
      return false;
    }
    if (r != AVERROR(EAGAIN)) return av::Error(path_, "decoding video", r);
    if (draining_) {  // a drained decoder that asks for input has nothing left
      eof_ = true;
      return false;
    }
    for (;;) {  // feed one packet of our stream
      r = av_read_frame(fmt_.get(), pkt_.get());
      if (r == AVERROR_EOF) {
        avcodec_send_packet(c, nullptr);
        draining_ = true;
        break;
      }
      if (r < 0) return av::Error(path_, "reading video packet", r);
      if (pkt_->stream_index != stream_.index) {
        av_packet_unref(pkt_.get());
        continue;
      }
      r = avcodec_send_packet(c, pkt_.get());
      av_packet_unref(pkt_.get());
      if (r < 0 && r != AVERROR(EAGAIN)) return av::Error(path_, "decoding video", r);
      break;
    }
  }
}

Result<cv::Mat> VideoDecoder::LastImage() {
  cv::Mat m;
  if (!has_last_) return m;
  WINNOW_RETURN_IF_ERROR(ConvertTo(last_.get(), &m));
  return m;
}

Status VideoDecoder::ConvertTo(const AVFrame* f, cv::Mat* out) {
  if (f->width <= 0 || f->height <= 0) return Status::Error(path_ + ": decoded frame has no size");
  // SWS_BILINEAR: the interpolation PyAV's VideoFrame.reformat uses by default (SWS_BICUBIC for
  // OpenCV's VideoCapture, see VideoDecoderOptions).
  SwsContext* s = sws_getCachedContext(sws_.release(), f->width, f->height,
                                       static_cast<AVPixelFormat>(f->format), f->width, f->height,
                                       AV_PIX_FMT_BGR24, sws_flags_, nullptr, nullptr, nullptr);
  sws_.reset(s);
  if (!s) return Status::Error(path_ + ": cannot convert pixel format to bgr24");
  // swscale's packed-RGB writers may run a few SIMD lanes past the end of a row when the width
  // is odd (e.g. 362 px); rows are written top to bottom, so spare rows below the image absorb
  // the overrun of the last one. The returned Mat is the continuous top part.
  cv::Mat buf(f->height + 2, f->width, CV_8UC3);
  *out = buf.rowRange(0, f->height);
  uint8_t* dst[4] = {out->data, nullptr, nullptr, nullptr};
  int stride[4] = {static_cast<int>(out->step[0]), 0, 0, 0};
  sws_scale(s, f->data, f->linesize, 0, f->height, dst, stride);
  return Status::Ok();
}

Status VideoDecoder::SeekMicros(int64_t offset_us, bool backward, bool any_frame) {
  int flags = (backward ? AVSEEK_FLAG_BACKWARD : 0) | (any_frame ? AVSEEK_FLAG_ANY : 0);
  int r = av_seek_frame(fmt_.get(), -1, offset_us, flags);
  if (r < 0) return av::Error(path_, "seek to " + std::to_string(offset_us) + " us", r);
  avcodec_flush_buffers(codec_.get());
  draining_ = false;
  eof_ = false;
  return Status::Ok();
}

void VideoDecoder::SetKeyFramesOnly(bool on) {
  codec_->skip_frame = on ? AVDISCARD_NONKEY : AVDISCARD_DEFAULT;
}

// ------------------------------------------------------------------ frame-sampling helpers
Result<std::vector<VideoFrame>> ExtractKeyFrames(const std::string& path) {
  auto dec = VideoDecoder::Open(path);
  if (!dec.ok()) return dec.status();
  VideoDecoder& d = **dec;
  std::vector<VideoFrame> frames;
  d.SetKeyFramesOnly(true);
  WINNOW_RETURN_IF_ERROR(d.SeekMicros(0));
  for (;;) {
    VideoFrame f;
    auto more = d.Next(&f);
    if (!more.ok()) return more.status();
    if (!*more) break;
    frames.push_back(std::move(f));
  }
  d.SetKeyFramesOnly(false);
  if (frames.empty()) {  // DJ: "No keyframes in this video", return the first frame instead
    WINNOW_RETURN_IF_ERROR(d.SeekMicros(0));
    VideoFrame f;
    auto more = d.Next(&f);
    if (!more.ok()) return more.status();
    if (*more) frames.push_back(std::move(f));
  }
  return frames;
}

Result<std::vector<double>> GetKeyFrameSeconds(const std::string& path) {
  auto dec = VideoDecoder::Open(path);
  if (!dec.ok()) return dec.status();
  VideoDecoder& d = **dec;
  std::vector<double> ts;
  d.SetKeyFramesOnly(true);
  WINNOW_RETURN_IF_ERROR(d.SeekMicros(0));
  VideoFrame f;
  for (;;) {
    auto more = d.Next(&f, /*want_image=*/false);
    if (!more.ok()) return more.status();
    if (!*more) break;
    ts.push_back(f.seconds);
  }
  if (ts.empty()) {
    d.SetKeyFramesOnly(false);
    WINNOW_RETURN_IF_ERROR(d.SeekMicros(0));
    auto more = d.Next(&f, false);
    if (!more.ok()) return more.status();
    if (*more) ts.push_back(f.seconds);
  }
  std::sort(ts.begin(), ts.end());
  return ts;
}

namespace {

// An exact non-negative rational number of seconds (DJ's extract_seconds are Fractions).
struct Frac {
  __int128 num = 0;
  __int128 den = 1;
};

// Sign of (a - d), exactly, as Python compares a Fraction with a float.
int CompareFracDouble(const Frac& a, double d) {
  if (d == 0) return a.num > 0 ? 1 : (a.num < 0 ? -1 : 0);
  int e = 0;
  double m = std::frexp(d, &e);                    // d = m * 2^e, 0.5 <= |m| < 1
  auto m53 = static_cast<int64_t>(std::ldexp(m, 53));  // exact
  int e2 = e - 53;                                 // d = m53 * 2^e2
  if (e2 < -90 || e2 > 30) {                       // far outside what video timestamps need
    long double x = static_cast<long double>(a.num) / static_cast<long double>(a.den);
    return x < d ? -1 : (x > d ? 1 : 0);
  }
  __int128 lhs = a.num, rhs = a.den * m53;
  if (e2 < 0) lhs <<= -e2; else rhs <<= e2;
  return lhs < rhs ? -1 : (lhs > rhs ? 1 : 0);
}

// frame.pts >= second / time_base, exactly.
bool PtsReaches(int64_t pts, const Frac& second, Rational tb) {
  return static_cast<__int128>(pts) * second.den * tb.num >= second.num * tb.den;
}

}  // namespace

Result<std::vector<VideoFrame>> ExtractFramesUniformly(const std::string& path, int frame_num) {
  auto kfs_or = GetKeyFrameSeconds(path);
  if (!kfs_or.ok()) return kfs_or.status();
  auto dec = VideoDecoder::Open(path);
  if (!dec.ok()) return dec.status();
  VideoDecoder& d = **dec;
  const StreamInfo& st = d.stream();
  if (!st.has_duration) return Status::Error(path + ": video stream has no duration");
  if (st.time_base.num <= 0 || st.time_base.den <= 0) {
    return Status::Error(path + ": video stream has no time base");
  }
  if (st.nb_frames < frame_num) frame_num = static_cast<int>(std::max<int64_t>(st.nb_frames, 0));

  // extract_seconds as exact rationals: duration_pts * tb * i / (n - 1), or duration / 2.
  std::vector<Frac> targets;
  const __int128 dur = static_cast<__int128>(st.duration_pts) * st.time_base.num;
  if (frame_num == 1) {
    targets.push_back({dur, static_cast<__int128>(st.time_base.den) * 2});
  } else {
    for (int i = 0; i < frame_num; ++i) {
      targets.push_back({dur * i, static_cast<__int128>(st.time_base.den) * (frame_num - 1)});
    }
  }

  std::vector<double> kfs = *kfs_or;
  if (std::find(kfs.begin(), kfs.end(), 0.0) == kfs.end()) kfs.insert(kfs.begin(), 0.0);

  // Group the targets by the key frame interval they fall in (DJ's loop, step for step).
  std::vector<std::vector<Frac>> groups;
  if (kfs.size() == 1) {
    groups.push_back(targets);
  } else {
    size_t idx = 0, gid = 0;
    std::vector<Frac> cur;
    double upper = kfs[1];
    while (idx < targets.size()) {
      if (CompareFracDouble(targets[idx], upper) < 0) {
        cur.push_back(targets[idx++]);
      } else {
        groups.push_back(std::move(cur));
        cur.clear();
        if (++gid >= kfs.size() - 1) break;
        upper = kfs[gid + 1];
      }
    }
    if (!cur.empty()) groups.push_back(std::move(cur));
    if (idx < targets.size()) groups.emplace_back(targets.begin() + idx, targets.end());
  }

  std::vector<VideoFrame> out;
  bool decoded_any = false;  // Python's loop variable `frame` exists once anything decoded
  VideoFrame last;
  for (size_t g = 0; g < groups.size(); ++g) {
    const auto& group = groups[g];
    if (group.empty()) continue;
    const double kf = kfs[g];
    // int(key_frame_second * 1e6), truncated as Python's int() does.
    WINNOW_RETURN_IF_ERROR(d.SeekMicros(kf == 0.0 ? 0 : static_cast<int64_t>(kf * 1e6)));
    size_t si = 0;
    bool find_all = false;
    for (;;) {
      auto more = d.Next(&last, /*want_image=*/false);
      if (!more.ok()) return more.status();
      if (!*more) break;
      decoded_any = true;
      if (PtsReaches(last.pts, group[si], st.time_base)) {
        auto img = d.LastImage();
        if (!img.ok()) return img.status();
        VideoFrame f = last;
        f.bgr = std::move(*img);
        out.push_back(std::move(f));
        if (++si >= group.size()) {
          find_all = true;
          break;
        }
      }
    }
    if (!find_all && decoded_any) {  // "add the last frame"
      auto img = d.LastImage();
      if (!img.ok()) return img.status();
      VideoFrame f = last;
      f.bgr = std::move(*img);
      out.push_back(std::move(f));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------- hashing
Result<std::string> Md5OfVideoPackets(const std::vector<std::string>& paths) {
  std::unique_ptr<AVMD5, void (*)(void*)> md5(av_md5_alloc(), av_free);
  if (!md5) return Status::Error("out of memory allocating md5");
  av_md5_init(md5.get());
  av::PacketPtr pkt(av_packet_alloc());
  for (const auto& path : paths) {
    auto fmt = av::OpenInput(path);
    if (!fmt.ok()) return fmt.status();
    AVFormatContext* f = fmt->get();
    for (;;) {
      int r = av_read_frame(f, pkt.get());
      if (r == AVERROR_EOF) break;
      if (r < 0) return av::Error(path, "reading packet", r);
      if (f->streams[pkt->stream_index]->codecpar->codec_type == AVMEDIA_TYPE_VIDEO && pkt->size > 0) {
        av_md5_update(md5.get(), pkt->data, static_cast<size_t>(pkt->size));
      }
      av_packet_unref(pkt.get());
    }
  }
  uint8_t digest[16];
  av_md5_final(md5.get(), digest);
  static const char* kHex = "0123456789abcdef";
  std::string hex;
  for (uint8_t b : digest) {
    hex.push_back(kHex[b >> 4]);
    hex.push_back(kHex[b & 15]);
  }
  return hex;
}

}  // namespace winnow::media
