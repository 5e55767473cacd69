#!/usr/bin/python3
"""Parity check: Winnow's audio_dsp (NmfSnr) against an oracle of Data-Juicer's
audio_nmf_snr_filter.compute_nmf_snr.

DJ computes the SNR with librosa 0.10 (stft / istft / decompose) and scikit-learn's NMF. The
oracle below uses the real scikit-learn NMF (Debian: apt-get install python3-sklearn) and a
numpy re-implementation of the three librosa functions DJ calls, written from librosa 0.10.2's
source (librosa is not packaged for Debian): stft keeps librosa's head/middle/tail framing,
istft its head-block overlap-add and window-sum-square normalisation.

Usage (run with the system python, which has numpy/scipy/sklearn):
  /usr/bin/python3 bench/audio_nmf_parity.py            # signals + the dj-media wavs
  /usr/bin/python3 bench/audio_nmf_parity.py --literals # oracle numbers for the unit test
Everything it builds or writes goes to a temporary directory, never into the repo.
"""
import argparse
import math
import os
import subprocess
import sys
import tempfile
import time
import wave

import numpy as np
from sklearn.decomposition import NMF

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
N_FFT = 2048
HOP = 512


# ---------------------------------------------------------------- librosa 0.10 re-implementation
def hann_periodic(n):
    # scipy.signal.get_window('hann', n, fftbins=True): symmetric general_cosine of n + 1 points
    # (fac = linspace(-pi, pi, n + 1)), truncated to n.
    fac = np.linspace(-np.pi, np.pi, n + 1)
    w = np.zeros(n + 1)
    w += 0.5 * np.cos(0 * fac)
    w += 0.5 * np.cos(1 * fac)
    return w[:n]


def frame(x, frame_length, hop):
    if x.shape[-1] < frame_length:
        raise ValueError("too short to frame")
    n = 1 + (x.shape[-1] - frame_length) // hop
    return np.stack([x[i * hop:i * hop + frame_length] for i in range(n)], axis=-1)


