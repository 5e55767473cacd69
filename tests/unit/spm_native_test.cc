// SentencePieceModel::Pieces() encodes unigram models split by whitespace natively
// (src/winnow/models/spm_unigram.h, spm_normalizer.h): its pieces must be exactly the library's EncodeAsPieces, for
// every kind of model and text; models it cannot be exact for must take the library's path.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <thread>

#include "test_support.h"
#include "winnow/core/json.h"
#include "winnow/models/perplexity_model.h"
#include "winnow/models/spm_unigram.h"

namespace winnow {
namespace {

const std::string kGolden = std::string(WINNOW_SOURCE_DIR) + "/tests/golden/assets/lm/";

// Lines of the golden LM's training texts, the corpus for the models trained here.
std::vector<std::string> TrainLines() {
  std::vector<std::string> lines;
  std::string all = testing::ReadFile(kGolden + "train.jsonl"), line;
  for (char c : all) {
    if (c == '\n') {
      if (line.size() > 12) lines.push_back(line.substr(10, line.size() - 12));  // {"text": "...
      line.clear();
    } else {
      line.push_back(c);
    }
  }
  return lines;
}

// Varied texts: corpus words glued with whitespace runs, tabs, newlines, NBSP, ideographic
// space, full-width and accented letters, emoji, CJK, invalid UTF-8; long texts (a large path
// score, where float rounding matters) and edge cases.
std::vector<std::string> Texts(int n) {
  std::vector<std::string> words;
  for (const auto& line : TrainLines()) {
    size_t b = 0;
    for (size_t i = 0; i <= line.size(); ++i)
      if (i == line.size() || line[i] == ' ') {
        if (i > b) words.push_back(line.substr(b, i - b));
        b = i + 1;
      }
  }
  const std::vector<std::string> odd = {" ",        "  ",      "\t",         "\n",        "\r\n",        "\xc2\xa0",
                                        "\xe3\x80\x80", "ＡＢＣ１２３", "ﬁne",        "Ça",        "naïve",       "😀",
                                        "👍🏽",        "日本語の文章", "中文分词测试", "\xff\xfe", "\xe2\x82",     "x\x80y",
                                        "▁",        "▁▁x",     "<unk>",      "</s>",      "ß",           "İstanbul",
                                        "Ⅻ",        "①",       "ｶﾀｶﾅ",       "\x01",      "a\u0301",     "---",
                                        // letters that start composition rules (ASCII, Cyrillic), then their marks
                                        "и\u0306", "иди", "Cafe\u0301", "A\u030Ax", "\x7f", "ё"};
  std::mt19937 rng(7);
  std::vector<std::string> texts = {"", " ", "\t\n", "\xc2\xa0", "a", "▁", "\xff", "😀", "hello world"};
  while (static_cast<int>(texts.size()) < n) {
    const int len = texts.size() % 25 == 0 ? 3000 : 1 + static_cast<int>(rng() % 40);
    std::string t;
    for (int i = 0; i < len; ++i) {
      if (rng() % 4 == 0) t += odd[rng() % odd.size()];
      else t += words[rng() % words.size()];
      t += rng() % 5 == 0 ? odd[rng() % 6] : " ";
    }
    texts.push_back(t);
  }
  return texts;
}

std::shared_ptr<const SentencePieceModel> TrainModel(const testing::TempDir& dir, const std::string& name,
                                                     int vocab, const std::string& args) {
  std::string input;
  for (const auto& l : TrainLines()) input += l + "\n";
  input += "日本語の文章です。中文分词测试。ＡＢＣ１２３ naïve Ça 😀\n";
  testing::WriteFile(dir.File("train.txt"), input);
  auto st = SentencePieceModel::Train(dir.File("train.txt"), dir.File(name), vocab, args);
  EXPECT_TRUE(st.ok()) << st.message();
  auto m = SentencePieceModel::Load(dir.File(name + ".model"));
  EXPECT_TRUE(m.ok()) << m.status().message();
  return m.ok() ? *m : nullptr;
}

void ExpectSame(const SentencePieceModel& m, const std::vector<std::string>& texts, const std::string& what) {
  int diff = 0;
  for (const auto& t : texts) {
    auto lib = m.LibraryPieces(t);
    std::vector<int32_t> ids;
    auto pieces = m.Pieces(t, &ids);
    if (pieces != lib && ++diff <= 3) ADD_FAILURE() << what << ": pieces differ for '" << t.substr(0, 200) << "'";
    if (!m.Native()) continue;
    // Each piece's id names it in the vocabulary; -1 only for pieces the vocabulary lacks
    // (merged unknown characters, byte pieces).
    ASSERT_EQ(ids.size(), pieces.size()) << what;
    for (size_t i = 0; i < ids.size(); ++i) {
      if (ids[i] >= 0) {
        ASSERT_LT(static_cast<size_t>(ids[i]), m.NumPieces());
        EXPECT_EQ(m.PieceText(ids[i]), pieces[i]) << what;
      } else {
        bool in_vocab = false;
        for (size_t id = 0; id < m.NumPieces() && !in_vocab; ++id) in_vocab = m.PieceText(static_cast<int32_t>(id)) == pieces[i];
        EXPECT_TRUE(!in_vocab || pieces[i].rfind("<0x", 0) == 0) << what << ": '" << pieces[i] << "' has no id";
      }
    }
  }
  EXPECT_EQ(diff, 0) << what;
}

TEST(SpmNative, GoldenModelIsNativeAndMatches) {
  auto m = SentencePieceModel::Load(kGolden + "en.sp.model");
  ASSERT_TRUE(m.ok()) << m.status().message();
  std::string why;
  EXPECT_TRUE((*m)->Native(&why)) << why;
  auto texts = Texts(500);
  ExpectSame(**m, texts, "golden");
  // Twice: the second pass comes from the word cache.
  ExpectSame(**m, texts, "golden, cached");
  EXPECT_EQ((*m)->Pieces("Hello world").size(), (*m)->LibraryPieces("Hello world").size());
}

TEST(SpmNative, OtherSettings) {
  testing::TempDir dir;
  auto texts = Texts(300);
  struct Kind {
    std::string name, args;
    bool fast;
  };
  const std::vector<Kind> kinds = {
      {"nfkc_cf", "--normalization_rule_name=nfkc_cf --remove_extra_whitespaces=false --byte_fallback=true", true},
      {"identity", "--normalization_rule_name=identity --add_dummy_prefix=false", true},
      {"digits", "--split_digits=true --split_by_unicode_script=false", true},
      {"nosplit", "--split_by_whitespace=false", false},
      {"suffix", "--treat_whitespace_as_suffix=true", false},
      {"bpe", "--model_type=bpe", false},
      {"char", "--model_type=char", false},
      {"user", "--user_defined_symbols=foo,bar", false},
  };
  for (const auto& k : kinds) {
    auto m = TrainModel(dir, k.name, k.name == "char" ? 100 : k.name == "nfkc_cf" ? 600 : 400, k.args);
    ASSERT_TRUE(m) << k.name;
    std::string why;
    EXPECT_EQ(m->Native(&why), k.fast) << k.name << ": " << why;
    if (!k.fast) {
      EXPECT_FALSE(why.empty()) << k.name;
    }
    ExpectSame(*m, texts, k.name);
  }
}

TEST(SpmNative, CacheEvictsAndStaysExact) {
  auto m = SentencePieceModel::Load(kGolden + "en.sp.model");
  ASSERT_TRUE(m.ok());
  (*m)->SetCacheCapacityForTest(2);  // 4 slots: overwritten every few words
  auto texts = Texts(200);
  ExpectSame(**m, texts, "tiny cache");
  EXPECT_GT((*m)->CacheEvictionsForTest(), 10u);
  (*m)->SetCacheCapacityForTest(16);
}

TEST(SpmNative, ThreadsShareOneModel) {
  auto m = SentencePieceModel::Load(kGolden + "en.sp.model");
  ASSERT_TRUE(m.ok());
  (*m)->SetCacheCapacityForTest(4);  // small: words overwrite each other often
  auto texts = Texts(240);
  std::vector<std::vector<std::string>> expect;
  for (const auto& t : texts) expect.push_back((*m)->LibraryPieces(t));
  std::vector<int> bad(4, 0);
  std::vector<std::thread> threads;
  for (int th = 0; th < 4; ++th)
    threads.emplace_back([&, th] {
      for (int rep = 0; rep < 3; ++rep)
        for (size_t i = th; i < texts.size() + th; ++i) {
          size_t j = (i * 7 + rep) % texts.size();
          if ((*m)->Pieces(texts[j]) != expect[j]) ++bad[th];
        }
    });
  for (auto& t : threads) t.join();
  for (int th = 0; th < 4; ++th) EXPECT_EQ(bad[th], 0) << "thread " << th;
}

}  // namespace
}  // namespace winnow

