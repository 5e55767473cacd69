#include <gtest/gtest.h>

#include "winnow/core/regex.h"

namespace winnow {
namespace {

std::string Sub(const char* pattern, const char* repl, const char* text) {
  auto r = Regex::Compile(pattern, Regex::kDotAll);
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
  EXPECT_FALSE(Regex::Compile("(unclosed", Regex::kDotAll).ok());
  auto r = Regex::Compile("(a)", Regex::kDotAll);
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

#include "winnow/ops/text/regex_mapper.h"

namespace winnow {
namespace {

// clean_links_mapper's rewritten default pattern finds exactly the spans DJ's pattern finds.
TEST(Regex, FastLinkPatternMatchesTheDefaultOne) {
  auto slow = Regex::Compile(CleanLinksDefaultPattern(), Regex::kDotAll);
  auto fast = Regex::Compile(CleanLinksFastPattern(), Regex::kDotAll);
  ASSERT_TRUE(slow.ok() && fast.ok());
  const char* inputs[] = {
      "see http://example.org/a/b?x=1 now", "www.foo.com and WWW2.bar.org.", "a.b.co/path(x)y) z",
      "mailto:me@x.org, ftp://h/(a(b)c)d.", "Note:this is not a link: 12:30", "http://x.org/a_(b)_(c)",
      "PING www.debian.org(mirror-csail.debian.org (2603:400a:ffff:bb8::801f:3e)) 1452 data bytes",
      "«https://ex.org/«q»» “http://y.org/z”", "测试https://example.com/x 和 https://例子.测试/路径。",
      "(http://a.b/c) [www.x.y/z] {u:v}", "https://a.org/((nested))more) end"};
  for (const char* in : inputs) {
    std::string a, b;
    bool ra = false, rb = false;
    ASSERT_TRUE((*slow)->Sub(in, "<L>", &a, &ra).ok());
    ASSERT_TRUE((*fast)->Sub(in, "<L>", &b, &rb).ok());
    EXPECT_EQ(ra, rb) << in;
    if (ra) {
      EXPECT_EQ(a, b) << in;
    }
  }
}

}  // namespace
}  // namespace winnow
