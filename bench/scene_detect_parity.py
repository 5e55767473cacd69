#!/usr/bin/env python3
"""Parity of src/winnow/media/scene_detect.{h,cc} with PySceneDetect 0.6.6 (the version
Data-Juicer's uv.lock pins) as video_split_by_scene_mapper runs it:
    scenedetect.detect(path, Detector(threshold, min_scene_len, **kw), start_in_scene=True)

Two kinds of inputs:
  * generated frame sequences (hard cuts between solid colours and textures, flashes, bursts of
    cuts shorter than min_scene_len, fades to black / white, camera-like motion, several frame
    sizes around the 256-px auto-downscale limit). The oracle is scenedetect's own SceneManager
    (what detect() calls) reading an in-memory VideoStream, so everything but the decoder is
    scenedetect's code.
  * Data-Juicer's test videos: the oracle is scenedetect.detect(path, ...) itself (OpenCV
    backend); the C++ side gets the frames cv2.VideoCapture decodes.
The C++ driver (compiled here with g++) reads raw BGR frames on stdin and prints its scenes.

  SCENEDETECT_SRC=/path/to/PySceneDetect-0.6.6 /usr/bin/python3 bench/scene_detect_parity.py
(SCENEDETECT_SRC: a checkout of github:Breakthrough/PySceneDetect at v0.6.6-release, the
directory holding scenedetect/; it imports with only numpy + cv2. Run from the repo root.)"""
import argparse
import glob
import os
import struct
import subprocess
import sys
import tempfile

import cv2
import numpy as np

sys.path.insert(0, os.environ.get("SCENEDETECT_SRC", "/tmp/sd"))
import scenedetect  # noqa: E402
from scenedetect import FrameTimecode, SceneManager  # noqa: E402
from scenedetect.detectors import AdaptiveDetector, ContentDetector, ThresholdDetector  # noqa: E402
from scenedetect.video_stream import VideoStream  # noqa: E402

DRIVER = r"""
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>
#include "winnow/media/scene_detect.h"
using namespace winnow::media;
// argv: detector configs as key=value options, configs separated by "--" (all run on the same
// frames). stdin: repeated {int32 w, int32 h, w*h*3 BGR bytes}. stdout: per config, a "start end"
// line per scene, then "==".
int main(int argc, char** argv) {
  std::vector<std::unique_ptr<SceneDetector>> dets;
  SceneDetectorOptions o;
  for (int i = 1; i <= argc; ++i) {
    std::string a = i < argc ? argv[i] : "--";
    if (a == "--") {
      auto det = SceneDetector::Create(o);
      if (!det.ok()) { fprintf(stderr, "%s\n", det.status().message().c_str()); return 2; }
      dets.push_back(std::move(*det));
      o = SceneDetectorOptions();
      continue;
    }
    std::string k = a.substr(0, a.find('=')), v = a.substr(a.find('=') + 1);
    if (k == "detector") o.detector = v;
    else if (k == "threshold") o.threshold = atof(v.c_str());
    else if (k == "min_scene_len") o.min_scene_len = atoll(v.c_str());
    else if (k == "weights") sscanf(v.c_str(), "%lf,%lf,%lf,%lf", &o.weights[0], &o.weights[1], &o.weights[2], &o.weights[3]);
    else if (k == "luma_only") o.luma_only = v == "1";
    else if (k == "kernel_size") o.kernel_size = atoi(v.c_str());
    else if (k == "window_width") o.window_width = atoll(v.c_str());
    else if (k == "min_content_val") o.min_content_val = atof(v.c_str());
    else if (k == "fade_bias") o.fade_bias = atof(v.c_str());
    else if (k == "add_final_scene") o.add_final_scene = v == "1";
    else if (k == "method") o.method = atoi(v.c_str());
    else { fprintf(stderr, "bad option %s\n", a.c_str()); return 2; }
  }
  int32_t wh[2];
  int64_t n = 0;
  while (fread(wh, 4, 2, stdin) == 2) {
    cv::Mat m(wh[1], wh[0], CV_8UC3);
    if (fread(m.data, 1, m.total() * 3, stdin) != m.total() * 3) return 1;
    for (auto& d : dets) d->Feed(m, n);
    ++n;
  }
  for (auto& d : dets) {
    for (const SceneRange& s : d->Finish(n)) printf("%lld %lld\n", (long long)s.start, (long long)s.end);
    printf("==\n");
  }
  return 0;
}
"""