namespace winnow {
namespace {

TEST(SpmNative, BrokenModelsAreRefusedWithAReason) {
  testing::TempDir dir;
  const std::string good = testing::ReadFile(kGolden + "en.sp.model");
  // Cut in the middle of the pieces: neither reader accepts it, and the error names the file.
  testing::WriteFile(dir.File("cut.model"), good.substr(0, good.size() / 2));
  auto cut = SentencePieceModel::Load(dir.File("cut.model"));
  ASSERT_FALSE(cut.ok());
  EXPECT_NE(cut.status().message().find("cut.model"), std::string::npos) << cut.status().message();
  // Not a model at all.
  testing::WriteFile(dir.File("text.model"), "this is not a model\n");
  EXPECT_FALSE(SentencePieceModel::Load(dir.File("text.model")).ok());
  // The library path is still there for a native model.
  auto m = SentencePieceModel::Load(kGolden + "en.sp.model");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ((*m)->LibraryPieces("Hello world"), (*m)->Pieces("Hello world"));
}

// WINNOW_SPM_CORPUS=file.jsonl compares every document's text (one-off parity runs on a real
// corpus; the unit suite's texts above run always).
TEST(SpmNative, CorpusFromEnvironment) {
  const char* path = std::getenv("WINNOW_SPM_CORPUS");
  const char* model = std::getenv("WINNOW_SPM_MODEL");
  if (!path || !model) GTEST_SKIP() << "WINNOW_SPM_CORPUS / WINNOW_SPM_MODEL not set";
  auto m = SentencePieceModel::Load(model);
  ASSERT_TRUE(m.ok()) << m.status().message();
  ASSERT_TRUE((*m)->Native());
  std::ifstream in(path);
  std::string line;
  size_t docs = 0, diff = 0;
  while (std::getline(in, line)) {
    auto v = json::Parse(line);
    if (!v.ok() || !v->Find("text")) continue;
    std::string text(v->Find("text")->as_string());
    ++docs;
    if ((*m)->Pieces(text) != (*m)->LibraryPieces(text) && ++diff <= 3) ADD_FAILURE() << "differs: doc " << docs;
  }
  EXPECT_EQ(diff, 0u);
  std::printf("compared %zu documents\n", docs);
}

}  // namespace
}  // namespace winnow

