#!/usr/bin/python3
"""Parity check: Winnow's media/av_reader (+ av_writer) against Data-Juicer's PyAV code.

The oracle is Data-Juicer's own utils/mm_utils.py, executed with the system PyAV 10.0.0 (the
same FFmpeg libraries Winnow links); only its imports of `datasets` and of other data_juicer
modules are replaced by tiny stand-ins (they are not needed by the video functions). Audio is
checked against what soundfile would return for the WAVs (scipy's reader, / 32768.0, channel
mean) and against PyAV's decode for other formats (soundfile/librosa are not installed).

For each /work/shared/data/dj-media/video*.mp4 and audio*: container/stream duration, fps,
nb_frames, resolution, key-frame seconds, DJ's uniform frame choice (pts and pixel md5 for
frame_num 1, 3, 8), video_deduplicator's packet md5, and decoded audio (length, rate, values).

A small C++ driver is compiled with g++ into a temp directory (nothing is written to the repo).
Usage:  /usr/bin/python3 bench/av_probe_parity.py [--media DIR] [--with-writer [--writer-max-seconds S]]
  --with-writer also compares key frames / uniform frames "by seconds" (cut + re-encode): these
  go through libx264, whose output is only comparable in frame count and timestamps.
"""
import argparse
import glob
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import types

import av
import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DJ_MM_UTILS = "/work/djsrc/data_juicer/utils/mm_utils.py"

DRIVER = r'''
#include <cstdio>
#include <string>
#include <vector>
#include "winnow/media/av_reader.h"
#ifdef WITH_WRITER
#include "winnow/media/av_writer.h"
#endif
extern "C" {
#include <libavutil/md5.h>
}
using namespace winnow::media;
static std::string Md5(const cv::Mat& m) {
  uint8_t d[16];
  av_md5_sum(d, m.data, m.total() * m.elemSize());
  std::string h; char b[3];
  for (auto x : d) { snprintf(b, 3, "%02x", x); h += b; }
  return h;
}
static void Frames(const char* name, const std::vector<VideoFrame>& fs) {
  printf(",\"%s\":[", name);
  for (size_t i = 0; i < fs.size(); ++i)
    printf("%s[%lld,\"%s\"]", i ? "," : "", (long long)fs[i].pts, Md5(fs[i].bgr).c_str());
  printf("]");
}
int main(int argc, char** argv) {
  std::string p = argv[1], mode = argv[2];
  if (mode == "audio") {
    auto a = DecodeAudio(p);
    if (!a.ok()) { printf("{\"error\":\"%s\"}\n", a.status().message().c_str()); return 0; }
    std::string out = std::string(argv[3]);
    FILE* f = fopen(out.c_str(), "wb");
    fwrite(a->samples.data(), sizeof(double), a->samples.size(), f);
    fclose(f);
    printf("{\"sr\":%d,\"n\":%lld,\"duration\":%.17g}\n", a->sample_rate, (long long)a->frames(),
           a->duration());
    return 0;
  }
  auto info = ProbeMedia(p);
  if (!info.ok()) { printf("{\"error\":\"%s\"}\n", info.status().message().c_str()); return 0; }
  const StreamInfo* v = info->Video();
  printf("{\"container_duration\":%.17g", info->duration);
  printf(",\"v_duration\":%.17g,\"v_round\":%lld,\"fps\":[%d,%d],\"base_rate\":[%d,%d],\"frames\":%lld,\"w\":%d,\"h\":%d",
         v->duration, (long long)v->RoundedDuration(), v->avg_frame_rate.num, v->avg_frame_rate.den,
         v->r_frame_rate.num, v->r_frame_rate.den, (long long)v->nb_frames, v->width, v->height);
  if (const StreamInfo* a = info->Audio()) printf(",\"a_rate\":%d,\"a_channels\":%d,\"a_duration\":%.17g", a->sample_rate, a->channels, a->duration);
  auto ks = GetKeyFrameSeconds(p);
  printf(",\"key_seconds\":[");
  for (size_t i = 0; ks.ok() && i < ks->size(); ++i) printf("%s%.17g", i ? "," : "", (*ks)[i]);
  printf("]");
  auto kf = ExtractKeyFrames(p);
  if (kf.ok()) Frames("key_frames", *kf);
  for (int n : {1, 3, 8}) {
    auto u = ExtractFramesUniformly(p, n);
    std::string name = "uniform_" + std::to_string(n);
    if (u.ok()) Frames(name.c_str(), *u); else printf(",\"%s\":\"%s\"", name.c_str(), u.status().message().c_str());
  }
  auto md5 = Md5OfVideoPackets(p);
  printf(",\"packet_md5\":\"%s\"", md5.ok() ? md5->c_str() : md5.status().message().c_str());
#ifdef WITH_WRITER
  if (mode == "video+writer") {
  auto kbs = ExtractKeyFramesBySeconds(p, 2.0);
  if (kbs.ok()) { printf(",\"key_by_seconds_2\":[");
    for (size_t i = 0; i < kbs->size(); ++i) printf("%s%lld", i ? "," : "", (long long)(*kbs)[i].pts);
    printf("]"); } else printf(",\"key_by_seconds_2\":\"%s\"", kbs.status().message().c_str());
  auto ubs = ExtractFramesUniformlyBySeconds(p, 3, 2.0);
  if (ubs.ok()) { printf(",\"uniform_by_seconds_3_2\":[");
    for (size_t i = 0; i < ubs->size(); ++i) printf("%s%lld", i ? "," : "", (long long)(*ubs)[i].pts);
    printf("]"); } else printf(",\"uniform_by_seconds_3_2\":\"%s\"", ubs.status().message().c_str());
  }
#endif
  printf("}\n");
}
'''


