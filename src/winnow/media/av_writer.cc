#include "winnow/media/av_writer.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

#include <unistd.h>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavformat/avformat.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}
#include "winnow/media/av_api.h"  // FFmpeg calls go through the lazily loaded table

namespace winnow::media {
namespace {

namespace fs = std::filesystem;
using av::Error;

// ------------------------------------------------------------------------- output container
// An output file that is created at the first packet (PyAV opens it in start_encoding(), so a
// cut that writes nothing leaves no file) or explicitly with Start().
class OutFile {
 public:
  static Result<std::unique_ptr<OutFile>> Create(const std::string& path, const char* format) {
    std::unique_ptr<OutFile> o(new OutFile());
    o->path_ = path;
    int r = avformat_alloc_output_context2(&o->ctx_, nullptr, format, path.c_str());
    if (r < 0 || !o->ctx_) {
      return Error(path, "cannot choose an output format", r < 0 ? r : AVERROR(EINVAL));
    }
    return o;
  }
  ~OutFile() {
    if (!ctx_) return;
    if (ctx_->pb && !(ctx_->oformat->flags & AVFMT_NOFILE)) avio_closep(&ctx_->pb);
    avformat_free_context(ctx_);
  }
  AVFormatContext* ctx() { return ctx_; }
  bool started() const { return started_; }
  bool wants_global_header() const { return ctx_->oformat->flags & AVFMT_GLOBALHEADER; }

  Result<AVStream*> AddStream() {
    AVStream* st = avformat_new_stream(ctx_, nullptr);
    if (!st) return Status::Error(path_ + ": cannot add an output stream");
    return st;
  }
  Status Start() {
    if (started_) return Status::Ok();
    if (!(ctx_->oformat->flags & AVFMT_NOFILE)) {
      int r = avio_open(&ctx_->pb, path_.c_str(), AVIO_FLAG_WRITE);
      if (r < 0) return Error(path_, "cannot create output", r);
    }
    started_ = true;
    int r = avformat_write_header(ctx_, nullptr);
    if (r < 0) return Error(path_, "cannot write header", r);
    return Status::Ok();
  }
  // Muxes `pkt` (stream_index set), whose timestamps are in `src_tb`.
  Status Mux(AVPacket* pkt, AVRational src_tb) {
    WINNOW_RETURN_IF_ERROR(Start());
    av_packet_rescale_ts(pkt, src_tb, ctx_->streams[pkt->stream_index]->time_base);
    int r = av_interleaved_write_frame(ctx_, pkt);
    if (r < 0) return Error(path_, "writing packet", r);
    return Status::Ok();
  }
  Status Finish() {
    if (!started_ || finished_) return Status::Ok();
    finished_ = true;
    int r = av_write_trailer(ctx_);
    if (r < 0) return Error(path_, "writing trailer", r);
    if (ctx_->pb && !(ctx_->oformat->flags & AVFMT_NOFILE)) {
      r = avio_closep(&ctx_->pb);
      if (r < 0) return Error(path_, "closing output", r);
    }
    return Status::Ok();
  }

