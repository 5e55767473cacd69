// One-shot SHA-1 for short messages: a SHA-NI path and a portable fallback (see sha1.h for why
// this exists instead of calling OpenSSL per shingle).
//
// Both paths hash whole 64-byte blocks straight from the input and then the final one or two
// padded blocks (message tail, 0x80, zeros, 64-bit big-endian bit length). A message of at most
// 55 bytes fits with its padding in one block, so it costs a single compression and no
// allocation. The portable path pads in a stack buffer; the SHA-NI path builds the padded block
// in registers (see ShaNiImpl).
#include "winnow/core/sha1.h"

#include <algorithm>
#include <array>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#if defined(__clang__)
#include <cpuid.h>
#endif
#define WINNOW_SHA1_X86 1
#else
#define WINNOW_SHA1_X86 0
#endif

namespace winnow {
namespace sha1_internal {
namespace {

constexpr uint32_t kH0 = 0x67452301, kH1 = 0xEFCDAB89, kH2 = 0x98BADCFE, kH3 = 0x10325476,
                   kH4 = 0xC3D2E1F0;

// Largest message whose padding (0x80 byte + 8-byte length) still fits in its last block.
constexpr size_t kMaxOneBlockTail = 55;

inline uint32_t Rol(uint32_t x, int s) { return (x << s) | (x >> (32 - s)); }

inline uint32_t LoadBe32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

inline void StoreBe32(uint32_t v, uint8_t* p) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}

// Writes the padded final block(s) for the last `rem` (< 64) bytes of an `n`-byte message into
// buf and returns how many blocks (1 or 2) they take.
inline size_t PadTail(const uint8_t* tail, size_t rem, uint64_t n, uint8_t buf[128]) {
  size_t blocks = rem <= kMaxOneBlockTail ? 1 : 2;
  uint8_t* end = buf + 64 * blocks;
  std::memset(buf, 0, 64 * blocks);
  if (rem) std::memcpy(buf, tail, rem);  // tail may be null when n == 0
  buf[rem] = 0x80;
  uint64_t bits = n << 3;
  StoreBe32(static_cast<uint32_t>(bits >> 32), end - 8);
  StoreBe32(static_cast<uint32_t>(bits), end - 4);
  return blocks;
}

// ---- Portable -------------------------------------------------------------------------------

void PortableBlocks(uint32_t h[5], const uint8_t* p, size_t blocks) {
  for (; blocks; --blocks, p += 64) {
    // The 80-word schedule is kept as a rolling 16-word window: W[t] overwrites W[t-16].
    uint32_t w[16];
    for (int i = 0; i < 16; ++i) w[i] = LoadBe32(p + 4 * i);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    auto round = [&](uint32_t f, uint32_t k, uint32_t wt) {
      uint32_t t = Rol(a, 5) + f + e + k + wt;
      e = d;
      d = c;
      c = Rol(b, 30);
      b = a;
      a = t;
    };
    auto next = [&](int t) {
      uint32_t& slot = w[t & 15];
      slot = Rol(w[(t - 3) & 15] ^ w[(t - 8) & 15] ^ w[(t - 14) & 15] ^ slot, 1);
      return slot;
    };
    // Ch(b,c,d) and Maj(b,c,d) in their cheaper equivalent forms. Full unrolling lets the
    // compiler rename a..e instead of moving them every round (about 30% faster).
#pragma GCC unroll 20
    for (int t = 0; t < 16; ++t) round(d ^ (b & (c ^ d)), 0x5A827999, w[t]);
#pragma GCC unroll 20
    for (int t = 16; t < 20; ++t) round(d ^ (b & (c ^ d)), 0x5A827999, next(t));
#pragma GCC unroll 20
    for (int t = 20; t < 40; ++t) round(b ^ c ^ d, 0x6ED9EBA1, next(t));
#pragma GCC unroll 20
    for (int t = 40; t < 60; ++t) round((b & c) | (d & (b | c)), 0x8F1BBCDC, next(t));
#pragma GCC unroll 20
    for (int t = 60; t < 80; ++t) round(b ^ c ^ d, 0xCA62C1D6, next(t));
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
  }
}

// ---- SHA-NI ---------------------------------------------------------------------------------
//
// Register layout used by the SHA extensions: ABCD in one vector with A in the highest 32-bit
// lane, E alone in the highest lane of another, and message words W[t..t+3] with W[t] in the
// highest lane (so each big-endian 16-byte chunk of a block is loaded with a full byte reversal).
// sha1rnds4 runs four rounds; the E it needs for the next four rounds is rol(A, 30) of the state
// four rounds back, which sha1nexte computes and adds to the next message words.

#if WINNOW_SHA1_X86

#define WINNOW_SHA_TARGET __attribute__((target("sha,sse4.1")))
// Forced into the (same-target) callers so the state and message words stay in registers.
#define WINNOW_SHA_INLINE WINNOW_SHA_TARGET __attribute__((always_inline)) inline

// pshufb masks: 16 bytes at kWindow + 16 + s move byte i + s of a vector to byte i (zero where
// i + s falls outside 0..15), for any shift s in [-16, 16].
alignas(64) constexpr std::array<uint8_t, 48> kWindow = [] {
  std::array<uint8_t, 48> t{};
  for (int i = 0; i < 48; ++i) t[i] = i >= 16 && i < 32 ? static_cast<uint8_t>(i - 16) : 0x80;
  return t;
}();

// 16 bytes at kPadByte + 64 - pos hold the 0x80 padding byte at index pos (nothing when pos is
// outside 0..15), for pos in [-48, 63].
alignas(64) constexpr std::array<uint8_t, 128> kPadByte = [] {
  std::array<uint8_t, 128> t{};
  t[64] = 0x80;
  return t;
}();

WINNOW_SHA_INLINE __m128i LoadU(const uint8_t* p) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}

// r[i] = v[i + s], zero-filled; s in [-16, 16].
WINNOW_SHA_INLINE __m128i ByteShift(__m128i v, ptrdiff_t s) {
  return _mm_shuffle_epi8(v, LoadU(kWindow.data() + 16 + s));
}

// The padding byte 0x80 at index pos of a chunk (zero vector if pos is outside 0..15).
WINNOW_SHA_INLINE __m128i PadByteAt(ptrdiff_t pos) { return LoadU(kPadByte.data() + 64 - pos); }

WINNOW_SHA_INLINE __m128i ByteReverse(__m128i v) {
  return _mm_shuffle_epi8(v, _mm_set_epi64x(0x0001020304050607, 0x08090a0b0c0d0e0f));
}

// W[t..t+3] from W[t-16..t-13], W[t-12..t-9], W[t-8..t-5], W[t-4..t-1]: msg1 forms
// W[t-16] ^ W[t-14], the xor adds W[t-8], and msg2 adds W[t-3] and rotates (handling the
// dependence of W[t+3] on W[t] inside the same group).
WINNOW_SHA_INLINE __m128i Schedule(__m128i w16, __m128i w12, __m128i w8, __m128i w4) {
  return _mm_sha1msg2_epu32(_mm_xor_si128(_mm_sha1msg1_epu32(w16, w12), w8), w4);
}

// Four rounds with round function kFunc (0..3 for rounds 0-19, 20-39, 40-59, 60-79). `prev`
// is ABCD as it was four rounds ago, from which sha1nexte derives this group's E.
template <int kFunc>
WINNOW_SHA_INLINE void Quad(__m128i& abcd, __m128i& prev, __m128i w) {
  __m128i e_plus_w = _mm_sha1nexte_epu32(prev, w);
  prev = abcd;
  abcd = _mm_sha1rnds4_epu32(abcd, e_plus_w, kFunc);
}

// One compression of the block whose words W[0..15] are m0..m3 (in the lane order above). `e`
// keeps E in its highest lane and zeros below (the zeros matter: it is added to all four
// message lanes in the first group).
WINNOW_SHA_INLINE void Compress(__m128i& abcd, __m128i& e, __m128i m0, __m128i m1, __m128i m2,
                                __m128i m3) {
  const __m128i abcd_in = abcd, e_in = e;

  // Rounds 0-3: E comes straight from the state rather than from sha1nexte.
  __m128i prev = abcd;
  abcd = _mm_sha1rnds4_epu32(abcd, _mm_add_epi32(e, m0), 0);
  Quad<0>(abcd, prev, m1);  // rounds 4-7
  Quad<0>(abcd, prev, m2);
  Quad<0>(abcd, prev, m3);
  m0 = Schedule(m0, m1, m2, m3);  // W[16..19]
  Quad<0>(abcd, prev, m0);
  m1 = Schedule(m1, m2, m3, m0);  // W[20..23]
  Quad<1>(abcd, prev, m1);
  m2 = Schedule(m2, m3, m0, m1);
  Quad<1>(abcd, prev, m2);
  m3 = Schedule(m3, m0, m1, m2);
  Quad<1>(abcd, prev, m3);
  m0 = Schedule(m0, m1, m2, m3);
  Quad<1>(abcd, prev, m0);
  m1 = Schedule(m1, m2, m3, m0);
  Quad<1>(abcd, prev, m1);
  m2 = Schedule(m2, m3, m0, m1);  // W[40..43]
  Quad<2>(abcd, prev, m2);
  m3 = Schedule(m3, m0, m1, m2);
  Quad<2>(abcd, prev, m3);
  m0 = Schedule(m0, m1, m2, m3);
  Quad<2>(abcd, prev, m0);
  m1 = Schedule(m1, m2, m3, m0);
  Quad<2>(abcd, prev, m1);
  m2 = Schedule(m2, m3, m0, m1);
  Quad<2>(abcd, prev, m2);
  m3 = Schedule(m3, m0, m1, m2);  // W[60..63]
  Quad<3>(abcd, prev, m3);
  m0 = Schedule(m0, m1, m2, m3);
  Quad<3>(abcd, prev, m0);
  m1 = Schedule(m1, m2, m3, m0);
  Quad<3>(abcd, prev, m1);
  m2 = Schedule(m2, m3, m0, m1);
  Quad<3>(abcd, prev, m2);
  m3 = Schedule(m3, m0, m1, m2);  // W[76..79]
  Quad<3>(abcd, prev, m3);

  // Final E is rol(A, 30) from four rounds back; add the block's input state (Davies-Meyer).
  e = _mm_sha1nexte_epu32(prev, e_in);
  abcd = _mm_add_epi32(abcd, abcd_in);
}

// Bytes [start, start + 16) of the final padded block, for a message that ends at tail + rem
// (rem < 64 bytes after the last full block) and is at least 16 bytes long. One 16-byte load
// that stays inside the message (at start, or the message's last 16 bytes when start + 16 > rem,
// which may reach back into the previous block), shifted so that only message bytes remain,
// plus the 0x80 byte if it falls in this chunk. start is 0, 16, 32 or 48.
WINNOW_SHA_INLINE __m128i TailChunk(const uint8_t* tail, ptrdiff_t rem, ptrdiff_t start) {
  ptrdiff_t at = std::min(start, rem - 16);
  ptrdiff_t shift = std::min<ptrdiff_t>(start - at, 16);
  return _mm_or_si128(ByteShift(LoadU(tail + at), shift), PadByteAt(rem - start));
}

// First chunk of the padded block of a message shorter than 16 bytes. Head and tail loads
// overlap; the tail is shifted up to end at byte n (overlapping bytes are equal, so or-ing
// them is harmless).
WINNOW_SHA_INLINE __m128i ShortChunk(const uint8_t* p, ptrdiff_t n) {
  __m128i x = _mm_setzero_si128();
  if (n >= 8) {
    x = _mm_or_si128(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)),
                     ByteShift(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p + n - 8)),
                               8 - n));
  } else if (n >= 4) {
    uint32_t head, tail;
    std::memcpy(&head, p, 4);
    std::memcpy(&tail, p + n - 4, 4);
    x = _mm_or_si128(_mm_cvtsi32_si128(static_cast<int>(head)),
                     ByteShift(_mm_cvtsi32_si128(static_cast<int>(tail)), 4 - n));
  } else if (n > 0) {
    // Bytes 0, n/2 and n-1 cover every position for n = 1..3.
    uint32_t v = p[0] | (uint32_t{p[n / 2]} << (8 * (n / 2))) |
                 (uint32_t{p[n - 1]} << (8 * (n - 1)));
    x = _mm_cvtsi32_si128(static_cast<int>(v));
  }
  return _mm_or_si128(x, PadByteAt(n));
}

