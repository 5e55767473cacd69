// Pillow 9.4 semantics, reproduced operation by operation (libImaging/Convert.c, Resample.c,
// Geometry.c and Image.resize in Image.py). Every floating-point step below happens in the same
// order and precision as in Pillow, because a single differently-rounded coefficient flips an
// output byte and with it a hash bit. Do not "simplify" the arithmetic.
#include "winnow/media/pil_image.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>

#include <immintrin.h>

#include "winnow/core/status.h"

namespace winnow::media {
namespace {

constexpr double kPi = std::numbers::pi;  // == M_PI

// The filter kernels of Resample.c. Hamming's 0.54f/0.46f are float literals there; the
// promotion to double is part of the result.
double BoxKernel(double x) { return (x > -0.5 && x <= 0.5) ? 1.0 : 0.0; }

double BilinearKernel(double x) {
  if (x < 0.0) x = -x;
  return x < 1.0 ? 1.0 - x : 0.0;
}

double HammingKernel(double x) {
  if (x < 0.0) x = -x;
  if (x == 0.0) return 1.0;
  if (x >= 1.0) return 0.0;
  x = x * kPi;
  return std::sin(x) / x * (static_cast<double>(0.54f) + static_cast<double>(0.46f) * std::cos(x));
}

double BicubicKernel(double x) {
  constexpr double a = -0.5;
  if (x < 0.0) x = -x;
  if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
  if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
  return 0.0;
}

double Sinc(double x) {
  if (x == 0.0) return 1.0;
  x = x * kPi;
  return std::sin(x) / x;
}

double LanczosKernel(double x) {
  // Truncated sinc; note the half-open interval, as in Pillow.
  if (-3.0 <= x && x < 3.0) return Sinc(x) * Sinc(x / 3);
  return 0.0;
}

struct Kernel {
  double (*fn)(double);
  double support;
};

Kernel KernelFor(ResampleFilter f) {
  switch (f) {
    case ResampleFilter::kBox: return {BoxKernel, 0.5};
    case ResampleFilter::kBilinear: return {BilinearKernel, 1.0};
    case ResampleFilter::kHamming: return {HammingKernel, 1.0};
    case ResampleFilter::kBicubic: return {BicubicKernel, 2.0};
    case ResampleFilter::kLanczos: return {LanczosKernel, 3.0};
    case ResampleFilter::kNearest: break;
  }
  WINNOW_CHECK(false && "nearest has no convolution kernel");
  return {BoxKernel, 0.5};
}

// Fixed-point precision of the 8-bit path: 32 bits minus 8 for the value and 2 for the
// overshoot of negative lobes.
constexpr int kPrecisionBits = 32 - 8 - 2;

// Per output position: first source index, number of taps, and `ksize` fixed-point weights.
struct Taps {
  int ksize = 0;
  std::vector<int> first, count;
  std::vector<int32_t> weights;
};

// precompute_coeffs() + normalize_coeffs_8bpc(). `in0`/`in1` are floats because Pillow keeps
// the resize box as float[4].
Taps ComputeTaps(int in_size, float in0, float in1, int out_size, const Kernel& kernel) {
  double scale = static_cast<double>(in1 - in0) / out_size;
  double filterscale = scale < 1.0 ? 1.0 : scale;
  double support = kernel.support * filterscale;
  Taps t;
  t.ksize = static_cast<int>(std::ceil(support)) * 2 + 1;
  t.first.resize(out_size);
  t.count.resize(out_size);
  t.weights.assign(static_cast<size_t>(out_size) * t.ksize, 0);
  std::vector<double> w(t.ksize);
  for (int xx = 0; xx < out_size; ++xx) {
    double center = in0 + (xx + 0.5) * scale;
    double ww = 0.0;
    double ss = 1.0 / filterscale;
    int xmin = static_cast<int>(center - support + 0.5);  // truncation toward zero, as in C
    if (xmin < 0) xmin = 0;
    int xmax = static_cast<int>(center + support + 0.5);
    if (xmax > in_size) xmax = in_size;
    xmax -= xmin;
    for (int x = 0; x < xmax; ++x) {
      w[x] = kernel.fn((x + xmin - center + 0.5) * ss);
      ww += w[x];
    }
    for (int x = 0; x < xmax; ++x) {
      if (ww != 0.0) w[x] /= ww;
    }
    int32_t* k = &t.weights[static_cast<size_t>(xx) * t.ksize];
    for (int x = 0; x < xmax; ++x) {
      double v = w[x] * (1 << kPrecisionBits);
      k[x] = static_cast<int32_t>(w[x] < 0 ? -0.5 + v : 0.5 + v);
    }
    t.first[xx] = xmin;
    t.count[xx] = xmax;
  }
  return t;
}

uint8_t Clip8(int32_t acc) {
  int32_t v = acc >> kPrecisionBits;  // arithmetic shift, like Pillow's lookup-table index
  return static_cast<uint8_t>(v < 0 ? 0 : (v > 255 ? 255 : v));
}

__attribute__((target("avx2"))) inline int32_t HorizontalSum(__m256i v) {
  __m128i t = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  t = _mm_add_epi32(t, _mm_shuffle_epi32(t, 0x4E));
  t = _mm_add_epi32(t, _mm_shuffle_epi32(t, 0xB1));
  return _mm_cvtsi128_si32(t);
}

// One output pixel of an RGB row, eight taps at a time: the 24 bytes of eight source pixels are
// split into R, G and B lanes and multiplied by the eight weights. The sums are integers, so
// adding in another order than Pillow's gives the same bits.
__attribute__((target("avx2"))) void HorizontalRgbAvx2(const uint8_t* s, const int32_t* k, int count, int32_t acc[3]) {
  __m256i r = _mm256_setzero_si256(), g = r, b = r;
  // Byte indices of R, G, B of pixels 0..7 within a 24-byte group (loaded as 16 + 8 bytes).
  const __m128i pick_r = _mm_setr_epi8(0, 3, 6, 9, 12, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
  const __m128i pick_g = _mm_setr_epi8(1, 4, 7, 10, 13, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
  const __m128i pick_b = _mm_setr_epi8(2, 5, 8, 11, 14, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
  const __m128i hi_r = _mm_setr_epi8(-1, -1, -1, -1, -1, -1, 2, 5, -1, -1, -1, -1, -1, -1, -1, -1);
  const __m128i hi_g = _mm_setr_epi8(-1, -1, -1, -1, -1, 0, 3, 6, -1, -1, -1, -1, -1, -1, -1, -1);
  const __m128i hi_b = _mm_setr_epi8(-1, -1, -1, -1, -1, 1, 4, 7, -1, -1, -1, -1, -1, -1, -1, -1);
  int x = 0;
  for (; x + 8 <= count; x += 8) {
    const uint8_t* p = s + 3 * x;
    __m128i lo = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i hi = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p + 16));
    __m256i kw = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(k + x));
    __m128i rv = _mm_or_si128(_mm_shuffle_epi8(lo, pick_r), _mm_shuffle_epi8(hi, hi_r));
    __m128i gv = _mm_or_si128(_mm_shuffle_epi8(lo, pick_g), _mm_shuffle_epi8(hi, hi_g));
    __m128i bv = _mm_or_si128(_mm_shuffle_epi8(lo, pick_b), _mm_shuffle_epi8(hi, hi_b));
    r = _mm256_add_epi32(r, _mm256_mullo_epi32(_mm256_cvtepu8_epi32(rv), kw));
    g = _mm256_add_epi32(g, _mm256_mullo_epi32(_mm256_cvtepu8_epi32(gv), kw));
    b = _mm256_add_epi32(b, _mm256_mullo_epi32(_mm256_cvtepu8_epi32(bv), kw));
  }
  int32_t sr = HorizontalSum(r), sg = HorizontalSum(g), sb = HorizontalSum(b);
  for (; x < count; ++x) {
    sr += s[3 * x] * k[x];
    sg += s[3 * x + 1] * k[x];
    sb += s[3 * x + 2] * k[x];
  }
  acc[0] += sr;
  acc[1] += sg;
  acc[2] += sb;
}

// Horizontal pass over source rows [row0, row0 + rows).
std::vector<uint8_t> ResampleHorizontal(const uint8_t* in, int w, int channels, int row0,
                                        int rows, int out_w, const Taps& t) {
  std::vector<uint8_t> out(static_cast<size_t>(out_w) * rows * channels);
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (channels == 3 && avx2) {
    for (int y = 0; y < rows; ++y) {
      const uint8_t* src = in + static_cast<size_t>(row0 + y) * w * 3;
      uint8_t* dst = &out[static_cast<size_t>(y) * out_w * 3];
      for (int xx = 0; xx < out_w; ++xx) {
        int32_t acc[3] = {1 << (kPrecisionBits - 1), 1 << (kPrecisionBits - 1), 1 << (kPrecisionBits - 1)};
        HorizontalRgbAvx2(src + static_cast<size_t>(t.first[xx]) * 3, &t.weights[static_cast<size_t>(xx) * t.ksize],
                          t.count[xx], acc);
        for (int c = 0; c < 3; ++c) dst[xx * 3 + c] = Clip8(acc[c]);
      }
    }
    return out;
  }
  for (int y = 0; y < rows; ++y) {
    const uint8_t* src = in + static_cast<size_t>(row0 + y) * w * channels;
    uint8_t* dst = &out[static_cast<size_t>(y) * out_w * channels];
    for (int xx = 0; xx < out_w; ++xx) {
      const int32_t* k = &t.weights[static_cast<size_t>(xx) * t.ksize];
      const uint8_t* s = src + static_cast<size_t>(t.first[xx]) * channels;
      for (int c = 0; c < channels; ++c) {
        int32_t acc = 1 << (kPrecisionBits - 1);
        for (int x = 0; x < t.count[xx]; ++x) acc += s[x * channels + c] * k[x];
        dst[xx * channels + c] = Clip8(acc);
      }
    }
  }
  return out;
}

// Vertical pass; `t.first` indexes rows of `in` shifted by `row_shift`.
std::vector<uint8_t> ResampleVertical(const uint8_t* in, int w, int channels, int row_shift,
                                      int out_h, const Taps& t) {
  const size_t stride = static_cast<size_t>(w) * channels;
  std::vector<uint8_t> out(stride * out_h);
  for (int yy = 0; yy < out_h; ++yy) {
    const int32_t* k = &t.weights[static_cast<size_t>(yy) * t.ksize];
    const uint8_t* src = in + static_cast<size_t>(t.first[yy] - row_shift) * stride;
    uint8_t* dst = &out[static_cast<size_t>(yy) * stride];
    for (size_t i = 0; i < stride; ++i) {
      int32_t acc = 1 << (kPrecisionBits - 1);
      for (int y = 0; y < t.count[yy]; ++y) acc += src[y * stride + i] * k[y];
      dst[i] = Clip8(acc);
    }
  }
  return out;
}

// PIL's NEAREST resize goes through ImagingScaleAffine: source positions are accumulated by
// repeated addition (not multiplied), and positions outside the source stay black.
std::vector<uint8_t> ResizeNearest(const uint8_t* in, int w, int h, int channels, int out_w,
                                   int out_h) {
  double ax = static_cast<double>(static_cast<float>(w)) / out_w;
  double ay = static_cast<double>(static_cast<float>(h)) / out_h;
  auto coord = [](double v) { return v < 0.0 ? -1 : static_cast<int>(v); };
  std::vector<int> xin(out_w, -1);
  double xo = 0.0 + ax * 0.5;
  for (int x = 0; x < out_w; ++x) {
    int xi = coord(xo);
    if (xi >= 0 && xi < w) xin[x] = xi;
    xo += ax;
  }
  std::vector<uint8_t> out(static_cast<size_t>(out_w) * out_h * channels, 0);
  double yo = 0.0 + ay * 0.5;
  for (int y = 0; y < out_h; ++y) {
    int yi = coord(yo);
    yo += ay;
    if (yi < 0 || yi >= h) continue;
    const uint8_t* src = in + static_cast<size_t>(yi) * w * channels;
    uint8_t* dst = &out[static_cast<size_t>(y) * out_w * channels];
    for (int x = 0; x < out_w; ++x) {
      if (xin[x] >= 0) std::memcpy(dst + x * channels, src + xin[x] * channels, channels);
    }
  }
  return out;
}

}  // namespace

std::vector<uint8_t> ToLuma(const uint8_t* pixels, int w, int h, int channels) {
  WINNOW_CHECK(w > 0 && h > 0);
  WINNOW_CHECK(channels == 1 || channels == 3 || channels == 4);
  const size_t n = static_cast<size_t>(w) * h;
  if (channels == 1) return std::vector<uint8_t>(pixels, pixels + n);
  std::vector<uint8_t> out(n);
  for (size_t i = 0; i < n; ++i) {
    const uint8_t* p = pixels + i * channels;
    out[i] = static_cast<uint8_t>((p[0] * 19595 + p[1] * 38470 + p[2] * 7471 + 0x8000) >> 16);
  }
  return out;
}

std::vector<uint8_t> Resize(const uint8_t* pixels, int w, int h, int channels, int out_w,
                            int out_h, ResampleFilter filter) {
  WINNOW_CHECK(w > 0 && h > 0 && out_w > 0 && out_h > 0);
  WINNOW_CHECK(channels >= 1 && channels <= 4);
  const size_t in_bytes = static_cast<size_t>(w) * h * channels;
  // Image.resize returns a copy when nothing changes (and so does _resize's crop shortcut).
  if (out_w == w && out_h == h) return std::vector<uint8_t>(pixels, pixels + in_bytes);
  if (filter == ResampleFilter::kNearest) return ResizeNearest(pixels, w, h, channels, out_w, out_h);

  // ImagingResampleInner: horizontal pass first, restricted to the rows the vertical pass
  // reads; each pass is skipped when its dimension is unchanged.
  const Kernel kernel = KernelFor(filter);
  const Taps th = ComputeTaps(w, 0.0f, static_cast<float>(w), out_w, kernel);
  const Taps tv = ComputeTaps(h, 0.0f, static_cast<float>(h), out_h, kernel);
  const bool need_h = out_w != w;
  const bool need_v = out_h != h;
  if (!need_h) return ResampleVertical(pixels, w, channels, 0, out_h, tv);
  const int row_first = tv.first[0];
  const int row_last = tv.first[out_h - 1] + tv.count[out_h - 1];
  std::vector<uint8_t> tmp =
      ResampleHorizontal(pixels, w, channels, row_first, row_last - row_first, out_w, th);
  if (!need_v) return tmp;
  return ResampleVertical(tmp.data(), out_w, channels, row_first, out_h, tv);
}

std::vector<uint8_t> ResizeL(const std::vector<uint8_t>& gray, int w, int h, int out_w, int out_h,
                             ResampleFilter filter) {
  WINNOW_CHECK(gray.size() == static_cast<size_t>(w) * h);
  return Resize(gray.data(), w, h, 1, out_w, out_h, filter);
}

}  // namespace winnow::media
