// See farneback.h. Built with -ffp-contract=off (CMakeLists.txt): every expression below is
// evaluated in the order and precision OpenCV 4.6's optflowgf.cpp evaluates it, including its
// float products widened to double; only the loop order differs (pixels innermost, so that the
// compiler vectorises them), which changes no result because pixels are independent.
#include "winnow/media/farneback.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <string>

#include <immintrin.h>
#include <opencv2/imgproc.hpp>

#if defined(__GNUC__) && !defined(__clang__)
// GCC 12 reports the placeholder operands inside its own _mm512 intrinsics as maybe uninitialised.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace winnow::media {

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define WINNOW_FLOW_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define WINNOW_FLOW_CLONES
#endif

namespace farneback {
namespace {

// cvFloor(float) as OpenCV builds it for baseline x86-64: truncate, then step down when the
// truncation rounded up. cvttss2si gives INT_MIN for NaN and out-of-range values, as OpenCV's does.
inline int FloorToInt(float v) {
  int i = _mm_cvtt_ss2si(_mm_set_ss(v));
  return i - (static_cast<float>(i) > v);
}

// The Gaussian applicability and the inverse-Gram constants of FarnebackPolyExp.
struct PolyKernel {
  std::vector<float> buf;
  const float *g, *xg, *xxg;  // indexed -n..n
  double ig11, ig03, ig33, ig55;
};

PolyKernel PrepareGaussian(int n, double sigma) {
  PolyKernel k;
  k.buf.assign(static_cast<size_t>(n) * 6 + 3, 0.f);
  float* g = k.buf.data() + n;
  float* xg = g + n * 2 + 1;
  float* xxg = xg + n * 2 + 1;
  if (sigma < FLT_EPSILON) sigma = n * 0.3;
  double s = 0.;
  for (int x = -n; x <= n; x++) {
    g[x] = static_cast<float>(std::exp(-x * x / (2 * sigma * sigma)));
    s += g[x];
  }
  s = 1. / s;
  for (int x = -n; x <= n; x++) {
    g[x] = static_cast<float>(g[x] * s);
    xg[x] = static_cast<float>(x * g[x]);
    xxg[x] = static_cast<float>(x * x * g[x]);
  }
  cv::Mat_<double> G(6, 6);
  G.setTo(0);
  for (int y = -n; y <= n; y++) {
    for (int x = -n; x <= n; x++) {
      G(0, 0) += g[y] * g[x];
      G(1, 1) += g[y] * g[x] * x * x;
      G(3, 3) += g[y] * g[x] * x * x * x * x;
      G(5, 5) += g[y] * g[x] * x * x * y * y;
    }
  }
  G(2, 2) = G(0, 3) = G(0, 4) = G(3, 0) = G(4, 0) = G(1, 1);
  G(4, 4) = G(3, 3);
  G(3, 4) = G(4, 3) = G(5, 5);
  cv::Mat_<double> inv = G.inv(cv::DECOMP_CHOLESKY);
  k.ig11 = inv(1, 1);
  k.ig03 = inv(0, 3);
  k.ig33 = inv(3, 3);
  k.ig55 = inv(5, 5);
  k.g = g;
  k.xg = xg;
  k.xxg = xxg;
  return k;
}

// One row of the expansion: r0, r1, r2 are the vertical convolutions with g, xg, xxg, padded by
// n replicated pixels on both sides; b holds six double accumulators per pixel. The five
// outputs go to five planes (d[c] + x), OpenCV's channel order.
WINNOW_FLOW_CLONES void PolyExpRow(const float* r0, const float* r1, const float* r2, int width, int n,
                                   const PolyKernel& k, double* __restrict b, float* const d[5]) {
  double* __restrict b1 = b;
  double* __restrict b2 = b + width;
  double* __restrict b3 = b + 2 * width;
  double* __restrict b4 = b + 3 * width;
  double* __restrict b5 = b + 4 * width;
  double* __restrict b6 = b + 5 * width;
  const float g0 = k.g[0];
  for (int x = 0; x < width; x++) {
    b1[x] = r0[x] * g0;
    b2[x] = 0;
    b3[x] = r1[x] * g0;
    b4[x] = 0;
    b5[x] = r2[x] * g0;
    b6[x] = 0;
  }
  for (int j = 1; j <= n; j++) {
    const float gk = k.g[j], xgk = k.xg[j], xxgk = k.xxg[j];
    for (int x = 0; x < width; x++) {
      double tg = r0[x + j] + r0[x - j];
      b1[x] += tg * gk;
      b4[x] += tg * xxgk;
      b2[x] += (r0[x + j] - r0[x - j]) * xgk;
      b3[x] += (r1[x + j] + r1[x - j]) * gk;
      b6[x] += (r1[x + j] - r1[x - j]) * xgk;
      b5[x] += (r2[x + j] + r2[x - j]) * gk;
    }
  }
  float* __restrict d0 = d[0];
  float* __restrict d1 = d[1];
  float* __restrict d2 = d[2];
  float* __restrict d3 = d[3];
  float* __restrict d4 = d[4];
  for (int x = 0; x < width; x++) {
    d1[x] = static_cast<float>(b2[x] * k.ig11);
    d0[x] = static_cast<float>(b3[x] * k.ig11);
    d3[x] = static_cast<float>(b1[x] * k.ig03 + b4[x] * k.ig33);
    d2[x] = static_cast<float>(b1[x] * k.ig03 + b5[x] * k.ig33);
    d4[x] = static_cast<float>(b6[x] * k.ig55);
  }
}

WINNOW_FLOW_CLONES void PolyExpVertical(const float* src, int width, int height, int y, int n, const PolyKernel& k,
                                        float* __restrict r0, float* __restrict r1, float* __restrict r2) {
  const float* s = src + static_cast<size_t>(y) * width;
  const float g0 = k.g[0];
  for (int x = 0; x < width; x++) {
    r0[x] = s[x] * g0;
    r1[x] = 0.f;
    r2[x] = 0.f;
  }
  for (int j = 1; j <= n; j++) {
    const float gk = k.g[j], g1 = k.xg[j], g2 = k.xxg[j];
    const float* up = src + static_cast<size_t>(std::max(y - j, 0)) * width;
    const float* dn = src + static_cast<size_t>(std::min(y + j, height - 1)) * width;
    for (int x = 0; x < width; x++) {
      float p = up[x] + dn[x];
      r0[x] = r0[x] + gk * p;
      r1[x] = r1[x] + g1 * (dn[x] - up[x]);
      r2[x] = r2[x] + g2 * p;
    }
  }
}

// What UpdateMatrices needs about one row besides the images.
struct MatrixRow {
  const float* r0[5];  // this row of each plane of the first frame's expansion
  const float* r1[5];  // plane starts of the second frame's expansion
  const float* flow;   // this row of the flow, dx dy interleaved
  float* m[5];         // this row of each plane of M
  int width, height, y;
  const float* colscale;          // left/right border factors
  const unsigned char* colborder; // whether the column is in the left/right border
  float rowscale_top, rowscale_bottom;
  bool rowborder;
};

// UpdateMatrices for pixels [x0, x1) of one row, one pixel at a time.
void UpdateMatricesScalar(const MatrixRow& row, int x0, int x1) {
  const int width = row.width, height = row.height, y = row.y;
  for (int x = x0; x < x1; x++) {
    float dx = row.flow[x * 2], dy = row.flow[x * 2 + 1];
    float fx = x + dx, fy = y + dy;
    int ix = FloorToInt(fx), iy = FloorToInt(fy);
    fx -= ix;
    fy -= iy;
    float r[5];
    if (static_cast<unsigned>(ix) < static_cast<unsigned>(width - 1) &&
        static_cast<unsigned>(iy) < static_cast<unsigned>(height - 1)) {
      const size_t at = static_cast<size_t>(iy) * width + ix;
      float a00 = (1.f - fx) * (1.f - fy), a01 = fx * (1.f - fy), a10 = (1.f - fx) * fy, a11 = fx * fy;
      for (int c = 0; c < 5; c++) {
        const float* p = row.r1[c] + at;
        r[c] = a00 * p[0] + a01 * p[1] + a10 * p[width] + a11 * p[width + 1];
      }
      r[2] = (row.r0[2][x] + r[2]) * 0.5f;
      r[3] = (row.r0[3][x] + r[3]) * 0.5f;
      r[4] = (row.r0[4][x] + r[4]) * 0.25f;
    } else {
      r[0] = r[1] = 0.f;
      r[2] = row.r0[2][x];
      r[3] = row.r0[3][x];
      r[4] = row.r0[4][x] * 0.5f;
    }
    // OpenCV's names: r2..r6 are r[0]..r[4].
    float r2 = (row.r0[0][x] - r[0]) * 0.5f;
    float r3 = (row.r0[1][x] - r[1]) * 0.5f;
    float r4 = r[2], r5 = r[3], r6 = r[4];
    r2 += r4 * dy + r6 * dx;
    r3 += r6 * dy + r5 * dx;
    if (row.colborder[x] || row.rowborder) {
      float scale = row.colscale[x] * row.rowscale_top * row.rowscale_bottom;
      r2 *= scale;
      r3 *= scale;
      r4 *= scale;
      r5 *= scale;
      r6 *= scale;
    }
    row.m[0][x] = r4 * r4 + r6 * r6;
    row.m[1][x] = (r4 + r5) * r6;
    row.m[2][x] = r5 * r5 + r6 * r6;
    row.m[3][x] = r4 * r2 + r6 * r3;
    row.m[4][x] = r6 * r2 + r5 * r3;
  }
}

// The same for 16 pixels a step with AVX-512 gathers; returns how many pixels it did.
__attribute__((target("avx512f"))) int UpdateMatricesAvx512(const MatrixRow& row) {
  const int width = row.width, height = row.height;
  const __m512 one = _mm512_set1_ps(1.f), half = _mm512_set1_ps(0.5f), quarter = _mm512_set1_ps(0.25f);
  const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
  const __m512i odd = _mm512_add_epi32(even, _mm512_set1_epi32(1));
  const __m512i wlim = _mm512_set1_epi32(width - 1), hlim = _mm512_set1_epi32(height - 1);
  const __m512i wvec = _mm512_set1_epi32(width);
  const __m512 fyrow = _mm512_set1_ps(static_cast<float>(row.y));
  const __m512 rowscale = _mm512_set1_ps(row.rowscale_top);
  const __m512 rowscale2 = _mm512_set1_ps(row.rowscale_bottom);
  int x = 0;
  for (; x + 16 <= width; x += 16) {
    __m512 f0 = _mm512_loadu_ps(row.flow + 2 * x), f1 = _mm512_loadu_ps(row.flow + 2 * x + 16);
    __m512 dx = _mm512_permutex2var_ps(f0, even, f1), dy = _mm512_permutex2var_ps(f0, odd, f1);
    __m512 fx = _mm512_add_ps(_mm512_cvtepi32_ps(_mm512_add_epi32(lane, _mm512_set1_epi32(x))), dx);
    __m512 fy = _mm512_add_ps(fyrow, dy);
    __m512i ix = _mm512_cvttps_epi32(fx), iy = _mm512_cvttps_epi32(fy);
    ix = _mm512_mask_sub_epi32(ix, _mm512_cmp_ps_mask(_mm512_cvtepi32_ps(ix), fx, _CMP_GT_OQ), ix,
                               _mm512_set1_epi32(1));
    iy = _mm512_mask_sub_epi32(iy, _mm512_cmp_ps_mask(_mm512_cvtepi32_ps(iy), fy, _CMP_GT_OQ), iy,
                               _mm512_set1_epi32(1));
    fx = _mm512_sub_ps(fx, _mm512_cvtepi32_ps(ix));
    fy = _mm512_sub_ps(fy, _mm512_cvtepi32_ps(iy));
    const __mmask16 inside = _mm512_cmplt_epu32_mask(ix, wlim) & _mm512_cmplt_epu32_mask(iy, hlim);
    const __m512i at = _mm512_maskz_add_epi32(inside, _mm512_mullo_epi32(iy, wvec), ix);
    const __m512 gx = _mm512_sub_ps(one, fx), gy = _mm512_sub_ps(one, fy);
    const __m512 a00 = _mm512_mul_ps(gx, gy), a01 = _mm512_mul_ps(fx, gy), a10 = _mm512_mul_ps(gx, fy),
                 a11 = _mm512_mul_ps(fx, fy);
    __m512 r[5], r0[5];
    for (int c = 0; c < 5; c++) {
      r0[c] = _mm512_loadu_ps(row.r0[c] + x);
      const float* p = row.r1[c];
      __m512 p00 = _mm512_mask_i32gather_ps(_mm512_setzero_ps(), inside, at, p, 4);
      __m512 p01 = _mm512_mask_i32gather_ps(_mm512_setzero_ps(), inside, at, p + 1, 4);
      __m512 p10 = _mm512_mask_i32gather_ps(_mm512_setzero_ps(), inside, at, p + width, 4);
      __m512 p11 = _mm512_mask_i32gather_ps(_mm512_setzero_ps(), inside, at, p + width + 1, 4);
      __m512 v = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(_mm512_mul_ps(a00, p00), _mm512_mul_ps(a01, p01)),
                                             _mm512_mul_ps(a10, p10)),
                               _mm512_mul_ps(a11, p11));
      r[c] = v;
    }
    __m512 in2 = _mm512_mul_ps(_mm512_add_ps(r0[2], r[2]), half);
    __m512 in3 = _mm512_mul_ps(_mm512_add_ps(r0[3], r[3]), half);
    __m512 in4 = _mm512_mul_ps(_mm512_add_ps(r0[4], r[4]), quarter);
    __m512 r4 = _mm512_mask_blend_ps(inside, r0[2], in2);
    __m512 r5 = _mm512_mask_blend_ps(inside, r0[3], in3);
    __m512 r6 = _mm512_mask_blend_ps(inside, _mm512_mul_ps(r0[4], half), in4);
    __m512 r2 = _mm512_mul_ps(_mm512_sub_ps(r0[0], _mm512_maskz_mov_ps(inside, r[0])), half);
    __m512 r3 = _mm512_mul_ps(_mm512_sub_ps(r0[1], _mm512_maskz_mov_ps(inside, r[1])), half);
    r2 = _mm512_add_ps(r2, _mm512_add_ps(_mm512_mul_ps(r4, dy), _mm512_mul_ps(r6, dx)));
    r3 = _mm512_add_ps(r3, _mm512_add_ps(_mm512_mul_ps(r6, dy), _mm512_mul_ps(r5, dx)));
    // Outside the border the factor is exactly 1, and multiplying by 1 changes nothing.
    __mmask16 border = row.rowborder ? 0xFFFF
                                     : _mm512_cmpneq_epi32_mask(
                                           _mm512_cvtepu8_epi32(_mm_loadu_si128(
                                               reinterpret_cast<const __m128i*>(row.colborder + x))),
                                           _mm512_setzero_si512());
    __m512 scale = _mm512_mask_blend_ps(
        border, one, _mm512_mul_ps(_mm512_mul_ps(_mm512_loadu_ps(row.colscale + x), rowscale), rowscale2));
    r2 = _mm512_mul_ps(r2, scale);
    r3 = _mm512_mul_ps(r3, scale);
    r4 = _mm512_mul_ps(r4, scale);
    r5 = _mm512_mul_ps(r5, scale);
    r6 = _mm512_mul_ps(r6, scale);
    _mm512_storeu_ps(row.m[0] + x, _mm512_add_ps(_mm512_mul_ps(r4, r4), _mm512_mul_ps(r6, r6)));
    _mm512_storeu_ps(row.m[1] + x, _mm512_mul_ps(_mm512_add_ps(r4, r5), r6));
    _mm512_storeu_ps(row.m[2] + x, _mm512_add_ps(_mm512_mul_ps(r5, r5), _mm512_mul_ps(r6, r6)));
    _mm512_storeu_ps(row.m[3] + x, _mm512_add_ps(_mm512_mul_ps(r4, r2), _mm512_mul_ps(r6, r3)));
    _mm512_storeu_ps(row.m[4] + x, _mm512_add_ps(_mm512_mul_ps(r6, r2), _mm512_mul_ps(r5, r3)));
  }
  return x;
}