def stft(y, n_fft=N_FFT, hop=HOP):
    """librosa.stft(y) with its defaults (center=True, pad_mode='constant', hann)."""
    win = hann_periodic(n_fft)[:, None]
    start_k = int(np.ceil(n_fft // 2 / hop))
    tail_k = (y.shape[-1] + n_fft // 2 - n_fft) // hop + 1
    if tail_k <= start_k:
        start, extra = 0, 0
        y = np.pad(y, (n_fft // 2, n_fft // 2), mode="constant")
        pre = post = None
    else:
        start = start_k * hop - n_fft // 2
        y_pre = np.pad(y[:(start_k - 1) * hop - n_fft // 2 + n_fft + 1], (n_fft // 2, 0))
        pre = frame(y_pre, n_fft, hop)[:, :start_k]
        extra = pre.shape[-1]
        if tail_k * hop - n_fft // 2 + n_fft <= y.shape[-1] + n_fft // 2:
            y_post = np.pad(y[tail_k * hop - n_fft // 2:], (0, n_fft // 2))
            post = frame(y_post, n_fft, hop)
            extra += post.shape[-1]
        else:
            post = np.empty((n_fft, 0))
    mid = frame(y[start:], n_fft, hop)
    out = np.zeros((1 + n_fft // 2, mid.shape[-1] + extra), dtype=np.complex128, order="F")
    off = 0
    if extra > 0:
        off = pre.shape[-1]
        out[:, :off] = np.fft.rfft(win * pre, axis=0)
        if post.shape[-1] > 0:
            out[:, -post.shape[-1]:] = np.fft.rfft(win * post, axis=0)
    out[:, off:off + mid.shape[-1]] = np.fft.rfft(win * mid, axis=0)
    return out


def overlap_add(y, frames, hop):
    n = frames.shape[0]
    for f in range(frames.shape[1]):
        s = f * hop
        m = min(n, y.shape[-1] - s)
        if m <= 0:
            break
        y[s:s + m] += frames[:m, f]


def istft(D, hop=HOP):
    """librosa.istft(D) with its defaults (no length, center=True, hann)."""
    n_fft = 2 * (D.shape[0] - 1)
    win = hann_periodic(n_fft)[:, None]
    n_frames = D.shape[1]
    y = np.zeros(n_fft + hop * (n_frames - 1) - 2 * (n_fft // 2))
    start_frame = int(np.ceil((n_fft // 2) / hop))
    ytmp = win * np.fft.irfft(D[:, :start_frame], n=n_fft, axis=0)
    head = np.zeros(n_fft + hop * (start_frame - 1))
    overlap_add(head, ytmp, hop)
    if y.shape[-1] < head.shape[-1] - n_fft // 2:
        y[:] = head[n_fft // 2:y.shape[-1] + n_fft // 2]
    else:
        y[:head.shape[-1] - n_fft // 2] = head[n_fft // 2:]
    offset = start_frame * hop - n_fft // 2
    if n_frames > start_frame:
        ytmp = win * np.fft.irfft(D[:, start_frame:], n=n_fft, axis=0)
        overlap_add(y[offset:], ytmp, hop)  # a view: adds into y
    # window_sumsquare, then fix_length to len(y)
    wss = np.zeros(n_fft + hop * (n_frames - 1))
    wsq = hann_periodic(n_fft) ** 2
    for i in range(n_frames):
        s = i * hop
        wss[s:min(len(wss), s + n_fft)] += wsq[:max(0, min(n_fft, len(wss) - s))]
    wss = wss[n_fft // 2:]
    wss = wss[:len(y)] if len(wss) >= len(y) else np.pad(wss, (0, len(y) - len(wss)))
    nz = wss > np.finfo(np.float64).tiny
    y[nz] /= wss[nz]
    return y


def decompose(S, n_components, max_iter):
    """librosa.decompose.decompose(S, n_components, init='random', random_state=0, max_iter)."""
    X = S.T.reshape((S.shape[-1], -1), order="F")
    t = NMF(n_components=n_components, init="random", random_state=0, max_iter=max_iter)
    activations = t.fit_transform(X).T
    components = t.components_.reshape([S.shape[0], -1][::-1], order="F").T
    return components, activations, t.n_iter_


def compute_nmf_snr(audio, nmf_iter=500):
    """DJ's audio_nmf_snr_filter.compute_nmf_snr, step by step."""
    S = np.abs(stft(audio))
    W, H, n_iter = decompose(S, 2, nmf_iter)
    signal = np.dot(W[:, 0:1], H[0:1, :])
    noise = np.dot(W[:, 1:2], H[1:2, :])
    signal_audio = istft(signal * np.exp(1j * np.angle(S)))
    noise_audio = istft(noise * np.exp(1j * np.angle(S)))
    with np.errstate(all="ignore"):
        ps = np.mean(signal_audio ** 2)
        pn = np.mean(noise_audio ** 2)
        snr = np.finfo(np.float64).max if pn == 0 else 10 * np.log10(ps / pn)
    return float(snr), n_iter


# ---------------------------------------------------------------- test signals
def sine_plus_noise(n, sr, freq, amp, snr_db, seed):
    """amp*sin(2 pi f t) + N(0, sigma) with sigma for the requested SNR; the noise is numpy's
    legacy RandomState(seed).standard_normal, the sine uses libm's sin (math.sin) so that the C++
    side (std::sin) builds the very same samples."""
    s = np.array([amp * math.sin(2.0 * math.pi * freq * i / sr) for i in range(n)])
    sigma = amp / math.sqrt(2.0) / (10.0 ** (snr_db / 20.0))
    return s + sigma * np.random.RandomState(seed).standard_normal(n)


def test_signals():
    sr = 16000
    sig = {}
    for snr in (20, 10, 0, -5):
        sig[f"sine440_snr{snr}"] = sine_plus_noise(16000, sr, 440.0, 0.5, snr, 7)
    sig["silence_1s"] = np.zeros(16000)
    sig["short_1000"] = sine_plus_noise(1000, sr, 440.0, 0.5, 10, 3)   # < n_fft: 2 frames
    sig["short_2048"] = sine_plus_noise(2048, sr, 1000.0, 0.3, 5, 4)   # exactly n_fft
    sig["tiny_300"] = sine_plus_noise(300, sr, 440.0, 0.5, 10, 5)      # < hop: empty istft -> nan
    sig["odd_5000"] = sine_plus_noise(5000, sr, 3000.0, 0.2, 3, 6)     # not a multiple of hop
    return sig


def read_wav_mono(path):
    """16-bit PCM -> float64 /32768 (soundfile's scaling), channel mean (HF Audio mono)."""
    with wave.open(path) as w:
        assert w.getsampwidth() == 2
        ch, sr = w.getnchannels(), w.getframerate()
        x = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64) / 32768.0
    return x.reshape(-1, ch).mean(axis=1), sr


# ---------------------------------------------------------------- C++ driver
DRIVER = r"""
#include <cstdio>
#include <vector>
#include <chrono>
#include "winnow/media/audio_dsp.h"
// Reads [int64 n, n doubles, int32 iters]* from argv[1]; prints one SNR per signal.
int main(int argc, char** argv) {
  FILE* f = std::fopen(argv[1], "rb");
  long long n;
  while (std::fread(&n, 8, 1, f) == 1) {
    std::vector<double> x(n);
    if (n && std::fread(x.data(), 8, n, f) != static_cast<size_t>(n)) return 2;
    int iters;
    if (std::fread(&iters, 4, 1, f) != 1) return 2;
    auto t0 = std::chrono::steady_clock::now();
    double snr = winnow::media::NmfSnr(x, iters);
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("%.17g %.6f\n", snr, s);
  }
  return 0;
}
"""


def build_driver(tmp):
    src = os.path.join(tmp, "driver.cc")
    exe = os.path.join(tmp, "driver")
    with open(src, "w") as f:
        f.write(DRIVER)
    subprocess.check_call(["g++", "-std=c++20", "-O2", "-I" + os.path.join(REPO, "src"), src,
                           os.path.join(REPO, "src/winnow/media/audio_dsp.cc"), "-o", exe])
    return exe


def run_driver(exe, tmp, items):
    path = os.path.join(tmp, "signals.bin")
    with open(path, "wb") as f:
        for x, iters in items:
            f.write(np.int64(len(x)).tobytes())
            f.write(np.ascontiguousarray(x, dtype="<f8").tobytes())
            f.write(np.int32(iters).tobytes())
    out = subprocess.check_output([exe, path], text=True).split("\n")
    return [(float(l.split()[0]), float(l.split()[1])) for l in out if l.strip()]


def rel(a, b):
    if math.isnan(a) and math.isnan(b):
        return 0.0
    if a == b:
        return 0.0
    return abs(a - b) / max(abs(a), abs(b))


def print_unit_test_literals():
    """The non-SNR literals of tests/unit/audio_dsp_test.cc."""
    import random
    print("standard_normal, RandomState(0), 7 draws:", np.random.RandomState(0).standard_normal(7).tolist())
    print("random_sample, RandomState(0), 3 draws:", np.random.RandomState(0).random_sample(3).tolist())
    print("random.Random(5).random() x3:", [random.Random(5).random() for _ in range(1)],
          (lambda r: [r.random() for _ in range(3)])(random.Random(5)))
    print("random.Random(2**32+7).random():", random.Random(2**32 + 7).random())
    print("hann_periodic(8):", hann_periodic(8).tolist())
    # NMF on small matrices: X from RandomState(1).random_sample, sklearn defaults + init='random'.
    for (n, m, k, it, seed) in ((6, 5, 2, 200, 0), (4, 7, 3, 30, 3), (10, 4, 2, 500, 0)):
        X = np.random.RandomState(1).random_sample((n, m))
        t = NMF(n_components=k, init="random", random_state=seed, max_iter=it)
        W = t.fit_transform(X)
        print(f"NMF X=RandomState(1).random_sample(({n},{m})) k={k} max_iter={it} random_state={seed}: "
              f"n_iter={t.n_iter_}")
        print("  W =", ", ".join(repr(v) for v in W.ravel()))
        print("  H =", ", ".join(repr(v) for v in t.components_.ravel()))
    # audiomentations.AddGaussianNoise after random.seed(11), np.random.seed(22): 3 calls on
    # [0.1, -0.2, 0.3, 1e-3, 0.5] with p=0.5 (the third one on an empty array).
    random.seed(11)
    np.random.seed(22)
    x = np.array([0.1, -0.2, 0.3, 1e-3, 0.5])
    for arr in (x, x, np.array([]), x):
        s32 = np.float32(arr)
        apply = random.random() < 0.5
        if apply:
            amp = random.uniform(0.001, 0.015)
        if apply and len(s32) > 0:
            s32 = s32 + amp * np.random.randn(*s32.shape).astype(np.float32)
        print("  noise call: applied", apply, "amp", repr(amp) if apply else None,
              "out", [float(v).hex() for v in s32], s32.dtype)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--literals", action="store_true", help="print oracle values for the tests")
    ap.add_argument("--no-wav", action="store_true")
    args = ap.parse_args()
    if args.literals:
        print_unit_test_literals()

    items = [(name, x, 500) for name, x in test_signals().items()]
    items.append(("sine440_snr10_iter50", test_signals()["sine440_snr10"], 50))
    # The speed case: 10 s at 16 kHz (313 frames x 1025 bins), 500 iterations.
    items.append(("speed: sine440_snr10 10s 16kHz", sine_plus_noise(160000, 16000, 440.0, 0.5, 10, 8), 500))
    if not args.no_wav:
        for name in ("audio1.wav", "audio2.wav"):
            x, sr = read_wav_mono(os.path.join("/work/shared/data/dj-media", name))
            items.append((f"{name} ({sr} Hz, {len(x)} samples)", x, 500))

    with tempfile.TemporaryDirectory() as tmp:
        exe = build_driver(tmp)
        cpp = run_driver(exe, tmp, [(x, it) for _, x, it in items])

    worst = 0.0
    print(f"{'signal':40s} {'oracle (DJ)':>24s} {'winnow':>24s} {'rel diff':>9s} "
          f"{'nmf it':>6s} {'py s':>6s} {'c++ s':>6s}")
    for (name, x, it), (snr_cpp, secs) in zip(items, cpp):
        t0 = time.time()
        snr_py, n_iter = compute_nmf_snr(x, it)
        py_s = time.time() - t0
        r = rel(snr_py, snr_cpp)
        worst = max(worst, r)
        print(f"{name:40s} {snr_py:24.17g} {snr_cpp:24.17g} {r:9.1e} {n_iter:6d} "
              f"{py_s:6.2f} {secs:6.3f}")
        if args.literals:
            print(f"    literal: {{\"{name}\", {snr_py!r}}}")
    print(f"worst relative difference: {worst:.2e}")
    return 0 if worst <= 1e-6 else 1


if __name__ == "__main__":
    sys.exit(main())
