// WordSet: membership is exact whatever its length/first/last-byte signature prefilter says.
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>

#include "winnow/ops/text/word_lists.h"

namespace winnow {
namespace {

TEST(WordSet, ExactMembershipBehindTheSignature) {
  WordSet set;
  for (const char* w : {"damn", "hell", "über", "日本", "a", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}) set.Insert(w);
  set.Insert("damn");  // duplicates count once
  EXPECT_EQ(set.size(), 6u);
  EXPECT_TRUE(set.Contains("damn"));
  EXPECT_TRUE(set.Contains("über"));
  EXPECT_TRUE(set.Contains("日本"));
  EXPECT_TRUE(set.Contains("a"));
  EXPECT_TRUE(set.Contains("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
  // Same length, first and last byte as "damn" (same signature bit): the table decides.
  EXPECT_FALSE(set.Contains("dain"));
  // The signature takes the length mod 32: "h" + 34 x + "l" has the bit of "hell".
  EXPECT_FALSE(set.Contains("h" + std::string(34, 'x') + "l"));
  EXPECT_TRUE(set.Contains("hell"));
  EXPECT_FALSE(set.Contains("Damn"));
  EXPECT_FALSE(set.Contains(""));
  EXPECT_FALSE(set.Contains("b"));
}

TEST(WordSet, EmptyStringIsAWordWhenListed) {
  WordSet set;
  EXPECT_FALSE(set.Contains(""));
  set.Insert("");
  set.Insert("ok");
  EXPECT_TRUE(set.Contains(""));
  EXPECT_TRUE(set.Contains("ok"));
  EXPECT_FALSE(set.Contains("o"));
}

TEST(WordSet, RandomWordsAgreeWithStdSet) {
  std::mt19937 rng(7);
  auto word = [&] {
    std::string w(1 + rng() % 12, ' ');
    for (char& c : w) c = static_cast<char>("abcdeé\xC3\xA9xyz"[rng() % 11]);
    return w;
  };
  WordSet set;
  std::set<std::string> ref;
  for (int i = 0; i < 2000; ++i) {
    std::string w = word();
    set.Insert(w);
    ref.insert(w);
  }
  EXPECT_EQ(set.size(), ref.size());
  for (int i = 0; i < 100000; ++i) {
    std::string w = word();
    ASSERT_EQ(set.Contains(w), ref.count(w) == 1) << w;
  }
}

}  // namespace
}  // namespace winnow
