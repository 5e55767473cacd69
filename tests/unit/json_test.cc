#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "winnow/core/json.h"

namespace winnow::json {
namespace {

TEST(Json, ParseObjectKeepsSpans) {
  std::string t = R"({"text": "a\"b", "n" : 12.5e1, "o": {"x": [1, {"y": null}]}, "b": true})";
  std::vector<Member> ms;
  ASSERT_TRUE(ParseObject(t, &ms).ok());
  ASSERT_EQ(ms.size(), 4u);
  EXPECT_EQ(ms[0].key, "text");
  EXPECT_EQ(ms[0].value, R"("a\"b")");
  EXPECT_EQ(ms[1].value, "12.5e1");
  EXPECT_EQ(ms[2].value, R"({"x": [1, {"y": null}]})");
  EXPECT_EQ(ms[3].value, "true");
  EXPECT_EQ(ms[0].begin, t.data() + 1);
}

TEST(Json, RejectsInvalidRecordsWithOffsets) {
  std::vector<Member> ms;
  for (const char* bad : {"", "   ", "[1,2]", "{\"a\":}", "{\"a\":1,}", "{\"a\" 1}", "{'a':1}", "{\"a\":01}",
                          "{\"a\":1} x", "{\"a\":\"\\x\"}", "{\"a\":\"\x01\"}", "{\"a\":tru}", "{\"a\":\"abc",
                          "{\"a\":-}", "{\"a\":1.}", "{\"a\":1e}", "{\"a\":\"\\u12\"}"}) {
    ms.clear();
    Status st = ParseObject(bad, &ms);
    EXPECT_FALSE(st.ok()) << bad;
  }
  Status st = ParseObject("{\"a\": 1, \"b\": [1, 2}", &ms);
  EXPECT_NE(st.message().find("byte 19"), std::string::npos) << st.message();
}

TEST(Json, DeepNestingIsAnErrorNotACrash) {
  std::string deep = "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  std::vector<Member> ms;
  Status st = ParseObject(deep, &ms);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("too deep"), std::string::npos);
}

TEST(Json, DecodeStringHandlesEscapesAndSurrogates) {
  std::string out;
  ASSERT_TRUE(DecodeString(R"("a\n\t\"\\\/\u00e9\ud83d\ude00")", &out).ok());
  EXPECT_EQ(out, "a\n\t\"\\/\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_FALSE(DecodeString(R"("\ud83d")", &out).ok());
  EXPECT_FALSE(DecodeString(R"("\ude00x")", &out).ok());
}

// Random strings of plain runs (up to past a 64-byte block), escapes, controls and multi-byte
// characters: AppendString then DecodeString gives them back, and the validator takes the
// encoded form. Also each string written with every character as a \u escape.
TEST(Json, DecodeStringRoundTripsAcrossBlocks) {
  uint64_t state = 7;
  auto next = [&state] {
    state ^= state << 13, state ^= state >> 7, state ^= state << 17;
    return state;
  };
  const std::vector<std::string> atoms = {"a", "word ", "\n", "\"", "\\", "/", "\t", "\x01", "\x1f", "é", "日本", "😀", "\r\n"};
  for (int round = 0; round < 2000; ++round) {
    std::string s;
    const size_t n = next() % 40;
    for (size_t i = 0; i < n; ++i) s += next() % 4 == 0 ? std::string(next() % 130, 'x') : atoms[next() % atoms.size()];
    std::string enc, dec;
    AppendString(s, &enc);
    ASSERT_TRUE(DecodeString(enc, &dec).ok()) << enc;
    ASSERT_EQ(dec, s);
    std::vector<Member> ms;
    ASSERT_TRUE(ParseObject("{\"t\": " + enc + "}", &ms).ok()) << enc;
    // Every byte below 0x80 as \u00XX (multi-byte characters kept as they are).
    std::string uenc = "\"";
    for (unsigned char c : s) {
      char buf[8];
      if (c < 0x80) {
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        uenc += buf;
      } else {
        uenc.push_back(static_cast<char>(c));
      }
    }
    uenc += "\"";
    ASSERT_TRUE(DecodeString(uenc, &dec).ok()) << uenc;
    ASSERT_EQ(dec, s);
  }
}

TEST(Json, AppendStringEscapesOnlyWhatJsonNeeds) {
  std::string out;
  AppendString("é\"\\\n\x01/", &out);
  EXPECT_EQ(out, "\"é\\\"\\\\\\n\\u0001/\"");
}

TEST(Json, AppendDoubleMatchesPythonRepr) {
  auto f = [](double d) { std::string s; AppendDouble(d, &s); return s; };
  EXPECT_EQ(f(1.0), "1.0");
  EXPECT_EQ(f(0.5), "0.5");
  EXPECT_EQ(f(0.1), "0.1");
  EXPECT_EQ(f(1e-05), "1e-05");
  EXPECT_EQ(f(0.0001), "0.0001");
  EXPECT_EQ(f(123456789.0), "123456789.0");
  EXPECT_EQ(f(1e16), "1e+16");
  EXPECT_EQ(f(1e15), "1000000000000000.0");
  EXPECT_EQ(f(-2.5), "-2.5");
  EXPECT_EQ(f(0.7936507936507936), "0.7936507936507936");
  EXPECT_EQ(f(9.223372036854776e18), "9.223372036854776e+18");
  EXPECT_EQ(f(0.0), "0.0");
}

TEST(Json, ValuePyEqualsFollowsPython) {
  auto v = [](const char* s) { return *Parse(s); };
  EXPECT_TRUE(v("1").PyEquals(v("1.0")));
  EXPECT_TRUE(v("true").PyEquals(v("1")));
  EXPECT_FALSE(v("\"1\"").PyEquals(v("1")));
  EXPECT_TRUE(v("[1, \"a\"]").PyEquals(v("[1.0, \"a\"]")));
  EXPECT_TRUE(v("{\"a\": 1, \"b\": 2}").PyEquals(v("{\"b\": 2, \"a\": 1}")));
  EXPECT_FALSE(v("null").PyEquals(v("0")));
}

}  // namespace
}  // namespace winnow::json
