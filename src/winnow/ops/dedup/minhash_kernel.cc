#include "winnow/ops/dedup/minhash_kernel.h"

#include <immintrin.h>

#include <algorithm>

#if defined(__GNUC__) && !defined(__clang__)
// GCC 12 reports the placeholder operands inside its own _mm512 intrinsics as maybe uninitialised.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace winnow {

constexpr uint64_t kMersenne = (uint64_t{1} << 61) - 1;

// mins[p] = min(mins[p], ((h * a[p] + b[p]) mod 2^64 mod (2^61 - 1)) & (2^32 - 1)) for all p.
void MinHashPermuteScalar(uint64_t h, const uint64_t* a, const uint64_t* b, uint64_t* mins, size_t n) {
  for (size_t p = 0; p < n; ++p) {
    uint64_t x = h * a[p] + b[p];  // uint64 arithmetic wraps, as numpy's does
    uint64_t m = (x & kMersenne) + (x >> 61);
    if (m >= kMersenne) m -= kMersenne;
    m &= 0xFFFFFFFFull;
    mins[p] = std::min(mins[p], m);
  }
}

// The same, four permutations at a time. h < 2^32, so h * a = h * a_lo + (h * a_hi << 32)
// with two 32 x 32 -> 64-bit multiplies.
__attribute__((target("avx2"))) void MinHashPermuteAvx2(uint64_t h, const uint64_t* a, const uint64_t* b, uint64_t* mins,
                                                 size_t n) {
  const __m256i hv = _mm256_set1_epi64x(static_cast<long long>(h));
  const __m256i mod = _mm256_set1_epi64x(static_cast<long long>(kMersenne));
  const __m256i mod_minus_1 = _mm256_set1_epi64x(static_cast<long long>(kMersenne - 1));
  const __m256i low32 = _mm256_set1_epi64x(0xFFFFFFFFll);
  size_t p = 0;
  for (; p + 4 <= n; p += 4) {
    __m256i av = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + p));
    __m256i bv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + p));
    __m256i lo = _mm256_mul_epu32(hv, av);
    __m256i hi = _mm256_mul_epu32(hv, _mm256_srli_epi64(av, 32));
    __m256i x = _mm256_add_epi64(_mm256_add_epi64(lo, _mm256_slli_epi64(hi, 32)), bv);
    __m256i m = _mm256_add_epi64(_mm256_and_si256(x, mod), _mm256_srli_epi64(x, 61));
    m = _mm256_sub_epi64(m, _mm256_and_si256(_mm256_cmpgt_epi64(m, mod_minus_1), mod));
    m = _mm256_and_si256(m, low32);
    __m256i cur = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(mins + p));
    // Both are < 2^32 or the initial UINT64_MAX (-1 signed): compare as unsigned via the sign bit.
    const __m256i sign = _mm256_set1_epi64x(static_cast<long long>(0x8000000000000000ull));
    __m256i smaller = _mm256_cmpgt_epi64(_mm256_xor_si256(cur, sign), _mm256_xor_si256(m, sign));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(mins + p), _mm256_blendv_epi8(cur, m, smaller));
  }
  MinHashPermuteScalar(h, a + p, b + p, mins + p, n - p);
}

__attribute__((target("avx512f,avx512dq"))) void MinHashPermuteAvx512(uint64_t h, const uint64_t* a, const uint64_t* b,
                                                                uint64_t* mins, size_t n) {
  const __m512i hv = _mm512_set1_epi64(static_cast<long long>(h));
  const __m512i mod = _mm512_set1_epi64(static_cast<long long>(kMersenne));
  const __m512i low32 = _mm512_set1_epi64(0xFFFFFFFFll);
  size_t p = 0;
  for (; p + 8 <= n; p += 8) {
    __m512i x = _mm512_add_epi64(_mm512_mullo_epi64(hv, _mm512_loadu_si512(a + p)), _mm512_loadu_si512(b + p));
    __m512i m = _mm512_add_epi64(_mm512_and_si512(x, mod), _mm512_srli_epi64(x, 61));
    m = _mm512_mask_sub_epi64(m, _mm512_cmpge_epu64_mask(m, mod), m, mod);
    m = _mm512_and_si512(m, low32);
    _mm512_storeu_si512(mins + p, _mm512_min_epu64(_mm512_loadu_si512(mins + p), m));
  }
  MinHashPermuteScalar(h, a + p, b + p, mins + p, n - p);
}

// One step of the signature kernel for 8 permutations, with the Mersenne reduction's rare
// case taken out of the loop. With x = (h * a + b) mod 2^64, l = x mod 2^61 and t = x >> 61,
// the exact value is ((l + t) mod p) & (2^32 - 1), p = 2^61 - 1; l + t < p except when
// l + t >= p, where the result is low32(l + t) + 1. Since low32(l + t) = low32(x + t), the
// loop keeps only the minimum and maximum of low32(x + t) (in the even 32-bit lanes; the odd
// lanes collect junk that is never read). The exception makes low32(x + t) one of
// 0xFFFFFFFF, 0, ..., 6, so a block whose maximum is 0xFFFFFFFF or whose minimum is <= 6 is
// redone exactly (about once in 10^7 blocks by chance); otherwise the minima are exact.
// h < 2^32, so h * a mod 2^64 = h * a_lo + (h * a_hi << 32): two one-uop 32x32 multiplies
// instead of vpmullq's three uops.
__attribute__((target("avx512f,avx512dq"), always_inline)) static inline void PermuteStep8(
    __m512i hv, __m512i av, __m512i ahv, __m512i bv, __m512i& lo, __m512i& hi) {
  __m512i prod = _mm512_add_epi64(_mm512_mul_epu32(hv, av), _mm512_slli_epi64(_mm512_mul_epu32(hv, ahv), 32));
  __m512i x = _mm512_add_epi64(prod, bv);
  __m512i y = _mm512_add_epi64(x, _mm512_srli_epi64(x, 61));
  lo = _mm512_min_epu32(lo, y);
  hi = _mm512_max_epu32(hi, y);
}

