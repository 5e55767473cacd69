// Hashes of every window of n symbols (bytes or Unicode code points), for counting equal
// character n-grams (character_repetition_filter). Each window's hash is computed directly, not
// rolled: two sums  sum_k (sym[i + k] + 1) * R_k  mod p,  p = 2^31 - 1, over two fixed
// pseudo-random coefficient vectors R, side by side in 62 bits. That is a universal family (for
// random coefficients two distinct windows collide with probability 1/p^2 ~ 2^-62; the rolling
// polynomial hash it replaces gave n / 2^61), and windows do not depend on each other: eight are
// summed at once with AVX-512 (n multiply-adds per pair of sums, no carry chain from window to
// window), where the rolling hash spent two 128-bit multiplies and their reductions per window in a
// chain. Long windows (n > kMaxDirect) roll instead (RollingHash): the direct sums cost n each.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "winnow/core/rolling_hash.h"

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

// GCC 12 warns inside its own AVX-512 intrinsics (their undefined pass-through operand) at -O2.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace winnow {

class WindowHash {
 public:
  static constexpr size_t kMaxDirect = 32;
  static constexpr uint64_t kP = (uint64_t{1} << 31) - 1;

  // out[i] = the hash of syms[i, i + n) for i < len - n + 1. Symbols are at most 0x10FFFF (code
  // points; the sums then stay below 2^63 for n <= kMaxDirect, reduced once at the end).
  template <typename Sym>
  static void AllWindows(const Sym* syms, size_t len, size_t n, uint64_t* out) {
    static_assert(std::is_same_v<Sym, uint8_t> || std::is_same_v<Sym, uint32_t>, "bytes or code points");
    if (len < n || n == 0) return;
    if (n > kMaxDirect) return RollingHash::AllWindows(syms, len, n, out);
    const Coefficients& c = CoefficientsFor(n);
    const size_t total = len - n + 1;
    size_t i = 0;
#if defined(__AVX512F__)
    for (; i + 8 <= total; i += 8) {
      __m512i a = _mm512_setzero_si512(), b = _mm512_setzero_si512();
      for (size_t k = 0; k < n; ++k) {
        __m512i s;
        if constexpr (std::is_same_v<Sym, uint8_t>) {
          s = _mm512_cvtepu8_epi64(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(syms + i + k)));
        } else {
          s = _mm512_cvtepu32_epi64(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(syms + i + k)));
        }
        a = _mm512_add_epi64(a, _mm512_mul_epu32(s, _mm512_set1_epi64(static_cast<long long>(c.r1[k]))));
        b = _mm512_add_epi64(b, _mm512_mul_epu32(s, _mm512_set1_epi64(static_cast<long long>(c.r2[k]))));
      }
      a = Reduce(_mm512_add_epi64(a, _mm512_set1_epi64(static_cast<long long>(c.sum1))));
      b = Reduce(_mm512_add_epi64(b, _mm512_set1_epi64(static_cast<long long>(c.sum2))));
      _mm512_storeu_si512(out + i, _mm512_or_si512(_mm512_slli_epi64(a, 32), b));
    }
#endif
    for (; i < total; ++i) {
      uint64_t a = c.sum1, b = c.sum2;
      for (size_t k = 0; k < n; ++k) {
        a += static_cast<uint64_t>(syms[i + k]) * c.r1[k];
        b += static_cast<uint64_t>(syms[i + k]) * c.r2[k];
      }
      out[i] = Reduce(a) << 32 | Reduce(b);
    }
  }

 private:
  struct Coefficients {
    size_t n = 0;
    std::vector<uint64_t> r1, r2;  // in [1, p)
    uint64_t sum1 = 0, sum2 = 0;   // the sums of r1, r2: each symbol counts as sym + 1 (0 is not neutral)
  };
  static const Coefficients& CoefficientsFor(size_t n) {
    thread_local Coefficients c;
    if (c.n != n) {
      c.n = n;
      c.r1.resize(n);
      c.r2.resize(n);
      c.sum1 = c.sum2 = 0;
      uint64_t state = 0x9E3779B97F4A7C15ull;  // splitmix64: fixed, so hashes are the same in every run
      auto next = [&state] {
        uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return (z ^ (z >> 31)) % (kP - 1) + 1;
      };
      for (size_t k = 0; k < n; ++k) {
        c.r1[k] = next();
        c.r2[k] = next();
        c.sum1 += c.r1[k];
        c.sum2 += c.r2[k];
      }
    }
    return c;
  }
  // x mod p for x < 2^63.
  static uint64_t Reduce(uint64_t x) {
    x = (x & kP) + (x >> 31);  // < 2^33
    x = (x & kP) + (x >> 31);  // <= p
    return x >= kP ? x - kP : x;
  }
#if defined(__AVX512F__)
  static __m512i Reduce(__m512i x) {
    const __m512i p = _mm512_set1_epi64(static_cast<long long>(kP));
    x = _mm512_add_epi64(_mm512_and_si512(x, p), _mm512_srli_epi64(x, 31));
    x = _mm512_add_epi64(_mm512_and_si512(x, p), _mm512_srli_epi64(x, 31));
    return _mm512_min_epu64(x, _mm512_sub_epi64(x, p));  // x - p wraps above x when x < p
  }
#endif
};

}  // namespace winnow

#pragma GCC diagnostic pop
