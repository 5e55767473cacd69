// Pillow 9.4 blur filters; see pil_filter.h. The arithmetic below mirrors libImaging's on
// purpose (uint32 accumulators that may wrap, float weight computation, 8.24 fixed point):
// "cleaner" maths would differ from Pillow by one grey level on some pixels.
#include "winnow/media/pil_filter.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "winnow/core/status.h"

namespace winnow::media {
namespace {

// One extended-box pass over a line of n RGB pixels (in != out). Pixel i < 0 reads pixel 0 and
// i > n - 1 reads pixel n - 1; the window is the r integer neighbours each side (weight ww) plus
// one further pixel each side (weight fw), all in 1/2^24 units. For output x the window slides
// by dropping pixel clamp(x - r - 1) and adding clamp(x + r); Pillow writes this as three loops
// (left edge, middle, right edge) so the middle one needs no clamping, and so do we.
void BlurLine(const uint8_t* in, uint8_t* out, int64_t n, int64_t r, uint32_t ww, uint32_t fw) {
  const int64_t last = n - 1;
  const int64_t edge_a = std::min(r + 1, n);
  const int64_t edge_b = std::max<int64_t>(n - r - 1, 0);
  uint32_t acc[3];
  for (int c = 0; c < 3; ++c) {
    // The window sum for "pixel -1": r + 1 copies of pixel 0, then pixels 0 .. r-1, where those
    // past the end repeat the last pixel.
    acc[c] = static_cast<uint32_t>(in[c] * (r + 1));
    for (int64_t x = 0; x < edge_a - 1; ++x) acc[c] += in[x * 3 + c];
    acc[c] += static_cast<uint32_t>(in[last * 3 + c] * (r - edge_a + 1));
  }
  // Unsigned wrap-around in acc is intended: Pillow's UINT32 maths does the same.
  auto step = [&](int64_t x, int64_t left, int64_t add, int64_t right) {
    for (int c = 0; c < 3; ++c) {
      const int l = in[left * 3 + c];
      acc[c] += static_cast<uint32_t>(int{in[add * 3 + c]} - l);
      const uint32_t bulk = acc[c] * ww + static_cast<uint32_t>(l + in[right * 3 + c]) * fw;
      out[x * 3 + c] = static_cast<uint8_t>((bulk + (1u << 23)) >> 24);
    }
  };
  int64_t x = 0;
  for (; x < std::min(edge_a, edge_b); ++x) step(x, 0, x + r, x + r + 1);
  if (edge_a <= edge_b) {
    for (; x < edge_b; ++x) step(x, x - r - 1, x + r, x + r + 1);
  } else {
    for (; x < edge_a; ++x) step(x, 0, last, last);
  }
  for (; x <= last; ++x) step(x, x - r - 1, last, last);
}

struct BoxWeights {
  int64_t r;
  uint32_t ww;  // weight of each of the 2r+1 whole pixels
  uint32_t fw;  // weight of each of the two fractional end pixels
};

BoxWeights Weights(float radius) {
  BoxWeights b;
  b.r = static_cast<int64_t>(radius);
  // Float division, truncated: exactly ImagingHorizontalBoxBlur's `ww`.
  b.ww = static_cast<uint32_t>(static_cast<float>(1u << 24) / (radius * 2 + 1));
  b.fw = ((1u << 24) - static_cast<uint32_t>(b.r * 2 + 1) * b.ww) / 2;
  return b;
}

// n horizontal passes, then n vertical ones (Pillow transposes and blurs rows; so do we, which
// also keeps the vertical passes cache friendly).
void BoxPasses(Rgb8View img, float radius, int n) {
  if (img.w <= 0 || img.h <= 0) return;
  const BoxWeights b = Weights(radius);
  const size_t w = img.w, h = img.h;
  std::vector<uint8_t> line(std::max(w, h) * 3);
  for (size_t y = 0; y < h; ++y) {
    uint8_t* row = img.data + y * img.stride;
    for (int i = 0; i < n; ++i) {
      std::memcpy(line.data(), row, w * 3);
      BlurLine(line.data(), row, img.w, b.r, b.ww, b.fw);
    }
  }
  std::vector<uint8_t> t(w * h * 3);  // t row x = image column x
  for (size_t y = 0; y < h; ++y) {
    const uint8_t* row = img.data + y * img.stride;
    for (size_t x = 0; x < w; ++x) std::memcpy(&t[(x * h + y) * 3], row + x * 3, 3);
  }
  for (size_t x = 0; x < w; ++x) {
    uint8_t* row = &t[x * h * 3];
    for (int i = 0; i < n; ++i) {
      std::memcpy(line.data(), row, h * 3);
      BlurLine(line.data(), row, img.h, b.r, b.ww, b.fw);
    }
  }
  for (size_t y = 0; y < h; ++y) {
    uint8_t* row = img.data + y * img.stride;
    for (size_t x = 0; x < w; ++x) std::memcpy(row + x * 3, &t[(x * h + y) * 3], 3);
  }
}

}  // namespace

float GaussianBoxRadius(float sigma, int passes) {
  // ImagingGaussianBlur, operation for operation: float except where C promotes to double.
  const float sigma2 = sigma * sigma / static_cast<float>(passes);
  const float big_l = static_cast<float>(std::sqrt(12.0 * sigma2 + 1.0));
  const float l = static_cast<float>(std::floor((big_l - 1.0) / 2.0));
  float a = (2 * l + 1) * (l * (l + 1) - 3 * sigma2);
  a /= 6 * (sigma2 - (l + 1) * (l + 1));
  return l + a;
}

void BoxBlur(Rgb8View img, double radius) {
  WINNOW_CHECK(radius >= 0 && std::isfinite(radius));
  BoxPasses(img, static_cast<float>(radius), 1);
}

void GaussianBlur(Rgb8View img, double radius) {
  WINNOW_CHECK(radius >= 0 && std::isfinite(radius));
  BoxPasses(img, GaussianBoxRadius(static_cast<float>(radius), 3), 3);
}

void BlurKernel(Rgb8View img) {
  // ImagingFilter returns a copy for images smaller than the kernel.
  if (img.w < 5 || img.h < 5) return;
  const size_t w = img.w, h = img.h, row_bytes = w * 3;
  std::vector<uint8_t> src(h * row_bytes);
  for (size_t y = 0; y < h; ++y) std::memcpy(&src[y * row_bytes], img.data + y * img.stride, row_bytes);
  // Pillow sums 0.5 + v/16 terms in float; every partial sum is a multiple of 1/16 below 2^8,
  // so the float maths is exact and equals (sum + 8) >> 4. The two outer rows and columns keep
  // their input values.
  for (size_t y = 2; y + 2 < h; ++y) {
    const uint8_t* r0 = &src[(y - 2) * row_bytes];
    const uint8_t* r4 = &src[(y + 2) * row_bytes];
    const uint8_t* r1 = &src[(y - 1) * row_bytes];
    const uint8_t* r2 = &src[y * row_bytes];
    const uint8_t* r3 = &src[(y + 1) * row_bytes];
    uint8_t* out = img.data + y * img.stride;
    for (size_t i = 6; i + 6 < row_bytes; ++i) {  // byte i = pixel i/3, channel i%3; x in [2, w-2)
      unsigned s = r0[i - 6] + r0[i - 3] + r0[i] + r0[i + 3] + r0[i + 6];
      s += r4[i - 6] + r4[i - 3] + r4[i] + r4[i + 3] + r4[i + 6];
      s += r1[i - 6] + r1[i + 6] + r2[i - 6] + r2[i + 6] + r3[i - 6] + r3[i + 6];
      out[i] = static_cast<uint8_t>((s + 8) >> 4);
    }
  }
}

}  // namespace winnow::media
