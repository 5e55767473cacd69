// Shingler (ops/dedup/shingles.h) with tokenization "space": the windows of re.split(" ")'s
// non-empty tokens, joined by single spaces, whatever the runs of spaces around them (the
// tokens are re-laid out one space apart when they are not already).
#include <gtest/gtest.h>

#include "test_support.h"
#include "winnow/ops/dedup/shingles.h"
#include "winnow/ops/params.h"

namespace winnow {
namespace {

Params SpaceParams(int window, const std::string& ignore) {
  Params p;
  p.Set("tokenization", json::Value::String("space"));
  p.Set("window_size", json::Value::Number(window, true));
  p.Set("lowercase", json::Value::Bool(false));
  p.Set("ignore_pattern", ignore.empty() ? json::Value::Null() : json::Value::String(ignore));
  return p;
}

std::vector<std::string> Expected(const std::string& text, size_t window) {
  std::vector<std::string> tokens, out;
  std::string cur;
  for (char c : text + " ") {
    if (c == ' ') {
      if (!cur.empty()) tokens.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  for (size_t i = 0; i + window <= tokens.size(); ++i) {
    std::string sh = tokens[i];
    for (size_t k = 1; k < window; ++k) sh += " " + tokens[i + k];
    out.push_back(sh);
  }
  return out;
}

TEST(Shingler, SpaceTokensAreJoinedBySingleSpacesWhateverTheRuns) {
  testing::XorShift64 rng(5);
  // Tokens of 63, 64 and 130 bytes start, end and span 64-byte blocks at every offset.
  const std::vector<std::string> words = {"a",  "bb", "word", "longer-word", "é", "日本", "x\ny", "\t",
                                          std::string(63, 'p'), std::string(64, 'q'), std::string(130, 'z')};
  for (size_t window : {1, 2, 6}) {
    Shingler sh(SpaceParams(static_cast<int>(window), ""));
    for (int round = 0; round < 1000; ++round) {
      std::string text;
      const size_t n = rng() % 60;
      for (size_t i = 0; i < n; ++i) {
        text.append(rng() % 3 == 0 ? rng() % 70 : 1, ' ');  // runs up to past a 64-byte block
        text += words[rng() % words.size()];
      }
      if (rng() % 2) text.append(rng() % 80, ' ');
      std::vector<std::string> got;
      ASSERT_TRUE(sh.ForEach(text, [&](std::string_view s) { got.emplace_back(s); }).ok());
      ASSERT_EQ(got, Expected(text, window)) << "window " << window << " text '" << text << "'";
    }
  }
}

// Removing \p{P} leaves runs of spaces (" - " -> "  "): the shingles skip them.
TEST(Shingler, PunctuationRemovalThenSpaces) {
  Shingler sh(SpaceParams(2, "\\p{P}"));
  std::vector<std::string> got;
  ASSERT_TRUE(sh.ForEach("one - two,  three. ... four", [&](std::string_view s) { got.emplace_back(s); }).ok());
  EXPECT_EQ(got, (std::vector<std::string>{"one two", "two three", "three four"}));
}

}  // namespace
}  // namespace winnow
