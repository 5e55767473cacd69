#!/usr/bin/python3
"""Regenerates the small audio / video / image files the golden cases of the audio, video and media
deduplicator ops use (tests/golden/ops/audio_*.jsonl, video_*.jsonl, image_deduplicator.jsonl,
video_deduplicator.jsonl). Deterministic: fixed seeds, single-threaded encoders.

  /usr/bin/python3 tests/golden/assets/make_media_assets.py   # needs numpy, Pillow and PyAV (av 10)

audio/  8 kHz 16-bit PCM WAV written with Python's `wave` module (samples = round(x * 32767)):
  tone_0p5s_mono.wav       0.5 s (4000 frames) 440 Hz sine, amplitude 0.5
  tone_0p5s_stereo.wav     0.5 s stereo: left 440 Hz, right 660 Hz, amplitude 0.4
  tone_noise_2s_mono.wav   2 s (16000 frames) 300 Hz sine 0.4 + N(0, 0.05) (RandomState(0))
  noise_1s_mono.wav        1 s white noise N(0, 0.2) clipped to [-1, 1] (RandomState(1))
  silence_1s_mono.wav      1 s of zeros
  zero_frames.wav          a valid WAV header with no frames
  empty.wav                0 bytes
  not_audio.wav            a text file
video/  PyAV (libx264, yuv420p, crf 30, threads 1 / mpeg4), frames are moving colour gradients:
  h264_64x48_1s.mp4        64x48, 10 fps, 10 frames
  h264_48x64_3s.mp4        48x64, 10 fps, 30 frames
  mpeg4_64x36_2p5s.mp4     64x36 (16:9), 10 fps, 25 frames, mpeg4 codec
  h264_64x48_1s_copy.mp4   byte copy of h264_64x48_1s.mp4
  h264_64x48_1s_remux.mp4  the packets of h264_64x48_1s.mp4 re-muxed into a new mp4 with a
                           `title` metadata tag (different bytes, identical video packets)
  h264_64x48_1s_audio.mp4  the same video packets plus an 8 kHz AAC audio track (audio packets do
                           not enter video_deduplicator's hash)
  truncated.mp4            the first 600 bytes of h264_48x64_3s.mp4
  not_video.mp4            a text file
  empty.mp4                0 bytes
image_dedup/  PNG / BMP written with Pillow:
  grad.png                 48x32 RGB gradient with a dark rectangle
  grad_copy.bmp            the same pixels saved as BMP (other bytes, same decoded image)
  noise.png                48x32 RGB noise (numpy RandomState(2))
  noise_rgba.png           noise.png's pixels plus an alpha channel of 128 (DJ's load_image
                           converts to RGB, so it hashes like noise.png)
"""
import io
import math
import os
import shutil
import wave
from fractions import Fraction

import av
import numpy as np
from PIL import Image, ImageDraw

HERE = os.path.dirname(os.path.abspath(__file__))
SR = 8000


