// The n-gram language model: ARPA loading, KenLM's back-off scoring, the modified Kneser-Ney
// trainer (checked by normalisation: every context's distribution sums to 1) and bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "test_support.h"
#include "winnow/models/ngram_lm.h"

namespace winnow {
namespace {

constexpr const char* kBigram = R"(\data\
ngram 1=5
ngram 2=3

\1-grams:
-1.0	<unk>
-99	<s>	-0.5
-0.5	a	-0.25
-0.7	b	-0.1
-0.3	</s>

\2-grams:
-0.2	<s> a
-0.4	a b
-0.6	b </s>

\end\
)";

TEST(NgramModel, ScoresWithBackoffLikeKenLM) {
  auto m = NgramModel::ParseArpa(kBigram, "bigram");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ((*m)->order(), 2);
  // All bigrams present: -0.2 - 0.4 - 0.6.
  EXPECT_NEAR((*m)->Score("a b"), -1.2, 1e-6);
  // <s> b: bo(<s>) + p(b); b a: bo(b) + p(a); a </s>: bo(a) + p(</s>).
  EXPECT_NEAR((*m)->Score("b a"), (-0.5 - 0.7) + (-0.1 - 0.5) + (-0.25 - 0.3), 1e-6);
  // Unknown word -> <unk>; <unk> has no back-off weight.
  EXPECT_NEAR((*m)->Score("zzz"), (-0.5 - 1.0) + (0 - 0.3), 1e-6);
  // Words are split on ASCII whitespace only (KenLM), and scoring stops at a NUL.
  EXPECT_FLOAT_EQ((*m)->Score("  a\tb\r\v"), (*m)->Score("a b"));
  EXPECT_NE((*m)->Score("a\u3000b"), (*m)->Score("a b"));
  EXPECT_FLOAT_EQ((*m)->Score(std::string("a b\0 zzz zzz", 11)), (*m)->Score("a b"));
  EXPECT_NEAR((*m)->Score(""), -0.5 - 0.3, 1e-6);
}

// Numbers are read as strtof reads them: exponents, a leading '+', hex floats and "-inf".
TEST(NgramModel, ReadsNumbersAsStrtofDoes) {
  auto replace = [](std::string* s, const std::string& from, const std::string& to) {
    size_t at = s->find(from);
    ASSERT_NE(at, std::string::npos) << from;
    s->replace(at, from.size(), to);
  };
  std::string text = kBigram;
  replace(&text, "-0.5\ta\t-0.25", "-5e-1\ta\t-0x1p-2");
  replace(&text, "-0.4\ta b", "+-0.4\ta b");
  EXPECT_FALSE(NgramModel::ParseArpa(text, "x").ok());  // "+-0.4" is no number
  replace(&text, "+-0.4\ta b", "-inf\ta b");
  replace(&text, "-0.7\tb\t-0.1", "+0.0\tb\t-0.1");
  auto m = NgramModel::ParseArpa(text, "numbers");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_FLOAT_EQ((*m)->LogProb({}, "a"), -0.5f);
  EXPECT_FLOAT_EQ((*m)->LogProb({}, "b"), 0.0f);
  EXPECT_TRUE(std::isinf((*m)->LogProb({"a"}, "b")));
  // a </s>: bo(a) = -0x1p-2 = -0.25, then p(</s>).
  EXPECT_FLOAT_EQ((*m)->LogProb({"a"}, "</s>"), -0.25f - 0.3f);
}

// The \data\ counts only size the table: wrong ones give the same model.
TEST(NgramModel, DeclaredCountsOnlySizeTheTable) {
  std::string wrong = kBigram;
  wrong.replace(wrong.find("ngram 1=5"), 9, "ngram 1=1");
  wrong.replace(wrong.find("ngram 2=3"), 9, "ngram 2=900000");
  auto a = NgramModel::ParseArpa(kBigram, "a");
  auto b = NgramModel::ParseArpa(wrong, "b");
  ASSERT_TRUE(a.ok() && b.ok());
  for (const char* text : {"a b", "b a", "zzz a", "", "a a b b </s>"}) EXPECT_EQ((*a)->Score(text), (*b)->Score(text)) << text;
}

// Thousands of n-grams in a table a third full, so that many cache lines overflow into the
// next (a probe starts at the first slot of its hash's line and goes on line by line): every
// listed bigram is found with its own value, every other one backs off. Also when the declared
// counts are too small and the table grows by rehashing.
TEST(NgramModel, ManyNgramsFoundAcrossLines) {
  constexpr int kWords = 120;
  auto bigram_listed = [](int i, int j) { return (i * 7 + j * 3) % 5 != 0; };
  auto bigram_logp = [](int i, int j) { return -static_cast<float>(i * 1000 + j + 1) / 1e6f; };
  auto arpa = [&](size_t declared_bigrams) {
    std::string t = "\\data\\\nngram 1=" + std::to_string(kWords + 3) + "\nngram 2=" + std::to_string(declared_bigrams) +
                    "\n\n\\1-grams:\n-1\t<unk>\n-99\t<s>\t-0.5\n-0.3\t</s>\n";
    for (int i = 0; i < kWords; ++i) t += "-2.5\tw" + std::to_string(i) + "\t-0.125\n";
    t += "\n\\2-grams:\n";
    char buf[64];
    for (int i = 0; i < kWords; ++i)
      for (int j = 0; j < kWords; ++j)
        if (bigram_listed(i, j)) {
          std::snprintf(buf, sizeof buf, "%.9g\tw%d w%d\n", bigram_logp(i, j), i, j);
          t += buf;
        }
    return t + "\n\\end\\\n";
  };
  for (size_t declared : {size_t{11520}, size_t{10}}) {
    auto m = NgramModel::ParseArpa(arpa(declared), "many");
    ASSERT_TRUE(m.ok()) << m.status().message();
    for (int i = 0; i < kWords; ++i)
      for (int j = 0; j < kWords; ++j) {
        const std::string a = "w" + std::to_string(i), b = "w" + std::to_string(j);
        const float want = bigram_listed(i, j) ? bigram_logp(i, j) : -0.125f - 2.5f;
        ASSERT_FLOAT_EQ((*m)->LogProb({a}, b), want) << a << " " << b << " declared " << declared;
      }
  }
}

// The parser reuses the ids of the words a line shares with the line before it (ARPA files are
// sorted): lines that share their first word only, their first two, or none, in any order.
TEST(NgramModel, TrigramLinesSharingLeadingWords) {
  const std::string arpa =
      "\\data\\\nngram 1=7\nngram 2=4\nngram 3=6\n\n"
      "\\1-grams:\n-1\t<unk>\n-99\t<s>\t-0.5\n-0.3\t</s>\n-1.5\ta\t-0.25\n-1.6\tb\t-0.25\n-1.7\tc\t-0.25\n"
      "-1.8\td\t-0.25\n\n"
      "\\2-grams:\n-0.9\ta b\t-0.125\n-0.8\tb a\t-0.0625\n-0.7\tc a\t-0.03125\n-0.6\ta c\t-0.015625\n\n"
      "\\3-grams:\n-0.11\ta b c\n-0.12\ta b d\n-0.13\ta c d\n-0.14\tb a b\n-0.15\tc a b\n-0.16\ta b a\n\n"
      "\\end\\\n";
  auto m = NgramModel::ParseArpa(arpa, "shared");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_FLOAT_EQ((*m)->LogProb({"a", "b"}, "c"), -0.11f);
  EXPECT_FLOAT_EQ((*m)->LogProb({"a", "b"}, "d"), -0.12f);
  EXPECT_FLOAT_EQ((*m)->LogProb({"a", "c"}, "d"), -0.13f);
  EXPECT_FLOAT_EQ((*m)->LogProb({"b", "a"}, "b"), -0.14f);
  EXPECT_FLOAT_EQ((*m)->LogProb({"c", "a"}, "b"), -0.15f);
  EXPECT_FLOAT_EQ((*m)->LogProb({"a", "b"}, "a"), -0.16f);
  // Not listed: back-off of "c a"... "a c" is listed with back-off -0.015625, then p(b | c) is
  // not listed either: back-off of c (-0.25) + p(b) (-1.6).
  EXPECT_FLOAT_EQ((*m)->LogProb({"a", "c"}, "b"), -0.015625f + (-0.25f + -1.6f));
  EXPECT_FLOAT_EQ((*m)->LogProb({"b"}, "a"), -0.8f);
  EXPECT_FLOAT_EQ((*m)->LogProb({"a"}, "c"), -0.6f);
}

TEST(NgramModel, RejectsBadFiles) {
  EXPECT_FALSE(NgramModel::ParseArpa("hello", "x").ok());
  auto truncated = NgramModel::ParseArpa(std::string(kBigram).substr(0, 60), "t.arpa");
  ASSERT_FALSE(truncated.ok());
  EXPECT_NE(truncated.status().message().find("t.arpa"), std::string::npos);
  std::string bad = kBigram;
  bad.replace(bad.find("-0.4\ta b"), 8, "x\ta b");
  auto b = NgramModel::ParseArpa(bad, "bad.arpa");
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("bad.arpa:14"), std::string::npos) << b.status().message();
  std::string unknown = kBigram;
  unknown.replace(unknown.find("-0.6\tb </s>"), 11, "-0.6\tb c");
  EXPECT_FALSE(NgramModel::ParseArpa(unknown, "u").ok());
  testing::TempDir dir;
  testing::WriteFile(dir.File("kenlm.bin"), std::string("mmap lm http://kheafield.com/code format version 5\n"));
  auto bin = NgramModel::LoadArpa(dir.File("kenlm.bin"));
  ASSERT_FALSE(bin.ok());
  EXPECT_NE(bin.status().message().find("KenLM binary"), std::string::npos);
  EXPECT_FALSE(NgramModel::LoadArpa(dir.File("missing.arpa")).ok());
}

