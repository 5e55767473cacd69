// Tests for winnow::Sha1 (the short-message SHA-1 that replaces per-shingle OpenSSL calls):
// known FIPS vectors, and agreement with OpenSSL's SHA1() for every length across the one- and
// two-block padding boundaries, for the dispatched, portable and SHA-NI implementations.
#include "winnow/core/sha1.h"

#include "test_support.h"

#include <gtest/gtest.h>
#include <openssl/sha.h>

#include <cstring>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace winnow {
namespace {

using Sha1Fn = void (*)(const void*, size_t, uint8_t*);

std::string Hex(const uint8_t* d, size_t n) {
  static const char kDigits[] = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < n; ++i) {
    s += kDigits[d[i] >> 4];
    s += kDigits[d[i] & 15];
  }
  return s;
}

std::string HexOf(Sha1Fn fn, const void* data, size_t n) {
  uint8_t out[20];
  fn(data, n, out);
  return Hex(out, 20);
}

std::string OpenSslHex(const void* data, size_t n) {
  uint8_t out[SHA_DIGEST_LENGTH];
  SHA1(static_cast<const unsigned char*>(data), n, out);
  return Hex(out, SHA_DIGEST_LENGTH);
}

void ExpectKnownVectors(Sha1Fn fn) {
  auto hex = [&](std::string_view s) { return HexOf(fn, s.data(), s.size()); };
  EXPECT_EQ(hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  EXPECT_EQ(hex("The quick brown fox jumps over the lazy dog"),
            "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12");
  // A null pointer with length 0 is allowed (empty shingle).
  EXPECT_EQ(HexOf(fn, nullptr, 0), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  // FIPS 180-1 long vector: one million 'a' (many full blocks straight from the input).
  std::string million(1000000, 'a');
  EXPECT_EQ(hex(million), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

// Every length 0..300 (covers the 55/56/63/64-byte padding edges and several multi-block
// tails), at every alignment offset mod 16, against OpenSSL.
void ExpectMatchesOpenSsl(Sha1Fn fn) {
  std::mt19937 rng(12345);
  std::vector<uint8_t> bytes(300 + 16);
  for (auto& b : bytes) b = static_cast<uint8_t>(rng());
  for (size_t n = 0; n <= 300; ++n) {
    for (size_t offset = 0; offset < 16; ++offset) {
      const uint8_t* p = bytes.data() + offset;
      ASSERT_EQ(HexOf(fn, p, n), OpenSslHex(p, n)) << "n=" << n << " offset=" << offset;
    }
  }
  // Exact-size heap buffers so the sanitizer catches any read past the end of the input.
  for (size_t n = 0; n <= 130; ++n) {
    std::vector<uint8_t> exact(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
    ASSERT_EQ(HexOf(fn, exact.data(), n), OpenSslHex(exact.data(), n)) << "n=" << n;
  }
}

// Messages that end exactly at a page followed by an inaccessible page: any read past the end
// of the input (e.g. a 16-byte load of a short tail) would fault. Complements the sanitizer.
void ExpectNoReadPastEnd(Sha1Fn fn) {
  testing::GuardedPage page;
  ASSERT_TRUE(page.ok());
  for (size_t i = 0; i < page.size(); ++i) page.begin()[i] = static_cast<char>(i * 131 + 7);
  for (size_t n = 0; n <= 300; ++n) {
    const uint8_t* p = reinterpret_cast<const uint8_t*>(page.end() - n);
    EXPECT_EQ(HexOf(fn, p, n), OpenSslHex(p, n)) << "n=" << n;
  }
}

TEST(Sha1, KnownVectors) { ExpectKnownVectors(&Sha1); }

TEST(Sha1, MatchesOpenSslForEveryLength) { ExpectMatchesOpenSsl(&Sha1); }

TEST(Sha1, PortableKnownVectors) { ExpectKnownVectors(&sha1_internal::Portable); }

TEST(Sha1, PortableMatchesOpenSsl) { ExpectMatchesOpenSsl(&sha1_internal::Portable); }

TEST(Sha1, ShaNiKnownVectors) {
  if (!sha1_internal::HasShaNi()) GTEST_SKIP() << "CPU lacks the SHA extensions";
  ExpectKnownVectors(&sha1_internal::ShaNi);
}

TEST(Sha1, ShaNiMatchesOpenSsl) {
  if (!sha1_internal::HasShaNi()) GTEST_SKIP() << "CPU lacks the SHA extensions";
  ExpectMatchesOpenSsl(&sha1_internal::ShaNi);
}

TEST(Sha1, NoReadPastEndOfInput) {
  ExpectNoReadPastEnd(&sha1_internal::Portable);
  if (sha1_internal::HasShaNi()) ExpectNoReadPastEnd(&sha1_internal::ShaNi);
}

TEST(Sha1, ImplementationMatchesCpu) {
  EXPECT_STREQ(Sha1Implementation(), sha1_internal::HasShaNi() ? "sha-ni" : "portable");
}

// The output buffer need not be aligned, and nothing outside out[0, 20) is written.
TEST(Sha1, WritesExactlyTwentyBytes) {
  uint8_t buf[40];
  std::memset(buf, 0xAB, sizeof(buf));
  Sha1("abc", 3, buf + 7);
  EXPECT_EQ(Hex(buf + 7, 20), "a9993e364706816aba3e25717850c26c9cd0d89d");
  for (size_t i = 0; i < sizeof(buf); ++i) {
    if (i < 7 || i >= 27) {
      EXPECT_EQ(buf[i], 0xAB) << i;
    }
  }
}

uint32_t OpenSslFirstWord(std::string_view m) {
  uint8_t out[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(m.data()), m.size(), out);
  return (uint32_t{out[0]} << 24) | (uint32_t{out[1]} << 16) | (uint32_t{out[2]} << 8) | out[3];
}

// Batches of every size 0..160 mixing one-block (<= 55 bytes) and longer messages, so the
// full lane groups (up to 64 lanes), the partial ones, the one-at-a-time leftovers and the long
// messages in between all land in the right output slots.
TEST(Sha1, FirstWordsMatchOpenSslInBatches) {
  std::mt19937 rng(99);
  std::string pool(16384, '\0');
  for (auto& c : pool) c = static_cast<char>(rng());
  for (bool multi : {true, false}) {
    for (size_t n = 0; n <= 160; ++n) {
      std::vector<std::string_view> msgs;
      for (size_t i = 0; i < n; ++i) {
        size_t len = rng() % 8 == 0 ? 600 + rng() % 7000 : rng() % 3 == 0 ? 56 + rng() % 600 : rng() % 56;  // every size class up to 118 blocks
        msgs.emplace_back(pool.data() + rng() % (pool.size() - len), len);
      }
      std::vector<uint32_t> out(n + 1, 0xDEADBEEF);
      Sha1FirstWords(msgs.data(), n, out.data(), multi);
      for (size_t i = 0; i < n; ++i)
        ASSERT_EQ(out[i], OpenSslFirstWord(msgs[i])) << "multi=" << multi << " n=" << n << " i=" << i << " len=" << msgs[i].size();
      EXPECT_EQ(out[n], 0xDEADBEEF);  // nothing written past out[n - 1]
    }
  }
}

// Every length 0..600 in one batch (the 55/56, 119/120 and 503/504 boundaries between the lane
// groups and the single path),
// each message ending right before an inaccessible page: the lanes' masked loads must not read
// past a message.
TEST(Sha1, FirstWordsEveryLengthAtPageEnd) {
  testing::GuardedPage page;
  ASSERT_TRUE(page.ok());
  for (size_t i = 0; i < page.size(); ++i) page.begin()[i] = static_cast<char>(i * 131 + 7);
  std::vector<std::string_view> msgs;
  for (size_t n = 0; n <= 600; ++n) msgs.emplace_back(page.end() - n, n);
  std::vector<uint32_t> out(msgs.size());
  Sha1FirstWords(msgs.data(), msgs.size(), out.data());
  for (size_t i = 0; i < msgs.size(); ++i) EXPECT_EQ(out[i], OpenSslFirstWord(msgs[i])) << "len=" << i;
}

}  // namespace
}  // namespace winnow
