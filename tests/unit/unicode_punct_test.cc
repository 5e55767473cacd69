// unicode::IsPunct / RemovePunct (\p{P} without PCRE2) must agree with PCRE2's \p{P}, which
// simhash's ignore_pattern used before, on every code point and on mixed texts.
#include <gtest/gtest.h>

#include "test_support.h"
#include "winnow/core/regex.h"
#include "winnow/core/unicode.h"

namespace winnow {
namespace {

std::shared_ptr<const Regex> PunctRegex() {
  auto re = Regex::Compile("\\p{P}", 0);
  EXPECT_TRUE(re.ok());
  return *re;
}

TEST(UnicodePunct, EveryCodePointAgreesWithPcre2) {
  auto re = PunctRegex();
  size_t punct = 0;
  for (uint32_t cp = 0; cp < 0x110000; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    std::string s;
    unicode::AppendUtf8(cp, s);
    auto m = re->Search(s);
    ASSERT_TRUE(m.ok());
    ASSERT_EQ(unicode::IsPunct(cp), *m) << "U+" << std::hex << cp;
    punct += *m;
  }
  EXPECT_EQ(punct, 819u);  // Unicode 14.0's P* code points
  EXPECT_FALSE(unicode::IsPunct(0x110000));
}

TEST(UnicodePunct, RemovePunctMatchesPcre2Sub) {
  auto re = PunctRegex();
  // Pieces that cross the 32-byte blocks at every offset: ASCII punctuation and symbols,
  // multi-byte punctuation (curly quotes, CJK and Arabic marks, U+1F8B0-area none), letters.
  const std::vector<std::string> pieces = {"a",  "bc",  "Hello", " ",  ",",  ".",  "!",   "$",   "+",
                                           "~",  "_",   "{",     "}",  "\n", "é",  "\u2019", "\u201C",
                                           "\u3002", "\u060C", "日本", "😀", "\U0001E95E", "\u00BF", "\u2E52", "-"};
  testing::XorShift64 rng(11);
  for (int round = 0; round < 3000; ++round) {
    std::string t;
    const size_t n = rng() % 120;
    for (size_t i = 0; i < n; ++i) t += pieces[rng() % pieces.size()];
    std::string want, got = "stale";
    bool want_replaced = false;
    ASSERT_TRUE(re->Sub(t, "", &want, &want_replaced).ok());
    const bool replaced = unicode::RemovePunct(t, &got);
    ASSERT_EQ(replaced, want_replaced) << t;
    if (want_replaced) ASSERT_EQ(got, want) << t;
    else ASSERT_EQ(got, t) << t;
  }
  std::string out;
  EXPECT_FALSE(unicode::RemovePunct("", &out));
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(unicode::RemovePunct(std::string(100, '.'), &out));
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace winnow