namespace winnow {
namespace {

// Corrupt model files: the native reader either refuses them or encodes without reading out of
// bounds (make test-asan runs this under AddressSanitizer).
TEST(SpmNative, CorruptModelsNeverReadOutOfBounds) {
  const std::string good = testing::ReadFile(kGolden + "en.sp.model");
  ASSERT_FALSE(good.empty());
  std::mt19937 rng(11);
  const std::vector<std::string> texts = {"Hello world, this is a test.", "naïve Ça ＡＢＣ 😀 \t x\n y", "",
                                          std::string(300, 'a'), "\xff\xfe broken"};
  size_t accepted = 0;
  for (int round = 0; round < 400; ++round) {
    std::string bad = good;
    const int edits = 1 + static_cast<int>(rng() % 8);
    for (int e = 0; e < edits; ++e) {
      const size_t at = rng() % bad.size();
      switch (rng() % 3) {
        case 0: bad[at] = static_cast<char>(rng()); break;
        case 1: bad.erase(at, 1 + rng() % 16); break;
        default: bad.resize(at); break;
      }
      if (bad.empty()) bad = "x";
    }
    std::string why;
    auto m = SpmUnigram::Create(bad, &why);
    if (!m) {
      EXPECT_FALSE(why.empty());
      continue;
    }
    ++accepted;
    std::vector<std::string> pieces;
    std::vector<int32_t> ids;
    for (const auto& t : texts) {
      pieces.clear();
      ids.clear();
      m->Encode(t, &pieces, &ids);
      EXPECT_EQ(pieces.size(), ids.size());
    }
  }
  EXPECT_GT(accepted, 0u);  // some single-byte edits only change scores
}

}  // namespace
}  // namespace winnow
