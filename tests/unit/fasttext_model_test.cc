// The native fastText predictor (models/fasttext_model) against Debian's libfasttext 0.9.2, both
// loaded here: the same top-1 label and the bit-identical float probability on generated lines in
// many scripts and on edge cases, for lid.176.ftz and for small models trained here by libfasttext
// itself (every loss, dense and quantized, pruned, qnorm, qout, word n-grams, dims other than 16).
// Corrupt files must give an error naming the file.
#include <fasttext/fasttext.h>
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

#include "test_support.h"
#include "winnow/core/json.h"
#include "winnow/core/unicode.h"
#include "winnow/models/fasttext_model.h"

namespace winnow {
namespace {

// libfasttext's answer for one line as Python's predict() asks it: line + '\n', k 1, threshold 0.
bool Reference(const fasttext::FastText& ft, const std::string& line, std::string* label, float* prob) {
  std::istringstream in(line + "\n");
  std::vector<std::pair<fasttext::real, std::string>> preds;
  ft.predictLine(in, preds, 1, 0.0);
  if (preds.empty()) return false;
  *label = preds[0].second;
  *prob = preds[0].first;
  return true;
}

// Compares both predictors on every line; returns the number of lines that agree exactly.
size_t CountAgreeing(const fasttext::FastText& ft, const FastTextModel& native, const std::vector<std::string>& lines,
                     int max_reports = 5) {
  size_t agree = 0;
  for (const std::string& line : lines) {
    std::string want_label;
    float want_prob = 0;
    bool has = Reference(ft, line, &want_label, &want_prob);
    FastTextModel::Top1 got = native.Predict(line);
    bool same = has ? (got.label >= 0 && native.label(got.label) == want_label &&
                       std::memcmp(&got.prob, &want_prob, sizeof(float)) == 0)
                    : got.label < 0;
    if (same) {
      agree++;
    } else if (max_reports-- > 0) {
      ADD_FAILURE() << "line (" << line.size() << " bytes) '" << line.substr(0, 80) << "': libfasttext "
                    << (has ? want_label : "<none>") << " " << want_prob << ", native "
                    << (got.label >= 0 ? native.label(got.label) : "<none>") << " " << got.prob;
    }
  }
  return agree;
}

// Lines mixing the model's own words with random words in many scripts, odd separators, invalid
// UTF-8 and NUL bytes, plus fixed edge cases.
std::vector<std::string> GeneratedLines(const std::vector<std::string>& vocab, size_t count, uint32_t seed) {
  static const uint32_t kScripts[][2] = {
      {'a', 'z'},         {0xE0, 0xFF},       {0x100, 0x17F},     {0x3B1, 0x3C9},   {0x430, 0x44F},
      {0x5D0, 0x5EA},     {0x627, 0x64A},     {0x905, 0x939},     {0x985, 0x9B9},   {0xB85, 0xBB9},
      {0xE01, 0xE2E},     {0x10D0, 0x10F0},   {0x3041, 0x3096},   {0x30A1, 0x30FA}, {0x4E00, 0x9FFF},
      {0xAC00, 0xD7A3},   {0x1F600, 0x1F64F}, {'0', '9'}};
  constexpr size_t kNumScripts = sizeof(kScripts) / sizeof(kScripts[0]);
  std::mt19937 rng(seed);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  std::vector<std::string> lines = {
      "", " ", "  \t \r \v \f ", std::string(3, '\0'), "</s>", "hello </s> world", "</s> </s>",
      "__label__en", "__label__en __label__fr", "__label__xx bonjour", "bonjour __label__de le monde",
      "first line\nsecond line", "\nstarts with a newline", "x", "<", ">", "<>", "< >", "\xE3\x80\x80",
      std::string("nul\0inside words", 16), "\x80\x80\x80", "\xC3", "caf\xC3", "\xFF\xFE\xFD abc",
      "\x80" "abc", std::string(5000, 'a'), std::string(300, '\x80'), "the quick brown fox",
      "der schnelle braune fuchs", "le renard brun rapide", "быстрая коричневая лиса", "快速的棕色狐狸",
      "素早い茶色の狐", "빠른 갈색 여우", "الثعلب البني السريع", "तेज़ भूरी लोमड़ी"};
  std::string cjk;
  for (int i = 0; i < 3000; i++) unicode::AppendUtf8(0x4E00 + i * 7 % 20000, cjk);
  lines.push_back(cjk);
  while (lines.size() < count) {
    std::string line;
    size_t words = 1 + pick(pick(10) == 0 ? 400 : 30);
    size_t script = pick(kNumScripts);
    for (size_t w = 0; w < words; w++) {
      if (w > 0) {
        static const char* kSeps[] = {" ", " ", " ", " ", "  ", "\t", "\r", "\v", "\f", "",
                                      "\xE3\x80\x80"};
        size_t s = pick(11);
        if (s == 9) line.push_back('\0'); else line += kSeps[s];
      }
      size_t kind = pick(10);
      if (kind < 4 && !vocab.empty()) {
        line += vocab[pick(vocab.size())];
      } else if (kind == 4) {
        for (size_t k = 1 + pick(6); k > 0; k--) line.push_back(static_cast<char>(pick(256)));
      } else {
        size_t s = pick(8) == 0 ? pick(kNumScripts) : script;
        for (size_t k = 1 + pick(pick(20) == 0 ? 60 : 9); k > 0; k--)
          unicode::AppendUtf8(kScripts[s][0] + pick(kScripts[s][1] - kScripts[s][0] + 1), line);
      }
    }
    if (pick(50) == 0) line += "\n" + line;
    lines.push_back(std::move(line));
  }
  return lines;
}

std::vector<std::string> Vocabulary(const fasttext::FastText& ft) {
  std::vector<std::string> v;
  auto dict = ft.getDictionary();
  for (int32_t i = 0; i < dict->nwords(); i++) v.push_back(dict->getWord(i));
  return v;
}

std::string LidPath() { return testing::SourcePath(".cache/models/lid.176.ftz"); }

TEST(FastTextModel, Lid176SameAsLibfasttext) {
  std::string path = LidPath();
  if (!testing::Exists(path)) GTEST_SKIP() << path << " absent (scripts/fetch-assets.sh)";
  fasttext::FastText ft;
  ft.loadModel(path);
  auto native = FastTextModel::Load(path);
  ASSERT_TRUE(native.ok()) << native.status().message();
  EXPECT_EQ((*native)->num_labels(), 176);
  std::vector<std::string> lines = GeneratedLines(Vocabulary(ft), 4000, 176);
  EXPECT_EQ(CountAgreeing(ft, **native, lines), lines.size());
  // Again: now the words of these lines, vocabulary words and unknown tokens alike, come from this
  // thread's token cache (labels and "</s>" must still be told apart from words there).
  EXPECT_EQ(CountAgreeing(ft, **native, lines), lines.size());
}

// Small models trained by libfasttext: synthetic "languages" (each label its own syllables).
std::string TrainingData(int labels, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string out;
  for (int l = 0; l < labels; l++) {
    std::vector<std::string> syllables;
    for (int s = 0; s < 6; s++) {
      std::string syl;
      unicode::AppendUtf8(0x61 + (l * 7 + s * 3) % 26, syl);
      unicode::AppendUtf8(0x430 + (l + s * 5) % 32, syl);
      if (s % 2) unicode::AppendUtf8(0x4E00 + l * 13 + s, syl);
      syllables.push_back(syl);
    }
    for (int line = 0; line < 12; line++) {
      out += "__label__L" + std::to_string(l);
      for (int w = 0; w < 8; w++) {
        out += ' ';
        for (int k = 1 + rng() % 3; k > 0; k--) out += syllables[rng() % syllables.size()];
      }
      out += '\n';
    }
  }
  return out;
}

struct Variant {
  const char* name;
  fasttext::loss_name loss;
  int dim, minn, maxn, word_ngrams, labels;
  bool quantize, qnorm, qout;
  size_t cutoff, dsub;
  int bucket = 20000;  // over 65536 input rows: the token cache keeps row ids as 32 bits
};

void PrintTo(const Variant& v, std::ostream* os) { *os << v.name; }

class TrainedModel : public ::testing::TestWithParam<Variant> {};

TEST_P(TrainedModel, SameAsLibfasttext) {
  const Variant& v = GetParam();
  testing::TempDir dir;
  testing::WriteFile(dir.File("train.txt"), TrainingData(v.labels, 7));
  fasttext::Args a;
  a.input = dir.File("train.txt");
  a.output = dir.File("model");
  a.model = fasttext::model_name::sup;
  a.loss = v.loss;
  a.dim = v.dim;
  a.minn = v.minn;
  a.maxn = v.maxn;
  a.wordNgrams = v.word_ngrams;
  a.bucket = v.bucket;
  a.minCount = 1;
  a.epoch = 3;
  a.lr = 0.5;
  a.thread = 1;
  a.verbose = 0;
  fasttext::FastText trained;
  trained.train(a);
  if (v.quantize) {
    fasttext::Args q = a;
    q.qnorm = v.qnorm;
    q.qout = v.qout;
    q.cutoff = v.cutoff;
    q.dsub = v.dsub;
    q.retrain = false;
    trained.quantize(q);
  }
  std::string path = dir.File(v.quantize ? "model.ftz" : "model.bin");
  trained.saveModel(path);
  fasttext::FastText ft;
  ft.loadModel(path);
  auto native = FastTextModel::Load(path);
  ASSERT_TRUE(native.ok()) << native.status().message();
  std::vector<std::string> vocab = Vocabulary(ft);
  std::vector<std::string> lines = GeneratedLines(vocab, 1500, 11);
  for (const std::string& t : testing::ReadLines(dir.File("train.txt"))) lines.push_back(t.substr(t.find(' ') + 1));
  EXPECT_EQ(CountAgreeing(ft, **native, lines), lines.size());
  // Truncated copies are errors naming the file, never crashes.
  std::string data = testing::ReadFile(path);
  for (size_t cut : {size_t{60}, size_t{100}, data.size() / 3, data.size() - 4}) {
    testing::WriteFile(dir.File("cut.bin"), data.substr(0, cut));
    auto m = FastTextModel::Load(dir.File("cut.bin"));
    EXPECT_FALSE(m.ok()) << cut;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Variants, TrainedModel,
    ::testing::Values(
        Variant{"hs_dense", fasttext::loss_name::hs, 16, 2, 4, 1, 40, false, false, false, 0, 2},
        Variant{"hs_bigrams_pruned_qnorm", fasttext::loss_name::hs, 16, 2, 4, 2, 40, true, true, false, 3000, 2},
        Variant{"softmax_dim10_nosubwords", fasttext::loss_name::softmax, 10, 0, 0, 1, 30, false, false, false, 0, 2},
        Variant{"softmax_dim10_quant_dsub4", fasttext::loss_name::softmax, 10, 1, 3, 3, 30, true, false, false, 0, 4},
        Variant{"ova_qout_qnorm", fasttext::loss_name::ova, 16, 3, 5, 1, 300, true, true, true, 0, 2},
        Variant{"ns_dim7", fasttext::loss_name::ns, 7, 2, 4, 2, 20, false, false, false, 0, 2},
        Variant{"hs_wide_row_ids", fasttext::loss_name::hs, 16, 2, 4, 1, 40, false, false, false, 0, 2, 70000}),
    [](const ::testing::TestParamInfo<Variant>& info) { return std::string(info.param.name); });

TEST(FastTextModel, BadFilesAreErrorsNamingTheFile) {
  testing::TempDir dir;
  auto missing = FastTextModel::Load(dir.File("none.ftz"));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("none.ftz"), std::string::npos);
  testing::WriteFile(dir.File("junk.bin"), "this is not a model");
  auto junk = FastTextModel::Load(dir.File("junk.bin"));
  ASSERT_FALSE(junk.ok());
  EXPECT_NE(junk.status().message().find("junk.bin"), std::string::npos);
  std::string path = LidPath();
  if (!testing::Exists(path)) return;
  // Every truncation of the real model is an error, never a crash.
  std::string data = testing::ReadFile(path);
  for (size_t cut : {size_t{8}, size_t{40}, size_t{70}, size_t{1000}, data.size() / 2, data.size() - 1}) {
    testing::WriteFile(dir.File("cut.ftz"), data.substr(0, cut));
    auto m = FastTextModel::Load(dir.File("cut.ftz"));
    EXPECT_FALSE(m.ok()) << cut;
    if (!m.ok()) {
      EXPECT_NE(m.status().message().find("cut.ftz"), std::string::npos);
    }
  }
}

// Whole-corpus parity on demand: WINNOW_LID_PARITY_CORPUS=file.jsonl (a "text" per line), each
// text with language_id_score_filter's preprocessing (Python lower(), '\n' -> ' ') and as is;
// WINNOW_LID_PARITY_MODEL=model.bin|.ftz (default lid.176.ftz), e.g. Data-Juicer's lid.176.bin.
TEST(FastTextModel, CorpusParityOnDemand) {
  const char* corpus = std::getenv("WINNOW_LID_PARITY_CORPUS");
  const char* model = std::getenv("WINNOW_LID_PARITY_MODEL");
  std::string path = model ? model : LidPath();
  if (!corpus || !testing::Exists(path)) GTEST_SKIP() << "set WINNOW_LID_PARITY_CORPUS";
  fasttext::FastText ft;
  ft.loadModel(path);
  auto native = FastTextModel::Load(path);
  ASSERT_TRUE(native.ok());
  std::ifstream in(corpus);
  std::string raw, text;
  std::vector<std::string> lines;
  size_t agree = 0, total = 0;
  auto check = [&] {  // in chunks: the corpus may be larger than memory
    agree += CountAgreeing(ft, **native, lines);
    total += lines.size();
    lines.clear();
  };
  while (std::getline(in, raw)) {
    auto v = json::Parse(raw);
    if (!v.ok() || !v->Find("text")) continue;
    unicode::PyLowerInto(v->Find("text")->as_string(), &text);
    for (char& c : text) if (c == '\n') c = ' ';
    lines.push_back(text);
    lines.push_back(v->Find("text")->as_string());
    if (lines.size() >= 20000) check();
  }
  check();
  std::printf("corpus parity: %zu / %zu lines identical (label and float bits; each document "
              "preprocessed as the op does and raw)\n", agree, total);
  EXPECT_EQ(agree, total);
}

}  // namespace
}  // namespace winnow