 private:
  OutFile() = default;
  std::string path_;
  AVFormatContext* ctx_ = nullptr;
  bool started_ = false;
  bool finished_ = false;
};

// Sends `f` (nullptr = flush) to the encoder and muxes every packet it gives back.
Status Encode(const std::string& path, AVCodecContext* enc, const AVFrame* f, int stream_index,
              OutFile* out, AVPacket* pkt) {
  int r = avcodec_send_frame(enc, f);
  if (r < 0 && !(f == nullptr && r == AVERROR_EOF)) return Error(path, "encoding", r);
  for (;;) {
    r = avcodec_receive_packet(enc, pkt);
    if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) return Status::Ok();
    if (r < 0) return Error(path, "encoding", r);
    pkt->stream_index = stream_index;
    WINNOW_RETURN_IF_ERROR(out->Mux(pkt, enc->time_base));
  }
}

// PyAV's add_stream(codec_name): an encoder of that name, else the default encoder of the codec
// with that name ("h264" -> libx264, "mp3" -> libmp3lame).
const AVCodec* FindEncoderLikePyAv(const std::string& name) {
  if (const AVCodec* c = avcodec_find_encoder_by_name(name.c_str())) return c;
  if (const AVCodecDescriptor* d = avcodec_descriptor_get_by_name(name.c_str())) {
    return avcodec_find_encoder(d->id);
  }
  return nullptr;
}

AVPixelFormat SupportedPixFmt(const AVCodec* enc, AVPixelFormat want) {
  if (!enc->pix_fmts) return want;
  for (const AVPixelFormat* p = enc->pix_fmts; *p != AV_PIX_FMT_NONE; ++p) {
    if (*p == want) return want;
  }
  return avcodec_find_best_pix_fmt_of_list(enc->pix_fmts, want, 0, nullptr);
}

// A video encoder set up as PyAV's add_stream(codec, rate) + width/height/pix_fmt does.
Result<av::CodecPtr> OpenPyAvVideoEncoder(const std::string& path, const AVCodec* enc, int width,
                                          int height, AVPixelFormat pix_fmt, AVRational rate,
                                          bool global_header, int threads) {
  av::CodecPtr c(avcodec_alloc_context3(enc));
  if (!c) return Status::Error(path + ": out of memory allocating an encoder");
  if (rate.num <= 0 || rate.den <= 0) rate = AVRational{24, 1};  // PyAV: Fraction(rate or 24)
  c->width = width;
  c->height = height;
  c->pix_fmt = SupportedPixFmt(enc, pix_fmt);
  c->framerate = rate;
  c->time_base = av_inv_q(rate);
  c->bit_rate = 1024000;  // PyAV 10's add_stream defaults
  c->bit_rate_tolerance = 128000;
  c->thread_count = threads;
  if (global_header) c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  int r = avcodec_open2(c.get(), enc, nullptr);
  if (r < 0) return Error(path, std::string("cannot open encoder ") + enc->name, r);
  return c;
}

Result<AVStream*> AddEncodedStream(const std::string& path, OutFile* out, AVCodecContext* enc) {
  auto st = out->AddStream();
  if (!st.ok()) return st;
  int r = avcodec_parameters_from_context((*st)->codecpar, enc);
  if (r < 0) return Error(path, "encoder parameters", r);
  (*st)->time_base = enc->time_base;
  // PyAV's add_stream(rate=...) also sets the stream's avg_frame_rate; the muxer derives the
  // duration of packets that have none from it, which is how the last frame of an MP4 keeps
  // its duration (without it the edit list drops that frame).
  if (enc->codec_type == AVMEDIA_TYPE_VIDEO && enc->framerate.num > 0) {
    (*st)->avg_frame_rate = enc->framerate;
  }
  return st;
}

// A frame in the encoder's pixel format and size: `src` itself when it already is, else a
// swscale (SWS_BILINEAR, PyAV's reformat default) conversion into *tmp.
Result<AVFrame*> Conform(const std::string& path, AVFrame* src, const AVCodecContext* enc,
                         av::SwsPtr* sws, av::FramePtr* tmp) {
  if (src->format == enc->pix_fmt && src->width == enc->width && src->height == enc->height) {
    return src;
  }
  SwsContext* s = sws_getCachedContext(sws->release(), src->width, src->height,
                                       static_cast<AVPixelFormat>(src->format), enc->width,
                                       enc->height, enc->pix_fmt, SWS_BILINEAR, nullptr, nullptr,
                                       nullptr);
  sws->reset(s);
  if (!s) return Status::Error(path + ": cannot convert frame to the encoder's format");
  tmp->reset(av_frame_alloc());
  AVFrame* t = tmp->get();
  t->format = enc->pix_fmt;
  t->width = enc->width;
  t->height = enc->height;
  int r = av_frame_get_buffer(t, 0);
  if (r < 0) return Error(path, "frame buffer", r);
  sws_scale(s, src->data, src->linesize, 0, src->height, t->data, t->linesize);
  t->pts = src->pts;
  t->pict_type = src->pict_type;
  return t;
}

// A BGR24 Mat as an AVFrame in the encoder's format (PyAV's VideoFrame.from_ndarray + reformat).
Result<av::FramePtr> FrameFromBgr(const std::string& path, const cv::Mat& bgr,
                                  const AVCodecContext* enc, av::SwsPtr* sws) {
  if (bgr.empty() || bgr.type() != CV_8UC3) {
    return Status::Error(path + ": frame must be a non-empty 8UC3 BGR image");
  }
  // swscale may read a little past a packed row's end; give it a padded copy.
  cv::Mat padded(bgr.rows + 2, bgr.cols, CV_8UC3);
  bgr.copyTo(padded.rowRange(0, bgr.rows));
  SwsContext* s = sws_getCachedContext(sws->release(), bgr.cols, bgr.rows, AV_PIX_FMT_BGR24,
                                       enc->width, enc->height, enc->pix_fmt, SWS_BILINEAR,
                                       nullptr, nullptr, nullptr);
  sws->reset(s);
  if (!s) return Status::Error(path + ": cannot convert bgr24 to the encoder's format");
  av::FramePtr f(av_frame_alloc());
  f->format = enc->pix_fmt;
  f->width = enc->width;
  f->height = enc->height;
  int r = av_frame_get_buffer(f.get(), 0);
  if (r < 0) return Error(path, "frame buffer", r);
  const uint8_t* src[4] = {padded.data, nullptr, nullptr, nullptr};
  int stride[4] = {static_cast<int>(padded.step[0]), 0, 0, 0};
  sws_scale(s, src, stride, 0, bgr.rows, f->data, f->linesize);
  return f;
}

// ------------------------------------------------------------------------ audio to encoder
// Resamples whatever comes in to the encoder's format/rate/layout and feeds it in frame_size
// chunks (what PyAV's AudioResampler does before an audio encode).
class AudioPipe {
 public:
  ~AudioPipe() {
    swr_free(&swr_);
    if (fifo_) av_audio_fifo_free(fifo_);
  }
  Status Init(const std::string& path, AVCodecContext* enc, int stream_index,
              const AVChannelLayout* in_layout, AVSampleFormat in_fmt, int in_rate) {
    path_ = path;
    enc_ = enc;
    stream_index_ = stream_index;
    int r = swr_alloc_set_opts2(&swr_, &enc->ch_layout, enc->sample_fmt, enc->sample_rate,
                                const_cast<AVChannelLayout*>(in_layout), in_fmt, in_rate, 0,
                                nullptr);  // FFmpeg 5.1 takes non-const layouts
    if (r < 0 || !swr_) return Error(path, "cannot set up resampler", r < 0 ? r : AVERROR(ENOMEM));
    if ((r = swr_init(swr_)) < 0) return Error(path, "cannot set up resampler", r);
    fifo_ = av_audio_fifo_alloc(enc->sample_fmt, enc->ch_layout.nb_channels, 4096);
    if (!fifo_) return Status::Error(path + ": out of memory");
    chunk_ = enc->frame_size > 0 ? enc->frame_size : 1024;
    return Status::Ok();
  }
  // nb = 0 with data = nullptr drains the resampler and flushes the encoder.
  Status Push(const uint8_t* const* data, int nb, OutFile* out, AVPacket* pkt) {
    const bool final = data == nullptr;
    int cap = swr_get_out_samples(swr_, nb) + 32;
    uint8_t** buf = nullptr;
    int r = av_samples_alloc_array_and_samples(&buf, nullptr, enc_->ch_layout.nb_channels, cap,
                                               enc_->sample_fmt, 0);
    if (r < 0) return Error(path_, "sample buffer", r);
    int got = swr_convert(swr_, buf, cap, const_cast<const uint8_t**>(data), nb);
    if (got > 0) av_audio_fifo_write(fifo_, reinterpret_cast<void**>(buf), got);
    av_freep(&buf[0]);
    av_freep(&buf);
    if (got < 0) return Error(path_, "resampling", got);
    while (av_audio_fifo_size(fifo_) >= chunk_ || (final && av_audio_fifo_size(fifo_) > 0)) {
      WINNOW_RETURN_IF_ERROR(EncodeChunk(std::min(chunk_, av_audio_fifo_size(fifo_)), out, pkt));
    }
    if (final) return Encode(path_, enc_, nullptr, stream_index_, out, pkt);
    return Status::Ok();
  }

 private:
  Status EncodeChunk(int n, OutFile* out, AVPacket* pkt) {
    av::FramePtr f(av_frame_alloc());
    f->nb_samples = n;
    f->format = enc_->sample_fmt;
    f->sample_rate = enc_->sample_rate;
    av_channel_layout_copy(&f->ch_layout, &enc_->ch_layout);
    int r = av_frame_get_buffer(f.get(), 0);
    if (r < 0) return Error(path_, "frame buffer", r);
    av_audio_fifo_read(fifo_, reinterpret_cast<void**>(f->data), n);
    f->pts = av_rescale_q(next_, AVRational{1, enc_->sample_rate}, enc_->time_base);
    next_ += n;
    return Encode(path_, enc_, f.get(), stream_index_, out, pkt);
  }
  std::string path_;
  AVCodecContext* enc_ = nullptr;
  int stream_index_ = 0;
  SwrContext* swr_ = nullptr;
  AVAudioFifo* fifo_ = nullptr;
  int chunk_ = 1024;
  int64_t next_ = 0;
};

std::string TempMp4Path() {
  static std::atomic<uint64_t> counter{0};
  return (fs::temp_directory_path() / ("winnow_cut_" + std::to_string(getpid()) + "_" +
                                       std::to_string(counter++) + ".mp4"))
      .string();
}

// Python's float(Fraction) of a time base: num / den, one correctly rounded division.
double Q2d(AVRational q) { return static_cast<double>(q.num) / q.den; }

}  // namespace

std::vector<double> NpArange(double stop, double step) {
  std::vector<double> out;
  if (!(step > 0) || !(stop > 0)) return out;
  const auto n = static_cast<int64_t>(std::ceil(stop / step));
  for (int64_t i = 0; i < n; ++i) out.push_back(static_cast<double>(i) * step);
  return out;
}