// The 2x2 solve of one row from the box sums (planes g11 g12 g22 h1 h2, unscaled).
WINNOW_FLOW_CLONES void SolveRow(const double* __restrict sums, int width, double scale, float* __restrict flow) {
  const double *s0 = sums, *s1 = sums + width, *s2 = sums + 2 * width, *s3 = sums + 3 * width,
               *s4 = sums + 4 * width;
  for (int x = 0; x < width; x++) {
    double g11_ = s0[x] * scale;
    double g12_ = s1[x] * scale;
    double g22_ = s2[x] * scale;
    double h1_ = s3[x] * scale;
    double h2_ = s4[x] * scale;
    double idet = 1. / (g11_ * g22_ - g12_ * g12_ + 1e-3);
    flow[x * 2] = static_cast<float>((g11_ * h2_ - g12_ * h1_) * idet);
    flow[x * 2 + 1] = static_cast<float>((g22_ * h1_ - g12_ * h2_) * idet);
  }
}

WINNOW_FLOW_CLONES void VerticalUpdate(double* __restrict vsum, const float* add, const float* sub, int count) {
  for (int i = 0; i < count; i++) vsum[i] += add[i] - sub[i];
}

}  // namespace

void PolyExp(const float* src, int width, int height, int n, double sigma, float* dst) {
  const PolyKernel k = PrepareGaussian(n, sigma);
  const int padded = width + n * 2;
  const size_t plane = static_cast<size_t>(width) * height;
  std::vector<float> rows(static_cast<size_t>(padded) * 3);
  float* r0 = rows.data() + n;
  float* r1 = r0 + padded;
  float* r2 = r1 + padded;
  std::vector<double> b(static_cast<size_t>(width) * 6);
  for (int y = 0; y < height; y++) {
    PolyExpVertical(src, width, height, y, n, k, r0, r1, r2);
    for (float* r : {r0, r1, r2}) {  // replicate the edge pixels into the padding
      for (int j = 1; j <= n; j++) {
        r[-j] = r[0];
        r[width - 1 + j] = r[width - 1];
      }
    }
    float* d[5];
    for (int c = 0; c < 5; c++) d[c] = dst + c * plane + static_cast<size_t>(y) * width;
    PolyExpRow(r0, r1, r2, width, n, k, b.data(), d);
  }
}

