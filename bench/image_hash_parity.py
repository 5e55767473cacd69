#!/usr/bin/env python3
"""Parity of src/winnow/media/image_hash.{h,cc} (and pil_image.{h,cc}) with the `imagededup`
hashes that Data-Juicer's image_deduplicator uses: PHash, DHash, WHash, AHash via
hasher.encode_image(image_array=np.array(pil_image)).

imagededup is not installed here, so the oracle is imagededup's own hashing.py and
image_utils.py, taken from a checkout (or the bare git directory the `fetch` tool leaves) and
loaded with stubs for the modules hashing does not need (search, multiprocessing helpers).
The script generates ~300 images with numpy/PIL (noise, gradients, flat colours, shapes,
mirror-symmetric images that provoke coefficient ties, checkerboards, tiny/odd/very wide
sizes and the exact target sizes; L, RGB and RGBA), saves them as PNG into a temp dir, reads
them back, and compares the oracle with a small C++ driver compiled here with g++. Data-Juicer's
test images (--media) are added decoded by PIL as DJ does (convert("RGB")), so only the hashing
is compared, not the JPEG decoder. RGBA: imagededup rejects 4-channel arrays; DJ never passes
one (it converts to RGB, dropping alpha), so the oracle hashes arr[..., :3].
It also checks pil_image's Resize against PIL for every filter and ToLuma against convert('L').

  apt-get install -y python3-pywt      # the oracle needs pywt (and numpy, scipy, Pillow)
  /usr/bin/python3 bench/image_hash_parity.py \
      [--imagededup /work/.mirror/idealo+imagededup/repo] [--media DIR] [--cases 300]
(run from the repository root; exits 1 on any mismatch)."""
import argparse
import glob
import importlib
import os
import random
import struct
import subprocess
import sys
import tempfile

import numpy as np
import PIL
from PIL import Image, ImageDraw

DRIVER = r"""
#include <cstdio>
#include <cstdint>
#include <vector>
#include "winnow/media/image_hash.h"
#include "winnow/media/pil_image.h"
using namespace winnow::media;
// stdin: repeated {int32 op, w, h, channels, out_w, out_h, filter; w*h*channels bytes}.
// op 0: print the 4 hashes (phash dhash whash ahash) on one line.
// op 1: write Resize(out_w, out_h, filter) bytes; op 2: write ToLuma bytes.
int main() {
  int32_t hd[7];
  while (fread(hd, 4, 7, stdin) == 7) {
    std::vector<uint8_t> px(size_t(hd[1]) * hd[2] * hd[3]);
    if (fread(px.data(), 1, px.size(), stdin) != px.size()) return 1;
    if (hd[0] == 0) {
      for (auto m : {ImageHashMethod::kPHash, ImageHashMethod::kDHash, ImageHashMethod::kWHash,
                     ImageHashMethod::kAHash})
        printf("%s ", ImageHash(m, px.data(), hd[1], hd[2], hd[3]).c_str());
      printf("\n");
    } else if (hd[0] == 1) {
      auto out = Resize(px.data(), hd[1], hd[2], hd[3], hd[4], hd[5], ResampleFilter(hd[6]));
      fwrite(out.data(), 1, out.size(), stdout);
    } else {
      auto out = ToLuma(px.data(), hd[1], hd[2], hd[3]);
      fwrite(out.data(), 1, out.size(), stdout);
    }
  }
  return 0;
}
"""

METHODS = ("phash", "dhash", "whash", "ahash")
# ResampleFilter's enumerator order -> PIL's filter.
FILTERS = [Image.NEAREST, Image.BOX, Image.BILINEAR, Image.HAMMING, Image.BICUBIC, Image.LANCZOS]
FILTER_NAMES = ["NEAREST", "BOX", "BILINEAR", "HAMMING", "BICUBIC", "LANCZOS"]


def read_source(src, rel):
    if os.path.isfile(os.path.join(src, rel)):
        return open(os.path.join(src, rel)).read()
    return subprocess.check_output(["git", "-C", src, "show", "HEAD:" + rel], text=True)


def load_oracle(src, tmp):
    """imagededup.methods.{PHash,...} from the real hashing.py, with stubbed side modules."""
    pkg = os.path.join(tmp, "oracle", "imagededup")
    files = {
        "__init__.py": "",
        "methods/__init__.py": "from .hashing import PHash, AHash, DHash, WHash\n",
        "methods/hashing.py": read_source(src, "imagededup/methods/hashing.py"),
        "utils/__init__.py": "",
        "utils/image_utils.py": read_source(src, "imagededup/utils/image_utils.py"),
        "utils/logger.py": read_source(src, "imagededup/utils/logger.py"),
        "utils/general_utils.py": "get_files_to_remove = save_json = parallelise = None\n"
                                  "generate_files = generate_relative_names = None\n",
        "handlers/__init__.py": "",
        "handlers/search/__init__.py": "",
        "handlers/search/retrieval.py": "HashEval = None\n",
    }
    for rel, text in files.items():
        os.makedirs(os.path.dirname(os.path.join(pkg, rel)), exist_ok=True)
        open(os.path.join(pkg, rel), "w").write(text)
    sys.path.insert(0, os.path.join(tmp, "oracle"))
    m = importlib.import_module("imagededup.methods")
    return {"phash": m.PHash(verbose=False), "dhash": m.DHash(verbose=False),
            "whash": m.WHash(verbose=False), "ahash": m.AHash(verbose=False)}