// ------------------------------------------------------------------------------------- cut
Result<bool> CutVideoBySeconds(const std::string& input, const std::string& output,
                               double start_seconds, std::optional<double> end_seconds,
                               const WriterOptions& options) {
  auto in_or = av::OpenInput(input);
  if (!in_or.ok()) return in_or.status();
  AVFormatContext* in = in_or->get();
  const int vidx = av::NthStreamIndex(in, AVMEDIA_TYPE_VIDEO, 0);
  if (vidx < 0) return Status::Error(input + ": no video stream");
  const int aidx = av::NthStreamIndex(in, AVMEDIA_TYPE_AUDIO, 0);
  AVStream* vst = in->streams[vidx];
  AVStream* ast = aidx >= 0 ? in->streams[aidx] : nullptr;
  auto dec_or = av::OpenDecoder(input, vst, options.threads);
  if (!dec_or.ok()) return dec_or.status();
  AVCodecContext* dec = dec_or->get();

  auto out_or = OutFile::Create(output, nullptr);
  if (!out_or.ok()) return out_or.status();
  OutFile* out = out_or->get();
  const AVCodec* enc_codec = FindEncoderLikePyAv(dec->codec->name);
  if (!enc_codec) return Status::Error(output + ": no encoder for " + dec->codec->name);
  auto enc_or = OpenPyAvVideoEncoder(output, enc_codec, vst->codecpar->width,
                                     vst->codecpar->height,
                                     static_cast<AVPixelFormat>(vst->codecpar->format),
                                     vst->r_frame_rate, out->wants_global_header(),
                                     options.threads);
  if (!enc_or.ok()) return enc_or.status();
  AVCodecContext* enc = enc_or->get();
  auto ovst = AddEncodedStream(output, out, enc);
  if (!ovst.ok()) return ovst.status();
  if (ast) {  // add_stream(template=input_audio_stream): a stream copy
    auto oast = out->AddStream();
    if (!oast.ok()) return oast.status();
    int r = avcodec_parameters_copy((*oast)->codecpar, ast->codecpar);
    if (r < 0) return Error(output, "audio stream parameters", r);
    (*oast)->codecpar->codec_tag = 0;
    (*oast)->time_base = ast->time_base;
  }

  // container.seek(int(start_seconds * 1000000), backward=True)
  int r = av_seek_frame(in, -1, static_cast<int64_t>(start_seconds * 1000000), AVSEEK_FLAG_BACKWARD);
  if (r < 0) return Error(input, "seek", r);

  constexpr double kInf = std::numeric_limits<double>::infinity();
  const bool has_end = end_seconds.has_value() && *end_seconds != 0;  // DJ: `if end_seconds`
  const int64_t v_start = static_cast<int64_t>(start_seconds / Q2d(vst->time_base));
  const double v_end = has_end ? *end_seconds / Q2d(vst->time_base)
                               : (vst->duration != AV_NOPTS_VALUE ? vst->duration : kInf);
  int64_t a_start = 0;
  double a_end = kInf;
  if (ast) {
    a_start = static_cast<int64_t>(start_seconds / Q2d(ast->time_base));
    a_end = has_end ? *end_seconds / Q2d(ast->time_base)
                    : (ast->duration != AV_NOPTS_VALUE ? ast->duration : kInf);
  }

  av::PacketPtr pkt(av_packet_alloc()), opkt(av_packet_alloc());
  av::FramePtr frame(av_frame_alloc()), tmp;
  av::SwsPtr sws;
  bool video_done = false, audio_done = ast == nullptr;
  auto drain_decoder = [&]() -> Status {
    for (;;) {
      int rr = avcodec_receive_frame(dec, frame.get());
      if (rr == AVERROR(EAGAIN) || rr == AVERROR_EOF) return Status::Ok();
      if (rr < 0) return Error(input, "decoding video", rr);
      int64_t pts = frame->pts != AV_NOPTS_VALUE ? frame->pts : frame->best_effort_timestamp;
      if (pts < v_start) continue;
      if (pts > v_end) {  // frames come in presentation order: nothing later is kept
        video_done = true;
        continue;
      }
      frame->pts = av_rescale_q(pts - v_start, vst->time_base, enc->time_base);
      auto f = Conform(output, frame.get(), enc, &sws, &tmp);
      if (!f.ok()) return f.status();
      WINNOW_RETURN_IF_ERROR(Encode(output, enc, *f, 0, out, opkt.get()));
      av_frame_unref(frame.get());
    }
  };
  while (!(video_done && audio_done)) {
    r = av_read_frame(in, pkt.get());
    if (r == AVERROR_EOF) break;
    if (r < 0) return Error(input, "reading packet", r);
    if (pkt->stream_index == vidx) {
      r = avcodec_send_packet(dec, pkt.get());
      av_packet_unref(pkt.get());
      if (r < 0 && r != AVERROR(EAGAIN)) return Error(input, "decoding video", r);
      WINNOW_RETURN_IF_ERROR(drain_decoder());
    } else if (ast && pkt->stream_index == aidx) {
      if (pkt->pts == AV_NOPTS_VALUE || pkt->dts == AV_NOPTS_VALUE || pkt->pts < a_start ||
          pkt->pts > a_end) {
        if (pkt->pts != AV_NOPTS_VALUE && pkt->pts > a_end) audio_done = true;
        av_packet_unref(pkt.get());
        continue;
      }
      pkt->pts -= a_start;
      pkt->dts -= a_start;
      pkt->stream_index = 1;
      pkt->pos = -1;
      WINNOW_RETURN_IF_ERROR(out->Mux(pkt.get(), ast->time_base));
    } else {
      av_packet_unref(pkt.get());
    }
  }
  if (!video_done) {
    avcodec_send_packet(dec, nullptr);
    WINNOW_RETURN_IF_ERROR(drain_decoder());
  }
  WINNOW_RETURN_IF_ERROR(Encode(output, enc, nullptr, 0, out, opkt.get()));
  WINNOW_RETURN_IF_ERROR(out->Finish());
  std::error_code ec;
  return fs::exists(output, ec);
}

namespace {
template <typename Sampler>
Result<std::vector<VideoFrame>> BySeconds(const std::string& input, double duration,
                                          const WriterOptions& options, Sampler sample) {
  auto dur = GetVideoDuration(input);
  if (!dur.ok()) return dur.status();
  const std::vector<double> ts = NpArange(*dur, duration);
  std::vector<VideoFrame> all;
  for (size_t i = 1; i < ts.size(); ++i) {
    const std::string tmp = TempMp4Path();
    auto cut = CutVideoBySeconds(input, tmp, ts[i - 1], ts[i], options);
    if (!cut.ok()) {
      std::error_code ec;
      fs::remove(tmp, ec);
      return cut.status();
    }
    if (*cut) {
      auto frames = sample(tmp);
      std::error_code ec;
      fs::remove(tmp, ec);
      if (!frames.ok()) return frames.status().WithContext(input + " [" + std::to_string(ts[i - 1]) + "s segment]");
      for (auto& f : *frames) all.push_back(std::move(f));
    }
  }
  return all;
}
}  // namespace

Result<std::vector<VideoFrame>> ExtractKeyFramesBySeconds(const std::string& input,
                                                          double duration,
                                                          const WriterOptions& options) {
  return BySeconds(input, duration, options,
                   [](const std::string& p) { return ExtractKeyFrames(p); });
}

