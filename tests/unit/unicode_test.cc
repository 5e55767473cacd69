#include <gtest/gtest.h>

#include <cstdio>

#include "winnow/core/text_split.h"
#include "winnow/core/md5.h"
#include "winnow/core/unicode.h"

namespace winnow {
namespace {

std::vector<std::string> Split(std::string_view s, void (*f)(std::string_view, std::vector<std::string_view>*)) {
  std::vector<std::string_view> v;
  f(s, &v);
  return std::vector<std::string>(v.begin(), v.end());
}

TEST(Unicode, PythonCharacterClasses) {
  using namespace unicode;
  EXPECT_TRUE(Is('a', kAlpha));
  EXPECT_TRUE(Is(0x4E2D, kAlpha));   // 中
  EXPECT_TRUE(Is(0x00B2, kAlnum));   // ² is numeric, so isalnum
  EXPECT_FALSE(Is(0x00B2, kAlpha));
  EXPECT_TRUE(Is(0x0663, kDecimal)); // Arabic-Indic three
  EXPECT_TRUE(Is(0x3000, kSpace));
  EXPECT_TRUE(Is(0x1F, kSpace));     // Python: '\x1f'.isspace() is True
  EXPECT_FALSE(Is(0x200B, kSpace));  // zero-width space is not whitespace in Python
  EXPECT_TRUE(Is(0x200B, kDjWhitespace));
  EXPECT_TRUE(Is(0x1F600, kDjSpecial));  // 😀 is in DJ's emoji set
  EXPECT_TRUE(Is('!', kDjSpecial));
  EXPECT_TRUE(Is('7', kDjSpecial));
  EXPECT_FALSE(Is('a', kDjSpecial));
}

TEST(Unicode, CountCodePointsIsPythonLen) {
  EXPECT_EQ(unicode::CountCodePoints("héllo"), 5u);
  EXPECT_EQ(unicode::CountCodePoints("中文"), 2u);
  EXPECT_EQ(unicode::CountCodePoints("\xF0\x9F\x98\x80"), 1u);
}

TEST(Unicode, PyLowerFullMappingAndFinalSigma) {
  EXPECT_EQ(unicode::PyLower("HeLLo ÉTÉ"), "hello été");
  EXPECT_EQ(unicode::PyLower("İ"), "i\xCC\x87");  // U+0130 -> i + combining dot
  EXPECT_EQ(unicode::PyLower("ΟΔΟΣ"), "οδος");    // final sigma
  EXPECT_EQ(unicode::PyLower("ΣΑ"), "σα");
}

// Every code point up to U+1FFFF (surrogates aside) after a cased letter and before a space, and
// at a word start: the whole text's str.lower() (Python 3.11, Unicode 14) has this MD5
// (python3 -c "import hashlib; s=''.join(chr(c)+'a'+chr(c)+' ' for c in range(1,0x20000)
// if not 0xD800<=c<0xE000); print(hashlib.md5(s.lower().encode()).hexdigest())"). Covers the
// fast paths (ASCII blocks, two-byte table, plain three-byte blocks) and the general one.
TEST(Unicode, PyLowerOfEveryCodePointMatchesPython) {
  std::string text;
  for (uint32_t c = 1; c < 0x20000; ++c) {
    if (c >= 0xD800 && c < 0xE000) continue;
    unicode::AppendUtf8(c, text);
    text += 'a';
    unicode::AppendUtf8(c, text);
    text += ' ';
  }
  ASSERT_EQ(text.size(), 1158908u);
  const std::string lower = unicode::PyLower(text);
  uint8_t digest[16];
  Md5(lower.data(), lower.size(), digest);
  char hex[33];
  for (int i = 0; i < 16; ++i) std::snprintf(hex + 2 * i, 3, "%02x", digest[i]);
  EXPECT_EQ(std::string(hex), "27c1f9e4c56405c791fa30c58650e001");
}

TEST(Unicode, StripFollowsPython) {
  EXPECT_EQ(unicode::PyStrip(" \t\u3000abc \n"), "abc");
  EXPECT_EQ(unicode::PyStrip("\u200babc"), "\u200babc");
  EXPECT_EQ(unicode::StripClass("...héllo!!", unicode::kDjSpecial), "héllo");
}

TEST(TextSplit, SplitLinesMatchesPython) {
  using V = std::vector<std::string>;
  EXPECT_EQ(Split("", SplitLines), V{});
  EXPECT_EQ(Split("a\nb", SplitLines), (V{"a", "b"}));
  EXPECT_EQ(Split("a\n", SplitLines), (V{"a"}));
  EXPECT_EQ(Split("\n", SplitLines), (V{""}));
  EXPECT_EQ(Split("a\r\nb\rc\u2028d\x0b" "e\x1c" "f", SplitLines), (V{"a", "b", "c", "d", "e", "f"}));
  EXPECT_EQ(Split("a\n\nb", SplitLines), (V{"a", "", "b"}));
  EXPECT_EQ(Split("a\x1f" "b", SplitLines), (V{"a\x1f" "b"}));
}

TEST(TextSplit, WordsSplitOnSpaceNewlineTab) {
  using V = std::vector<std::string>;
  V words;
  ForEachWord("  a b\n\nc\td\u3000e ", [&](std::string_view w) { words.emplace_back(w); });
  EXPECT_EQ(words, (V{"a", "b", "c", "d\u3000e"}));
  std::string long_text(40, 'x');  // boundaries found by the 16-byte scan and by the tail
  long_text[3] = long_text[17] = long_text[35] = ' ';
  words.clear();
  ForEachWord(long_text, [&](std::string_view w) { words.emplace_back(w); });
  EXPECT_EQ(words.size(), 4u);
  EXPECT_EQ(CountRefinedWords("... abc 123 -x- ,"), 2u);  // "...", "123", "," are all special
}

}  // namespace
}  // namespace winnow