// Full blocks are hashed straight from the input. The final padded block(s) are built in
// registers rather than in a stack buffer: reloading 16-byte chunks of a buffer that was just
// written piecewise (memset, memcpy, length) defeats store forwarding, which cost about a third
// of the time of a 30-byte hash. No load touches memory outside [data, data + n).
// For n <= 55 (the common case: one short shingle) this is a single compression with no loop.
WINNOW_SHA_TARGET void ShaNiImpl(const void* data, size_t n, uint8_t out[20]) {
  const uint8_t* p = static_cast<const uint8_t*>(data);
  __m128i abcd = _mm_set_epi32(static_cast<int>(kH0), static_cast<int>(kH1),
                               static_cast<int>(kH2), static_cast<int>(kH3));
  __m128i e = _mm_set_epi32(static_cast<int>(kH4), 0, 0, 0);

  const uint8_t* tail = p + (n & ~size_t{63});
  for (; p != tail; p += 64) {
    Compress(abcd, e, ByteReverse(LoadU(p)), ByteReverse(LoadU(p + 16)),
             ByteReverse(LoadU(p + 32)), ByteReverse(LoadU(p + 48)));
  }

  const ptrdiff_t rem = static_cast<ptrdiff_t>(n & 63);
  const __m128i zero = _mm_setzero_si128();
  __m128i c0, c1 = zero, c2 = zero, c3 = zero;  // the final block's chunks in memory order
  if (n >= 16) {
    c0 = TailChunk(tail, rem, 0);
    c1 = TailChunk(tail, rem, 16);
    c2 = TailChunk(tail, rem, 32);
    c3 = TailChunk(tail, rem, 48);
  } else {
    c0 = ShortChunk(tail, rem);
  }
  // The 64-bit bit length is W[14] (high) and W[15] (low): lanes 1 and 0 of a reversed chunk.
  const __m128i length = _mm_set_epi64x(0, static_cast<int64_t>(uint64_t{n} << 3));
  if (rem <= static_cast<ptrdiff_t>(kMaxOneBlockTail)) {
    Compress(abcd, e, ByteReverse(c0), ByteReverse(c1), ByteReverse(c2),
             _mm_or_si128(ByteReverse(c3), length));
  } else {
    // 56..63 tail bytes: the 0x80 fits but the length spills into an extra all-zero block.
    Compress(abcd, e, ByteReverse(c0), ByteReverse(c1), ByteReverse(c2), ByteReverse(c3));
    Compress(abcd, e, zero, zero, zero, length);
  }

  // Reversing all 16 bytes of ABCD yields A, B, C, D as consecutive big-endian words.
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), ByteReverse(abcd));
  StoreBe32(static_cast<uint32_t>(_mm_extract_epi32(e, 3)), out + 16);
}

