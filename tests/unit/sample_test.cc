#include <gtest/gtest.h>

#include "winnow/core/sample.h"

namespace winnow {
namespace {

std::string Rewrite(const std::string& raw, bool with_stats, const char* new_text = nullptr,
                    std::vector<std::pair<std::string, std::string>> extra = {}) {
  Sample s;
  EXPECT_TRUE(s.Init(raw, RowId{0, 1}, "").ok()) << raw;
  if (new_text) {
    EXPECT_TRUE(s.Text("text").ok());
    s.SetText("text", new_text);
  }
  if (with_stats) s.stats().SetInt("text_len", 3);
  std::string out;
  s.Write(with_stats, extra, &out);
  return out;
}

TEST(Sample, UnchangedSampleIsWrittenByteIdentical) {
  std::string raw = R"({ "text" :"a b",   "meta":{"x":1.50}, "z": [ 1,2 ] })";
  EXPECT_EQ(Rewrite(raw, false), raw);
}

TEST(Sample, ChangedFieldIsRewrittenInPlaceKeepingEverythingElse) {
  std::string raw = R"({"id": 7, "text": "a\u00e9b", "meta": {"x": 1.50}})";
  EXPECT_EQ(Rewrite(raw, false, "new \"q\""), R"({"id": 7, "text": "new \"q\"", "meta": {"x": 1.50}})");
}

TEST(Sample, SettingTheSameTextKeepsTheOriginalEscapes) {
  std::string raw = R"({"text": "a\u00e9b"})";
  EXPECT_EQ(Rewrite(raw, false, "a\xC3\xA9" "b"), raw);
}

TEST(Sample, StatsAreAppendedInTheRecordsOwnStyle) {
  EXPECT_EQ(Rewrite(R"({"text":"abc","n":1})", true), R"({"text":"abc","n":1,"__dj__stats__":{"text_len": 3}})");
  EXPECT_EQ(Rewrite(R"({"text": "abc"})", true), R"({"text": "abc", "__dj__stats__": {"text_len": 3}})");
  EXPECT_EQ(Rewrite(R"({})", true), R"({"__dj__stats__": {"text_len": 3}})");
}

TEST(Sample, InputStatsAreLoadedReplacedOrDropped) {
  std::string raw = R"({"text": "abc", "__dj__stats__": {"alnum_ratio": 0.5}, "k": 1})";
  Sample s;
  ASSERT_TRUE(s.Init(raw, RowId{}, "").ok());
  ASSERT_NE(s.stats().Find("alnum_ratio"), nullptr);
  EXPECT_DOUBLE_EQ(s.stats().Find("alnum_ratio")->AsDouble(), 0.5);
  std::string out;
  s.Write(false, {}, &out);
  EXPECT_EQ(out, R"({"text": "abc", "k": 1})");
  out.clear();
  s.stats().SetInt("text_len", 3);
  s.Write(true, {}, &out);
  EXPECT_EQ(out, R"({"text": "abc", "__dj__stats__": {"alnum_ratio": 0.5, "text_len": 3}, "k": 1})");
  // Stats as the last and as the only member.
  EXPECT_EQ(Rewrite(R"({"text": "abc", "__dj__stats__": {}})", false), R"({"text": "abc"})");
  EXPECT_EQ(Rewrite(R"({"__dj__stats__": {}, "text": "abc"})", false), R"({"text": "abc"})");
  EXPECT_EQ(Rewrite(R"({"__dj__stats__": {}})", false), R"({})");
  // Duplicate keys (found by the fuzzer): every copy is dropped.
  EXPECT_EQ(Rewrite(R"({"id": 0, "__dj__stats__": "x", "__dj__stats__": {"k": 1}})", false), R"({"id": 0})");
  EXPECT_EQ(Rewrite(R"({"__dj__stats__": 1, "__dj__stats__": 2, "id": 0})", false), R"({"id": 0})");
}

TEST(Sample, ExtraMembersAndNestedFieldLookup) {
  EXPECT_EQ(Rewrite(R"({"text": "abc"})", false, nullptr, {{"__dj__hash", "\"ff\""}}),
            R"({"text": "abc", "__dj__hash": "ff"})");
  Sample s;
  ASSERT_TRUE(s.Init(R"({"meta": {"a": {"b": [1, 2]}}, "text": "t"})", RowId{}, "").ok());
  std::string raw;
  ASSERT_TRUE(s.FieldRaw("meta.a.b", &raw));
  EXPECT_EQ(raw, "[1, 2]");
  EXPECT_FALSE(s.FieldRaw("meta.c", &raw));
  EXPECT_FALSE(s.FieldRaw("text.x", &raw));
  s.stats().SetDouble("meta.a", 0.25);
  ASSERT_TRUE(s.FieldRaw("__dj__stats__.meta.a", &raw));
  EXPECT_EQ(raw, "0.25");
}

TEST(Sample, TextFieldErrorsNameTheField) {
  Sample s;
  ASSERT_TRUE(s.Init(R"({"text": null, "n": 3, "bad": "\ud800"})", RowId{}, "").ok());
  EXPECT_EQ(s.Text("text").status().message(), "field 'text' is null, expected a string");
  EXPECT_EQ(s.Text("n").status().message(), "field 'n' is number, expected a string");
  EXPECT_EQ(s.Text("missing").status().message(), "field 'missing' is missing");
  EXPECT_NE(s.Text("bad").status().message().find("surrogate"), std::string::npos);
}

}  // namespace
}  // namespace winnow
