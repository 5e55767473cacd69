// One-shot MD5 (RFC 1321): whole 64-byte blocks straight from the input, then the padded tail
// (0x80, zeros, 64-bit little-endian bit length) in one or two blocks of a stack buffer.
// Messages of 512 bytes or more go to OpenSSL, whose assembly is ~1.6x faster per byte; below
// that its per-call setup costs more than the difference.
#include "winnow/core/md5.h"

#include <openssl/evp.h>

#include <cmath>
#include <cstring>

namespace winnow {
namespace {

// K[i] = floor(|sin(i + 1)| * 2^32) (RFC 1321), computed once.
struct Md5K {
  uint32_t k[64];
  Md5K() {
    for (int i = 0; i < 64; ++i) k[i] = static_cast<uint32_t>(std::floor(std::fabs(std::sin(i + 1.0)) * 4294967296.0));
  }
};
const Md5K kK;

constexpr int kShift[4][4] = {{7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};
// The message word step i reads.
constexpr int G(int i) { return i < 16 ? i : i < 32 ? (5 * i + 1) % 16 : i < 48 ? (3 * i + 5) % 16 : (7 * i) % 16; }

inline uint32_t Rol(uint32_t x, int s) { return (x << s) | (x >> (32 - s)); }

void Blocks(uint32_t h[4], const uint8_t* p, size_t blocks) {
  for (; blocks; --blocks, p += 64) {
    uint32_t m[16];
    std::memcpy(m, p, 64);  // little-endian words (x86 and most targets; see below)
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    for (auto& w : m) w = __builtin_bswap32(w);
#endif
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
    // Fully unrolled: shifts, word indices and the round function are constants per step.
#pragma GCC unroll 64
    for (int i = 0; i < 64; ++i) {
      uint32_t f;
      if (i < 16) f = d ^ (b & (c ^ d));
      else if (i < 32) f = c ^ (d & (b ^ c));
      else if (i < 48) f = b ^ c ^ d;
      else f = c ^ (b | ~d);
      uint32_t t = d;
      d = c;
      c = b;
      b = b + Rol(a + f + kK.k[i] + m[G(i)], kShift[i / 16][i % 4]);
      a = t;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
  }
}

}  // namespace

void Md5(const void* data, size_t n, uint8_t out[16]) {
  if (n >= 512) {
    static EVP_MD* md5 = EVP_MD_fetch(nullptr, "MD5", nullptr);  // looked up once (OpenSSL 3)
    unsigned int len = 0;
    if (md5 && EVP_Digest(data, n, out, &len, md5, nullptr) == 1 && len == 16) return;
  }
  const uint8_t* p = static_cast<const uint8_t*>(data);
  uint32_t h[4] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476};
  const size_t full = n / 64;
  Blocks(h, p, full);
  uint8_t buf[128] = {};
  const size_t rem = n % 64;
  if (rem) std::memcpy(buf, p + 64 * full, rem);  // p may be null when n == 0
  buf[rem] = 0x80;
  const size_t blocks = rem <= 55 ? 1 : 2;
  const uint64_t bits = uint64_t{n} << 3;
  for (int i = 0; i < 8; ++i) buf[64 * blocks - 8 + i] = static_cast<uint8_t>(bits >> (8 * i));
  Blocks(h, buf, blocks);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) out[4 * i + j] = static_cast<uint8_t>(h[i] >> (8 * j));
}

}  // namespace winnow