void UpdateMatrices(const float* r0, const float* r1, const float* flow, int width, int height, float* m, int y0,
                    int y1) {
  static const float border[5] = {0.14f, 0.14f, 0.4472f, 0.4472f, 0.4472f};
  static const bool avx512 = __builtin_cpu_supports("avx512f");
  const int B = 5;
  const size_t plane = static_cast<size_t>(width) * height;
  std::vector<float> colscale(width);
  std::vector<unsigned char> colborder(width + 16);
  for (int x = 0; x < width; x++) {
    colscale[x] = (x < B ? border[x] : 1.f) * (x >= width - B ? border[width - x - 1] : 1.f);
    colborder[x] = static_cast<unsigned>(x - B) >= static_cast<unsigned>(width - B * 2);
  }
  MatrixRow row;
  row.width = width;
  row.height = height;
  row.colscale = colscale.data();
  row.colborder = colborder.data();
  for (int c = 0; c < 5; c++) row.r1[c] = r1 + c * plane;
  for (int y = y0; y < y1; y++) {
    const size_t at = static_cast<size_t>(y) * width;
    for (int c = 0; c < 5; c++) {
      row.r0[c] = r0 + c * plane + at;
      row.m[c] = m + c * plane + at;
    }
    row.flow = flow + at * 2;
    row.y = y;
    row.rowscale_top = y < B ? border[y] : 1.f;
    row.rowscale_bottom = y >= height - B ? border[height - y - 1] : 1.f;
    row.rowborder = static_cast<unsigned>(y - B) >= static_cast<unsigned>(height - B * 2);
    int done = avx512 ? UpdateMatricesAvx512(row) : 0;
    UpdateMatricesScalar(row, done, width);
  }
}

