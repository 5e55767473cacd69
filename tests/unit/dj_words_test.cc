// RefineDjWord's fast paths (ASCII words, U+2581 + ASCII pieces) against the definition: Python's
// str.lower(), then SPECIAL_CHARACTERS stripped from both ends.
#include <gtest/gtest.h>

#include "test_support.h"

#include "winnow/core/unicode.h"
#include "winnow/ops/text/dj_words.h"

namespace winnow {
namespace {

std::string Reference(std::string_view w) {
  std::string lower;
  unicode::PyLowerInto(w, &lower);
  return std::string(unicode::StripClass(lower, unicode::kDjSpecial));
}

TEST(DjWords, RefineMatchesLowerThenStrip) {
  const std::vector<std::string> parts = {"\xE2\x96\x81", "a", "Z", "q", "7", ".", ",", "!", "'", "-", " ", "\t",
                                          "\xC3\x89", "\xE2\x80\x99", "\xE2\x80\x94", "\xC4\xB0", "\xE2\x98\x85", "x"};
  testing::XorShift64 next(0x9E3779B97F4A7C15ull);
  std::string buf;
  for (int t = 0; t < 100000; ++t) {
    std::string w;
    const size_t n = next() % 7;
    for (size_t i = 0; i < n; ++i) w += parts[next() % parts.size()];
    EXPECT_EQ(std::string(RefineDjWord(w, &buf)), Reference(w)) << w;
  }
  EXPECT_EQ(std::string(RefineDjWord("\xE2\x96\x81Hello,", &buf)), "\xE2\x96\x81hello");
  EXPECT_EQ(std::string(RefineDjWord("\xE2\x96\x81...", &buf)), "\xE2\x96\x81");
  EXPECT_EQ(std::string(RefineDjWord("(Word)", &buf)), "word");
  EXPECT_EQ(std::string(RefineDjWord("", &buf)), "");
}

}  // namespace
}  // namespace winnow
