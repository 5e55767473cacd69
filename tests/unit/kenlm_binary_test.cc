// KenLM binary models (build_binary output): every data structure KenLM writes scores exactly as
// KenLM's own Model.score() does (expected floats from the real KenLM, tests/data/kenlm/README.md),
// the same as the ARPA model they were built from, and bad files are clear errors, not crashes.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <thread>

#include "test_support.h"
#include "winnow/core/json.h"
#include "winnow/models/ngram_lm.h"
#include "winnow/models/perplexity_model.h"

namespace winnow {
namespace {

std::string Data(const std::string& name) { return std::string(WINNOW_SOURCE_DIR) + "/tests/data/kenlm/" + name; }

uint32_t Bits(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}

struct Row {
  std::string sentence;
  json::Value expect;  // key -> float32 bits in hex
};

const std::vector<Row>& Expected() {
  static const std::vector<Row> rows = [] {
    std::vector<Row> out;
    for (const auto& line : testing::ReadLines(Data("expected.jsonl"))) {
      if (line.empty()) continue;
      auto v = json::Parse(line);
      EXPECT_TRUE(v.ok()) << line;
      if (!v.ok()) continue;
      out.push_back({v->Find("sentence")->as_string(), *v});
    }
    return out;
  }();
  return rows;
}

std::unique_ptr<NgramModel> MustLoad(const std::string& path) {
  auto m = NgramModel::Load(path);
  EXPECT_TRUE(m.ok()) << m.status().message();
  return m.ok() ? std::move(*m) : nullptr;
}

// Compares every sentence's score with KenLM's, bit for bit.
void ExpectKenlmScores(const std::string& file, const std::string& key) {
  SCOPED_TRACE(file);
  auto m = MustLoad(Data(file));
  ASSERT_TRUE(m);
  ASSERT_GT(Expected().size(), 300u);
  size_t mismatches = 0;
  for (const auto& row : Expected()) {
    uint32_t want = static_cast<uint32_t>(std::stoul(row.expect.Find(key)->as_string(), nullptr, 16));
    uint32_t got = Bits(m->Score(row.sentence));
    if (got != want && ++mismatches <= 5)
      ADD_FAILURE() << "'" << row.sentence << "': " << std::hex << got << " != KenLM " << want;
    // The same sentence as word ids (perplexity_filter's path for SentencePiece pieces).
    std::vector<uint32_t> ids;
    ForEachKenlmWord(row.sentence, [&](std::string_view w) { ids.push_back(m->WordId(w)); });
    uint32_t by_ids = Bits(m->ScoreIds(ids.data(), ids.size()));
    if (by_ids != want && ++mismatches <= 5)
      ADD_FAILURE() << "'" << row.sentence << "' by ids: " << std::hex << by_ids << " != KenLM " << want;
  }
  EXPECT_EQ(mismatches, 0u);
}

TEST(KenlmBinary, EveryDataStructureScoresLikeKenLM) {
  ExpectKenlmScores("small.arpa", "score");  // the ARPA scorer: the reference the binaries must equal
  for (const char* f : {"probing.bin", "probing_novocab.bin", "probing_rest.bin", "trie.bin", "trie_a22.bin"})
    ExpectKenlmScores(f, "score");
  // Quantized values are lossy: KenLM's scores from the same bins.
  ExpectKenlmScores("trie_q8.bin", "trie_q8.bin");
  ExpectKenlmScores("trie_q8b7_a22.bin", "trie_q8b7_a22.bin");
  // No <unk> in the ARPA file: KenLM stores log10 p(<unk>) = -100.
  for (const char* f : {"small_nounk.arpa", "nounk_probing.bin", "nounk_trie.bin"}) ExpectKenlmScores(f, "nounk");
}

TEST(KenlmBinary, ReportsTheModel) {
  struct Case { const char* file; const char* variant; };
  for (auto c : {Case{"probing.bin", "probing"}, Case{"probing_rest.bin", "probing with rest costs"},
                 Case{"trie.bin", "trie"}, Case{"trie_q8.bin", "trie with quantization"},
                 Case{"trie_a22.bin", "trie with array-compressed pointers"},
                 Case{"trie_q8b7_a22.bin", "trie with quantization and array-compressed pointers"}}) {
    auto m = MustLoad(Data(c.file));
    ASSERT_TRUE(m && m->binary());
    EXPECT_STREQ(m->binary()->variant(), c.variant);
    EXPECT_EQ(m->order(), 4);
    EXPECT_EQ(m->vocab_size(), 33u);  // 30 words, <s>, </s>, <unk>
  }
  auto arpa = MustLoad(Data("small.arpa"));
  ASSERT_TRUE(arpa);
  EXPECT_EQ(arpa->binary(), nullptr);
  EXPECT_EQ(arpa->vocab_size(), 33u);
}

TEST(KenlmBinary, ConditionalProbabilitiesEqualTheArpaModel) {
  auto arpa = MustLoad(Data("small.arpa"));
  ASSERT_TRUE(arpa);
  std::vector<std::string> words{"<s>", "</s>", "<unk>", "zebra"};
  for (int i = 0; i < 30; ++i) words.push_back((i < 10 ? "w0" : "w") + std::to_string(i));
  std::mt19937 rng(5);
  for (const char* f : {"probing.bin", "probing_rest.bin", "trie.bin", "trie_a22.bin"}) {
    auto bin = MustLoad(Data(f));
    ASSERT_TRUE(bin);
    for (int trial = 0; trial < 400; ++trial) {
      std::vector<std::string> ctx;
      for (size_t n = rng() % 5; n > 0; --n) ctx.push_back(words[4 + rng() % 30]);
      if (rng() % 3 == 0) ctx.insert(ctx.begin(), "<s>");
      const std::string& w = words[1 + rng() % (words.size() - 1)];
      EXPECT_EQ(Bits(bin->LogProb(ctx, w)), Bits(arpa->LogProb(ctx, w))) << f << " " << w;
    }
  }
}

TEST(KenlmBinary, FormatComesFromTheContentNotTheName) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("model.arpa"), testing::ReadFile(Data("trie.bin")));
  testing::WriteFile(dir.File("model.bin"), testing::ReadFile(Data("small.arpa")));
  auto bin = MustLoad(dir.File("model.arpa"));
  auto arpa = MustLoad(dir.File("model.bin"));
  ASSERT_TRUE(bin && arpa);
  EXPECT_NE(bin->binary(), nullptr);
  EXPECT_EQ(arpa->binary(), nullptr);
  EXPECT_EQ(Bits(bin->Score("w01 w02 zebra w03")), Bits(arpa->Score("w01 w02 zebra w03")));
  // LoadArpa is for text only and says why.
  auto st = NgramModel::LoadArpa(Data("probing.bin"));
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.status().message().find("KenLM binary"), std::string::npos);
}

