// winnow::Md5 and Md5Prefix64Many (SimHash's shingle hash) against OpenSSL's MD5: RFC 1321's
// vectors, every length across the one/two-block padding edges, and batches mixing the
// sixteen-lane groups (1, 2 and 3-8 blocks) with messages too long for them.
#include "winnow/core/md5.h"

#include "test_support.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <random>
#include <string>
#include <vector>

namespace winnow {
namespace {

std::string Hex(const uint8_t* d, size_t n) {
  static const char kDigits[] = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < n; ++i) {
    s += kDigits[d[i] >> 4];
    s += kDigits[d[i] & 15];
  }
  return s;
}

std::string OpenSslMd5(std::string_view m) {
  uint8_t out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(m.data(), m.size(), out, &len, EVP_md5(), nullptr);
  return Hex(out, len);
}

uint64_t OpenSslPrefix64(std::string_view m) {
  uint8_t out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(m.data(), m.size(), out, &len, EVP_md5(), nullptr);
  uint64_t h = 0;
  for (int i = 0; i < 8; ++i) h = (h << 8) | out[i];
  return h;
}

std::string WinnowMd5(std::string_view m) {
  uint8_t out[16];
  Md5(m.data(), m.size(), out);
  return Hex(out, 16);
}

TEST(Md5, Rfc1321Vectors) {
  EXPECT_EQ(WinnowMd5(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(WinnowMd5("a"), "0cc175b9c0f1b6a831c399e269772661");
  EXPECT_EQ(WinnowMd5("abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(WinnowMd5("message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
  EXPECT_EQ(WinnowMd5("12345678901234567890123456789012345678901234567890123456789012345678901234567890"),
            "57edf4a22be3c955ac49da2e2107b67a");
}

TEST(Md5, MatchesOpenSslForEveryLength) {
  std::mt19937 rng(1);
  std::string bytes(700, '\0');
  for (auto& c : bytes) c = static_cast<char>(rng());
  for (size_t n = 0; n <= 700; ++n) ASSERT_EQ(WinnowMd5(std::string_view(bytes).substr(0, n)), OpenSslMd5(std::string_view(bytes).substr(0, n))) << n;
}

TEST(Md5, Prefix64ManyMatchesOpenSslInBatches) {
  std::mt19937 rng(2);
  std::string pool(16384, '\0');
  for (auto& c : pool) c = static_cast<char>(rng());
  for (bool multi : {true, false}) {
    for (size_t n = 0; n <= 160; ++n) {
      std::vector<std::string_view> msgs;
      for (size_t i = 0; i < n; ++i) {
        size_t len = rng() % 8 == 0 ? 600 + rng() % 7000 : rng() % 3 == 0 ? 56 + rng() % 600 : rng() % 56;  // every size class up to 118 blocks
        msgs.emplace_back(pool.data() + rng() % (pool.size() - len), len);
      }
      std::vector<uint64_t> out(n + 1, 0xDEADBEEF);
      Md5Prefix64Many(msgs.data(), n, out.data(), multi);
      for (size_t i = 0; i < n; ++i)
        ASSERT_EQ(out[i], OpenSslPrefix64(msgs[i])) << "multi=" << multi << " n=" << n << " len=" << msgs[i].size();
      EXPECT_EQ(out[n], 0xDEADBEEFu);
    }
  }
}

// Every length 0..600 in one batch, each message ending right before an inaccessible page.
TEST(Md5, Prefix64ManyEveryLengthAtPageEnd) {
  testing::GuardedPage page;
  ASSERT_TRUE(page.ok());
  for (size_t i = 0; i < page.size(); ++i) page.begin()[i] = static_cast<char>(i * 37 + 11);
  std::vector<std::string_view> msgs;
  for (size_t n = 0; n <= 600; ++n) msgs.emplace_back(page.end() - n, n);
  std::vector<uint64_t> out(msgs.size());
  Md5Prefix64Many(msgs.data(), msgs.size(), out.data());
  for (size_t i = 0; i < msgs.size(); ++i) EXPECT_EQ(out[i], OpenSslPrefix64(msgs[i])) << "len=" << i;
}

}  // namespace
}  // namespace winnow
