// Sha1FirstWords (sha1.h) and Md5Prefix64Many (md5.h): SHA-1 and MD5 of many short messages at
// once. MinHash hashes every shingle of every document with SHA-1 and SimHash with MD5 (tens of
// millions per GB); one message at a time leaves the core mostly idle (a compression is a long
// chain of dependent steps). With AVX-512 the same rounds run for sixteen messages side by side,
// one message per 32-bit lane, and two or four such vectors' rounds are interleaved so that
// their independent chains fill the core: each lane's padded blocks are assembled with masked
// byte loads (no read past the message) and transposed in registers, and the round functions
// are single vpternlogd instructions. Messages are grouped by size class (space-free text such
// as Chinese makes shingles of kilobytes); CPUs without AVX-512 hash one message at a time.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>
#include <vector>

#include "winnow/core/md5.h"
#include "winnow/core/sha1.h"

#if defined(__GNUC__) && !defined(__clang__)
// GCC 12 reports the placeholder operands inside its own _mm512 intrinsics as uninitialised.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#if defined(__x86_64__)
#include <immintrin.h>
#define WINNOW_HASH_LANES 1
#else
#define WINNOW_HASH_LANES 0
#endif

namespace winnow {
namespace {

constexpr size_t kLanes = 16;
constexpr int kGroups = 17;  // lane groups up to 2^16 blocks (4 MiB messages)
constexpr size_t kMaxLanes = 4 * kLanes;  // the most lanes hashed in one pass (Algo::kMaxVecs <= 4)

// Padded 64-byte blocks of a message of `len` bytes (both hashes pad the same way).
constexpr size_t BlocksFor(size_t len) { return (len + 9 + 63) / 64; }

uint32_t Sha1FirstWordOne(std::string_view m) {
  uint8_t d[20];
  Sha1(m.data(), m.size(), d);
  return (uint32_t{d[0]} << 24) | (uint32_t{d[1]} << 16) | (uint32_t{d[2]} << 8) | d[3];
}

uint64_t Md5Prefix64One(std::string_view m) {
  uint8_t d[16];
  Md5(m.data(), m.size(), d);
  uint64_t h = 0;
  for (int i = 0; i < 8; ++i) h = (h << 8) | d[i];
  return h;
}

#if WINNOW_HASH_LANES

#define WINNOW_LANES_AVX512 __attribute__((target("avx512f,avx512bw")))
#define WINNOW_LANES_INLINE WINNOW_LANES_AVX512 __attribute__((always_inline)) inline

template <int kShift>
WINNOW_LANES_INLINE __m512i Rol(__m512i x) {
  return _mm512_rol_epi32(x, kShift);
}

// SHA-1: big-endian words, 80 rounds on state a..e.
struct Sha1Lanes {
  static constexpr int kStateWords = 5;
  // Sixteen-lane vectors hashed side by side: 2 took 8192 40-byte messages from 73 to 95 M/s,
  // 4 spilled the rolling schedules (64 M/s).
  static constexpr int kMaxVecs = 2;
  // A pass of 1, 2 (and 4) vectors per block, in one-message (SHA-NI) blocks: measured ~6 for
  // one vector, the others from the rates above.
  static constexpr double kPassCost[3] = {6, 9.2, 18.4};
  static constexpr bool kBigEndian = true;
  WINNOW_LANES_INLINE static void Init(__m512i s[5]) {
    s[0] = _mm512_set1_epi32(0x67452301);
    s[1] = _mm512_set1_epi32(static_cast<int>(0xEFCDAB89));
    s[2] = _mm512_set1_epi32(static_cast<int>(0x98BADCFE));
    s[3] = _mm512_set1_epi32(0x10325476);
    s[4] = _mm512_set1_epi32(static_cast<int>(0xC3D2E1F0));
  }
  // w is used as the rolling message schedule; the kVecs message sets' steps are interleaved.
  template <int kVecs>
  WINNOW_LANES_INLINE static void Compress(__m512i s[][5], __m512i w[][16]) {
    __m512i a[kVecs], b[kVecs], c[kVecs], d[kVecs], e[kVecs];
    for (int v = 0; v < kVecs; ++v) a[v] = s[v][0], b[v] = s[v][1], c[v] = s[v][2], d[v] = s[v][3], e[v] = s[v][4];
#pragma GCC unroll 80
    for (int t = 0; t < 80; ++t) {
#pragma GCC unroll 4
      for (int v = 0; v < kVecs; ++v) {
        if (t >= 16) {
          __m512i x = _mm512_ternarylogic_epi32(w[v][(t - 3) & 15], w[v][(t - 8) & 15], w[v][(t - 14) & 15], 0x96);
          w[v][t & 15] = Rol<1>(_mm512_xor_si512(x, w[v][t & 15]));
        }
        __m512i f, k;
        if (t < 20) {
          f = _mm512_ternarylogic_epi32(b[v], c[v], d[v], 0xCA);  // b ? c : d
          k = _mm512_set1_epi32(0x5A827999);
        } else if (t < 40) {
          f = _mm512_ternarylogic_epi32(b[v], c[v], d[v], 0x96);  // b ^ c ^ d
          k = _mm512_set1_epi32(0x6ED9EBA1);
        } else if (t < 60) {
          f = _mm512_ternarylogic_epi32(b[v], c[v], d[v], 0xE8);  // majority
          k = _mm512_set1_epi32(static_cast<int>(0x8F1BBCDC));
        } else {
          f = _mm512_ternarylogic_epi32(b[v], c[v], d[v], 0x96);
          k = _mm512_set1_epi32(static_cast<int>(0xCA62C1D6));
        }
        __m512i tmp = _mm512_add_epi32(_mm512_add_epi32(Rol<5>(a[v]), f),
                                       _mm512_add_epi32(e[v], _mm512_add_epi32(k, w[v][t & 15])));
        e[v] = d[v];
        d[v] = c[v];
        c[v] = Rol<30>(b[v]);
        b[v] = a[v];
        a[v] = tmp;
      }
    }
    for (int v = 0; v < kVecs; ++v) {
      s[v][0] = _mm512_add_epi32(s[v][0], a[v]);
      s[v][1] = _mm512_add_epi32(s[v][1], b[v]);
      s[v][2] = _mm512_add_epi32(s[v][2], c[v]);
      s[v][3] = _mm512_add_epi32(s[v][3], d[v]);
      s[v][4] = _mm512_add_epi32(s[v][4], e[v]);
    }
  }
};

// MD5 (RFC 1321): little-endian words, 64 steps on state a..d.
struct Md5Lanes {
  static constexpr int kStateWords = 4;
  // Sixteen-lane vectors hashed side by side: 8192 40-byte messages at 55 M/s with one, 95 with
  // two, 117 with four.
  static constexpr int kMaxVecs = 4;
  // A pass of 1, 2 and 4 vectors per block, in one-message blocks: measured ~1.85 for one
  // vector, the others from the rates above.
  static constexpr double kPassCost[3] = {1.9, 2.2, 3.6};
  static constexpr bool kBigEndian = false;
  // K[i] = floor(|sin(i + 1)| * 2^32), RFC 1321's table.
  struct Tables {
    uint32_t k[64];
  };
  static const Tables& T() {
    static const Tables t = [] {
      Tables r{};
      for (int i = 0; i < 64; ++i) r.k[i] = static_cast<uint32_t>(std::floor(std::fabs(std::sin(i + 1.0)) * 4294967296.0));
      return r;
    }();
    return t;
  }
  // The message word step i reads.
  static constexpr int G(int i) {
    return i < 16 ? i : i < 32 ? (5 * i + 1) % 16 : i < 48 ? (3 * i + 5) % 16 : (7 * i) % 16;
  }
  WINNOW_LANES_INLINE static void Init(__m512i s[4]) {
    s[0] = _mm512_set1_epi32(0x67452301);
    s[1] = _mm512_set1_epi32(static_cast<int>(0xEFCDAB89));
    s[2] = _mm512_set1_epi32(static_cast<int>(0x98BADCFE));
    s[3] = _mm512_set1_epi32(0x10325476);
  }
  // The kVecs message sets' steps are interleaved. a + k + w does not depend on the step
  // before (a was set three steps earlier), so it is added first, off the chain through b.
  template <int kVecs>
  WINNOW_LANES_INLINE static void Compress(__m512i s[][4], __m512i w[][16]) {
    static constexpr int kShifts[4][4] = {{7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};
    const Tables& t = T();
    __m512i a[kVecs], b[kVecs], c[kVecs], d[kVecs];
    for (int v = 0; v < kVecs; ++v) a[v] = s[v][0], b[v] = s[v][1], c[v] = s[v][2], d[v] = s[v][3];
#pragma GCC unroll 64
    for (int i = 0; i < 64; ++i) {
#pragma GCC unroll 4
      for (int v = 0; v < kVecs; ++v) {
        __m512i f;
        if (i < 16) {
          f = _mm512_ternarylogic_epi32(b[v], c[v], d[v], 0xCA);  // b ? c : d
        } else if (i < 32) {
          f = _mm512_ternarylogic_epi32(b[v], c[v], d[v], 0xE4);  // d ? b : c
        } else if (i < 48) {
          f = _mm512_ternarylogic_epi32(b[v], c[v], d[v], 0x96);  // b ^ c ^ d
        } else {
          f = _mm512_ternarylogic_epi32(b[v], c[v], d[v], 0x39);  // c ^ (b | ~d)
        }
        const __m512i akw = _mm512_add_epi32(a[v], _mm512_add_epi32(w[v][G(i)], _mm512_set1_epi32(static_cast<int>(t.k[i]))));
        const __m512i sum = _mm512_add_epi32(akw, f);
        const __m512i nb = _mm512_add_epi32(b[v], _mm512_rolv_epi32(sum, _mm512_set1_epi32(kShifts[i / 16][i % 4])));
        a[v] = d[v];
        d[v] = c[v];
        c[v] = b[v];
        b[v] = nb;
      }
    }
    for (int v = 0; v < kVecs; ++v) {
      s[v][0] = _mm512_add_epi32(s[v][0], a[v]);
      s[v][1] = _mm512_add_epi32(s[v][1], b[v]);
      s[v][2] = _mm512_add_epi32(s[v][2], c[v]);
      s[v][3] = _mm512_add_epi32(s[v][3], d[v]);
    }
  }
};

// Sixteen 32-bit rows -> sixteen columns, in registers (unpacks within 128-bit lanes, then
// 128-bit lane shuffles). Gathers from a stored copy cost about a third of a one-block hash.
WINNOW_LANES_INLINE void Transpose16(__m512i r[16]) {
  __m512i t[16];
  for (int i = 0; i < 16; i += 2) {
    t[i] = _mm512_unpacklo_epi32(r[i], r[i + 1]);
    t[i + 1] = _mm512_unpackhi_epi32(r[i], r[i + 1]);
  }
  // r[4g + k], lane j: column 4j + k of rows 4g .. 4g + 3.
  for (int g = 0; g < 16; g += 4) {
    r[g] = _mm512_unpacklo_epi64(t[g], t[g + 2]);
    r[g + 1] = _mm512_unpackhi_epi64(t[g], t[g + 2]);
    r[g + 2] = _mm512_unpacklo_epi64(t[g + 1], t[g + 3]);
    r[g + 3] = _mm512_unpackhi_epi64(t[g + 1], t[g + 3]);
  }
  for (int k = 0; k < 4; ++k) {
    const __m512i a = _mm512_shuffle_i32x4(r[k], r[4 + k], 0x88), b = _mm512_shuffle_i32x4(r[k], r[4 + k], 0xDD);
    const __m512i c = _mm512_shuffle_i32x4(r[8 + k], r[12 + k], 0x88), d = _mm512_shuffle_i32x4(r[8 + k], r[12 + k], 0xDD);
    t[k] = _mm512_shuffle_i32x4(a, c, 0x88);       // column k
    t[4 + k] = _mm512_shuffle_i32x4(b, d, 0x88);   // column 4 + k
    t[8 + k] = _mm512_shuffle_i32x4(a, c, 0xDD);   // column 8 + k
    t[12 + k] = _mm512_shuffle_i32x4(b, d, 0xDD);  // column 12 + k
  }
  for (int i = 0; i < 16; ++i) r[i] = t[i];
}

// The final state words of 16 * kVecs messages (lanes may have different lengths: a lane's
// state stops changing after its own last block). Block by block, each lane's 64 bytes are
// loaded with a byte mask (so nothing past a message is read) and padded, and each vector's
// sixteen rows are transposed into message words. With kVecs = 2 the two vectors' compressions
// are interleaved step by step: one compression is a single chain of dependent steps, so a
// second independent one fills the core's idle slots.
template <class Algo, int kVecs>
WINNOW_LANES_AVX512 void HashLanes(const std::string_view* const m[], uint32_t (*words)[kMaxLanes]) {
  alignas(64) uint32_t bits[kVecs][kLanes];
  alignas(64) uint32_t last[kVecs][kLanes];  // index of the lane's final block
  size_t blocks = 1;
  for (int v = 0; v < kVecs; ++v) {
    for (size_t l = 0; l < kLanes; ++l) {
      const std::string_view& msg = *m[v * kLanes + l];
      bits[v][l] = static_cast<uint32_t>(msg.size() << 3);
      last[v][l] = static_cast<uint32_t>(BlocksFor(msg.size()) - 1);
      blocks = std::max<size_t>(blocks, last[v][l] + 1);
    }
  }
  const __m512i swap = _mm512_broadcast_i32x4(_mm_setr_epi8(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12));
  __m512i state[kVecs][Algo::kStateWords];
  for (int v = 0; v < kVecs; ++v) Algo::Init(state[v]);
  for (size_t blk = 0; blk < blocks; ++blk) {
    const size_t from = blk * 64;
    const __m512i here = _mm512_set1_epi32(static_cast<int>(blk));
    __m512i w[kVecs][16];
    __mmask16 active[kVecs];
    for (int v = 0; v < kVecs; ++v) {
      for (size_t l = 0; l < kLanes; ++l) {
        const std::string_view& msg = *m[v * kLanes + l];
        const size_t len = msg.size();
        const size_t have = len > from ? std::min<size_t>(len - from, 64) : 0;
        const __mmask64 keep = have ? (~uint64_t{0} >> (64 - have)) : 0;
        __m512i x = _mm512_maskz_loadu_epi8(keep, msg.data() + (have ? from : 0));  // masked bytes are never read
        if (len >= from && len < from + 64) x = _mm512_mask_set1_epi8(x, uint64_t{1} << (len - from), static_cast<char>(0x80));
        w[v][l] = x;
      }
      Transpose16(w[v]);
      if (Algo::kBigEndian)
        for (int j = 0; j < 16; ++j) w[v][j] = _mm512_shuffle_epi8(w[v][j], swap);
      // A final block ends with the 64-bit bit length (its high word is 0 here): the last word
      // for SHA-1 (big-endian), the second last for MD5 (little-endian).
      const __m512i final_block = _mm512_load_si512(last[v]);
      const __mmask16 final_lanes = _mm512_cmpeq_epi32_mask(here, final_block);
      constexpr int kLengthWord = Algo::kBigEndian ? 15 : 14;
      w[v][kLengthWord] = _mm512_mask_mov_epi32(w[v][kLengthWord], final_lanes, _mm512_load_si512(bits[v]));
      active[v] = _mm512_cmple_epu32_mask(here, final_block);
    }
    __m512i before[kVecs][Algo::kStateWords];
    for (int v = 0; v < kVecs; ++v)
      for (int i = 0; i < Algo::kStateWords; ++i) before[v][i] = state[v][i];
    Algo::template Compress<kVecs>(state, w);
    for (int v = 0; v < kVecs; ++v)
      for (int i = 0; i < Algo::kStateWords; ++i) state[v][i] = _mm512_mask_mov_epi32(before[v][i], active[v], state[v][i]);
  }
  for (int v = 0; v < kVecs; ++v)
    for (int i = 0; i < Algo::kStateWords; ++i) _mm512_storeu_si512(words[i] + v * kLanes, state[v][i]);
}

bool HasAvx512Bw() {
  static const bool yes = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
  return yes;
}

// One pass over up to 16 * Algo::kMaxVecs messages (idle lanes hash ""), as few vectors wide as
// `count` allows.
template <class Algo>
void HashPass(const std::string_view** lane, size_t count, uint32_t (*words)[kMaxLanes]) {
  static const std::string_view kEmpty;
  const int vecs = count <= kLanes ? 1 : count <= 2 * kLanes || Algo::kMaxVecs < 4 ? 2 : 4;
  for (size_t l = count; l < kLanes * static_cast<size_t>(vecs); ++l) lane[l] = &kEmpty;
  if (vecs == 1) HashLanes<Algo, 1>(lane, words);
  else if (vecs == 2 || Algo::kMaxVecs < 4) HashLanes<Algo, 2>(lane, words);
  else HashLanes<Algo, (Algo::kMaxVecs < 4 ? 2 : 4)>(lane, words);
}

// Sorts messages into lane groups by size (1 block, 2, 3-4, 5-8, ...: a group's lanes differ by
// at most 2x, which bounds the work spent on finished lanes), hashes each full group (16 *
// Algo::kMaxVecs lanes), and passes its final state to `emit(the lanes' message indices, count,
// state words)`; messages past the largest group, and what the partial groups cannot fill
// cheaply, go to `one(index)`.
template <class Algo, class Emit, class One>
void RunLanes(const std::string_view* msgs, size_t n, Emit emit, One one) {
  constexpr size_t kWide = kLanes * Algo::kMaxVecs;
  struct Group {
    const std::string_view* lane[kMaxLanes];
    size_t where[kWide];
    size_t pending = 0;
  } groups[kGroups];
  auto flush = [&](int gi, size_t count) {
    Group& g = groups[gi];
    uint32_t words[Algo::kStateWords][kMaxLanes];
    HashPass<Algo>(g.lane, count, words);
    emit(g.where, count, words);
    g.pending = 0;
  };
  for (size_t i = 0; i < n; ++i) {
    const size_t blocks = BlocksFor(msgs[i].size());
    const int gi = blocks == 1 ? 0 : 64 - __builtin_clzll(blocks - 1);  // ceil(log2(blocks))
    if (gi >= kGroups) {
      one(i);
      continue;
    }
    Group& g = groups[gi];
    g.lane[g.pending] = &msgs[i];
    g.where[g.pending] = i;
    if (++g.pending == kWide) flush(gi, kWide);
  }
  // The partial groups' messages, the larger size classes first, in runs of up to a full pass:
  // a run goes through the lanes when that costs less than hashing its messages one by one (a
  // pass as wide as the run needs, over the run's largest message, against the sum of their
  // blocks, in one-message block units). (Sorting them by size cost more than it saved.)
  thread_local std::vector<size_t> rest;
  rest.clear();
  for (int gi = kGroups - 1; gi >= 0; --gi) rest.insert(rest.end(), groups[gi].where, groups[gi].where + groups[gi].pending);
  for (size_t at = 0; at < rest.size(); at += kWide) {
    const size_t count = std::min(kWide, rest.size() - at);
    size_t blocks = 0, most = 0;
    for (size_t l = 0; l < count; ++l) {
      const size_t b = BlocksFor(msgs[rest[at + l]].size());
      blocks += b;
      most = std::max(most, b);
    }
    const double pass = Algo::kPassCost[count <= kLanes ? 0 : count <= 2 * kLanes ? 1 : 2];
    if (static_cast<double>(blocks) > pass * static_cast<double>(most)) {
      Group& g = groups[0];
      for (size_t l = 0; l < count; ++l) {
        g.lane[l] = &msgs[rest[at + l]];
        g.where[l] = rest[at + l];
      }
      flush(0, count);
    } else {
      for (size_t l = 0; l < count; ++l) one(rest[at + l]);
    }
  }
}

#endif  // WINNOW_HASH_LANES

}  // namespace

void Sha1FirstWords(const std::string_view* msgs, size_t n, uint32_t* out, bool allow_multi_lane) {
#if WINNOW_HASH_LANES
  if (allow_multi_lane && HasAvx512Bw()) {
    RunLanes<Sha1Lanes>(
        msgs, n,
        [&](const size_t* where, size_t count, const uint32_t (*words)[kMaxLanes]) {
          for (size_t l = 0; l < count; ++l) out[where[l]] = words[0][l];
        },
        [&](size_t i) { out[i] = Sha1FirstWordOne(msgs[i]); });
    return;
  }
#endif
  for (size_t i = 0; i < n; ++i) out[i] = Sha1FirstWordOne(msgs[i]);
}

void Md5Prefix64Many(const std::string_view* msgs, size_t n, uint64_t* out, bool allow_multi_lane) {
#if WINNOW_HASH_LANES
  if (allow_multi_lane && HasAvx512Bw()) {
    RunLanes<Md5Lanes>(
        msgs, n,
        [&](const size_t* where, size_t count, const uint32_t (*words)[kMaxLanes]) {
          // Digest bytes 0-7 are a and b, little-endian; read as a big-endian integer.
          for (size_t l = 0; l < count; ++l)
            out[where[l]] = (uint64_t{__builtin_bswap32(words[0][l])} << 32) | __builtin_bswap32(words[1][l]);
        },
        [&](size_t i) { out[i] = Md5Prefix64One(msgs[i]); });
    return;
  }
#endif
  for (size_t i = 0; i < n; ++i) out[i] = Md5Prefix64One(msgs[i]);
}

}  // namespace winnow