TEST(KenlmBinary, ScoringIsThreadSafe) {
  auto m = MustLoad(Data("trie_q8b7_a22.bin"));
  ASSERT_TRUE(m);
  std::vector<float> want;
  for (const auto& row : Expected()) want.push_back(m->Score(row.sentence));
  std::vector<std::thread> threads;
  std::vector<size_t> bad(4, 0);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int rep = 0; rep < 20; ++rep)
        for (size_t i = 0; i < want.size(); ++i) bad[t] += Bits(m->Score(Expected()[i].sentence)) != Bits(want[i]);
    });
  for (auto& th : threads) th.join();
  for (size_t b : bad) EXPECT_EQ(b, 0u);
}

// Loads `bytes` as a model file; the error must name the file and contain `what`.
void ExpectError(const std::string& bytes, const std::string& what) {
  testing::TempDir dir;
  const std::string path = dir.File("bad.arpa.bin");
  testing::WriteFile(path, bytes);
  auto m = NgramModel::Load(path);
  ASSERT_FALSE(m.ok()) << "loaded; expected: " << what;
  EXPECT_NE(m.status().message().find(path), std::string::npos) << m.status().message();
  EXPECT_NE(m.status().message().find(what), std::string::npos) << m.status().message();
}

void Put32(std::string* s, size_t at, uint32_t v) { std::memcpy(&(*s)[at], &v, 4); }
void Put64(std::string* s, size_t at, uint64_t v) { std::memcpy(&(*s)[at], &v, 8); }

