// Micro-benchmarks of the per-sample hot paths (op compute only, no I/O), on a real-text corpus
// if bench/corpus/corpus.jsonl exists (bench/make_corpus.sh), else on a built-in paragraph.
#include <benchmark/benchmark.h>

#include <fstream>
#include <string>
#include <vector>

#include "winnow/core/json.h"
#include "winnow/core/md5.h"
#include "winnow/core/sha1.h"
#include "winnow/core/sample.h"
#include "winnow/recipe/recipe.h"

namespace {

const std::vector<std::string>& Records() {
  static const std::vector<std::string> recs = [] {
    std::vector<std::string> v;
    std::ifstream in(std::string(WINNOW_SOURCE_DIR) + "/bench/corpus/corpus.jsonl");
    size_t bytes = 0;
    for (std::string line; bytes < (8 << 20) && std::getline(in, line);) {
      bytes += line.size();
      v.push_back(line);
    }
    if (v.empty())
      for (int i = 0; i < 2000; ++i)
        v.push_back("{\"text\": \"Data quality matters more than data quantity: a smaller, cleaner corpus "
                    "often trains a better model. Contact me@example.org or https://example.org/x " +
                    std::to_string(i) + ".\\nSecond line here.\"}");
    return v;
  }();
  return recs;
}

void RunOp(benchmark::State& state, const char* name, const char* params) {
  auto cfg = winnow::MakeOpConfig(name, *winnow::json::Parse(params));
  if (!cfg.ok()) { state.SkipWithError(cfg.status().message().c_str()); return; }
  winnow::OpEnv env;
  auto op = cfg->info->factory(cfg->params, env);
  const auto& recs = Records();
  size_t bytes = 0, text_bytes = 0;
  winnow::Sample s;
  for (auto _ : state) {
    for (const auto& r : recs) {
      if (!s.Init(r, {}, "").ok()) continue;
      if (op->kind() == winnow::OpKind::kFilter) {
        auto* f = static_cast<const winnow::Filter*>(op.get());
        if (f->ComputeStats(s).ok()) benchmark::DoNotOptimize(f->Keep(s));
      } else if (op->kind() == winnow::OpKind::kMapper) {
        benchmark::DoNotOptimize(static_cast<const winnow::Mapper*>(op.get())->Map(s));
      } else {
        winnow::GlobalKey k;
        benchmark::DoNotOptimize(static_cast<const winnow::GlobalOp*>(op.get())->ComputeKey(s, &k));
      }
      bytes += r.size();
      if (auto t = s.Text("text"); t.ok()) text_bytes += t->size();
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  // The issues' targets are in MB of text (JSONL bytes include keys, quotes and escapes).
  state.counters["text_MB/s"] = benchmark::Counter(static_cast<double>(text_bytes) / 1e6, benchmark::Counter::kIsRate);
}

#define OP_BENCH(name, params) \
  BENCHMARK_CAPTURE(RunOp, name, #name, params)->Unit(benchmark::kMillisecond)

OP_BENCH(text_length_filter, "{}");
OP_BENCH(words_num_filter, "{}");
OP_BENCH(alphanumeric_filter, "{}");
OP_BENCH(special_characters_filter, "{}");
OP_BENCH(average_line_length_filter, "{}");
OP_BENCH(maximum_line_length_filter, "{}");
OP_BENCH(character_repetition_filter, "{}");
OP_BENCH(word_repetition_filter, "{}");
OP_BENCH(whitespace_normalization_mapper, "{}");
OP_BENCH(punctuation_normalization_mapper, "{}");
OP_BENCH(clean_email_mapper, "{}");
OP_BENCH(clean_links_mapper, "{}");
OP_BENCH(clean_ip_mapper, "{}");
OP_BENCH(remove_long_words_mapper, "{}");
OP_BENCH(fix_unicode_mapper, "{}");
OP_BENCH(document_deduplicator, "{}");
OP_BENCH(document_minhash_deduplicator, "{}");
OP_BENCH(document_simhash_deduplicator, "{}");
// Model ops: the models come from WINNOW_MODELS_DIR (bench/run_catalog_bench.sh trains them
// into bench/out/models); without them these report an error and are skipped.
OP_BENCH(language_id_score_filter, "{}");
OP_BENCH(perplexity_filter, "{\"lang\": \"en\"}");
BENCHMARK_CAPTURE(RunOp, words_num_filter_tokenized, "words_num_filter", "{\"tokenization\": true}")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(RunOp, word_repetition_filter_tokenized, "word_repetition_filter", "{\"tokenization\": true}")
    ->Unit(benchmark::kMillisecond);

// The shingle hashes alone: 8192 messages of `len` bytes (SimHash's six-word shingles are ~40),
// all lanes vs one message at a time.
template <bool kMd5>
void ShingleHashes(benchmark::State& state) {
  const size_t len = static_cast<size_t>(state.range(0));
  const bool multi = state.range(1) != 0;
  std::string pool(8192 + len, '\0');
  for (size_t i = 0; i < pool.size(); ++i) pool[i] = static_cast<char>('a' + (i * 7919) % 26);
  std::vector<std::string_view> msgs;
  for (size_t i = 0; i < 8192; ++i) msgs.emplace_back(pool.data() + i, len);
  std::vector<uint64_t> out64(msgs.size());
  std::vector<uint32_t> out32(msgs.size());
  for (auto _ : state) {
    if (kMd5) winnow::Md5Prefix64Many(msgs.data(), msgs.size(), out64.data(), multi);
    else winnow::Sha1FirstWords(msgs.data(), msgs.size(), out32.data(), multi);
    benchmark::DoNotOptimize(out64.data());
    benchmark::DoNotOptimize(out32.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * msgs.size()));
}
BENCHMARK_TEMPLATE(ShingleHashes, true)->Args({40, 1})->Args({40, 0})->Args({100, 1});
BENCHMARK_TEMPLATE(ShingleHashes, false)->Args({40, 1})->Args({40, 0})->Args({100, 1});

}  // namespace

BENCHMARK_MAIN();
