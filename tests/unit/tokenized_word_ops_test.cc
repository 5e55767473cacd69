// The tokenized word ops (`tokenization: true`) take what a piece contributes from a table by
// vocabulary id, and compute it only for pieces without one (merged unknown characters). Both
// paths against the definitions, on random texts: the pieces from SentencePieceModel::Pieces,
// refined as DJ does (words_refinement), counted (words_num_filter) and their n-grams counted
// (word_repetition_filter).
#include <gtest/gtest.h>

#include <map>

#include "test_support.h"
#include "winnow/core/json.h"
#include "winnow/core/unicode.h"
#include "winnow/models/perplexity_model.h"
#include "winnow/ops/registry.h"
#include "winnow/ops/text/dj_words.h"
#include "winnow/recipe/recipe.h"

namespace winnow {
namespace {

std::string ModelDir() { return testing::SourcePath("tests/golden/assets/lm"); }

std::unique_ptr<Op> MakeOp(const std::string& name, const std::string& params) {
  auto cfg = MakeOpConfig(name, *json::Parse(params));
  EXPECT_TRUE(cfg.ok()) << cfg.status().message();
  if (!cfg.ok()) return nullptr;
  return cfg->info->factory(cfg->params, OpEnv{});
}

double StatOf(const Op& op, const std::string& text, const char* key) {
  Sample s;
  const std::string rec = json::Value::Object({{"text", json::Value::String(text)}}).ToJson();
  EXPECT_TRUE(s.Init(rec, RowId{0, 1}, "").ok());
  EXPECT_TRUE(static_cast<const Filter&>(op).ComputeStats(s).ok());
  const StatValue* v = s.stats().Find(key);
  EXPECT_NE(v, nullptr);
  return v ? v->AsDouble() : -1;
}

// Random texts: words in several scripts and cases, punctuation around them, characters the
// model does not know (they become merged unknown pieces without an id), repeats.
std::vector<std::string> RandomTexts(size_t n) {
  const std::vector<std::string> words = {"the", "The", "THE", "cat", "Cat.", "(dog)", "it's", "don't", "--",
                                          "...", "\xE2\x80\x99quoted\xE2\x80\x99", "Stra\xC3\x9F" "e",
                                          "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0",  // Москва
                                          "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E",              // 日本語
                                          "\xF0\x9F\x98\x80", "\xE2\x98\x85\xE2\x98\x85", "42", "x1y2", "A.B.C.",
                                          "\xE1\xBC\x80\xCF\x81\xCF\x87\xCE\xAE"};  // ἀρχή
  const std::vector<std::string> seps = {" ", " ", " ", "  ", "\n", "\t", ", ", ". "};
  testing::XorShift64 next(0xC0FFEEull);
  std::vector<std::string> texts;
  for (size_t t = 0; t < n; ++t) {
    std::string s;
    const size_t len = next() % 40;
    for (size_t i = 0; i < len; ++i) s += words[next() % words.size()] + seps[next() % seps.size()];
    texts.push_back(s);
  }
  return texts;
}

TEST(TokenizedWordOps, PieceTablesMatchTheDefinitions) {
  auto sp = SentencePieceModel::Load(ModelDir() + "/en.sp.model");
  ASSERT_TRUE(sp.ok()) << sp.status().message();
  ASSERT_TRUE((*sp)->Native());
  const std::string params = "{\"lang\": \"en\", \"tokenization\": true, \"model_dir\": \"" + ModelDir() + "\"";
  auto words_num = MakeOp("words_num_filter", params + "}");
  auto word_rep = MakeOp("word_repetition_filter", params + ", \"rep_len\": 2}");
  ASSERT_TRUE(words_num && word_rep);
  size_t unknown = 0;
  std::string buf;
  for (const std::string& text : RandomTexts(400)) {
    std::vector<int32_t> ids;
    const std::vector<std::string> pieces = (*sp)->Pieces(text, &ids);
    for (int32_t id : ids) unknown += id < 0;
    // words_num_filter: pieces that keep something once SPECIAL_CHARACTERS are stripped.
    size_t count = 0;
    std::vector<std::string> refined;  // word_repetition_filter: lower-cased, then stripped
    for (const auto& p : pieces) {
      if (p.empty()) continue;
      count += StartsWithKeptSpaceMark(p) || !unicode::StripClass(p, unicode::kDjSpecial).empty();
      std::string lower;
      unicode::PyLowerInto(p, &lower);
      std::string_view r = unicode::StripClass(lower, unicode::kDjSpecial);
      if (!r.empty()) refined.emplace_back(r);
    }
    EXPECT_EQ(StatOf(*words_num, text, "num_words"), static_cast<double>(count)) << text;
    double rep = 0;
    if (refined.size() >= 2) {
      std::map<std::string, int> grams;
      for (size_t i = 0; i + 2 <= refined.size(); ++i) ++grams[refined[i] + " " + refined[i + 1]];
      size_t repeated = 0;
      for (const auto& [g, c] : grams) repeated += c > 1 ? c : 0;
      rep = static_cast<double>(repeated) / static_cast<double>(refined.size() - 1);
    }
    EXPECT_DOUBLE_EQ(StatOf(*word_rep, text, "word_rep_ratio"), rep) << text;
  }
  EXPECT_GT(unknown, 100u);  // the pieces without an id were exercised too
}

}  // namespace
}  // namespace winnow
