// FFmpeg's functions, loaded on first use instead of linked: FFmpeg's libraries pull in ~170
// shared objects (codecs, GPU and network stacks), which made every `winnow` start 0.3 s slower,
// text-only runs included. av_reader.cc / av_writer.cc include this after FFmpeg's headers; each
// FFmpeg function name then means the pointer in av_api::Get(), filled by dlopen/dlsym of the
// library sonames these headers were built for. Adding a call to a new FFmpeg function = one
// line in WINNOW_AV_FUNCTIONS (the link fails until it is there).
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavformat/avformat.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/channel_layout.h>
#include <libavutil/display.h>
#include <libavutil/md5.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

namespace winnow::media::av_api {

// X(library, function): library is the lib<library>.so.<major> that exports it.
#define WINNOW_AV_FUNCTIONS(X) \
  X(avutil, av_audio_fifo_alloc) \
  X(avutil, av_audio_fifo_free) \
  X(avutil, av_audio_fifo_read) \
  X(avutil, av_audio_fifo_size) \
  X(avutil, av_audio_fifo_write) \
  X(avutil, av_channel_layout_copy) \
  X(avutil, av_channel_layout_default) \
  X(avutil, av_channel_layout_describe) \
  X(avutil, av_dict_free) \
  X(avutil, av_dict_get) \
  X(avutil, av_dict_set) \
  X(avutil, av_display_rotation_get) \
  X(avutil, av_frame_alloc) \
  X(avutil, av_frame_clone) \
  X(avutil, av_frame_free) \
  X(avutil, av_frame_get_buffer) \
  X(avutil, av_frame_move_ref) \
  X(avutil, av_frame_unref) \
  X(avutil, av_free) \
  X(avutil, av_freep) \
  X(avutil, av_get_bytes_per_sample) \
  X(avutil, av_get_packed_sample_fmt) \
  X(avutil, av_get_picture_type_char) \
  X(avutil, av_get_pix_fmt) \
  X(avutil, av_get_pix_fmt_name) \
  X(avutil, av_get_sample_fmt_name) \
  X(avutil, av_log_set_level) \
  X(avutil, av_md5_alloc) \
  X(avutil, av_md5_final) \
  X(avutil, av_md5_init) \
  X(avutil, av_md5_update) \
  X(avutil, av_opt_set) \
  X(avutil, av_rescale_q) \
  X(avutil, av_rescale_rnd) \
  X(avutil, av_sample_fmt_is_planar) \
  X(avutil, av_samples_alloc_array_and_samples) \
  X(avutil, av_strerror) \
  X(avcodec, av_packet_alloc) \
  X(avcodec, av_packet_free) \
  X(avcodec, av_packet_rescale_ts) \
  X(avcodec, av_packet_unref) \
  X(avcodec, avcodec_alloc_context3) \
  X(avcodec, avcodec_descriptor_get_by_name) \
  X(avcodec, avcodec_find_best_pix_fmt_of_list) \
  X(avcodec, avcodec_find_decoder) \
  X(avcodec, avcodec_find_encoder) \
  X(avcodec, avcodec_find_encoder_by_name) \
  X(avcodec, avcodec_flush_buffers) \
  X(avcodec, avcodec_free_context) \
  X(avcodec, avcodec_get_name) \
  X(avcodec, avcodec_open2) \
  X(avcodec, avcodec_parameters_copy) \
  X(avcodec, avcodec_parameters_from_context) \
  X(avcodec, avcodec_parameters_to_context) \
  X(avcodec, avcodec_receive_frame) \
  X(avcodec, avcodec_receive_packet) \
  X(avcodec, avcodec_send_frame) \
  X(avcodec, avcodec_send_packet) \
  X(avformat, av_guess_codec) \
  X(avformat, av_guess_frame_rate) \
  X(avformat, av_interleaved_write_frame) \
  X(avformat, av_read_frame) \
  X(avformat, av_seek_frame) \
  X(avformat, av_stream_get_side_data) \
  X(avformat, av_write_trailer) \
  X(avformat, avformat_alloc_output_context2) \
  X(avformat, avformat_close_input) \
  X(avformat, avformat_find_stream_info) \
  X(avformat, avformat_free_context) \
  X(avformat, avformat_new_stream) \
  X(avformat, avformat_open_input) \
  X(avformat, avformat_write_header) \
  X(avformat, avio_closep) \
  X(avformat, avio_open) \
  X(avfilter, av_buffersink_get_ch_layout) \
  X(avfilter, av_buffersink_get_format) \
  X(avfilter, av_buffersink_get_frame) \
  X(avfilter, av_buffersink_get_frame_rate) \
  X(avfilter, av_buffersink_get_h) \
  X(avfilter, av_buffersink_get_sample_aspect_ratio) \
  X(avfilter, av_buffersink_get_sample_rate) \
  X(avfilter, av_buffersink_get_time_base) \
  X(avfilter, av_buffersink_get_w) \
  X(avfilter, av_buffersink_set_frame_size) \
  X(avfilter, av_buffersrc_add_frame_flags) \
  X(avfilter, avfilter_filter_pad_count) \
  X(avfilter, avfilter_get_by_name) \
  X(avfilter, avfilter_graph_alloc) \
  X(avfilter, avfilter_graph_alloc_filter) \
  X(avfilter, avfilter_graph_config) \
  X(avfilter, avfilter_graph_create_filter) \
  X(avfilter, avfilter_graph_free) \
  X(avfilter, avfilter_init_str) \
  X(avfilter, avfilter_link) \
  X(avfilter, avfilter_pad_get_type) \
  X(swscale, sws_freeContext) \
  X(swscale, sws_getCachedContext) \
  X(swscale, sws_scale) \
  X(swresample, swr_alloc_set_opts2) \
  X(swresample, swr_convert) \
  X(swresample, swr_free) \
  X(swresample, swr_get_out_samples) \
  X(swresample, swr_init)

struct Api {
#define WINNOW_AV_FIELD(lib, name) decltype(&::name) name = nullptr;
  WINNOW_AV_FUNCTIONS(WINNOW_AV_FIELD)
#undef WINNOW_AV_FIELD
};

// The loaded table (loads on first call; exits with a message naming the library when FFmpeg is
// missing, which scripts/install-deps.sh prevents).
const Api& Get();

}  // namespace winnow::media::av_api

