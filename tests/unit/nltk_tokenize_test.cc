// The NLTK tokenizer port against python3-nltk 3.8 itself (Debian 12's package).
// tests/data/nltk_tokenize_cases.jsonl holds one object per text with what nltk returned:
//   "words":    [t for s in PunktSentenceTokenizer().tokenize(text)
//                  for t in NLTKWordTokenizer().tokenize(s)]
//   "sents":    PunktSentenceTokenizer().tokenize(text)
//   "treebank": NLTKWordTokenizer().tokenize(text)
// The texts are license/copyright/man-page/docstring prose, hand-picked edge cases and random
// mixes of tricky pieces. To change the set, rerun those three expressions over the new texts;
// do not edit expectations by hand.
#include "winnow/core/nltk_tokenize.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "winnow/core/json.h"

namespace winnow::nltk {
namespace {

struct Case {
  std::string text;
  std::vector<std::string> words, sents, treebank;
};

std::vector<std::string> Strings(const json::Value* v) {
  std::vector<std::string> out;
  if (v == nullptr) return out;
  for (const json::Value& e : v->as_array()) out.push_back(e.as_string());
  return out;
}

const std::vector<Case>& Cases() {
  static const std::vector<Case>* cases = [] {
    auto* out = new std::vector<Case>();
    std::ifstream in(std::string(WINNOW_SOURCE_DIR) + "/tests/data/nltk_tokenize_cases.jsonl");
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      auto parsed = json::Parse(line);
      EXPECT_TRUE(parsed.ok()) << parsed.status().message();
      if (!parsed.ok()) continue;
      Case c;
      c.text = parsed->Find("text")->as_string();
      c.words = Strings(parsed->Find("words"));
      c.sents = Strings(parsed->Find("sents"));
      c.treebank = Strings(parsed->Find("treebank"));
      out->push_back(std::move(c));
    }
    return out;
  }();
  return *cases;
}

std::string Show(const std::string& text) {
  return text.size() > 300 ? text.substr(0, 300) + "..." : text;
}

TEST(NltkTokenizeTest, FixturesArePresent) { EXPECT_GE(Cases().size(), 300u); }

TEST(NltkTokenizeTest, WordTokenizeMatchesNltk) {
  size_t failures = 0;
  for (size_t i = 0; i < Cases().size(); ++i) {
    const Case& c = Cases()[i];
    std::vector<std::string> got = WordTokenize(c.text);
    EXPECT_EQ(got, c.words) << "case " << i << ": " << Show(c.text);
    if (got != c.words && ++failures > 20) break;
  }
}

TEST(NltkTokenizeTest, SentTokenizeMatchesNltk) {
  size_t failures = 0;
  for (size_t i = 0; i < Cases().size(); ++i) {
    const Case& c = Cases()[i];
    std::vector<std::string> got = SentTokenize(c.text);
    EXPECT_EQ(got, c.sents) << "case " << i << ": " << Show(c.text);
    if (got != c.sents && ++failures > 20) break;
  }
}

TEST(NltkTokenizeTest, TreebankWordsMatchesNltk) {
  size_t failures = 0;
  for (size_t i = 0; i < Cases().size(); ++i) {
    const Case& c = Cases()[i];
    std::vector<std::string> got = TreebankWords(c.text);
    EXPECT_EQ(got, c.treebank) << "case " << i << ": " << Show(c.text);
    if (got != c.treebank && ++failures > 20) break;
  }
}

TEST(NltkTokenizeTest, SpansAndAppendFormsAgree) {
  for (const Case& c : Cases()) {
    std::vector<std::pair<size_t, size_t>> spans;
    SentenceSpans(c.text, &spans);
    ASSERT_EQ(spans.size(), c.sents.size()) << Show(c.text);
    for (size_t k = 0; k < spans.size(); ++k) {
      ASSERT_LE(spans[k].first, spans[k].second);
      EXPECT_EQ(c.text.substr(spans[k].first, spans[k].second - spans[k].first), c.sents[k]);
    }
    std::vector<std::string> words = {"<kept>"};
    AppendWordTokens(c.text, &words);
    ASSERT_EQ(words.size(), c.words.size() + 1);
    EXPECT_EQ(words[0], "<kept>");
  }
}

// Tokenizers share compiled patterns and use per-thread scratch: results must not depend on
// which thread runs them or on what runs beside them.
TEST(NltkTokenizeTest, ThreadsGetTheSameResults) {
  std::vector<std::thread> threads;
  std::vector<size_t> mismatches(4, 0);
  for (size_t t = 0; t < mismatches.size(); ++t) {
    threads.emplace_back([t, &mismatches] {
      for (size_t i = t; i < Cases().size(); i += 2) {
        const Case& c = Cases()[i];
        if (WordTokenize(c.text) != c.words || SentTokenize(c.text) != c.sents) ++mismatches[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (size_t m : mismatches) EXPECT_EQ(m, 0u);
}

// Python never sees ill-formed UTF-8 (decoding replaces it with U+FFFD first); the port does
// the same replacement instead of reading out of bounds. The expected values are what
// bytes.decode("utf-8", "replace") and nltk 3.8 give for these inputs.
TEST(NltkTokenizeTest, InvalidUtf8IsReplacedLikePythonDecode) {
  const std::string bad = "abc\xff. Def \xe2\x82 ghi\xc3";
  const std::string repaired = "abc\xEF\xBF\xBD. Def \xEF\xBF\xBD ghi\xEF\xBF\xBD";
  EXPECT_EQ(WordTokenize(bad), WordTokenize(repaired));
  EXPECT_EQ(SentTokenize(bad), SentTokenize(repaired));
  EXPECT_EQ(TreebankWords(bad), TreebankWords(repaired));
  EXPECT_EQ(WordTokenize(repaired), (std::vector<std::string>{"abc\xEF\xBF\xBD", ".", "Def",
                                                              "\xEF\xBF\xBD", "ghi\xEF\xBF\xBD"}));
  // One U+FFFD per maximal ill-formed subpart: E0 80 AF and ED A0 80 are 3 each, F4 90 80 80
  // is 4, a truncated F0 9F 98 is 1.
  std::string fffd = "\xEF\xBF\xBD", ten;
  for (int k = 0; k < 10; ++k) ten += fffd;
  EXPECT_EQ(TreebankWords("\xe0\x80\xaf\xed\xa0\x80\xf4\x90\x80\x80"
                          "a\xf0\x9f\x98"),
            (std::vector<std::string>{ten + "a" + fffd}));
}

}  // namespace
}  // namespace winnow::nltk
