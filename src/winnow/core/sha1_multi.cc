// Sha1FirstWords (sha1.h): SHA-1 of many short messages at once. MinHash hashes every shingle of
// every document (tens of millions per GB), and one SHA-NI compression is a chain of twenty
// dependent sha1rnds4 instructions, so a single message leaves the core mostly idle. With
// AVX-512 the same 80 rounds run for sixteen messages side by side, one message per 32-bit
// lane: each lane's padded block is assembled with a masked byte load (no read past the
// message), the blocks are transposed with gathers, and the round functions are single
// vpternlogd instructions. Messages longer than 55 bytes (two or more blocks) and CPUs without
// AVX-512 use Sha1() one message at a time.
#include <cstring>

#include "winnow/core/sha1.h"

#if defined(__GNUC__) && !defined(__clang__)
// GCC 12 reports the placeholder operands inside its own _mm512 intrinsics as uninitialised.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#if defined(__x86_64__)
#include <immintrin.h>
#define WINNOW_SHA1_MULTI 1
#else
#define WINNOW_SHA1_MULTI 0
#endif

namespace winnow {
namespace {

constexpr size_t kLanes = 16;
constexpr size_t kMaxOneBlock = 55;  // a longer message's padding needs a second block

uint32_t FirstWordOne(std::string_view m) {
  uint8_t d[20];
  Sha1(m.data(), m.size(), d);
  return (uint32_t{d[0]} << 24) | (uint32_t{d[1]} << 16) | (uint32_t{d[2]} << 8) | d[3];
}

#if WINNOW_SHA1_MULTI

#define WINNOW_SHA_AVX512 __attribute__((target("avx512f,avx512bw")))

template <int kShift>
WINNOW_SHA_AVX512 __attribute__((always_inline)) inline __m512i Rol(__m512i x) {
  return _mm512_rol_epi32(x, kShift);
}

// h0 of sixteen messages of at most 55 bytes each.
WINNOW_SHA_AVX512 void FirstWords16(const std::string_view* const m[kLanes], uint32_t out[kLanes]) {
  alignas(64) uint32_t rows[kLanes][16];
  alignas(64) uint32_t bits[kLanes];
  for (size_t l = 0; l < kLanes; ++l) {
    const size_t len = m[l]->size();
    const __mmask64 keep = len ? (~uint64_t{0} >> (64 - len)) : 0;
    __m512i v = _mm512_maskz_loadu_epi8(keep, m[l]->data());  // masked bytes are never read
    v = _mm512_mask_set1_epi8(v, uint64_t{1} << len, static_cast<char>(0x80));
    _mm512_store_si512(rows[l], v);
    bits[l] = static_cast<uint32_t>(len << 3);
  }
  // Word j of every lane's block, big-endian: a gather down the column, then a byte swap.
  const __m512i column = _mm512_mullo_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                                            _mm512_set1_epi32(16));
  const __m512i swap = _mm512_broadcast_i32x4(_mm_setr_epi8(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12));
  __m512i w[16];
#pragma GCC unroll 16
  for (int j = 0; j < 15; ++j) {
    __m512i g = _mm512_i32gather_epi32(_mm512_add_epi32(column, _mm512_set1_epi32(j)), rows, 4);
    w[j] = _mm512_shuffle_epi8(g, swap);
  }
  w[15] = _mm512_load_si512(bits);  // the low word of the bit length (the high word, w[14], is 0)

  __m512i a = _mm512_set1_epi32(0x67452301), b = _mm512_set1_epi32(static_cast<int>(0xEFCDAB89)),
          c = _mm512_set1_epi32(static_cast<int>(0x98BADCFE)), d = _mm512_set1_epi32(0x10325476),
          e = _mm512_set1_epi32(static_cast<int>(0xC3D2E1F0));
#pragma GCC unroll 80
  for (int t = 0; t < 80; ++t) {
    if (t >= 16) {
      __m512i x = _mm512_ternarylogic_epi32(w[(t - 3) & 15], w[(t - 8) & 15], w[(t - 14) & 15], 0x96);
      w[t & 15] = Rol<1>(_mm512_xor_si512(x, w[t & 15]));
    }
    __m512i f, k;
    if (t < 20) {
      f = _mm512_ternarylogic_epi32(b, c, d, 0xCA);  // b ? c : d
      k = _mm512_set1_epi32(0x5A827999);
    } else if (t < 40) {
      f = _mm512_ternarylogic_epi32(b, c, d, 0x96);  // b ^ c ^ d
      k = _mm512_set1_epi32(0x6ED9EBA1);
    } else if (t < 60) {
      f = _mm512_ternarylogic_epi32(b, c, d, 0xE8);  // majority
      k = _mm512_set1_epi32(static_cast<int>(0x8F1BBCDC));
    } else {
      f = _mm512_ternarylogic_epi32(b, c, d, 0x96);
      k = _mm512_set1_epi32(static_cast<int>(0xCA62C1D6));
    }
    __m512i tmp = _mm512_add_epi32(_mm512_add_epi32(Rol<5>(a), f),
                                   _mm512_add_epi32(e, _mm512_add_epi32(k, w[t & 15])));
    e = d;
    d = c;
    c = Rol<30>(b);
    b = a;
    a = tmp;
  }
  _mm512_storeu_si512(out, _mm512_add_epi32(a, _mm512_set1_epi32(0x67452301)));
}

bool HasAvx512Bw() {
  static const bool yes = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
  return yes;
}

#endif  // WINNOW_SHA1_MULTI

}  // namespace

namespace sha1_internal {
bool MultiLaneAvailable() {
#if WINNOW_SHA1_MULTI
  return HasAvx512Bw();
#else
  return false;
#endif
}
}  // namespace sha1_internal

void Sha1FirstWords(const std::string_view* msgs, size_t n, uint32_t* out, bool allow_multi_lane) {
#if WINNOW_SHA1_MULTI
  if (allow_multi_lane && HasAvx512Bw()) {
    static const std::string_view kEmpty;
    const std::string_view* lane[kLanes];
    size_t where[kLanes];
    uint32_t words[kLanes];
    size_t pending = 0;
    auto flush = [&](size_t count) {
      for (size_t l = count; l < kLanes; ++l) lane[l] = &kEmpty;  // idle lanes hash ""
      FirstWords16(lane, words);
      for (size_t l = 0; l < count; ++l) out[where[l]] = words[l];
    };
    for (size_t i = 0; i < n; ++i) {
      if (msgs[i].size() > kMaxOneBlock) {
        out[i] = FirstWordOne(msgs[i]);
        continue;
      }
      lane[pending] = &msgs[i];
      where[pending] = i;
      if (++pending == kLanes) {
        flush(kLanes);
        pending = 0;
      }
    }
    // A partial group still pays for sixteen lanes; below four messages one at a time is cheaper.
    if (pending >= 4) {
      flush(pending);
    } else {
      for (size_t l = 0; l < pending; ++l) out[where[l]] = FirstWordOne(*lane[l]);
    }
    return;
  }
#endif
  for (size_t i = 0; i < n; ++i) out[i] = FirstWordOne(msgs[i]);
}

}  // namespace winnow