void UpdateFlowBlur(const float* r0, const float* r1, float* flow, float* matM, int width, int height, int block_size,
                    bool update_matrices) {
  const int m = block_size / 2;
  const double scale = 1. / (block_size * block_size);
  const size_t plane = static_cast<size_t>(width) * height;
  const size_t padded = static_cast<size_t>(width) + (m + 1) * 2;
  std::vector<double> vbuf(padded * 5);
  std::vector<double> sums(static_cast<size_t>(width) * 5);
  double* vs[5];
  for (int c = 0; c < 5; c++) vs[c] = vbuf.data() + c * padded + (m + 1);
  auto mrow = [&](int c, int y) { return matM + c * plane + static_cast<size_t>(y) * width; };

  for (int c = 0; c < 5; c++) {
    const float* s = mrow(c, 0);
    for (int x = 0; x < width; x++) vs[c][x] = s[x] * (m + 2);
    for (int y = 1; y < m; y++) {
      s = mrow(c, std::min(y, height - 1));
      for (int x = 0; x < width; x++) vs[c][x] += s[x];
    }
  }
  for (int y = 0; y < height; y++) {
    const int y_out = std::max(y - m - 1, 0), y_in = std::min(y + m, height - 1);
    double g[5];
    for (int c = 0; c < 5; c++) {
      double* v = vs[c];
      VerticalUpdate(v, mrow(c, y_in), mrow(c, y_out), width);
      for (int i = 1; i <= m + 1; i++) {
        v[-i] = v[0];
        v[width - 1 + i] = v[width - 1];
      }
      g[c] = v[0] * (m + 2);
      for (int x = 1; x < m; x++) g[c] += v[x];
    }
    // The five running sums advance together (five independent dependency chains).
    double *s0 = sums.data(), *s1 = s0 + width, *s2 = s1 + width, *s3 = s2 + width, *s4 = s3 + width;
    const double *v0 = vs[0], *v1 = vs[1], *v2 = vs[2], *v3 = vs[3], *v4 = vs[4];
    double g11 = g[0], g12 = g[1], g22 = g[2], h1 = g[3], h2 = g[4];
    for (int x = 0; x < width; x++) {
      g11 += v0[x + m] - v0[x - m - 1];
      g12 += v1[x + m] - v1[x - m - 1];
      g22 += v2[x + m] - v2[x - m - 1];
      h1 += v3[x + m] - v3[x - m - 1];
      h2 += v4[x + m] - v4[x - m - 1];
      s0[x] = g11;
      s1[x] = g12;
      s2[x] = g22;
      s3[x] = h1;
      s4[x] = h2;
    }
    SolveRow(sums.data(), width, scale, flow + static_cast<size_t>(y) * width * 2);
  }
  // OpenCV refreshes M in stripes while it sweeps down; every stripe it rewrites lies above the
  // rows its running sums still read, so updating all rows afterwards gives the same M.
  if (update_matrices) UpdateMatrices(r0, r1, flow, width, height, matM, 0, height);
}

}  // namespace farneback