Result<std::vector<VideoFrame>> ExtractFramesUniformlyBySeconds(const std::string& input,
                                                                int frame_num, double duration,
                                                                const WriterOptions& options) {
  return BySeconds(input, duration, options, [frame_num](const std::string& p) {
    return ExtractFramesUniformly(p, frame_num);
  });
}

// ------------------------------------------------------------------------- per-frame rewrite
Result<std::string> ProcessEachFrame(const std::string& input, const std::string& output,
                                     const FrameFn& fn, const WriterOptions& options) {
  auto in_or = av::OpenInput(input);
  if (!in_or.ok()) return in_or.status();
  AVFormatContext* in = in_or->get();
  auto out_or = OutFile::Create(output, nullptr);
  if (!out_or.ok()) return out_or.status();
  OutFile* out = out_or->get();

  // DJ declares every audio stream (add_stream(template=...)) but muxes only video packets.
  for (unsigned i = 0; i < in->nb_streams; ++i) {
    const AVStream* ist = in->streams[i];
    if (ist->codecpar->codec_type != AVMEDIA_TYPE_AUDIO) continue;
    auto st = out->AddStream();
    if (!st.ok()) return st.status();
    int r = avcodec_parameters_copy((*st)->codecpar, ist->codecpar);
    if (r < 0) return Error(output, "audio stream parameters", r);
    (*st)->codecpar->codec_tag = 0;
    (*st)->time_base = ist->time_base;
  }
  // One decoder + encoder per video stream, all declared before the header is written.
  struct Lane {
    std::unique_ptr<VideoDecoder> dec;
    av::CodecPtr enc;
    int out_index = 0;
  };
  std::vector<Lane> lanes;
  for (int k = 0;; ++k) {
    const int idx = av::NthStreamIndex(in, AVMEDIA_TYPE_VIDEO, k);
    if (idx < 0) break;
    auto dec = VideoDecoder::Open(input, {k, options.threads});
    if (!dec.ok()) return dec.status();
    const AVStream* vst = in->streams[idx];
    const char* dec_name = (*dec)->codec_context()->codec->name;
    const AVCodec* enc_codec = FindEncoderLikePyAv(dec_name);
    if (!enc_codec) return Status::Error(output + ": no encoder for " + dec_name);
    auto enc = OpenPyAvVideoEncoder(output, enc_codec, vst->codecpar->width, vst->codecpar->height,
                                    static_cast<AVPixelFormat>(vst->codecpar->format),
                                    vst->r_frame_rate, out->wants_global_header(), options.threads);
    if (!enc.ok()) return enc.status();
    auto ost = AddEncodedStream(output, out, enc->get());
    if (!ost.ok()) return ost.status();
    lanes.push_back({std::move(*dec), std::move(*enc), (*ost)->index});
  }
  if (lanes.empty()) return Status::Error(input + ": no video stream");

  bool modified = false;
  av::PacketPtr pkt(av_packet_alloc());
  av::SwsPtr sws, sws2;
  for (Lane& lane : lanes) {
    VideoDecoder& dec = *lane.dec;
    AVCodecContext* enc = lane.enc.get();
    WINNOW_RETURN_IF_ERROR(dec.SeekMicros(0, /*backward=*/false, /*any_frame=*/true));
    int64_t encoded = 0;  // PyAV's encoded_frame_count: the pts of frames that have none
    for (;;) {
      VideoFrame vf;
      auto more = dec.Next(&vf, /*want_image=*/true);
      if (!more.ok()) return more.status();
      if (!*more) break;
      auto changed = fn(vf.bgr, vf);
      if (!changed.ok()) return changed.status();
      if (*changed) {
        modified = true;
        auto f = FrameFromBgr(output, vf.bgr, enc, &sws);
        if (!f.ok()) return f.status();
        (*f)->pts = encoded;
        WINNOW_RETURN_IF_ERROR(Encode(output, enc, f->get(), lane.out_index, out, pkt.get()));
      } else {
        av::FramePtr f(av_frame_clone(dec.LastFrame()));
        if (!f) return Status::Error(output + ": out of memory");
        f->pts = av_rescale_q(vf.pts, AVRational{dec.stream().time_base.num, dec.stream().time_base.den},
                              enc->time_base);
        av::FramePtr tmp;
        auto c = Conform(output, f.get(), enc, &sws2, &tmp);
        if (!c.ok()) return c.status();
        WINNOW_RETURN_IF_ERROR(Encode(output, enc, *c, lane.out_index, out, pkt.get()));
      }
      ++encoded;
    }
    WINNOW_RETURN_IF_ERROR(Encode(output, enc, nullptr, lane.out_index, out, pkt.get()));
  }
  WINNOW_RETURN_IF_ERROR(out->Finish());
  if (!modified) {
    std::error_code ec;
    fs::remove(output, ec);
    return input;
  }
  return output;
}