def write_wav(path, x, channels=1):
    """x: float array (frames,) or (frames, channels) in [-1, 1]."""
    pcm = np.round(np.clip(np.asarray(x, dtype=np.float64), -1, 1) * 32767).astype("<i2")
    with wave.open(path, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(SR)
        w.writeframes(pcm.tobytes())


def sine(freq, n, amp):
    return np.array([amp * math.sin(2 * math.pi * freq * i / SR) for i in range(n)])


def make_audio(d):
    os.makedirs(d, exist_ok=True)
    write_wav(os.path.join(d, "tone_0p5s_mono.wav"), sine(440, 4000, 0.5))
    write_wav(os.path.join(d, "tone_0p5s_stereo.wav"),
              np.stack([sine(440, 4000, 0.4), sine(660, 4000, 0.4)], axis=1), channels=2)
    write_wav(os.path.join(d, "tone_noise_2s_mono.wav"),
              sine(300, 16000, 0.4) + 0.05 * np.random.RandomState(0).standard_normal(16000))
    write_wav(os.path.join(d, "noise_1s_mono.wav"), 0.2 * np.random.RandomState(1).standard_normal(8000))
    write_wav(os.path.join(d, "silence_1s_mono.wav"), np.zeros(8000))
    write_wav(os.path.join(d, "zero_frames.wav"), np.zeros(0))
    open(os.path.join(d, "empty.wav"), "wb").close()
    with open(os.path.join(d, "not_audio.wav"), "w") as f:
        f.write("this is not a WAV file\n")


def frame_rgb(w, h, i, n):
    yy, xx = np.mgrid[0:h, 0:w]
    r = (xx * 255 // max(w - 1, 1) + 8 * i) % 256
    g = (yy * 255 // max(h - 1, 1) + 5 * i) % 256
    b = np.full_like(xx, (255 * i) // max(n - 1, 1))
    return np.stack([r, g, b], axis=-1).astype(np.uint8)


def encode(path, codec, w, h, n, fps=10):
    with av.open(path, "w") as c:
        s = c.add_stream(codec, rate=fps)
        s.width, s.height, s.pix_fmt = w, h, "yuv420p"
        if codec == "libx264":
            s.options = {"crf": "30", "preset": "medium"}
        s.thread_count = 1
        s.codec_context.thread_type = "NONE"
        for i in range(n):
            fr = av.VideoFrame.from_ndarray(frame_rgb(w, h, i, n), format="rgb24")
            for p in s.encode(fr):
                c.mux(p)
        for p in s.encode():
            c.mux(p)


def remux(src, dst, title=None, add_audio=False):
    with av.open(src) as i, av.open(dst, "w") as o:
        if title:
            o.metadata["title"] = title
        vin = i.streams.video[0]
        vout = o.add_stream(template=vin)
        aout = None
        if add_audio:
            aout = o.add_stream("aac", rate=SR)
            aout.layout = "mono"
        for p in i.demux(vin):
            if p.dts is None:
                continue
            p.stream = vout
            o.mux(p)
        if aout is not None:
            x = (sine(440, SR, 0.3) * 32767).astype(np.int16)[None, :]
            for k in range(0, SR, 1024):
                fr = av.AudioFrame.from_ndarray(np.ascontiguousarray(x[:, k:k + 1024]), format="s16", layout="mono")
                fr.sample_rate = SR
                fr.pts = k
                fr.time_base = Fraction(1, SR)
                for p in aout.encode(fr):
                    o.mux(p)
            for p in aout.encode():
                o.mux(p)


def make_video(d):
    os.makedirs(d, exist_ok=True)
    p = lambda n: os.path.join(d, n)
    encode(p("h264_64x48_1s.mp4"), "libx264", 64, 48, 10)
    encode(p("h264_48x64_3s.mp4"), "libx264", 48, 64, 30)
    encode(p("mpeg4_64x36_2p5s.mp4"), "mpeg4", 64, 36, 25)
    shutil.copyfile(p("h264_64x48_1s.mp4"), p("h264_64x48_1s_copy.mp4"))
    remux(p("h264_64x48_1s.mp4"), p("h264_64x48_1s_remux.mp4"), title="remuxed")
    remux(p("h264_64x48_1s.mp4"), p("h264_64x48_1s_audio.mp4"), add_audio=True)
    with open(p("h264_48x64_3s.mp4"), "rb") as f:
        head = f.read(600)
    with open(p("truncated.mp4"), "wb") as f:
        f.write(head)
    with open(p("not_video.mp4"), "w") as f:
        f.write("this is not an MP4 file\n")
    open(p("empty.mp4"), "wb").close()


def make_images(d):
    os.makedirs(d, exist_ok=True)
    yy, xx = np.mgrid[0:32, 0:48]
    grad = np.stack([xx * 5, yy * 7, (xx + yy) * 3], axis=-1).astype(np.uint8)
    img = Image.fromarray(grad)
    ImageDraw.Draw(img).rectangle([10, 8, 30, 20], fill=(20, 20, 20))
    img.save(os.path.join(d, "grad.png"))
    img.save(os.path.join(d, "grad_copy.bmp"))
    noise = np.random.RandomState(2).randint(0, 256, (32, 48, 3)).astype(np.uint8)
    Image.fromarray(noise).save(os.path.join(d, "noise.png"))
    rgba = np.concatenate([noise, np.full((32, 48, 1), 128, np.uint8)], axis=-1)
    Image.fromarray(rgba, "RGBA").save(os.path.join(d, "noise_rgba.png"))


if __name__ == "__main__":
    make_audio(os.path.join(HERE, "audio"))
    make_video(os.path.join(HERE, "video"))
    make_images(os.path.join(HERE, "image_dedup"))