bool FarnebackSequence::Supports(const FarnebackOptions& opt, int width, int height) {
  // OpenCV asserts pyr_scale < 1; its other flags (Gaussian window, initial flow) are not here.
  return opt.flags == 0 && opt.pyr_scale < 1 && opt.winsize >= 1 && opt.poly_n >= 1 && width > 0 && height > 0;
}

void FarnebackSequence::PlanLevels(int cols, int rows) {
  int levels = 0;
  double scale = 1;
  for (levels = 0; levels < opt_.levels; levels++) {
    scale *= opt_.pyr_scale;
    if (cols * scale < 32 || rows * scale < 32) break;
  }
  levels_.clear();
  for (int k = levels; k >= 0; k--) {
    scale = 1;
    for (int i = 0; i < k; i++) scale *= opt_.pyr_scale;
    Level lv;
    lv.sigma = (1. / scale - 1) * 0.5;
    lv.smooth = std::max(static_cast<int>(std::lrint(lv.sigma * 5)) | 1, 3);
    lv.width = static_cast<int>(std::lrint(cols * scale));
    lv.height = static_cast<int>(std::lrint(rows * scale));
    levels_.push_back(lv);
  }
}

Status FarnebackSequence::Push(const cv::Mat& gray) {
  if (gray.type() != CV_8UC1 || gray.empty()) return Status::Error("optical flow needs 8-bit grey frames");
  if (frames_ == 0) {
    if (!Supports(opt_, gray.cols, gray.rows)) return Status::Error("Farneback options not supported natively");
    cols_ = gray.cols;
    rows_ = gray.rows;
    PlanLevels(cols_, rows_);
  } else if (gray.cols != cols_ || gray.rows != rows_) {
    return Status::Error("optical flow frames change size (" + std::to_string(cols_) + "x" + std::to_string(rows_) +
                         " then " + std::to_string(gray.cols) + "x" + std::to_string(gray.rows) + ")");
  }
  std::swap(prev_r_, cur_r_);
  cur_r_.resize(levels_.size());
  cv::Mat fimg, blurred, level;
  gray.convertTo(fimg, CV_32F);
  for (size_t i = 0; i < levels_.size(); ++i) {
    const Level& lv = levels_[i];
    cv::GaussianBlur(fimg, blurred, cv::Size(lv.smooth, lv.smooth), lv.sigma, lv.sigma);
    cv::resize(blurred, level, cv::Size(lv.width, lv.height), 0, 0, cv::INTER_LINEAR);
    if (!level.isContinuous()) level = level.clone();
    cur_r_[i].resize(static_cast<size_t>(lv.width) * lv.height * 5);
    farneback::PolyExp(level.ptr<float>(), lv.width, lv.height, opt_.poly_n, opt_.poly_sigma, cur_r_[i].data());
  }
  ++frames_;
  return Status::Ok();
}

