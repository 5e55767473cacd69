// The jieba segmenter against python3-jieba 0.42.1 itself: tests/data/jieba_cases.jsonl holds
// jieba.lcut(text) for Debian Handbook lines (zh-CN, zh-TW) and edge cases, written by
// tests/data/make_jieba_cases.py. Plus what Python cannot show: invalid UTF-8, bad model files.
#include "winnow/models/jieba_segmenter.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "winnow/core/json.h"

namespace winnow {
namespace {

struct Case {
  std::string text;
  std::vector<std::string> tokens;
};

const std::vector<Case>& Cases() {
  static const std::vector<Case>* cases = [] {
    auto* out = new std::vector<Case>();
    std::ifstream in(std::string(WINNOW_SOURCE_DIR) + "/tests/data/jieba_cases.jsonl");
    std::string line;
    while (std::getline(in, line)) {
      auto parsed = json::Parse(line);
      EXPECT_TRUE(parsed.ok()) << parsed.status().message();
      if (!parsed.ok()) continue;
      Case c{parsed->Find("text")->as_string(), {}};
      for (const json::Value& t : parsed->Find("tokens")->as_array()) c.tokens.push_back(t.as_string());
      out->push_back(std::move(c));
    }
    return out;
  }();
  return *cases;
}

const JiebaSegmenter& Jieba() {
  static auto s = JiebaSegmenter::Shared(JiebaDir());
  EXPECT_TRUE(s.ok()) << s.status().message();
  return **s;
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& t : v) s += t;
  return s;
}

TEST(JiebaSegmenterTest, FixturesArePresent) { EXPECT_GE(Cases().size(), 300u); }

TEST(JiebaSegmenterTest, MatchesPythonJieba) {
  for (size_t i = 0; i < Cases().size(); ++i)
    EXPECT_EQ(Jieba().Cut(Cases()[i].text), Cases()[i].tokens) << "case " << i << ": " << Cases()[i].text;
}

TEST(JiebaSegmenterTest, EdgeCases) {
  EXPECT_TRUE(Jieba().Cut("").empty());
  EXPECT_EQ(Jieba().Cut("a\r\r\nb"), (std::vector<std::string>{"a", "\r", "\r\n", "b"}));
  // Alphanumerics stay inside Han blocks; punctuation and emoji are tokens of their own.
  EXPECT_EQ(Jieba().Cut("我爱C++和Python3！😀"),
            (std::vector<std::string>{"我", "爱", "C++", "和", "Python3", "！", "😀"}));
}

TEST(JiebaSegmenterTest, InvalidUtf8BytesAreTokensOfTheirOwn) {
  // An invalid byte splits blocks like any non-Han character and keeps its byte.
  std::vector<std::string> want = Jieba().Cut("我来到");
  want.push_back("\xff");
  for (auto& t : Jieba().Cut("北京清华大学")) want.push_back(t);
  want.push_back("\xe5\x8c");  // a truncated sequence: each byte alone
  want.back().resize(1);
  want.push_back("\x8c");
  EXPECT_EQ(Jieba().Cut("我来到\xff北京清华大学\xe5\x8c"), want);
}

TEST(JiebaSegmenterTest, TokensCoverTheTextAndThreadsAgree) {
  std::vector<std::vector<std::string>> got(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < got.size(); ++t)
    threads.emplace_back([&, t] {
      for (const Case& c : Cases()) {
        auto tokens = Jieba().Cut(c.text);
        got[t].push_back(Join(tokens) == c.text ? "ok" : c.text);
        got[t].push_back(std::to_string(tokens.size()));
      }
    });
  for (auto& th : threads) th.join();
  for (size_t t = 0; t < got.size(); ++t) {
    EXPECT_EQ(got[t], got[0]);
    for (size_t i = 0; i < got[t].size(); i += 2) EXPECT_EQ(got[t][i], "ok");
  }
}

class JiebaFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("winnow_jieba_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_ / "finalseg");
    for (const char* f : {"prob_start.py", "prob_trans.py", "prob_emit.py"})
      std::filesystem::copy_file(JiebaDir() + "/finalseg/" + f, dir_ / "finalseg" / f);
    Write("dict.txt", "北京 100 ns\n大学 50 n\n");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }
  std::filesystem::path dir_;
};

TEST_F(JiebaFilesTest, SmallDictionaryWorks) {
  auto s = JiebaSegmenter::Load(dir_.string());
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ((*s)->dictionary_size(), 4u);  // two words and their one-character prefixes
  EXPECT_EQ((*s)->Cut("北京大学"), (std::vector<std::string>{"北京", "大学"}));
}

TEST_F(JiebaFilesTest, MissingDictionaryNamesTheFile) {
  auto s = JiebaSegmenter::Load((dir_ / "nowhere").string());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("nowhere/dict.txt"), std::string::npos) << s.status().message();
  EXPECT_NE(s.status().message().find("python3-jieba"), std::string::npos);
}

TEST_F(JiebaFilesTest, CorruptDictionaryNamesTheLine) {
  Write("dict.txt", "北京 100 ns\n大学 lots n\n");
  auto s = JiebaSegmenter::Load(dir_.string());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("at line 2: 大学 lots n"), std::string::npos) << s.status().message();
}

TEST_F(JiebaFilesTest, CorruptHmmTableNamesTheFile) {
  Write("finalseg/prob_trans.py", "P={'B': {'E': -0.5, 'M': oops}}\n");
  auto s = JiebaSegmenter::Load(dir_.string());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("prob_trans.py"), std::string::npos) << s.status().message();
  std::filesystem::remove(dir_ / "finalseg" / "prob_emit.py");
  Write("finalseg/prob_trans.py", "P={'B': {'E': -0.5, 'M': -0.9}}\n");
  s = JiebaSegmenter::Load(dir_.string());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("prob_emit.py"), std::string::npos) << s.status().message();
}

}  // namespace
}  // namespace winnow