#ifndef WINNOW_AV_API_NO_MACROS
#define av_audio_fifo_alloc (::winnow::media::av_api::Get().av_audio_fifo_alloc)
#define av_audio_fifo_free (::winnow::media::av_api::Get().av_audio_fifo_free)
#define av_audio_fifo_read (::winnow::media::av_api::Get().av_audio_fifo_read)
#define av_audio_fifo_size (::winnow::media::av_api::Get().av_audio_fifo_size)
#define av_audio_fifo_write (::winnow::media::av_api::Get().av_audio_fifo_write)
#define av_channel_layout_copy (::winnow::media::av_api::Get().av_channel_layout_copy)
#define av_channel_layout_default (::winnow::media::av_api::Get().av_channel_layout_default)
#define av_channel_layout_describe (::winnow::media::av_api::Get().av_channel_layout_describe)
#define av_dict_free (::winnow::media::av_api::Get().av_dict_free)
#define av_dict_get (::winnow::media::av_api::Get().av_dict_get)
#define av_dict_set (::winnow::media::av_api::Get().av_dict_set)
#define av_display_rotation_get (::winnow::media::av_api::Get().av_display_rotation_get)
#define av_frame_alloc (::winnow::media::av_api::Get().av_frame_alloc)
#define av_frame_clone (::winnow::media::av_api::Get().av_frame_clone)
#define av_frame_free (::winnow::media::av_api::Get().av_frame_free)
#define av_frame_get_buffer (::winnow::media::av_api::Get().av_frame_get_buffer)
#define av_frame_move_ref (::winnow::media::av_api::Get().av_frame_move_ref)
#define av_frame_unref (::winnow::media::av_api::Get().av_frame_unref)
#define av_free (::winnow::media::av_api::Get().av_free)
#define av_freep (::winnow::media::av_api::Get().av_freep)
#define av_get_bytes_per_sample (::winnow::media::av_api::Get().av_get_bytes_per_sample)
#define av_get_packed_sample_fmt (::winnow::media::av_api::Get().av_get_packed_sample_fmt)
#define av_get_picture_type_char (::winnow::media::av_api::Get().av_get_picture_type_char)
#define av_get_pix_fmt (::winnow::media::av_api::Get().av_get_pix_fmt)
#define av_get_pix_fmt_name (::winnow::media::av_api::Get().av_get_pix_fmt_name)
#define av_get_sample_fmt_name (::winnow::media::av_api::Get().av_get_sample_fmt_name)
#define av_log_set_level (::winnow::media::av_api::Get().av_log_set_level)
#define av_md5_alloc (::winnow::media::av_api::Get().av_md5_alloc)
#define av_md5_final (::winnow::media::av_api::Get().av_md5_final)
#define av_md5_init (::winnow::media::av_api::Get().av_md5_init)
#define av_md5_update (::winnow::media::av_api::Get().av_md5_update)
#define av_opt_set (::winnow::media::av_api::Get().av_opt_set)
#define av_rescale_q (::winnow::media::av_api::Get().av_rescale_q)
#define av_rescale_rnd (::winnow::media::av_api::Get().av_rescale_rnd)
#define av_sample_fmt_is_planar (::winnow::media::av_api::Get().av_sample_fmt_is_planar)
#define av_samples_alloc_array_and_samples (::winnow::media::av_api::Get().av_samples_alloc_array_and_samples)
#define av_strerror (::winnow::media::av_api::Get().av_strerror)
#define av_packet_alloc (::winnow::media::av_api::Get().av_packet_alloc)
#define av_packet_free (::winnow::media::av_api::Get().av_packet_free)
#define av_packet_rescale_ts (::winnow::media::av_api::Get().av_packet_rescale_ts)
#define av_packet_unref (::winnow::media::av_api::Get().av_packet_unref)
#define avcodec_alloc_context3 (::winnow::media::av_api::Get().avcodec_alloc_context3)
#define avcodec_descriptor_get_by_name (::winnow::media::av_api::Get().avcodec_descriptor_get_by_name)
#define avcodec_find_best_pix_fmt_of_list (::winnow::media::av_api::Get().avcodec_find_best_pix_fmt_of_list)
#define avcodec_find_decoder (::winnow::media::av_api::Get().avcodec_find_decoder)
#define avcodec_find_encoder (::winnow::media::av_api::Get().avcodec_find_encoder)
#define avcodec_find_encoder_by_name (::winnow::media::av_api::Get().avcodec_find_encoder_by_name)
#define avcodec_flush_buffers (::winnow::media::av_api::Get().avcodec_flush_buffers)
#define avcodec_free_context (::winnow::media::av_api::Get().avcodec_free_context)
#define avcodec_get_name (::winnow::media::av_api::Get().avcodec_get_name)
#define avcodec_open2 (::winnow::media::av_api::Get().avcodec_open2)
#define avcodec_parameters_copy (::winnow::media::av_api::Get().avcodec_parameters_copy)
#define avcodec_parameters_from_context (::winnow::media::av_api::Get().avcodec_parameters_from_context)
#define avcodec_parameters_to_context (::winnow::media::av_api::Get().avcodec_parameters_to_context)
#define avcodec_receive_frame (::winnow::media::av_api::Get().avcodec_receive_frame)
#define avcodec_receive_packet (::winnow::media::av_api::Get().avcodec_receive_packet)
#define avcodec_send_frame (::winnow::media::av_api::Get().avcodec_send_frame)
#define avcodec_send_packet (::winnow::media::av_api::Get().avcodec_send_packet)
#define av_guess_codec (::winnow::media::av_api::Get().av_guess_codec)
#define av_guess_frame_rate (::winnow::media::av_api::Get().av_guess_frame_rate)
#define av_interleaved_write_frame (::winnow::media::av_api::Get().av_interleaved_write_frame)
#define av_read_frame (::winnow::media::av_api::Get().av_read_frame)
#define av_seek_frame (::winnow::media::av_api::Get().av_seek_frame)
#define av_stream_get_side_data (::winnow::media::av_api::Get().av_stream_get_side_data)
#define av_write_trailer (::winnow::media::av_api::Get().av_write_trailer)
#define avformat_alloc_output_context2 (::winnow::media::av_api::Get().avformat_alloc_output_context2)
#define avformat_close_input (::winnow::media::av_api::Get().avformat_close_input)
#define avformat_find_stream_info (::winnow::media::av_api::Get().avformat_find_stream_info)
#define avformat_free_context (::winnow::media::av_api::Get().avformat_free_context)
#define avformat_new_stream (::winnow::media::av_api::Get().avformat_new_stream)
#define avformat_open_input (::winnow::media::av_api::Get().avformat_open_input)
#define avformat_write_header (::winnow::media::av_api::Get().avformat_write_header)
#define avio_closep (::winnow::media::av_api::Get().avio_closep)
#define avio_open (::winnow::media::av_api::Get().avio_open)
#define av_buffersink_get_ch_layout (::winnow::media::av_api::Get().av_buffersink_get_ch_layout)
#define av_buffersink_get_format (::winnow::media::av_api::Get().av_buffersink_get_format)
#define av_buffersink_get_frame (::winnow::media::av_api::Get().av_buffersink_get_frame)
#define av_buffersink_get_frame_rate (::winnow::media::av_api::Get().av_buffersink_get_frame_rate)
#define av_buffersink_get_h (::winnow::media::av_api::Get().av_buffersink_get_h)
#define av_buffersink_get_sample_aspect_ratio (::winnow::media::av_api::Get().av_buffersink_get_sample_aspect_ratio)
#define av_buffersink_get_sample_rate (::winnow::media::av_api::Get().av_buffersink_get_sample_rate)
#define av_buffersink_get_time_base (::winnow::media::av_api::Get().av_buffersink_get_time_base)
#define av_buffersink_get_w (::winnow::media::av_api::Get().av_buffersink_get_w)
#define av_buffersink_set_frame_size (::winnow::media::av_api::Get().av_buffersink_set_frame_size)
#define av_buffersrc_add_frame_flags (::winnow::media::av_api::Get().av_buffersrc_add_frame_flags)
#define avfilter_filter_pad_count (::winnow::media::av_api::Get().avfilter_filter_pad_count)
#define avfilter_get_by_name (::winnow::media::av_api::Get().avfilter_get_by_name)
#define avfilter_graph_alloc (::winnow::media::av_api::Get().avfilter_graph_alloc)
#define avfilter_graph_alloc_filter (::winnow::media::av_api::Get().avfilter_graph_alloc_filter)
#define avfilter_graph_config (::winnow::media::av_api::Get().avfilter_graph_config)
#define avfilter_graph_create_filter (::winnow::media::av_api::Get().avfilter_graph_create_filter)
#define avfilter_graph_free (::winnow::media::av_api::Get().avfilter_graph_free)
#define avfilter_init_str (::winnow::media::av_api::Get().avfilter_init_str)
#define avfilter_link (::winnow::media::av_api::Get().avfilter_link)
#define avfilter_pad_get_type (::winnow::media::av_api::Get().avfilter_pad_get_type)
#define sws_freeContext (::winnow::media::av_api::Get().sws_freeContext)
#define sws_getCachedContext (::winnow::media::av_api::Get().sws_getCachedContext)
#define sws_scale (::winnow::media::av_api::Get().sws_scale)
#define swr_alloc_set_opts2 (::winnow::media::av_api::Get().swr_alloc_set_opts2)
#define swr_convert (::winnow::media::av_api::Get().swr_convert)
#define swr_free (::winnow::media::av_api::Get().swr_free)
#define swr_get_out_samples (::winnow::media::av_api::Get().swr_get_out_samples)
#define swr_init (::winnow::media::av_api::Get().swr_init)
#endif  // WINNOW_AV_API_NO_MACROS