class ArrayStream(VideoStream):
    """An in-memory VideoStream, behaving like the OpenCV backend (frame_number = frames read)."""

    def __init__(self, frames, fps=25.0):
        super().__init__()
        self._frames, self._fps, self._n = frames, fps, 0

    BACKEND_NAME = "array"
    path = name = "array"
    is_seekable = False
    aspect_ratio = 1.0
    position_ms = 0.0

    @property
    def frame_rate(self):
        return self._fps

    @property
    def duration(self):
        return self.base_timecode + len(self._frames)

    @property
    def frame_size(self):
        return (self._frames[0].shape[1], self._frames[0].shape[0])

    @property
    def frame_number(self):
        return self._n

    @property
    def position(self):
        return self.base_timecode if self._n < 1 else self.base_timecode + (self._n - 1)

    def read(self, decode=True, advance=True):
        if self._n >= len(self._frames):
            return False
        self._n += 1
        return self._frames[self._n - 1] if decode else True

    def reset(self):
        self._n = 0

    def seek(self, target):
        raise NotImplementedError


def make_detector(cfg):
    kind = cfg["detector"]
    kw = {k: v for k, v in cfg.items() if k not in ("detector", "threshold", "min_scene_len")}
    if "weights" in kw:
        kw["weights"] = ContentDetector.Components(*kw["weights"])
    if kind == "ContentDetector":
        return ContentDetector(cfg["threshold"], cfg["min_scene_len"], **kw)
    if kind == "AdaptiveDetector":
        return AdaptiveDetector(cfg["threshold"], cfg["min_scene_len"], **kw)
    return ThresholdDetector(cfg["threshold"], cfg["min_scene_len"], **kw)


def frames_of(scene_list):
    return [(s.get_frames(), e.get_frames()) for s, e in scene_list]


def oracle_frames(frames, cfg):
    sm = SceneManager()
    sm.add_detector(make_detector(cfg))
    sm.detect_scenes(video=ArrayStream(frames))
    return frames_of(sm.get_scene_list(start_in_scene=True))


def driver_args(cfg):
    out = []
    for k, v in cfg.items():
        if k == "weights":
            v = ",".join(str(x) for x in v)
        elif isinstance(v, bool):
            v = int(v)
        out.append(f"{k}={v}")
    return out


