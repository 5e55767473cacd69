#include <gtest/gtest.h>

#include "winnow/core/regex.h"

namespace winnow {
namespace {

std::string Sub(const char* pattern, const char* repl, const char* text) {
  auto r = Regex::Compile(pattern, true);
  EXPECT_TRUE(r.ok()) << r.status().message();
  std::string out;
  bool replaced = false;
  EXPECT_TRUE((*r)->Sub(text, repl, &out, &replaced).ok());
  return out;
}

TEST(Regex, SubFollowsPythonReSub) {
  EXPECT_EQ(Sub("a+", "-", "baaac a"), "b-c -");
  EXPECT_EQ(Sub("x*", "-", "abxd"), "-a-b--d-");  // Python 3.7+ empty-match rule
  EXPECT_EQ(Sub("(\\w+)@(\\w+)", "\\2 at \\1", "me@host!"), "host at me!");
  EXPECT_EQ(Sub("(?P<user>\\w+)@", "\\g<user>#", "me@host"), "me#host");
  EXPECT_EQ(Sub("(a)|b", "[\\1]", "ab"), "[a][]");  // unmatched group -> empty
  EXPECT_EQ(Sub("\\s", "_", "a\u3000b"), "a_b");    // Unicode \s
  EXPECT_EQ(Sub("\\d", "#", "x\u0663"), "x#");      // Unicode \d
  EXPECT_EQ(Sub("é", "e", "été"), "ete");
  EXPECT_EQ(Sub(".", "x", "a\nb"), "xxx");         // DOTALL
}

TEST(Regex, ErrorsAreReportedNotThrown) {
  EXPECT_FALSE(Regex::Compile("(unclosed", true).ok());
  auto r = Regex::Compile("(a)", true);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE((*r)->CheckReplacement("\\2").ok());
  EXPECT_FALSE((*r)->CheckReplacement("\\g<nope>").ok());
  EXPECT_FALSE((*r)->CheckReplacement("\\q").ok());
  EXPECT_TRUE((*r)->CheckReplacement("\\1\\n").ok());
}

TEST(Regex, PythonRawStringWrapperIsStripped) {
  EXPECT_EQ(StripPythonRawQuotes("r'\\d+'"), "\\d+");
  EXPECT_EQ(StripPythonRawQuotes("r\"x\""), "x");
  EXPECT_EQ(StripPythonRawQuotes("plain"), "plain");
}

}  // namespace
}  // namespace winnow