// ------------------------------------------------------------------------------------ audio
Result<ExtractedAudio> ExtractAudioFromVideo(const std::string& input,
                                             const std::string& output_audio, double start_seconds,
                                             std::optional<double> end_seconds,
                                             const std::vector<int>& stream_indexes) {
  if (!output_audio.empty() &&
      (output_audio.size() < 3 || output_audio.compare(output_audio.size() - 3, 3, "mp3") != 0)) {
    return Status::Error(output_audio + ": only mp3 output is supported (as in Data-Juicer)");
  }
  auto info = ProbeMedia(input);
  if (!info.ok()) return info.status();
  const int num_audio = info->NumAudio();
  ExtractedAudio res;
  if (stream_indexes.empty()) {
    for (int i = 0; i < num_audio; ++i) res.stream_indexes.push_back(i);
  } else {
    for (int i : stream_indexes) {
      if (i >= 0 && i < num_audio) res.stream_indexes.push_back(i);
    }
  }
  for (int k : res.stream_indexes) {
    auto in_or = av::OpenInput(input);
    if (!in_or.ok()) return in_or.status();
    AVFormatContext* in = in_or->get();
    const int idx = av::NthStreamIndex(in, AVMEDIA_TYPE_AUDIO, k);
    AVStream* ast = in->streams[idx];
    auto dec_or = av::OpenDecoder(input, ast, 1);
    if (!dec_or.ok()) return dec_or.status();
    AVCodecContext* dec = dec_or->get();
    res.sampling_rates.push_back(1.0 / Q2d(ast->time_base));

    std::unique_ptr<OutFile> out;
    av::CodecPtr enc;
    AudioPipe pipe;
    std::string out_path;
    if (!output_audio.empty()) {
      const auto dot = output_audio.rfind('.');
      out_path = output_audio.substr(0, dot) + "_" + std::to_string(k) + output_audio.substr(dot);
      auto o = OutFile::Create(out_path, nullptr);
      if (!o.ok()) return o.status();
      out = std::move(*o);
      const AVCodec* mp3 = FindEncoderLikePyAv("mp3");
      if (!mp3) return Status::Error(out_path + ": no mp3 encoder in this FFmpeg");
      enc.reset(avcodec_alloc_context3(mp3));
      // PyAV 10's add_stream defaults for audio.
      enc->sample_fmt = mp3->sample_fmts ? mp3->sample_fmts[0] : AV_SAMPLE_FMT_S16P;
      enc->sample_rate = 48000;
      AVChannelLayout stereo = AV_CHANNEL_LAYOUT_STEREO;
      av_channel_layout_copy(&enc->ch_layout, &stereo);
      enc->bit_rate = 128000;
      enc->time_base = AVRational{1, 48000};
      if (out->wants_global_header()) enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
      int r = avcodec_open2(enc.get(), mp3, nullptr);
      if (r < 0) return Error(out_path, "cannot open mp3 encoder", r);
      auto st = AddEncodedStream(out_path, out.get(), enc.get());
      if (!st.ok()) return st.status();
      WINNOW_RETURN_IF_ERROR(pipe.Init(out_path, enc.get(), (*st)->index, &dec->ch_layout,
                                       dec->sample_fmt, dec->sample_rate));
    }

    const int64_t start_pts = static_cast<int64_t>(start_seconds / Q2d(ast->time_base));
    const bool has_end = end_seconds.has_value() && *end_seconds != 0;
    const double end_pts = has_end ? *end_seconds / Q2d(ast->time_base) : 0;
    std::vector<double> data;
    av::PacketPtr pkt(av_packet_alloc()), opkt(av_packet_alloc());
    av::FramePtr frame(av_frame_alloc());
    bool stop = false, draining = false;
    while (!stop) {
      int r = avcodec_receive_frame(dec, frame.get());
      if (r == 0) {
        if (frame->pts == AV_NOPTS_VALUE || frame->pkt_dts == AV_NOPTS_VALUE) continue;
        if (frame->pts < start_pts) continue;
        if (has_end && frame->pts > end_pts) break;
        // to_ndarray()[0]: plane 0 — one channel when planar, all interleaved when packed.
        const auto fmt = static_cast<AVSampleFormat>(frame->format);
        const int n = frame->nb_samples * (av_sample_fmt_is_planar(fmt) ? 1 : frame->ch_layout.nb_channels);
        const uint8_t* p = frame->extended_data[0];
        for (int i = 0; i < n; ++i) {
          switch (av_get_packed_sample_fmt(fmt)) {
            case AV_SAMPLE_FMT_U8: data.push_back(p[i]); break;
            case AV_SAMPLE_FMT_S16: data.push_back(reinterpret_cast<const int16_t*>(p)[i]); break;
            case AV_SAMPLE_FMT_S32: data.push_back(reinterpret_cast<const int32_t*>(p)[i]); break;
            case AV_SAMPLE_FMT_FLT: data.push_back(reinterpret_cast<const float*>(p)[i]); break;
            case AV_SAMPLE_FMT_DBL: data.push_back(reinterpret_cast<const double*>(p)[i]); break;
            default:
              data.push_back(static_cast<double>(reinterpret_cast<const int64_t*>(p)[i]));
          }
        }
        if (out) {
          WINNOW_RETURN_IF_ERROR(pipe.Push(frame->extended_data, frame->nb_samples, out.get(), opkt.get()));
        }
        continue;
      }
      if (r == AVERROR_EOF) break;
      if (r != AVERROR(EAGAIN)) return Error(input, "decoding audio", r);
      if (draining) break;
      for (;;) {
        r = av_read_frame(in, pkt.get());
        if (r == AVERROR_EOF) {
          avcodec_send_packet(dec, nullptr);
          draining = true;
          break;
        }
        if (r < 0) return Error(input, "reading audio packet", r);
        if (pkt->stream_index != idx) {
          av_packet_unref(pkt.get());
          continue;
        }
        r = avcodec_send_packet(dec, pkt.get());
        av_packet_unref(pkt.get());
        if (r < 0 && r != AVERROR(EAGAIN)) return Error(input, "decoding audio", r);
        break;
      }
    }
    if (out) {
      WINNOW_RETURN_IF_ERROR(pipe.Push(nullptr, 0, out.get(), opkt.get()));
      WINNOW_RETURN_IF_ERROR(out->Start());
      WINNOW_RETURN_IF_ERROR(out->Finish());
      res.written.push_back(out_path);
    }
    res.data.push_back(std::move(data));
  }
  return res;
}

Status WriteWav(const std::string& path, const std::vector<double>& samples, int sample_rate,
                int channels) {
  if (channels <= 0 || sample_rate <= 0 || samples.size() % channels != 0) {
    return Status::Error(path + ": bad wav parameters (channels/sample rate/sample count)");
  }
  const uint64_t data_bytes = samples.size() * 2;
  if (data_bytes > 0xFFFFFFFFull - 36) return Status::Error(path + ": too large for a wav file");
  std::string b;
  b.reserve(44 + data_bytes);
  auto u32 = [&](uint32_t v) { for (int i = 0; i < 4; ++i) b.push_back(static_cast<char>(v >> (8 * i))); };
  auto u16 = [&](uint16_t v) { b.push_back(static_cast<char>(v)); b.push_back(static_cast<char>(v >> 8)); };
  b += "RIFF";
  u32(static_cast<uint32_t>(36 + data_bytes));
  b += "WAVEfmt ";
  u32(16);
  u16(1);  // PCM
  u16(static_cast<uint16_t>(channels));
  u32(static_cast<uint32_t>(sample_rate));
  u32(static_cast<uint32_t>(sample_rate * channels * 2));
  u16(static_cast<uint16_t>(channels * 2));
  u16(16);
  b += "data";
  u32(static_cast<uint32_t>(data_bytes));
  for (double x : samples) {
    double c = std::isnan(x) ? 0.0 : std::clamp(x, -1.0, 1.0);
    u16(static_cast<uint16_t>(static_cast<int16_t>(std::lrint(c * 32767.0))));
  }
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) return Status::Error(path + ": cannot create wav file: " + std::strerror(errno));
  f.write(b.data(), static_cast<std::streamsize>(b.size()));
  if (!f.good()) return Status::Error(path + ": write failed");
  return Status::Ok();
}

}  // namespace winnow::media

