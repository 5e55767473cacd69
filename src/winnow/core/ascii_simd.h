// SIMD helpers for the common case of ASCII text: classify 16 bytes at a time (SSE2) and fall
// back to per-code-point work only around non-ASCII characters; with AVX-512 VBMI2, filter runs
// of ASCII bytes by class 32 at a time (CompressAsciiRun32).
#pragma once

#include <emmintrin.h>
#if defined(__AVX512VBMI2__) && defined(__AVX512VL__) && defined(__AVX512BW__)
#include <immintrin.h>
#define WINNOW_ASCII_COMPRESS 1
#endif

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "winnow/core/unicode.h"

namespace winnow::ascii {

// Bytes of v within [lo, hi] (unsigned), as a byte mask.
inline __m128i InRange(__m128i v, char lo, char hi) {
  return _mm_and_si128(_mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(lo)), v),
                       _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(hi)), v));
}
inline __m128i Letters(__m128i v) { return InRange(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 'z'); }
inline __m128i Digits(__m128i v) { return InRange(v, '0', '9'); }

// Counts the code points of valid UTF-8 `s` and those in a class: `mask(v)` gives the class's
// byte mask for 16 ASCII bytes, `slow(cp)` decides any other code point.
template <typename Mask, typename Slow>
inline void CountWhere(std::string_view s, Mask mask, Slow slow, size_t* total, size_t* hits) {
  const char* p = s.data();
  const char* end = p + s.size();
  size_t t = 0, h = 0;
  while (p < end) {
    if (end - p >= 16) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      unsigned non_ascii = static_cast<unsigned>(_mm_movemask_epi8(v));
      unsigned m = static_cast<unsigned>(_mm_movemask_epi8(mask(v)));
      if (!non_ascii) {
        h += __builtin_popcount(m);
        t += 16;
        p += 16;
        continue;
      }
      unsigned k = __builtin_ctz(non_ascii);  // ASCII bytes before the first non-ASCII one
      h += __builtin_popcount(m & ((1u << k) - 1));
      t += k;
      p += k;
    } else if (static_cast<unsigned char>(*p) < 0x80) {
      char buf[16] = {};
      size_t n = static_cast<size_t>(end - p);
      size_t k = 0;
      while (k < n && static_cast<unsigned char>(p[k]) < 0x80) ++k;
      for (size_t i = 0; i < k; ++i) buf[i] = p[i];
      unsigned m = static_cast<unsigned>(_mm_movemask_epi8(mask(_mm_loadu_si128(reinterpret_cast<const __m128i*>(buf)))));
      h += __builtin_popcount(m & ((1u << k) - 1));
      t += k;
      p += k;
      continue;
    }
    if (p < end) {  // one non-ASCII code point
      h += slow(unicode::DecodeUtf8(p));
      ++t;
    }
  }
  *total = t;
  *hits = h;
}

// Skips 16 bytes at a time to the first byte equal to one of `bytes` (up to five, e.g. the lead
// bytes of the characters an op changes): returns its position, or where fewer than 16 bytes are
// left. The position may fall inside a multi-byte character (a step ends anywhere), so callers
// going on byte by byte skip continuation bytes.
template <size_t N>
inline const char* SkipToAnyOf(const char* p, const char* end, const char (&bytes)[N]) {
  static_assert(N >= 1 && N <= 5, "up to five bytes");
  while (end - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i m = _mm_cmpeq_epi8(v, _mm_set1_epi8(bytes[0]));
    for (size_t k = 1; k < N; ++k) m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8(bytes[k])));
    if (const int mask = _mm_movemask_epi8(m)) return p + __builtin_ctz(mask);
    p += 16;
  }
  return p;
}

// Byte filters that keep or drop ASCII bytes by class (punctuation removal, comparison keys):
// of the 32 bytes at p, the ASCII run before the first non-ASCII byte is compressed to the bytes
// `keep(x)` marks, in one step; the caller handles the non-ASCII byte (and a tail under 32
// bytes) itself.
#ifdef WINNOW_ASCII_COMPRESS
struct AsciiRunStep {
  size_t read;     // bytes of p consumed (32 when all were ASCII)
  size_t written;  // bytes stored at o
};

// Needs 32 readable bytes at p and 32 writable at o; keep(x) returns the mask of the bytes of x
// to keep (only its ASCII bytes' bits matter).
template <class Keep>
inline AsciiRunStep CompressAsciiRun32(const char* p, char* o, Keep keep) {
  const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  const uint32_t high = static_cast<uint32_t>(_mm256_movemask_epi8(x));
  const size_t run = high ? static_cast<size_t>(__builtin_ctz(high)) : 32;
  const uint32_t in_run = run == 32 ? 0xFFFFFFFFu : (1u << run) - 1;
  const uint32_t kept = static_cast<uint32_t>(keep(x)) & in_run;
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(o), _mm256_maskz_compress_epi8(kept, x));
  return {run, static_cast<size_t>(__builtin_popcount(kept))};
}
#endif

}  // namespace winnow::ascii