#endif  // WINNOW_SHA1_X86

using Sha1Fn = void (*)(const void*, size_t, uint8_t*);

// Chosen on first use; the function-local static makes that thread-safe and independent of
// static initialization order.
Sha1Fn Dispatch() {
  static const Sha1Fn fn = HasShaNi() ? ShaNi : Portable;
  return fn;
}

}  // namespace

void Portable(const void* data, size_t n, uint8_t out[20]) {
  const uint8_t* p = static_cast<const uint8_t*>(data);
  uint32_t h[5] = {kH0, kH1, kH2, kH3, kH4};
  uint8_t buf[128];
  size_t full = n / 64;
  PortableBlocks(h, p, full);
  PortableBlocks(h, buf, PadTail(p + 64 * full, n % 64, n, buf));
  for (int i = 0; i < 5; ++i) StoreBe32(h[i], out + 4 * i);
}

bool HasShaNi() {
#if WINNOW_SHA1_X86
  // Explicit init: this may run from another translation unit's static constructor.
  __builtin_cpu_init();
  // pshufb (SSSE3) and pextrd (SSE4.1) are used alongside the SHA instructions.
  if (!__builtin_cpu_supports("sse4.1")) return false;
#if defined(__clang__)
  // Clang (14 at least, used for the fuzz builds) rejects "sha" in __builtin_cpu_supports; ask
  // CPUID directly: leaf 7, subleaf 0, EBX bit 29.
  unsigned eax, ebx, ecx, edx;
  return __get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) && (ebx & (1u << 29)) != 0;
#else
  return __builtin_cpu_supports("sha");
#endif
#else
  return false;
#endif
}

void ShaNi(const void* data, size_t n, uint8_t out[20]) {
#if WINNOW_SHA1_X86
  ShaNiImpl(data, n, out);
#else
  Portable(data, n, out);
#endif
}

}  // namespace sha1_internal

void Sha1(const void* data, size_t n, uint8_t out[20]) { sha1_internal::Dispatch()(data, n, out); }

const char* Sha1Implementation() {
  return sha1_internal::Dispatch() == &sha1_internal::Portable ? "portable" : "sha-ni";
}

}  // namespace winnow