__attribute__((target("avx512f,avx512dq"))) void MinHashSignatureAvx512(const uint32_t* hashes, size_t n_hashes,
                                                                  const uint64_t* a, const uint64_t* b, uint64_t* mins,
                                                                  size_t n) {
  const __m512i low32 = _mm512_set1_epi64(0xFFFFFFFFll);
  const __m512i suspicious_min = _mm512_set1_epi64(6);
  size_t p = 0;
  for (; p + 32 <= n; p += 32) {
    const __m512i a0 = _mm512_loadu_si512(a + p), a1 = _mm512_loadu_si512(a + p + 8);
    const __m512i a2 = _mm512_loadu_si512(a + p + 16), a3 = _mm512_loadu_si512(a + p + 24);
    const __m512i ah0 = _mm512_srli_epi64(a0, 32), ah1 = _mm512_srli_epi64(a1, 32);
    const __m512i ah2 = _mm512_srli_epi64(a2, 32), ah3 = _mm512_srli_epi64(a3, 32);
    const __m512i b0 = _mm512_loadu_si512(b + p), b1 = _mm512_loadu_si512(b + p + 8);
    const __m512i b2 = _mm512_loadu_si512(b + p + 16), b3 = _mm512_loadu_si512(b + p + 24);
    __m512i m0 = _mm512_set1_epi64(-1), m1 = m0, m2 = m0, m3 = m0;
    __m512i x0 = _mm512_setzero_si512(), x1 = x0, x2 = x0, x3 = x0;
    for (size_t i = 0; i < n_hashes; ++i) {
      const __m512i hv = _mm512_set1_epi64(hashes[i]);
      PermuteStep8(hv, a0, ah0, b0, m0, x0);
      PermuteStep8(hv, a1, ah1, b1, m1, x1);
      PermuteStep8(hv, a2, ah2, b2, m2, x2);
      PermuteStep8(hv, a3, ah3, b3, m3, x3);
    }
    m0 = _mm512_and_si512(m0, low32), m1 = _mm512_and_si512(m1, low32);
    m2 = _mm512_and_si512(m2, low32), m3 = _mm512_and_si512(m3, low32);
    __mmask8 odd = 0;
    for (__m512i v : {m0, m1, m2, m3}) odd |= _mm512_cmple_epu64_mask(v, suspicious_min);
    for (__m512i v : {x0, x1, x2, x3}) odd |= _mm512_cmpeq_epu64_mask(_mm512_and_si512(v, low32), low32);
    if (n_hashes > 0 && odd) {  // redo the block exactly
      for (size_t q = p; q < p + 32; ++q) mins[q] = UINT64_MAX;
      for (size_t i = 0; i < n_hashes; ++i) MinHashPermuteAvx512(hashes[i], a + p, b + p, mins + p, 32);
      continue;
    }
    _mm512_storeu_si512(mins + p, n_hashes ? m0 : _mm512_set1_epi64(-1));
    _mm512_storeu_si512(mins + p + 8, n_hashes ? m1 : _mm512_set1_epi64(-1));
    _mm512_storeu_si512(mins + p + 16, n_hashes ? m2 : _mm512_set1_epi64(-1));
    _mm512_storeu_si512(mins + p + 24, n_hashes ? m3 : _mm512_set1_epi64(-1));
  }
  for (size_t q = p; q < n; ++q) mins[q] = UINT64_MAX;
  for (size_t i = 0; i < n_hashes && p < n; ++i) MinHashPermuteAvx512(hashes[i], a + p, b + p, mins + p, n - p);
}

void MinHashSignature(const uint32_t* hashes, size_t n_hashes, const uint64_t* a, const uint64_t* b, uint64_t* mins,
                      size_t n) {
  static const bool avx512 = CpuHasAvx512();
  if (avx512) return MinHashSignatureAvx512(hashes, n_hashes, a, b, mins, n);
  for (size_t q = 0; q < n; ++q) mins[q] = UINT64_MAX;
  for (size_t i = 0; i < n_hashes; ++i) MinHashPermute(hashes[i], a, b, mins, n);
}

bool CpuHasAvx2() { return __builtin_cpu_supports("avx2"); }
bool CpuHasAvx512() { return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq"); }

void MinHashPermute(uint64_t h, const uint64_t* a, const uint64_t* b, uint64_t* mins, size_t n) {
  static const bool avx512 = CpuHasAvx512();
  static const bool avx2 = CpuHasAvx2();
  if (avx512) MinHashPermuteAvx512(h, a, b, mins, n);
  else if (avx2) MinHashPermuteAvx2(h, a, b, mins, n);
  else MinHashPermuteScalar(h, a, b, mins, n);
}

}  // namespace winnow