def oracle_hashes(hashers, arr):
    if arr.ndim == 3 and arr.shape[2] == 4:
        arr = np.ascontiguousarray(arr[..., :3])  # DJ's convert("RGB") drops alpha
    return [hashers[m].encode_image(image_array=arr) for m in METHODS]


def gen_images(n, seed):
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    fixed = [(1, 1), (1, 2), (2, 1), (3, 3), (5, 7), (8, 8), (9, 8), (32, 32), (256, 256),
             (31, 33), (255, 257), (1000, 3), (3, 1000), (2000, 1), (1, 600), (17, 5),
             (640, 480), (33, 700)]
    kinds = ["noise", "lowcontrast", "hgrad", "vgrad", "dgrad", "flat", "shapes", "checker",
             "mirror_h", "mirror_v", "mirror_hv", "binary", "stripes", "blocks"]
    for i in range(n):
        if i < len(fixed) * 2:
            w, h = fixed[i % len(fixed)]
        elif rng.random() < 0.3:
            w, h = rng.randint(1, 40), rng.randint(1, 40)
        else:
            w, h = rng.randint(1, 700), rng.randint(1, 500)
        mode = ["RGB", "RGB", "L", "RGBA"][i % 4]
        kind = kinds[i % len(kinds)]
        c = {"L": 1, "RGB": 3, "RGBA": 4}[mode]
        yy, xx = np.mgrid[0:h, 0:w]
        if kind == "noise":
            a = nrng.integers(0, 256, (h, w, c))
        elif kind == "lowcontrast":
            a = 120 + nrng.integers(0, 3, (h, w, c))
        elif kind == "hgrad":
            a = np.repeat((xx * 255 // max(w - 1, 1))[..., None], c, -1)
        elif kind == "vgrad":
            a = np.repeat((yy * 255 // max(h - 1, 1))[..., None], c, -1)
        elif kind == "dgrad":
            a = np.stack([(xx + yy) % 256, (xx * 3) % 256, (255 - yy) % 256, xx % 256], -1)[..., :c]
        elif kind == "flat":
            a = np.broadcast_to(np.array([rng.randint(0, 255) for _ in range(c)]), (h, w, c))
        elif kind == "checker":
            s = rng.randint(1, 16)
            a = np.repeat((((xx // s) + (yy // s)) % 2 * 255)[..., None], c, -1)
        elif kind.startswith("mirror"):
            a = nrng.integers(0, 256, (h, w, c))
            if "h" in kind[7:]:
                a = np.concatenate([a[:, : (w + 1) // 2], a[:, : w // 2][:, ::-1]], 1)
            if "v" in kind[7:]:
                a = np.concatenate([a[: (h + 1) // 2], a[: h // 2][::-1]], 0)
        elif kind == "binary":
            a = nrng.integers(0, 2, (h, w, c)) * 255
        elif kind == "stripes":
            a = np.repeat(((xx // max(1, w // 8)) % 2 * 200 + 20)[..., None], c, -1)
        elif kind == "blocks":
            a = np.repeat(np.kron(nrng.integers(0, 256, (h // 8 + 1, w // 8 + 1)),
                                  np.ones((8, 8)))[:h, :w, None], c, -1)
        else:  # shapes
            img = Image.new(mode, (w, h), tuple(rng.randint(0, 255) for _ in range(c)) if c > 1
                            else rng.randint(0, 255))
            d = ImageDraw.Draw(img)
            for _ in range(rng.randint(1, 6)):
                box = sorted([rng.randint(0, w), rng.randint(0, w)]), sorted([rng.randint(0, h), rng.randint(0, h)])
                fill = tuple(rng.randint(0, 255) for _ in range(c)) if c > 1 else rng.randint(0, 255)
                xy = [box[0][0], box[1][0], box[0][1], box[1][1]]
                [d.rectangle, d.ellipse, d.line][rng.randint(0, 2)](xy, fill=fill)
            a = np.asarray(img)
        a = np.ascontiguousarray(a.astype(np.uint8))
        if a.ndim == 3 and c == 1:
            a = a[..., 0]
        yield f"gen{i:03d}_{kind}_{mode}_{w}x{h}", a


def record(op, arr, out_w=0, out_h=0, filt=0):
    h, w = arr.shape[:2]
    c = 1 if arr.ndim == 2 else arr.shape[2]
    return struct.pack("<7i", op, w, h, c, out_w, out_h, filt) + arr.tobytes()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--imagededup", default="/work/.mirror/idealo+imagededup/repo",
                    help="imagededup checkout or bare git dir")
    ap.add_argument("--media", default="/work/shared/data/dj-media")
    ap.add_argument("--cases", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

    with tempfile.TemporaryDirectory() as tmp:
        hashers = load_oracle(args.imagededup, tmp)
        images = []
        for name, arr in gen_images(args.cases, args.seed):
            path = os.path.join(tmp, name + ".png")
            Image.fromarray(arr).save(path)
            images.append((name, np.asarray(Image.open(path))))
        for path in sorted(glob.glob(os.path.join(args.media, "*.jpg")) +
                           glob.glob(os.path.join(args.media, "*.png"))):
            images.append((os.path.basename(path), np.asarray(Image.open(path).convert("RGB"))))

        rng = random.Random(args.seed)
        resize_cases = []
        for name, arr in images[: min(len(images), 200)]:
            h, w = arr.shape[:2]
            for f in range(len(FILTERS)):
                ow = rng.choice([1, 2, 8, 9, 32, w, max(1, w // 3), w * 2 + 1, rng.randint(1, 300)])
                oh = rng.choice([1, 3, 8, 32, h, max(1, h // 2), h * 3, rng.randint(1, 300)])
                resize_cases.append((name, arr, ow, oh, f))

        src, exe = os.path.join(tmp, "drv.cc"), os.path.join(tmp, "drv")
        open(src, "w").write(DRIVER)
        subprocess.check_call(["g++", "-std=c++20", "-O2", "-I" + os.path.join(root, "src"), src,
                               os.path.join(root, "src/winnow/media/image_hash.cc"),
                               os.path.join(root, "src/winnow/media/pil_image.cc"), "-o", exe])
        hash_out = subprocess.run([exe], input=b"".join(record(0, a) for _, a in images),
                                  capture_output=True, check=True).stdout.decode().splitlines()
        resize_out = subprocess.run(
            [exe], input=b"".join(record(1, a, ow, oh, f) for _, a, ow, oh, f in resize_cases)
            + b"".join(record(2, a) for _, a in images), capture_output=True, check=True).stdout

    ok = {m: 0 for m in METHODS}
    for (name, arr), line in zip(images, hash_out):
        got, want = line.split(), oracle_hashes(hashers, arr)
        for m, g, w in zip(METHODS, got, want):
            ok[m] += g == w
            if g != w:
                print(f"MISMATCH {m} {name}: winnow {g} imagededup {w}", file=sys.stderr)
    pos, rok, lok = 0, [0] * len(FILTERS), 0
    rtot = [0] * len(FILTERS)
    for name, arr, ow, oh, f in resize_cases:
        pil = Image.fromarray(arr if arr.ndim == 2 or arr.shape[2] == 3 else arr[..., :3])
        c = 1 if arr.ndim == 2 else arr.shape[2]
        n = ow * oh * c
        got = np.frombuffer(resize_out[pos:pos + n], np.uint8)
        pos += n
        if c == 4:  # PIL premultiplies RGBA; compare channels as independent RGB + alpha-as-L
            want = np.concatenate([np.asarray(pil.resize((ow, oh), FILTERS[f])),
                                   np.asarray(Image.fromarray(np.ascontiguousarray(arr[..., 3]))
                                              .resize((ow, oh), FILTERS[f]))[..., None]], -1)
        else:
            want = np.asarray(pil.resize((ow, oh), FILTERS[f]))
        same = np.array_equal(got, want.reshape(-1))
        rok[f] += same
        rtot[f] += 1
        if not same:
            print(f"MISMATCH resize {FILTER_NAMES[f]} {name} -> {ow}x{oh}", file=sys.stderr)
    for name, arr in images:
        n = arr.shape[0] * arr.shape[1]
        got = np.frombuffer(resize_out[pos:pos + n], np.uint8)
        pos += n
        pil = Image.fromarray(arr if arr.ndim == 2 or arr.shape[2] == 3 else arr[..., :3])
        lok += np.array_equal(got, np.asarray(pil.convert("L")).reshape(-1))

    n = len(images)
    print(f"Pillow {PIL.__version__}, numpy {np.__version__}, imagededup from {args.imagededup}")
    print(f"{n} images ({args.cases} generated + {n - args.cases} from {args.media})")
    for m in METHODS:
        print(f"  {m}: {ok[m]}/{n} identical hash strings")
    for f, name in enumerate(FILTER_NAMES):
        print(f"  resize {name}: {rok[f]}/{rtot[f]} byte-identical")
    print(f"  convert('L'): {lok}/{n} byte-identical")
    good = all(v == n for v in ok.values()) and rok == rtot and lok == n
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
