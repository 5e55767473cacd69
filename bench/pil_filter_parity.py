#!/usr/bin/env python3
"""Parity of src/winnow/media/pil_filter.{h,cc} with Pillow's blur filters, as Data-Juicer's
image_blur_mapper / image_face_blur_mapper call them: img.convert('RGB').filter(f) with
f = ImageFilter.BLUR ("mean"), ImageFilter.BoxBlur(r) ("box"), ImageFilter.GaussianBlur(r)
("gaussian"). Compiles a small C++ driver with g++, runs it on many generated images (random
noise, gradients, tiny and thin sizes, huge radii) plus Data-Juicer's test images, and counts
byte-identical outputs.

  /usr/bin/python3 bench/pil_filter_parity.py [--media DIR] [--cases N]
(run from the repository root; needs Pillow, numpy and g++)."""
import argparse
import glob
import os
import random
import struct
import subprocess
import sys
import tempfile

import numpy as np
import PIL
from PIL import Image, ImageFilter

DRIVER = r"""
#include <cstdio>
#include <cstdint>
#include <vector>
#include "winnow/media/pil_filter.h"
using namespace winnow::media;
// stdin: repeated {int32 op, float64 radius, int32 w, int32 h, w*h*3 bytes}; op 0 BLUR, 1 box,
// 2 gaussian, 3 gaussian on the sub-rectangle [w/4, 3w/4) x [h/4, 3h/4) (face-blur style).
// stdout: the filtered pixels of each case, back to back.
int main() {
  int32_t op, w, h; double r;
  while (fread(&op, 4, 1, stdin) == 1 && fread(&r, 8, 1, stdin) == 1 &&
         fread(&w, 4, 1, stdin) == 1 && fread(&h, 4, 1, stdin) == 1) {
    Rgb8Image img(w, h);
    if (fread(img.px.data(), 1, img.px.size(), stdin) != img.px.size()) return 1;
    if (op == 0) BlurKernel(img);
    else if (op == 1) BoxBlur(img, r);
    else if (op == 2) GaussianBlur(img, r);
    else GaussianBlur(Rgb8View(img).Sub(w / 4, h / 4, 3 * w / 4 - w / 4, 3 * h / 4 - h / 4), r);
    fwrite(img.px.data(), 1, img.px.size(), stdout);
  }
  return 0;
}
"""


def pil_apply(arr, op, r):
    img = Image.fromarray(arr, "RGB")
    if op == 0:
        return np.asarray(img.filter(ImageFilter.BLUR))
    if op == 1:
        return np.asarray(img.filter(ImageFilter.BoxBlur(r)))
    if op == 2:
        return np.asarray(img.filter(ImageFilter.GaussianBlur(r)))
    w, h = img.size
    box = (w // 4, h // 4, 3 * w // 4, 3 * h // 4)
    out = img.copy()
    out.paste(img.crop(box).filter(ImageFilter.GaussianBlur(r)), box)
    return np.asarray(out)


def gen_images(rng, n):
    sizes = [(1, 1), (1, 7), (7, 1), (2, 2), (3, 5), (4, 4), (5, 5), (6, 5), (5, 9), (16, 9),
             (31, 17), (64, 48), (100, 3), (3, 100), (129, 77)]
    for i in range(n):
        w, h = sizes[i % len(sizes)] if i < 3 * len(sizes) else (rng.randint(1, 160), rng.randint(1, 120))
        kind = i % 4
        if kind == 0:
            arr = np.random.default_rng(i).integers(0, 256, (h, w, 3), dtype=np.uint8)
        elif kind == 1:  # smooth gradients: rounding ties are common here
            yy, xx = np.mgrid[0:h, 0:w]
            arr = np.stack([(xx * 255 // max(w - 1, 1)), (yy * 255 // max(h - 1, 1)),
                            ((xx + yy) * 7) % 256], -1).astype(np.uint8)
        elif kind == 2:  # extremes: 0/255 blocks stress the uint32 accumulators
            arr = (np.random.default_rng(i).integers(0, 2, (h, w, 3)) * 255).astype(np.uint8)
        else:  # flat with sparse spikes
            arr = np.full((h, w, 3), 128, np.uint8)
            arr[np.random.default_rng(i).random((h, w)) < 0.05] = (255, 0, 7)
        yield arr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--media", default="/work/shared/data/dj-media")
    ap.add_argument("--cases", type=int, default=400)
    args = ap.parse_args()
    rng = random.Random(1234)
    radii = [0, 0.3, 0.5, 1, 1.5, 2, 2.7, 3, 5, 7.25, 12, 40, 300.5]

    cases = []
    for arr in gen_images(rng, args.cases):
        cases.append((0, 0.0, arr))
        for op in (1, 2, 3):
            if op == 3 and min(arr.shape[:2]) < 4:
                continue  # an empty crop: Pillow 9.4 itself segfaults blurring a 0-pixel image
            cases.append((op, rng.choice(radii) if rng.random() < 0.6 else rng.uniform(0, 20), arr))
    for path in sorted(glob.glob(os.path.join(args.media, "*.jpg")) + glob.glob(os.path.join(args.media, "*.png"))):
        arr = np.asarray(Image.open(path).convert("RGB"))
        for op, r in ((0, 0.0), (1, 2.0), (2, 2.0), (1, 5.5), (2, 7.3), (3, 2.0)):
            cases.append((op, r, arr))

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with tempfile.TemporaryDirectory() as tmp:
        src, exe = os.path.join(tmp, "drv.cc"), os.path.join(tmp, "drv")
        open(src, "w").write(DRIVER)
        subprocess.check_call(["g++", "-std=c++20", "-O2", "-I" + os.path.join(root, "src"), src,
                               os.path.join(root, "src/winnow/media/pil_filter.cc"), "-o", exe])
        payload = b"".join(struct.pack("<idii", op, r, a.shape[1], a.shape[0]) + a.tobytes()
                           for op, r, a in cases)
        out = subprocess.run([exe], input=payload, capture_output=True, check=True).stdout

    names = {0: "BLUR", 1: "BoxBlur", 2: "GaussianBlur", 3: "crop+GaussianBlur+paste"}
    stats, pos = {}, 0
    for op, r, a in cases:
        n = a.size
        got = np.frombuffer(out[pos:pos + n], np.uint8).reshape(a.shape)
        pos += n
        want = pil_apply(a, op, r)
        ok, tot = stats.get(op, (0, 0))
        same = np.array_equal(got, want)
        stats[op] = (ok + same, tot + 1)
        if not same:
            d = np.abs(got.astype(int) - want.astype(int))
            print(f"MISMATCH {names[op]} r={r} size={a.shape[1]}x{a.shape[0]}: "
                  f"{(d > 0).sum()} bytes differ, max {d.max()}", file=sys.stderr)
    print(f"Pillow {PIL.__version__}")
    for op in sorted(stats):
        print(f"{names[op]:>24}: {stats[op][0]}/{stats[op][1]} byte-identical")
    return 0 if all(a == b for a, b in stats.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