Result<cv::Mat> FarnebackSequence::Flow() {
  if (frames_ < 2) return Status::Error("optical flow needs two frames");
  cv::Mat prev_flow;
  std::vector<float> m;
  for (size_t i = 0; i < levels_.size(); ++i) {
    const Level& lv = levels_[i];
    cv::Mat flow;
    if (prev_flow.empty()) {
      flow = cv::Mat::zeros(lv.height, lv.width, CV_32FC2);
    } else {
      cv::resize(prev_flow, flow, cv::Size(lv.width, lv.height), 0, 0, cv::INTER_LINEAR);
      flow *= 1. / opt_.pyr_scale;
    }
    if (!flow.isContinuous()) flow = flow.clone();
    m.resize(static_cast<size_t>(lv.width) * lv.height * 5);
    const float* r0 = prev_r_[i].data();
    const float* r1 = cur_r_[i].data();
    farneback::UpdateMatrices(r0, r1, flow.ptr<float>(), lv.width, lv.height, m.data(), 0, lv.height);
    for (int it = 0; it < opt_.iterations; ++it)
      farneback::UpdateFlowBlur(r0, r1, flow.ptr<float>(), m.data(), lv.width, lv.height, opt_.winsize,
                                it < opt_.iterations - 1);
    prev_flow = flow;
  }
  return prev_flow;
}

Result<double> FarnebackSequence::MeanMagnitude() {
  auto flow = Flow();
  if (!flow.ok()) return flow.status();
  return MeanFlowMagnitudeOf(*flow);
}

}  // namespace winnow::media