TEST(KenlmBinary, BadFilesAreErrorsNamingTheFile) {
  const std::string probing = testing::ReadFile(Data("probing.bin"));
  const std::string trie = testing::ReadFile(Data("trie_q8b7_a22.bin"));
  ASSERT_GT(probing.size(), 1000u);
  // Header layout (KenLM format 5): 88 bytes of magic and test values, then order (byte 88),
  // probing multiplier (92), model type (96), has-vocabulary (100), search version (104), counts (108).
  ExpectError(probing.substr(0, 60), "truncated header");
  ExpectError(probing.substr(0, 120), "truncated header");
  ExpectError("mmap lm http://kheafield.com/code incomplete\n" + std::string(100, '\0'), "did not finish building");
  std::string v4 = probing;
  v4[49] = '4';
  ExpectError(v4, "unsupported format version");
  std::string sanity = probing;
  Put32(&sanity, 60, 0x3f800001);  // the 1.0f test value
  ExpectError(sanity, "test values do not match");
  std::string type = probing;
  Put32(&type, 96, 9);
  ExpectError(type, "unknown data structure 9");
  std::string version = trie;
  Put32(&version, 104, 7);
  ExpectError(version, "trie with quantization and array-compressed pointers version 7");
  std::string order = probing;
  order[88] = 1;
  ExpectError(order, "unsupported order 1");
  std::string count = probing;
  Put64(&count, 108 + 8, uint64_t{1} << 60);
  ExpectError(count, "2-grams cannot fit in");
  std::string multiplier = probing;
  Put32(&multiplier, 92, 0xbf800000);  // -1.0f
  ExpectError(multiplier, "bad probing multiplier");
  // Cut anywhere in the n-grams or the vocabulary strings.
  for (const std::string* f : {&probing, &trie}) {
    for (size_t cut : {size_t{200}, f->size() / 2, f->size() - 300, f->size() - 1})
      ExpectError(f->substr(0, cut), cut <= f->size() - 300 ? "truncated or corrupt" : "vocabulary strings");
  }
  // Without vocabulary strings, a cut in the n-gram tables is still caught by the sizes.
  const std::string novocab = testing::ReadFile(Data("probing_novocab.bin"));
  ExpectError(novocab.substr(0, novocab.size() - 8), "truncated or corrupt");
  std::string quant = trie;
  quant[144 + 8 + 8 * 33] = 3;  // the quantization header's version, after the header and vocabulary
  ExpectError(quant, "unsupported quantization version 3");
  std::string probing_vocab = probing;
  Put32(&probing_vocab, 144 + 4, 999);  // the probing vocabulary's word count
  ExpectError(probing_vocab, "vocabulary size 999");
  ExpectError("", "not an ARPA language model");  // empty: no magic, so read as (bad) ARPA
  ExpectError("mmap lm but not KenLM", "is not a KenLM binary model");
  auto missing = NgramModel::Load("/nonexistent/en.arpa.bin");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("/nonexistent/en.arpa.bin"), std::string::npos);
}

TEST(KenlmBinary, CorruptContentNeverReadsOutOfBounds) {
  // Random byte changes anywhere: either a load error or a model whose lookups stay inside the
  // file (this test is what ASan/UBSan builds check).
  std::mt19937_64 rng(11);
  testing::TempDir dir;
  size_t loaded = 0;
  for (const char* f : {"probing.bin", "probing_rest.bin", "trie.bin", "trie_q8b7_a22.bin", "trie_a22.bin"}) {
    const std::string orig = testing::ReadFile(Data(f));
    for (int it = 0; it < 150; ++it) {
      std::string d = orig;
      for (int k = 1 + rng() % 6; k > 0; --k) d[rng() % d.size()] = static_cast<char>(rng());
      testing::WriteFile(dir.File("x.bin"), d);
      auto m = NgramModel::Load(dir.File("x.bin"));
      if (!m.ok()) continue;
      ++loaded;
      for (size_t i = 0; i < Expected().size(); i += 7) (*m)->Score(Expected()[i].sentence);
    }
  }
  EXPECT_GT(loaded, 100u);  // most changes land in values, which load fine
}