#include "winnow/core/ascii_simd.h"

namespace winnow {
namespace {

// The SIMD ASCII classifications used by the filters agree with the generated tables.
TEST(AsciiSimd, MasksAgreeWithTables) {
  alignas(16) char bytes[128];
  for (int i = 0; i < 128; ++i) bytes[i] = static_cast<char>(i);
  for (int base = 0; base < 128; base += 16) {
    __m128i v = _mm_load_si128(reinterpret_cast<const __m128i*>(bytes + base));
    unsigned alnum = _mm_movemask_epi8(_mm_or_si128(ascii::Letters(v), ascii::Digits(v)));
    __m128i controls = _mm_or_si128(_mm_or_si128(ascii::InRange(v, 0, 8), ascii::InRange(v, 14, 31)),
                                    _mm_cmpeq_epi8(v, _mm_set1_epi8(127)));
    unsigned special = _mm_movemask_epi8(_mm_andnot_si128(_mm_or_si128(ascii::Letters(v), controls), _mm_set1_epi8(-1)));
    for (int i = 0; i < 16; ++i) {
      uint32_t c = static_cast<uint32_t>(base + i);
      EXPECT_EQ(((alnum >> i) & 1) != 0, unicode::Is(c, unicode::kAlnum)) << c;
      EXPECT_EQ(((special >> i) & 1) != 0, unicode::Is(c, unicode::kDjSpecial)) << c;
    }
  }
}

TEST(AsciiSimd, CountWhereHandlesMixedText) {
  std::string s = "abc 123 — émoji 😀 done!";
  for (int rep = 0; rep < 5; ++rep) s += s;
  size_t total = 0, hits = 0;
  ascii::CountWhere(s, [](__m128i v) { return _mm_or_si128(ascii::Letters(v), ascii::Digits(v)); },
                    [](uint32_t cp) { return unicode::Is(cp, unicode::kAlnum); }, &total, &hits);
  size_t want_total = 0, want_hits = 0;
  for (const char* p = s.data(); p < s.data() + s.size();) {
    uint32_t cp = unicode::DecodeUtf8(p);
    ++want_total;
    want_hits += unicode::Is(cp, unicode::kAlnum);
  }
  EXPECT_EQ(total, want_total);
  EXPECT_EQ(hits, want_hits);
}

}  // namespace
}  // namespace winnow
