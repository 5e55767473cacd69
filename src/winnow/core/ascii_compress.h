// Byte filters over UTF-8 text that keep or drop ASCII bytes by class (punctuation removal,
// comparison keys): 32 bytes at a time, the ASCII run before the first non-ASCII byte is
// compressed to the bytes a class mask keeps in one AVX-512 VBMI2 step; the caller handles the
// non-ASCII byte (and the last < 32 bytes) itself.
#pragma once

#include <cstddef>
#include <cstdint>

#if defined(__AVX512VBMI2__) && defined(__AVX512VL__) && defined(__AVX512BW__)
#include <immintrin.h>
#define WINNOW_ASCII_COMPRESS 1
#endif

namespace winnow {

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
  const size_t ascii = high ? static_cast<size_t>(__builtin_ctz(high)) : 32;
  const uint32_t in_run = ascii == 32 ? 0xFFFFFFFFu : (1u << ascii) - 1;
  const uint32_t kept = static_cast<uint32_t>(keep(x)) & in_run;
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(o), _mm256_maskz_compress_epi8(kept, x));
  return {ascii, static_cast<size_t>(__builtin_popcount(kept))};
}
#endif

}  // namespace winnow
