// Sha1FirstWords (sha1.h): SHA-1 of many short messages at once. MinHash hashes every shingle of
// every document (tens of millions per GB), and one SHA-NI compression is a chain of twenty
// dependent sha1rnds4 instructions, so a single message leaves the core mostly idle. With
// AVX-512 the same 80 rounds run for sixteen messages side by side, one message per 32-bit
// lane: each lane's padded block is assembled with a masked byte load (no read past the
// message), the blocks are transposed with gathers, and the round functions are single
// vpternlogd instructions. One-block (<= 55 bytes) and two-block (<= 119 bytes) messages are
// grouped separately; longer ones, and CPUs without AVX-512, use Sha1() one message at a time.
#include <algorithm>
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
constexpr size_t kMaxOneBlock = 55;   // a longer message's padding needs a second block
constexpr size_t kMaxTwoBlocks = 119;

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

// One compression for sixteen lanes: state s[0..4] (a..e) absorbs the block whose big-endian
// words are w[0..15] (w is used as the rolling message schedule).
WINNOW_SHA_AVX512 __attribute__((always_inline)) inline void Compress16(__m512i s[5], __m512i w[16]) {
  __m512i a = s[0], b = s[1], c = s[2], d = s[3], e = s[4];
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
  s[0] = _mm512_add_epi32(s[0], a);
  s[1] = _mm512_add_epi32(s[1], b);
  s[2] = _mm512_add_epi32(s[2], c);
  s[3] = _mm512_add_epi32(s[3], d);
  s[4] = _mm512_add_epi32(s[4], e);
}

// h0 of sixteen messages that fit, padded, in kBlocks blocks (at most 64 * kBlocks - 9 bytes).
template <int kBlocks>
WINNOW_SHA_AVX512 void FirstWords16(const std::string_view* const m[kLanes], uint32_t out[kLanes]) {
  constexpr int kWords = 16 * kBlocks;
  alignas(64) uint32_t rows[kLanes][kWords];
  alignas(64) uint32_t bits[kLanes];
  for (size_t l = 0; l < kLanes; ++l) {
    const size_t len = m[l]->size();
    for (int blk = 0; blk < kBlocks; ++blk) {
      const size_t from = static_cast<size_t>(blk) * 64;
      const size_t here = len > from ? std::min<size_t>(len - from, 64) : 0;
      const __mmask64 keep = here ? (~uint64_t{0} >> (64 - here)) : 0;
      __m512i v = _mm512_maskz_loadu_epi8(keep, m[l]->data() + (here ? from : 0));  // masked bytes are never read
      if (len >= from && len < from + 64) v = _mm512_mask_set1_epi8(v, uint64_t{1} << (len - from), static_cast<char>(0x80));
      _mm512_store_si512(rows[l] + blk * 16, v);
    }
    bits[l] = static_cast<uint32_t>(len << 3);
  }
  // Word j of every lane's blocks, big-endian: a gather down the column, then a byte swap.
  const __m512i column = _mm512_mullo_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                                            _mm512_set1_epi32(kWords));
  const __m512i swap = _mm512_broadcast_i32x4(_mm_setr_epi8(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12));
  __m512i s[5] = {_mm512_set1_epi32(0x67452301), _mm512_set1_epi32(static_cast<int>(0xEFCDAB89)),
                  _mm512_set1_epi32(static_cast<int>(0x98BADCFE)), _mm512_set1_epi32(0x10325476),
                  _mm512_set1_epi32(static_cast<int>(0xC3D2E1F0))};
  for (int blk = 0; blk < kBlocks; ++blk) {
    __m512i w[16];
#pragma GCC unroll 16
    for (int j = 0; j < 16; ++j) {
      __m512i g = _mm512_i32gather_epi32(_mm512_add_epi32(column, _mm512_set1_epi32(blk * 16 + j)), rows, 4);
      w[j] = _mm512_shuffle_epi8(g, swap);
    }
    // The last block ends with the 64-bit bit length (its high word, w[14], is 0 here).
    if (blk == kBlocks - 1) w[15] = _mm512_load_si512(bits);
    Compress16(s, w);
  }
  _mm512_storeu_si512(out, s[0]);
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
    // Two groups fill up independently: one-block messages and two-block ones.
    struct Group {
      const std::string_view* lane[kLanes];
      size_t where[kLanes];
      size_t pending = 0;
    } groups[2];
    uint32_t words[kLanes];
    auto flush = [&](int blocks, size_t count) {
      Group& g = groups[blocks - 1];
      for (size_t l = count; l < kLanes; ++l) g.lane[l] = &kEmpty;  // idle lanes hash ""
      if (blocks == 1) {
        FirstWords16<1>(g.lane, words);
      } else {
        FirstWords16<2>(g.lane, words);
      }
      for (size_t l = 0; l < count; ++l) out[g.where[l]] = words[l];
      g.pending = 0;
    };
    for (size_t i = 0; i < n; ++i) {
      const size_t len = msgs[i].size();
      if (len > kMaxTwoBlocks) {
        out[i] = FirstWordOne(msgs[i]);
        continue;
      }
      const int blocks = len <= kMaxOneBlock ? 1 : 2;
      Group& g = groups[blocks - 1];
      g.lane[g.pending] = &msgs[i];
      g.where[g.pending] = i;
      if (++g.pending == kLanes) flush(blocks, kLanes);
    }
    // A partial group still pays for sixteen lanes; below four messages one at a time is cheaper.
    for (int blocks = 1; blocks <= 2; ++blocks) {
      Group& g = groups[blocks - 1];
      if (g.pending >= 4) {
        flush(blocks, g.pending);
      } else {
        for (size_t l = 0; l < g.pending; ++l) out[g.where[l]] = FirstWordOne(*g.lane[l]);
      }
    }
    return;
  }
#endif
  for (size_t i = 0; i < n; ++i) out[i] = FirstWordOne(msgs[i]);
}

}  // namespace winnow