// ------------------------------------------------------------------------------- ffmpeg filter
namespace winnow::media {
namespace {

struct GraphFreer {
  void operator()(AVFilterGraph* g) const { avfilter_graph_free(&g); }
};

// The output options of one ffmpeg CLI run, sorted into what they configure.
struct OutputOpts {
  std::string format, encoder, pix_fmt, rate, sample_rate, channels;
  AVDictionary* codec_opts = nullptr;  // handed to avcodec_open2; leftovers are unknown options
  std::optional<double> qscale;
  ~OutputOpts() { av_dict_free(&codec_opts); }
};

Status ParseOutputOpts(const std::string& out, const KwArgs& kw, AVMediaType type,
                       OutputOpts* o) {
  const bool video = type == AVMEDIA_TYPE_VIDEO;
  for (const auto& [key0, value] : kw) {
    std::string key = key0;
    // A trailing stream specifier (":v", ":a", ":0") aims the option at one stream type; the
    // output has only the filtered stream, so options for the other type are ignored as the
    // CLI ignores them.
    if (auto c = key.find(':'); c != std::string::npos) {
      const std::string spec = key.substr(c + 1);
      key = key.substr(0, c);
      if ((spec == "v" && !video) || (spec == "a" && video)) continue;
    }
    if (key == "video_bitrate" || key == "audio_bitrate") {
      if ((key == "video_bitrate") != video) continue;
      key = "b";
    }
    if (key == "vcodec" || key == "acodec") {
      if ((key == "vcodec") != video) continue;
      key = "c";
    }
    if (key == "f" || key == "format") o->format = value;
    else if (key == "c" || key == "codec") o->encoder = value;
    else if (key == "pix_fmt") o->pix_fmt = value;
    else if (key == "r") o->rate = value;
    else if (key == "ar") o->sample_rate = value;
    else if (key == "ac") o->channels = value;
    else if (key == "q" || key == "qscale") o->qscale = std::atof(value.c_str());
    else if (key == "y" || key == "an" || key == "vn" || key == "sn" || key == "dn" ||
             key == "nostdin" || key == "hide_banner" || key == "loglevel" || key == "v") {
      continue;  // global or stream-selection flags with nothing left to select
    } else {
      av_dict_set(&o->codec_opts, key.c_str(), value.c_str(), 0);
    }
  }
  if (o->encoder == "copy") {
    return Status::Error(out + ": stream copy cannot be combined with a filter");
  }
  return Status::Ok();
}

template <typename T, typename Fn>
std::string JoinList(const T* list, T end, Fn name) {
  std::string s;
  for (const T* p = list; p && *p != end; ++p) {
    const char* n = name(*p);
    if (!n) continue;
    if (!s.empty()) s += '|';
    s += n;
  }
  return s;
}

Result<AVFilterContext*> AddFilter(const std::string& path, AVFilterGraph* g, const char* filter,
                                   const char* label, const std::string& args) {
  const AVFilter* f = avfilter_get_by_name(filter);
  if (!f) return Status::Error(path + ": no such filter '" + filter + "'");
  AVFilterContext* ctx = nullptr;
  int r = avfilter_graph_create_filter(&ctx, f, label, args.empty() ? nullptr : args.c_str(),
                                       nullptr, g);
  if (r < 0) return Error(path, std::string("filter ") + filter + "=" + args, r);
  return ctx;
}

Status ApplyFilterImpl(const std::string& input, const std::string& output,
                       const std::string& filter_name, const KwArgs& filter_kwargs,
                       const KwArgs& output_kwargs, const WriterOptions& options) {
  const AVFilter* user = avfilter_get_by_name(filter_name.c_str());
  if (!user) return Status::Error(output + ": no such ffmpeg filter '" + filter_name + "'");
  if (avfilter_filter_pad_count(user, 0) < 1 || avfilter_filter_pad_count(user, 1) < 1) {
    return Status::Error(output + ": filter '" + filter_name + "' needs an input and an output pad");
  }
  const AVMediaType in_type = avfilter_pad_get_type(user->inputs, 0);
  const AVMediaType out_type = avfilter_pad_get_type(user->outputs, 0);
  if ((in_type != AVMEDIA_TYPE_VIDEO && in_type != AVMEDIA_TYPE_AUDIO) ||
      (out_type != AVMEDIA_TYPE_VIDEO && out_type != AVMEDIA_TYPE_AUDIO)) {
    return Status::Error(output + ": filter '" + filter_name + "' is not an audio/video filter");
  }
  const bool vin = in_type == AVMEDIA_TYPE_VIDEO, vout = out_type == AVMEDIA_TYPE_VIDEO;

  auto in_or = av::OpenInput(input);
  if (!in_or.ok()) return in_or.status();
  AVFormatContext* in = in_or->get();
  const int idx = av::NthStreamIndex(in, in_type, 0);  // "[0]" = the first stream of that type
  if (idx < 0) {
    return Status::Error(input + ": no " + std::string(vin ? "video" : "audio") +
                         " stream for filter '" + filter_name + "'");
  }
  AVStream* ist = in->streams[idx];
  auto dec_or = av::OpenDecoder(input, ist, options.threads);
  if (!dec_or.ok()) return dec_or.status();
  AVCodecContext* dec = dec_or->get();

  OutputOpts oo;
  WINNOW_RETURN_IF_ERROR(ParseOutputOpts(output, output_kwargs, out_type, &oo));
  auto out_or = OutFile::Create(output, oo.format.empty() ? nullptr : oo.format.c_str());
  if (!out_or.ok()) return out_or.status();
  OutFile* out = out_or->get();
  const AVCodec* codec = nullptr;
  if (!oo.encoder.empty()) {
    codec = FindEncoderLikePyAv(oo.encoder);
    if (!codec) return Status::Error(output + ": unknown encoder '" + oo.encoder + "'");
  } else {
    AVCodecID id = av_guess_codec(out->ctx()->oformat, nullptr, output.c_str(), nullptr, out_type);
    codec = id == AV_CODEC_ID_NONE ? nullptr : avcodec_find_encoder(id);
    if (!codec) {
      return Status::Error(output + ": output format has no default " +
                           std::string(vout ? "video" : "audio") + " encoder");
    }
  }
  if (codec->type != out_type) {
    return Status::Error(output + ": encoder " + codec->name + " does not take the filter's output");
  }

  // buffer -> user filter [-> fps] -> format/aformat (what the encoder takes) -> buffersink
  std::unique_ptr<AVFilterGraph, GraphFreer> graph(avfilter_graph_alloc());
  if (!graph) return Status::Error(output + ": out of memory");
  graph->nb_threads = options.threads;
  char args[512];
  if (vin) {
    AVRational fr = av_guess_frame_rate(in, ist, nullptr);
    std::snprintf(args, sizeof(args),
                  "video_size=%dx%d:pix_fmt=%d:time_base=%d/%d:pixel_aspect=%d/%d%s",
                  dec->width, dec->height, dec->pix_fmt, ist->time_base.num, ist->time_base.den,
                  dec->sample_aspect_ratio.num, std::max(dec->sample_aspect_ratio.den, 1),
                  fr.num > 0 && fr.den > 0
                      ? (":frame_rate=" + std::to_string(fr.num) + "/" + std::to_string(fr.den)).c_str()
                      : "");
  } else {
    char layout[128] = {0};
    if (dec->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC) {
      AVChannelLayout def;
      av_channel_layout_default(&def, dec->ch_layout.nb_channels);
      av_channel_layout_describe(&def, layout, sizeof(layout));
    } else {
      av_channel_layout_describe(&dec->ch_layout, layout, sizeof(layout));
    }
    std::snprintf(args, sizeof(args), "time_base=%d/%d:sample_rate=%d:sample_fmt=%s:channel_layout=%s",
                  ist->time_base.num, ist->time_base.den, dec->sample_rate,
                  av_get_sample_fmt_name(dec->sample_fmt), layout);
  }
  auto src = AddFilter(output, graph.get(), vin ? "buffer" : "abuffer", "in", args);
  if (!src.ok()) return src.status();

  AVFilterContext* uf = avfilter_graph_alloc_filter(graph.get(), user, "f0");
  if (!uf) return Status::Error(output + ": out of memory");
  for (const auto& [k, v] : filter_kwargs) {
    int r = av_opt_set(uf, k.c_str(), v.c_str(), AV_OPT_SEARCH_CHILDREN);
    if (r < 0) return Error(output, "filter " + filter_name + " option " + k + "=" + v, r);
  }
  int r = avfilter_init_str(uf, nullptr);
  if (r < 0) return Error(output, "filter " + filter_name, r);
  std::vector<AVFilterContext*> chain = {*src, uf};

  if (vout) {
    if (!oo.rate.empty()) {
      auto fps = AddFilter(output, graph.get(), "fps", "out_fps", "fps=" + oo.rate);
      if (!fps.ok()) return fps.status();
      chain.push_back(*fps);
    }
    std::string fmts = !oo.pix_fmt.empty()
                           ? oo.pix_fmt
                           : JoinList(codec->pix_fmts, AV_PIX_FMT_NONE, av_get_pix_fmt_name);
    if (!fmts.empty()) {
      auto f = AddFilter(output, graph.get(), "format", "out_format", "pix_fmts=" + fmts);
      if (!f.ok()) return f.status();
      chain.push_back(*f);
    }
  } else {
    std::string a = JoinList(codec->sample_fmts, AV_SAMPLE_FMT_NONE, av_get_sample_fmt_name);
    a = a.empty() ? "" : "sample_fmts=" + a;
    std::string rates = oo.sample_rate;
    if (rates.empty() && codec->supported_samplerates) {
      for (const int* p = codec->supported_samplerates; *p; ++p) {
        rates += (rates.empty() ? "" : "|") + std::to_string(*p);
      }
    }
    if (!rates.empty()) a += (a.empty() ? "" : ":") + std::string("sample_rates=") + rates;
    if (!oo.channels.empty()) {
      AVChannelLayout l;
      av_channel_layout_default(&l, std::atoi(oo.channels.c_str()));
      char name[128];
      av_channel_layout_describe(&l, name, sizeof(name));
      a += (a.empty() ? "" : ":") + std::string("channel_layouts=") + name;
    }
    if (!a.empty()) {
      auto f = AddFilter(output, graph.get(), "aformat", "out_format", a);
      if (!f.ok()) return f.status();
      chain.push_back(*f);
    }
  }
  auto sink = AddFilter(output, graph.get(), vout ? "buffersink" : "abuffersink", "out", "");
  if (!sink.ok()) return sink.status();
  chain.push_back(*sink);
  for (size_t i = 0; i + 1 < chain.size(); ++i) {
    r = avfilter_link(chain[i], 0, chain[i + 1], 0);
    if (r < 0) return Error(output, "linking filters", r);
  }
  r = avfilter_graph_config(graph.get(), nullptr);
  if (r < 0) return Error(output, "configuring filter " + filter_name, r);

  // The encoder takes what the graph gives, as the CLI sets it up from the buffersink.
  av::CodecPtr enc(avcodec_alloc_context3(codec));
  if (!enc) return Status::Error(output + ": out of memory");
  AVRational sink_tb = av_buffersink_get_time_base(*sink);
  if (vout) {
    enc->width = av_buffersink_get_w(*sink);
    enc->height = av_buffersink_get_h(*sink);
    enc->pix_fmt = static_cast<AVPixelFormat>(av_buffersink_get_format(*sink));
    enc->sample_aspect_ratio = av_buffersink_get_sample_aspect_ratio(*sink);
    AVRational fr = av_buffersink_get_frame_rate(*sink);
    if (fr.num <= 0 || fr.den <= 0) fr = AVRational{25, 1};
    enc->framerate = fr;
    enc->time_base = av_inv_q(fr);
  } else {
    enc->sample_rate = av_buffersink_get_sample_rate(*sink);
    enc->sample_fmt = static_cast<AVSampleFormat>(av_buffersink_get_format(*sink));
    r = av_buffersink_get_ch_layout(*sink, &enc->ch_layout);
    if (r < 0) return Error(output, "channel layout", r);
    enc->time_base = AVRational{1, enc->sample_rate};
  }
  enc->thread_count = options.threads;
  if (oo.qscale) {
    enc->flags |= AV_CODEC_FLAG_QSCALE;
    enc->global_quality = static_cast<int>(FF_QP2LAMBDA * *oo.qscale);
  }
  if (out->wants_global_header()) enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  r = avcodec_open2(enc.get(), codec, &oo.codec_opts);
  if (r < 0) return Error(output, std::string("cannot open encoder ") + codec->name, r);
  if (const AVDictionaryEntry* e = av_dict_get(oo.codec_opts, "", nullptr, AV_DICT_IGNORE_SUFFIX)) {
    return Status::Error(output + ": unsupported output option '" + e->key + "'");
  }
  if (!vout && !(codec->capabilities & AV_CODEC_CAP_VARIABLE_FRAME_SIZE) && enc->frame_size > 0) {
    av_buffersink_set_frame_size(*sink, enc->frame_size);
  }
  auto ost = AddEncodedStream(output, out, enc.get());
  if (!ost.ok()) return ost.status();
  WINNOW_RETURN_IF_ERROR(out->Start());

  av::PacketPtr pkt(av_packet_alloc()), opkt(av_packet_alloc());
  av::FramePtr frame(av_frame_alloc()), filt(av_frame_alloc());
  auto drain_sink = [&]() -> Status {
    for (;;) {
      int rr = av_buffersink_get_frame(*sink, filt.get());
      if (rr == AVERROR(EAGAIN) || rr == AVERROR_EOF) return Status::Ok();
      if (rr < 0) return Error(output, "filtering", rr);
      if (filt->pts != AV_NOPTS_VALUE) filt->pts = av_rescale_q(filt->pts, sink_tb, enc->time_base);
      filt->pict_type = AV_PICTURE_TYPE_NONE;
      Status s = Encode(output, enc.get(), filt.get(), (*ost)->index, out, opkt.get());
      av_frame_unref(filt.get());
      if (!s.ok()) return s;
    }
  };
  auto drain_decoder = [&]() -> Status {
    for (;;) {
      int rr = avcodec_receive_frame(dec, frame.get());
      if (rr == AVERROR(EAGAIN) || rr == AVERROR_EOF) return Status::Ok();
      if (rr < 0) return Error(input, "decoding", rr);
      frame->pts = frame->best_effort_timestamp;  // what the CLI feeds its filters
      rr = av_buffersrc_add_frame_flags(*src, frame.get(), 0);
      av_frame_unref(frame.get());
      if (rr < 0) return Error(output, "filtering", rr);
      WINNOW_RETURN_IF_ERROR(drain_sink());
    }
  };
  for (;;) {
    r = av_read_frame(in, pkt.get());
    if (r == AVERROR_EOF) break;
    if (r < 0) return Error(input, "reading packet", r);
    if (pkt->stream_index != idx) {
      av_packet_unref(pkt.get());
      continue;
    }
    r = avcodec_send_packet(dec, pkt.get());
    av_packet_unref(pkt.get());
    if (r < 0 && r != AVERROR(EAGAIN)) return Error(input, "decoding", r);
    WINNOW_RETURN_IF_ERROR(drain_decoder());
  }
  avcodec_send_packet(dec, nullptr);
  WINNOW_RETURN_IF_ERROR(drain_decoder());
  r = av_buffersrc_add_frame_flags(*src, nullptr, 0);
  if (r < 0) return Error(output, "filtering", r);
  WINNOW_RETURN_IF_ERROR(drain_sink());
  WINNOW_RETURN_IF_ERROR(Encode(output, enc.get(), nullptr, (*ost)->index, out, opkt.get()));
  return out->Finish();
}

}  // namespace

Status ApplyFfmpegFilter(const std::string& input, const std::string& output,
                         const std::string& filter_name, const KwArgs& filter_kwargs,
                         const KwArgs& output_kwargs, bool overwrite, const WriterOptions& options) {
  std::error_code ec;
  if (!overwrite && fs::exists(output, ec)) {
    return Status::Error(output + ": already exists (ffmpeg without -y does not overwrite)");
  }
  Status s = ApplyFilterImpl(input, output, filter_name, filter_kwargs, output_kwargs, options);
  if (!s.ok() && output != input) fs::remove(output, ec);  // no half-written outputs
  return s;
}

// --------------------------------------------------------------------- encoding from pixels
struct VideoWriter::Impl {
  std::string path;
  std::unique_ptr<OutFile> out;
  av::CodecPtr venc, aenc;
  int vindex = -1, aindex = -1;
  av::SwsPtr sws;
  av::PacketPtr pkt{av_packet_alloc()};
  AudioPipe apipe;
  int64_t next_pts = 0;
  bool closed = false;
};

VideoWriter::VideoWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
VideoWriter::~VideoWriter() {
  if (impl_ && !impl_->closed) (void)Close();
}

Result<std::unique_ptr<VideoWriter>> VideoWriter::Open(const std::string& path,
                                                       const VideoWriterOptions& o) {
  if (o.width <= 0 || o.height <= 0 || o.fps.num <= 0 || o.fps.den <= 0) {
    return Status::Error(path + ": video writer needs a positive size and frame rate");
  }
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  auto out = OutFile::Create(path, nullptr);
  if (!out.ok()) return out.status();
  impl->out = std::move(*out);
  const AVOutputFormat* ofmt = impl->out->ctx()->oformat;

  const AVCodec* vc = o.codec.empty() ? avcodec_find_encoder(ofmt->video_codec)
                                      : FindEncoderLikePyAv(o.codec);
  if (!vc || vc->type != AVMEDIA_TYPE_VIDEO) {
    return Status::Error(path + ": no video encoder '" + (o.codec.empty() ? "(default)" : o.codec) + "'");
  }
  impl->venc.reset(avcodec_alloc_context3(vc));
  AVCodecContext* v = impl->venc.get();
  v->width = o.width;
  v->height = o.height;
  AVPixelFormat want = o.pix_fmt.empty() ? AV_PIX_FMT_YUV420P : av_get_pix_fmt(o.pix_fmt.c_str());
  if (want == AV_PIX_FMT_NONE) return Status::Error(path + ": unknown pix_fmt " + o.pix_fmt);
  v->pix_fmt = SupportedPixFmt(vc, want);
  v->framerate = AVRational{o.fps.num, o.fps.den};
  v->time_base = AVRational{o.fps.den, o.fps.num};
  if (o.gop_size > 0) v->gop_size = o.gop_size;
  if (o.bit_rate > 0) v->bit_rate = o.bit_rate;
  v->thread_count = o.threads;
  if (impl->out->wants_global_header()) v->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  AVDictionary* opts = nullptr;
  for (const auto& [k, val] : o.encoder_options) av_dict_set(&opts, k.c_str(), val.c_str(), 0);
  int r = avcodec_open2(v, vc, &opts);
  av_dict_free(&opts);
  if (r < 0) return Error(path, std::string("cannot open encoder ") + vc->name, r);
  auto vst = AddEncodedStream(path, impl->out.get(), v);
  if (!vst.ok()) return vst.status();
  impl->vindex = (*vst)->index;

  if (o.audio_sample_rate > 0 && o.audio_channels > 0) {
    const AVCodec* ac = o.audio_codec.empty() ? avcodec_find_encoder(ofmt->audio_codec)
                                              : FindEncoderLikePyAv(o.audio_codec);
    if (!ac || ac->type != AVMEDIA_TYPE_AUDIO) return Status::Error(path + ": no audio encoder");
    impl->aenc.reset(avcodec_alloc_context3(ac));
    AVCodecContext* a = impl->aenc.get();
    a->sample_fmt = ac->sample_fmts ? ac->sample_fmts[0] : AV_SAMPLE_FMT_S16;
    a->sample_rate = o.audio_sample_rate;
    av_channel_layout_default(&a->ch_layout, o.audio_channels);
    a->time_base = AVRational{1, o.audio_sample_rate};
    if (impl->out->wants_global_header()) a->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    r = avcodec_open2(a, ac, nullptr);
    if (r < 0) return Error(path, std::string("cannot open encoder ") + ac->name, r);
    auto ast = AddEncodedStream(path, impl->out.get(), a);
    if (!ast.ok()) return ast.status();
    impl->aindex = (*ast)->index;
    WINNOW_RETURN_IF_ERROR(impl->apipe.Init(path, a, impl->aindex, &a->ch_layout,
                                            AV_SAMPLE_FMT_DBL, o.audio_sample_rate));
  }
  WINNOW_RETURN_IF_ERROR(impl->out->Start());
  return std::unique_ptr<VideoWriter>(new VideoWriter(std::move(impl)));
}

Status VideoWriter::WriteFrame(const cv::Mat& bgr) {
  Impl& m = *impl_;
  if (m.closed) return Status::Error(m.path + ": writer is closed");
  if (bgr.cols != m.venc->width || bgr.rows != m.venc->height) {
    return Status::Error(m.path + ": frame size differs from the stream's");
  }
  auto f = FrameFromBgr(m.path, bgr, m.venc.get(), &m.sws);
  if (!f.ok()) return f.status();
  (*f)->pts = m.next_pts++;
  return Encode(m.path, m.venc.get(), f->get(), m.vindex, m.out.get(), m.pkt.get());
}

Status VideoWriter::WriteAudio(const std::vector<double>& interleaved) {
  Impl& m = *impl_;
  if (m.closed) return Status::Error(m.path + ": writer is closed");
  if (!m.aenc) return Status::Error(m.path + ": writer has no audio stream");
  const int ch = m.aenc->ch_layout.nb_channels;
  if (interleaved.empty()) return Status::Ok();
  const uint8_t* data[1] = {reinterpret_cast<const uint8_t*>(interleaved.data())};
  return m.apipe.Push(data, static_cast<int>(interleaved.size() / ch), m.out.get(), m.pkt.get());
}

Status VideoWriter::Close() {
  Impl& m = *impl_;
  if (m.closed) return Status::Ok();
  m.closed = true;
  WINNOW_RETURN_IF_ERROR(Encode(m.path, m.venc.get(), nullptr, m.vindex, m.out.get(), m.pkt.get()));
  if (m.aenc) WINNOW_RETURN_IF_ERROR(m.apipe.Push(nullptr, 0, m.out.get(), m.pkt.get()));
  return m.out->Finish();
}

}  // namespace winnow::media