def load_dj_mm_utils():
    """Executes DJ's mm_utils.py with stand-ins for the imports the video code does not use."""
    src = open(DJ_MM_UTILS).read()
    src = re.sub(r"^from datasets import .*$", "Audio = Image = None", src, flags=re.M)
    src = re.sub(r"^from data_juicer\.utils\.constant import .*$",
                 "DEFAULT_PREFIX = '__dj__'; SPECIAL_TOKEN_ENV_PREFIX = 'DJ_SPECIAL_TOKEN_'; Fields = None",
                 src, flags=re.M)
    src = re.sub(r"^from data_juicer\.utils\.file_utils import .*$",
                 "def add_suffix_to_filename(f, s):\n    b, e = os.path.splitext(f)\n    return b + s + e",
                 src, flags=re.M)
    src = re.sub(r"^from data_juicer\.utils\.lazy_loader import .*$",
                 "LazyLoader = lambda *a, **k: None", src, flags=re.M)
    mod = types.ModuleType("dj_mm_utils")
    exec(compile(src, DJ_MM_UTILS, "exec"), mod.__dict__)
    return mod


def build_driver(tmp, with_writer):
    cc = os.path.join(tmp, "driver.cc")
    open(cc, "w").write(DRIVER)
    exe = os.path.join(tmp, "driver")
    srcs = [os.path.join(REPO, "src/winnow/media/av_reader.cc")]
    defs = []
    if with_writer:
        srcs.append(os.path.join(REPO, "src/winnow/media/av_writer.cc"))
        defs.append("-DWITH_WRITER")
    pc = subprocess.check_output(["pkg-config", "--cflags", "--libs", "libavformat", "libavcodec",
                                  "libswscale", "libswresample", "libavfilter", "libavutil"],
                                 text=True).split()
    cmd = ["g++", "-std=c++20", "-O1", *defs, "-I" + os.path.join(REPO, "src"),
           "-isystem", "/usr/include/opencv4", cc, *srcs, *pc, "-lopencv_core", "-o", exe]
    subprocess.check_call(cmd)
    return exe


def frame_list(frames):
    out = []
    for f in frames:
        img = f.to_ndarray(format="bgr24")
        out.append([f.pts, hashlib.md5(np.ascontiguousarray(img).tobytes()).hexdigest()])
    return out