std::vector<std::string> Corpus() {
  return {"the cat sat on the mat", "the dog sat on the log", "a cat and a dog",
          "the cat saw the dog", "on the mat the cat sat", "dogs and cats", "the the the",
          "a mat", "the log and the mat and the cat", "cat"};
}

TEST(KneserNey, EveryContextSumsToOne) {
  for (int order : {1, 2, 3, 4}) {
    std::string arpa;
    KneserNeyOptions opt;
    opt.order = order;
    ASSERT_TRUE(TrainKneserNey(Corpus(), opt, &arpa).ok());
    auto m = NgramModel::ParseArpa(arpa, "kn");
    ASSERT_TRUE(m.ok()) << m.status().message();
    EXPECT_EQ((*m)->order(), order);
    std::vector<std::string> vocab{"<unk>", "</s>"};
    for (const auto& s : Corpus())
      for (size_t i = 0, j; i < s.size(); i = j + 1) {
        j = s.find(' ', i);
        if (j == std::string::npos) j = s.size();
        std::string w = s.substr(i, j - i);
        if (std::find(vocab.begin(), vocab.end(), w) == vocab.end()) vocab.push_back(w);
      }
    std::vector<std::vector<std::string>> contexts{
        {}, {"<s>"}, {"the"}, {"<s>", "the"}, {"the", "cat"}, {"on", "the"}, {"sat", "on", "the"},
        {"zebra"}, {"the", "zebra"}, {"</s>"}};
    for (const auto& ctx : contexts) {
      double sum = 0;
      for (const auto& w : vocab) sum += std::pow(10.0, (*m)->LogProb(ctx, w));
      std::string name;
      for (const auto& c : ctx) name += c + " ";
      EXPECT_NEAR(sum, 1.0, 2e-5) << "order " << order << " context '" << name << "'";
    }
    // Seen text is more likely than a shuffle of the same words.
    if (order >= 2) {
      EXPECT_GT((*m)->Score("the cat sat on the mat"), (*m)->Score("mat the on sat cat the"));
    }
  }
}

TEST(KneserNey, IsDeterministicAndRejectsNothingToTrain) {
  std::string a, b;
  ASSERT_TRUE(TrainKneserNey(Corpus(), {}, &a).ok());
  ASSERT_TRUE(TrainKneserNey(Corpus(), {}, &b).ok());
  EXPECT_EQ(a, b);
  EXPECT_FALSE(TrainKneserNey({}, {}, &a).ok());
  KneserNeyOptions bad;
  bad.order = 0;
  EXPECT_FALSE(TrainKneserNey(Corpus(), bad, &a).ok());
}

}  // namespace
}  // namespace winnow
