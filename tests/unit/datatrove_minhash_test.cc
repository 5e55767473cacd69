// document_minhash_deduplicator's `preset: datatrove`: simplify_text and the shingle hashes as
// datatrove a649de7 computes them (expected values printed by datatrove's own functions), and
// the signature arithmetic. bench/datatrove_minhash_parity.py compares whole runs.
#include <gtest/gtest.h>

#include "winnow/core/numpy_random.h"
#include "winnow/ops/dedup/datatrove_minhash.h"

namespace winnow::datatrove {
namespace {

TEST(DatatroveMinhash, SimplifyTextMatchesDatatrove) {
  // datatrove.utils.text.simplify_text(case) for each case.
  EXPECT_EQ(*SimplifyText("H\u00e9llo, W\u00f6rld!  It costs 3.14 or 2,5 \u20ac \u2014 caf\u00e9 na\u00efve\u00a0NBSP\u2003em"),
            "hello world it costs 0 or 0 \u20ac cafe naive nbsp em");
  EXPECT_EQ(*SimplifyText("\u00dcn\u00efc\u00f6d\u00e9 \u00c0\u00c9\u00ce\u00d5\u00dc \ufb01 ligature "
                          "\u0661\u0662\u0663\u066b\u0664 \u0665"),
            "unicode aeiou \ufb01 ligature 0 0");
  EXPECT_EQ(*SimplifyText("  Tabs\tand\nnewlines... \"quotes\" (parens) [x] {y} 100% #tag @at 12:30 "),
            "tabs and newlines quotes parens x y 0 tag at 0 0");
  EXPECT_EQ(*SimplifyText(""), "");
}

TEST(DatatroveMinhash, ShingleHashesAreXxh64OfWordFiveGrams) {
  std::vector<uint64_t> h;
  ASSERT_TRUE(ShingleHashes("Hello, world! It costs 3.14", 5, &h).ok());
  // xxhash.xxh64_intdigest("hello world it costs 0")
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0], 10407811960611395077ull);
  ASSERT_TRUE(ShingleHashes("too few words", 5, &h).ok());
  EXPECT_TRUE(h.empty());
  ASSERT_TRUE(ShingleHashes("a b c d e f", 5, &h).ok());
  EXPECT_EQ(h.size(), 2u);
}

TEST(DatatroveMinhash, SignatureWrapsLikeNumpyUint64) {
  // (h * a + b) wraps mod 2^64 before mod 2^61 - 1; the minimum over shingles per permutation.
  std::vector<uint64_t> a = {3, 0xFFFFFFFFFFFFFFFFull}, b = {1, 5}, mins;
  Signature64({2, (uint64_t{1} << 63)}, a, b, &mins);
  const uint64_t p = (uint64_t{1} << 61) - 1;
  uint64_t w0 = (uint64_t{1} << 63) * 3 + 1, w1 = (uint64_t{1} << 63) * 0xFFFFFFFFFFFFFFFFull + 5;
  EXPECT_EQ(mins[0], std::min<uint64_t>(7 % p, w0 % p));
  EXPECT_EQ(mins[1], std::min<uint64_t>((2 * 0xFFFFFFFFFFFFFFFFull + 5) % p, w1 % p));
  // The preset's parameters are numpy RandomState(1)'s: randint(1, 2^61 - 1, size=112, uint64) first.
  NumpyRandomState gen(MinhashPreset::kSeed);
  EXPECT_EQ(gen.RandintU64(1, p), 775169054918279404ull);
  EXPECT_EQ(gen.RandintU64(1, p), 1758426461858698313ull);
}

}  // namespace
}  // namespace winnow::datatrove
