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

// DecodeAll widens ASCII runs a vector at a time: runs of every length up to past a vector,
// each followed by a 2-, 3- or 4-byte character, against decoding one character at a time.
TEST(Unicode, DecodeAllMatchesOneAtATime) {
  const std::vector<std::string> wide = {"\u00e9", "\u4e2d", "\U0001F600", "\u2019"};
  for (const std::string& w : wide)
    for (size_t run = 0; run < 40; ++run) {
      std::string t;
      for (int rep = 0; rep < 3; ++rep) t += std::string(run + rep, static_cast<char>('a' + rep)) + w;
      t += std::string(run % 7, 'z');
      std::vector<uint32_t> want;
      for (const char* p = t.data(); p < t.data() + t.size();) want.push_back(unicode::DecodeUtf8(p));
      std::vector<uint32_t> got(t.size() + unicode::kDecodeSlack, 0xDEADu);
      const size_t n = unicode::DecodeAll(t, got.data());
      ASSERT_EQ(n, unicode::CountCodePoints(t));
      got.resize(n);
      ASSERT_EQ(got, want) << "run " << run << " " << w;
    }
  std::vector<uint32_t> none(unicode::kDecodeSlack);
  EXPECT_EQ(unicode::DecodeAll("", none.data()), 0u);
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

// Long texts go through SplitLines' 32-byte scan: every kind of break at every offset of a
// chunk, among ASCII, CJK, curly quotes (E2 lead bytes that are not breaks) and tabs, against
// str.splitlines() written out plainly.
TEST(TextSplit, SplitLinesLongTextsMatchPython) {
  auto reference = [](const std::string& t) {
    std::vector<std::string> lines;
    std::string cur;
    bool open = false;
    for (size_t i = 0; i < t.size();) {
      const char* p = t.data() + i;
      const char* q = p;
      const uint32_t cp = unicode::DecodeUtf8(q);
      const size_t n = static_cast<size_t>(q - p);
      const bool brk = cp == '\n' || cp == '\r' || cp == 0x0B || cp == 0x0C || (cp >= 0x1C && cp <= 0x1E) ||
                       cp == 0x85 || cp == 0x2028 || cp == 0x2029;
      if (brk) {
        lines.push_back(cur);
        cur.clear();
        open = false;
        if (cp == '\r' && i + 1 < t.size() && t[i + 1] == '\n') ++i;
      } else {
        cur.append(p, n);
        open = true;
      }
      i += n;
    }
    if (open) lines.push_back(cur);
    return lines;
  };
  const std::vector<std::string> breaks = {"\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e",
                                           "\u0085", "\u2028", "\u2029"};
  const std::vector<std::string> fillers = {"abcdefgh", "\u4e2d\u6587", "\u201cq\u201d", "\t\x1f", "\u00e9t\u00e9"};
  size_t checked = 0;
  for (size_t b = 0; b < breaks.size(); ++b)
    for (size_t offset = 0; offset < 70; ++offset) {
      std::string t;
      for (size_t i = 0; t.size() < offset; ++i) t += fillers[(i + b) % fillers.size()];
      t += breaks[b];
      for (size_t i = 0; i < 9; ++i) t += fillers[(i + offset) % fillers.size()] + (i % 4 == 3 ? breaks[(b + i) % breaks.size()] : "");
      std::vector<std::string_view> got;
      SplitLines(t, &got);
      const std::vector<std::string> want = reference(t);
      ASSERT_EQ(std::vector<std::string>(got.begin(), got.end()), want) << "break " << b << " offset " << offset;
      ++checked;
    }
  EXPECT_EQ(checked, breaks.size() * 70);
  // Two- and three-byte characters before a break near the end: the scan's 32-byte steps stop
  // inside them, and the tail must not read a continuation byte as a character's start (it
  // would swallow the break after it).
  for (const std::string wide : {"\u0439", "\u4e2d"})
    for (const std::string& brk : breaks)
      for (size_t n = 0; n < 40; ++n) {
        std::string t(n % 3, 'a');
        for (size_t i = 0; i < n; ++i) t += wide;
        t += brk + "x";
        std::vector<std::string_view> got;
        SplitLines(t, &got);
        ASSERT_EQ(std::vector<std::string>(got.begin(), got.end()), reference(t)) << n << " " << wide;
      }
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