def run_driver(exe, frames, cfgs):
    """Scene lists for every config in `cfgs`, from one pass of the frames through the driver."""
    argv = []
    for cfg in cfgs:
        argv += (["--"] if argv else []) + driver_args(cfg)
    proc = subprocess.Popen([exe] + argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    for f in frames:  # streamed: a long video need not sit in memory twice
        proc.stdin.write(struct.pack("<ii", f.shape[1], f.shape[0]) + f.tobytes())
    out, _ = proc.communicate()
    assert proc.returncode == 0, proc.returncode
    lists, cur = [], []
    for line in out.decode().splitlines():
        if line == "==":
            lists.append(cur)
            cur = []
        else:
            cur.append(tuple(int(x) for x in line.split()))
    return lists


# ------------------------------------------------------------------------------ generated videos
def textured(rng, h, w, base):
    """A colourful texture: a random low-res pattern upscaled, tinted by `base`."""
    small = rng.integers(0, 256, (max(2, h // 8), max(2, w // 8), 3), dtype=np.uint8)
    tex = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR).astype(np.int32)
    return np.clip(tex // 2 + np.array(base, np.int32) // 2, 0, 255).astype(np.uint8)


def gen_sequences(seed, count):
    rng = np.random.default_rng(seed)
    sizes = [(48, 64), (120, 160), (240, 320), (361, 641), (500, 240), (256, 256), (257, 300)]
    for i in range(count):
        h, w = sizes[i % len(sizes)]
        kind = i % 5
        n = int(rng.integers(40, 140))
        frames = []
        if kind == 0:  # hard cuts between solid colours, some scenes shorter than min_scene_len
            cuts = sorted(set(int(c) for c in rng.integers(1, n, int(rng.integers(1, 8)))))
            bounds = [0] + cuts + [n]
            for a, b in zip(bounds, bounds[1:]):
                colour = rng.integers(0, 256, 3)
                frames += [np.full((h, w, 3), colour, np.uint8)] * (b - a)
        elif kind == 1:  # textures with slow drift and cuts; occasional 1-frame flashes
            bounds = [0] + sorted(set(int(c) for c in rng.integers(1, n, 4))) + [n]
            for a, b in zip(bounds, bounds[1:]):
                tex = textured(rng, h + 40, w + 40, rng.integers(0, 256, 3))
                for t in range(b - a):
                    dx, dy = (t * 2) % 40, t % 40
                    frames.append(np.ascontiguousarray(tex[dy:dy + h, dx:dx + w]))
            for _ in range(int(rng.integers(0, 3))):
                frames[int(rng.integers(0, n))] = np.full((h, w, 3), 255, np.uint8)
        elif kind == 2:  # fades to/from black (and white) between textured scenes
            level = int(rng.choice([0, 255]))
            t = 0
            while len(frames) < n:
                tex = textured(rng, h, w, rng.integers(0, 256, 3)).astype(np.float32)
                hold, fade = int(rng.integers(5, 30)), int(rng.integers(2, 12))
                for k in range(fade):  # fade in
                    a = (k + 1) / (fade + 1)
                    frames.append((tex * a + level * (1 - a)).astype(np.uint8))
                frames += [tex.astype(np.uint8)] * hold
                for k in range(fade):  # fade out
                    a = 1 - (k + 1) / (fade + 1)
                    frames.append((tex * a + level * (1 - a)).astype(np.uint8))
                frames += [np.full((h, w, 3), level, np.uint8)] * int(rng.integers(0, 6))
                t += 1
            frames = frames[:n]
        elif kind == 3:  # bursts of rapid cuts (merge filter) then calm
            k = 0
            while len(frames) < n:
                run = int(rng.integers(1, 4)) if k % 3 else int(rng.integers(10, 40))
                frames += [textured(rng, h, w, rng.integers(0, 256, 3))] * run
                k += 1
            frames = frames[:n]
        else:  # noise-heavy video: every frame differs a little, plus a few hard cuts
            bounds = [0] + sorted(set(int(c) for c in rng.integers(1, n, 3))) + [n]
            for a, b in zip(bounds, bounds[1:]):
                tex = textured(rng, h, w, rng.integers(0, 256, 3)).astype(np.int16)
                for _ in range(b - a):
                    noise = rng.integers(-25, 26, (h, w, 3), dtype=np.int16)
                    frames.append(np.clip(tex + noise, 0, 255).astype(np.uint8))
        yield f"gen{i}-k{kind}-{w}x{h}-n{len(frames)}", frames


CONFIGS = [
    dict(detector="ContentDetector", threshold=27.0, min_scene_len=15),  # Data-Juicer default
    dict(detector="ContentDetector", threshold=10.0, min_scene_len=0),
    dict(detector="ContentDetector", threshold=20.0, min_scene_len=5),
    dict(detector="ContentDetector", threshold=15.0, min_scene_len=3, luma_only=True),
    dict(detector="ContentDetector", threshold=20.0, min_scene_len=4, weights=(1.0, 1.0, 1.0, 1.0)),
    dict(detector="ContentDetector", threshold=30.0, min_scene_len=4, weights=(0.5, 1.0, 0.25, 2.0),
         kernel_size=5),
    dict(detector="AdaptiveDetector", threshold=27.0, min_scene_len=15),  # DJ passes threshold here
    dict(detector="AdaptiveDetector", threshold=3.0, min_scene_len=5),
    dict(detector="AdaptiveDetector", threshold=2.0, min_scene_len=0, window_width=3, min_content_val=5.0),
    dict(detector="AdaptiveDetector", threshold=3.0, min_scene_len=2, luma_only=True, window_width=1),
    dict(detector="ThresholdDetector", threshold=27.0, min_scene_len=15),  # DJ's threshold default
    dict(detector="ThresholdDetector", threshold=12.0, min_scene_len=3),
    dict(detector="ThresholdDetector", threshold=40.5, min_scene_len=0, fade_bias=-1.0, add_final_scene=True),
    dict(detector="ThresholdDetector", threshold=60.0, min_scene_len=5, fade_bias=0.7, add_final_scene=True),
    dict(detector="ThresholdDetector", threshold=200.0, min_scene_len=2, method=1, fade_bias=0.3),
]


def decoded_frames(path):
    """The frames cv2.VideoCapture decodes (what scenedetect's OpenCV backend reads), streamed."""
    cap = cv2.VideoCapture(path)
    while True:
        good, frame = cap.read()
        if not good:
            return
        yield frame


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--media", default="/work/shared/data/dj-media")
    ap.add_argument("--sequences", type=int, default=40)
    args = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ok = total = 0
    with tempfile.TemporaryDirectory() as tmp:
        src, exe = os.path.join(tmp, "drv.cc"), os.path.join(tmp, "drv")
        open(src, "w").write(DRIVER)
        subprocess.check_call(["g++", "-std=c++20", "-O2", "-I" + os.path.join(root, "src"),
                               "-isystem", "/usr/include/opencv4", src,
                               os.path.join(root, "src/winnow/media/scene_detect.cc"), "-o", exe,
                               "-lopencv_core", "-lopencv_imgproc"])
        by_det = {}

        def check(name, cfg, want, got):
            nonlocal ok, total
            total += 1
            same = want == got
            ok += same
            d = by_det.setdefault(cfg["detector"], [0, 0])
            d[0] += same
            d[1] += 1
            if not same:
                print(f"MISMATCH {name} {cfg}\n  scenedetect {want}\n  winnow      {got}", file=sys.stderr)
            return len(want)

        multi = 0
        for name, frames in gen_sequences(7, args.sequences):
            for cfg, got in zip(CONFIGS, run_driver(exe, frames, CONFIGS)):
                multi += check(name, cfg, oracle_frames(frames, cfg), got) > 1
        print(f"generated: {total} (sequence, config) runs, {ok} identical scene lists "
              f"({multi} of them with more than one scene)")
        gen_ok, gen_total = ok, total

        media_multi = 0
        for path in sorted(glob.glob(os.path.join(args.media, "*.mp4"))):
            for cfg, got in zip(CONFIGS, run_driver(exe, decoded_frames(path), CONFIGS)):
                want = frames_of(scenedetect.detect(path, make_detector(cfg), start_in_scene=True))
                media_multi += check(os.path.basename(path), cfg, want, got) > 1
        print(f"Data-Juicer videos (oracle: scenedetect.detect on the file): {ok - gen_ok}/{total - gen_total} "
              f"identical ({media_multi} with more than one scene)")
    for det, (a, b) in sorted(by_det.items()):
        print(f"  {det:>18}: {a}/{b}")
    print(f"total: {ok}/{total} identical (scenedetect {scenedetect.__version__}, OpenCV {cv2.__version__})")
    return 0 if ok == total else 1


if __name__ == "__main__":
    sys.exit(main())