TEST(KenlmBinary, PerplexityModelReadsArpaBin) {
  // DJ's file name: {lang}.arpa.bin next to {lang}.sp.model, found when there is no {lang}.arpa.
  const std::string golden = std::string(WINNOW_SOURCE_DIR) + "/tests/golden/assets/";
  auto bin = PerplexityModel::Get(golden + "lm_bin", "en");
  auto arpa = PerplexityModel::Get(golden + "lm", "en");
  ASSERT_TRUE(bin.ok()) << bin.status().message();
  ASSERT_TRUE(arpa.ok()) << arpa.status().message();
  for (const char* text : {"Today is Sunday and it's a happy day!", "a v s e c s f e f g a qkc", "", "∑∫∂√∞"}) {
    auto pieces = (*arpa)->sp().Pieces(text);
    EXPECT_EQ((*bin)->PerplexityOfPieces(pieces), (*arpa)->PerplexityOfPieces(pieces)) << text;
  }
  testing::TempDir dir;
  testing::WriteFile(dir.File("en.sp.model"), testing::ReadFile(golden + "lm/en.sp.model"));
  const std::string model = testing::ReadFile(golden + "lm_bin/en.arpa.bin");
  testing::WriteFile(dir.File("en.arpa.bin"), model.substr(0, model.size() / 3));
  auto bad = PerplexityModel::Get(dir.path(), "en");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find(dir.File("en.arpa.bin")), std::string::npos) << bad.status().message();
}

TEST(KenlmBinary, PlainPiecesScoreAsTheJoinedText) {
  // An ARPA model scores plain pieces by id, skipping DJ's join and split; pieces with spaces,
  // line breaks or nothing in them take the joined text. Both must give DJ's value: the binary
  // model (same n-grams) always scores the joined text.
  const std::string golden = std::string(WINNOW_SOURCE_DIR) + "/tests/golden/assets/";
  auto bin = PerplexityModel::Get(golden + "lm_bin", "en");
  auto arpa = PerplexityModel::Get(golden + "lm", "en");
  ASSERT_TRUE(bin.ok() && arpa.ok());
  using P = std::vector<std::string>;
  const std::vector<P> cases = {{"\xe2\x96\x81the", "\xe2\x96\x81" "cat", "\xe2\x96\x81sat"},
                                {"\xe2\x96\x81the \xe2\x96\x81" "cat", "\xe2\x96\x81sat"},
                                {"\xe2\x96\x81the\n\xe2\x96\x81" "cat", "\xe2\x96\x81sat"},
                                {"a", "", "b"},
                                {"x\xc2\xa0y", "z"},          // NBSP: a Python word boundary
                                {"x\xe2\x80\xa8y", "z"},     // U+2028: a line boundary
                                {"x\ty"},
                                {""},
                                {}};
  for (const auto& pieces : cases)
    EXPECT_EQ((*arpa)->PerplexityOfPieces(pieces), (*bin)->PerplexityOfPieces(pieces)) << ::testing::PrintToString(pieces);
  EXPECT_EQ((*arpa)->PerplexityOfPieces(cases[0]), (*arpa)->PerplexityOfPieces(cases[1]));
  EXPECT_EQ((*bin)->PerplexityOfPieces(cases[0]), (*bin)->PerplexityOfPieces(cases[1]));
  EXPECT_NE((*arpa)->PerplexityOfPieces(cases[0]), (*arpa)->PerplexityOfPieces(cases[2]));
  // Real texts: every training document, pieces from the model's SentencePiece.
  const std::string train = testing::ReadFile(golden + "lm/train.jsonl");
  size_t n = 0;
  for (size_t b = 0, e; (e = train.find('\n', b)) != std::string::npos; b = e + 1, ++n) {
    std::vector<int32_t> ids;
    auto pieces = (*arpa)->sp().Pieces(train.substr(b, e - b), &ids);
    ASSERT_EQ(ids.size(), pieces.size());
    const double expect = (*bin)->PerplexityOfPieces(pieces);
    ASSERT_EQ((*arpa)->PerplexityOfPieces(pieces, ids), expect) << "line " << n;  // ids to n-gram words
    ASSERT_EQ((*arpa)->PerplexityOfPieces(pieces), expect) << "line " << n;       // piece strings
  }
  EXPECT_GT(n, 10u);
}

}  // namespace
}  // namespace winnow