def oracle_video(dj, path, with_writer):
    """DJ's numbers for one video; with_writer adds the cut-based samplers (slow under DJ: every
    cut decodes to the end of the video)."""
    c = av.open(path)
    v = c.streams.video[0]
    r = {
        "container_duration": c.duration / 1e6,
        "v_duration": float(v.duration * v.time_base),
        "v_round": round(v.duration * v.time_base),  # video_duration_filter's stat
        "fps": [v.average_rate.numerator, v.average_rate.denominator],
        "base_rate": [v.base_rate.numerator, v.base_rate.denominator],
        "frames": v.frames,
        "w": v.codec_context.width,
        "h": v.codec_context.height,
    }
    if c.streams.audio:
        a = c.streams.audio[0]
        r.update(a_rate=a.codec_context.sample_rate, a_channels=a.codec_context.channels,
                 a_duration=float(a.duration * a.time_base))
    c.close()
    r["key_seconds"] = dj.get_key_frame_seconds(path)
    r["key_frames"] = frame_list(dj.extract_key_frames(path))
    for n in (1, 3, 8):
        r[f"uniform_{n}"] = frame_list(dj.extract_video_frames_uniformly(path, n))
    # video_deduplicator.compute_hash
    md5 = hashlib.md5()
    c = av.open(path)
    for packet in c.demux():
        if packet.stream.type == "video":
            md5.update(bytes(packet))
    c.close()
    r["packet_md5"] = md5.hexdigest()
    if with_writer:
        r["key_by_seconds_2"] = [f.pts for f in dj.extract_key_frames_by_seconds(path, 2.0)]
        r["uniform_by_seconds_3_2"] = [f.pts for f in dj.extract_video_frames_uniformly_by_seconds(path, 3, 2.0)]
    return r


def oracle_audio(path):
    """soundfile.read(path) -> float64, then librosa.to_mono (mean over channels)."""
    if path.endswith(".wav"):
        from scipy.io import wavfile
        sr, data = wavfile.read(path)
        assert data.dtype == np.int16, data.dtype
        x = data.astype(np.float64) / 32768.0
        source = "scipy wav / 32768 (soundfile's scaling)"
    else:
        c = av.open(path)
        s = c.streams.audio[0]
        sr = s.codec_context.sample_rate
        chunks = [f.to_ndarray() for f in c.decode(s)]
        x = np.concatenate(chunks, axis=1).T.astype(np.float64)  # planar (ch, n) -> (n, ch)
        source = "PyAV decode (float32 -> float64)"
    if x.ndim == 2:
        x = np.mean(x.T, axis=0)
    return sr, x, source


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--media", default="/work/shared/data/dj-media")
    ap.add_argument("--with-writer", action="store_true")
    ap.add_argument("--writer-max-seconds", type=float, default=25.0,
                    help="only videos up to this long get the (slow) cut-based comparisons")
    args = ap.parse_args()
    dj = load_dj_mm_utils()
    ok_all = True
    with tempfile.TemporaryDirectory() as tmp:
        exe = build_driver(tmp, args.with_writer)
        for path in sorted(glob.glob(os.path.join(args.media, "video*.mp4"))):
            c = av.open(path)
            dur = float(c.streams.video[0].duration * c.streams.video[0].time_base)
            c.close()
            writer = args.with_writer and dur <= args.writer_max_seconds
            ours = json.loads(subprocess.check_output(
                [exe, path, "video+writer" if writer else "video"], text=True))
            theirs = oracle_video(dj, path, writer)
            bad = [k for k in theirs if ours.get(k) != theirs[k]]
            ok_all &= not bad
            print(f"{os.path.basename(path)}: dur={theirs['v_duration']:.4f}s fps={theirs['fps']} "
                  f"frames={theirs['frames']} {theirs['w']}x{theirs['h']} "
                  f"keys={len(theirs['key_seconds'])} md5={theirs['packet_md5'][:8]} "
                  + ("MATCH" if not bad else "MISMATCH " + ", ".join(bad)))
            for k in bad:
                print(f"   {k}: winnow={str(ours.get(k))[:300]}\n   {' ' * len(k)}  dj    ={str(theirs[k])[:300]}")
        for path in sorted(glob.glob(os.path.join(args.media, "audio*"))):
            raw = os.path.join(tmp, "a.f64")
            ours = json.loads(subprocess.check_output([exe, path, "audio", raw], text=True))
            sr, x, source = oracle_audio(path)
            y = np.fromfile(raw, dtype=np.float64)
            same_len = len(x) == len(y) and ours["sr"] == sr
            maxdiff = float(np.max(np.abs(x - y))) if same_len and len(x) else float("nan")
            exact = same_len and maxdiff == 0.0
            ok = same_len and maxdiff < 1e-6
            ok_all &= ok
            print(f"{os.path.basename(path)}: sr={sr} n={len(x)} (winnow n={len(y)} sr={ours['sr']}) "
                  f"duration={ours['duration']:.6f}s max|diff|={maxdiff:.3g} vs {source} "
                  + ("EXACT" if exact else ("MATCH" if ok else "MISMATCH")))
    print("ALL MATCH" if ok_all else "SOME MISMATCHES")
    return 0 if ok_all else 1


if __name__ == "__main__":
    sys.exit(main())
