// Executor behaviour: nothing is lost, bad input is quarantined with clear messages, output is
// byte-identical for any thread count and batch size, and unchanged samples keep their bytes.
#include <gtest/gtest.h>

#include <zlib.h>

#include "test_support.h"
#include "winnow/core/json.h"

namespace winnow::testing {
namespace {

class ExecTest : public ::testing::Test {
 protected:
  std::string Recipe(const std::string& input, const std::string& process, const std::string& extra = "") {
    return "dataset_path: " + input + "\nexport_path: " + dir_.File("out/out.jsonl") +
           "\nexport_dropped: " + dir_.File("out/dropped.jsonl") + "\n" + extra + "process:\n" + process;
  }
  std::vector<json::Value> Parsed(const std::string& path) {
    std::vector<json::Value> v;
    for (const auto& l : ReadLines(path)) {
      auto p = json::Parse(l);
      EXPECT_TRUE(p.ok()) << l;
      if (p.ok()) v.push_back(*p);
    }
    return v;
  }
  TempDir dir_;
};

TEST_F(ExecTest, BadInputIsQuarantinedWithFileLineAndNothingIsLost) {
  std::string in =
      "{\"text\": \"a fine sample of text\"}\n"
      "{\"text\": \"broken\"\n"                      // 2: invalid JSON
      "{\"text\": \"bad \xff utf8\"}\n"              // 3: invalid UTF-8
      "{\"content\": \"no text field\"}\n"           // 4: missing field
      "{\"text\": [\"a list\"]}\n"                   // 5: wrong type
      "{\"text\": null}\n"                           // 6: null
      "\n"                                           // blank lines are not records
      "[1, 2, 3]\n"                                  // 8: not an object
      "{\"text\": \"lone \\ud800 surrogate\"}\n"     // 9
      "{\"text\": \"short\"}";                       // 10: dropped, and no final newline
  WriteFile(dir_.File("in.jsonl"), in);
  auto ledger = RunYaml(Recipe(dir_.File("in.jsonl"), "  - text_length_filter: {min_len: 8}\n"));
  ASSERT_TRUE(ledger.ok()) << ledger.status().message();
  EXPECT_EQ(ledger->input_records, 9u);
  EXPECT_EQ(ledger->output_records, 1u);
  EXPECT_EQ(ledger->dropped, 1u);
  EXPECT_EQ(ledger->quarantined, 7u);
  EXPECT_TRUE(ledger->Balanced());
  auto q = Parsed(dir_.File("out/quarantine.jsonl"));
  ASSERT_EQ(q.size(), 7u);
  std::map<std::string, std::string> err;
  for (const auto& e : q) err[e.Find("source")->as_string()] = e.Find("op")->as_string() + ": " + e.Find("error")->as_string();
  std::string f = dir_.File("in.jsonl");
  EXPECT_NE(err[f + ":2"].find("(input): invalid JSON at byte"), std::string::npos) << err[f + ":2"];
  EXPECT_EQ(err[f + ":3"], "(input): invalid UTF-8 at byte 14");
  EXPECT_EQ(err[f + ":4"], "text_length_filter: field 'text' is missing");
  EXPECT_EQ(err[f + ":5"], "text_length_filter: field 'text' is array, expected a string");
  EXPECT_EQ(err[f + ":6"], "text_length_filter: field 'text' is null, expected a string");
  EXPECT_NE(err[f + ":8"].find("a record must be a JSON object"), std::string::npos);
  EXPECT_NE(err[f + ":9"].find("surrogate"), std::string::npos);
  // The invalid UTF-8 record is preserved losslessly.
  for (const auto& e : q)
    if (e.Find("source")->as_string() == f + ":3") {
      EXPECT_NE(e.Find("record_base64"), nullptr);
    }
  auto d = Parsed(dir_.File("out/dropped.jsonl"));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].Find("source")->as_string(), f + ":10");
  EXPECT_EQ(d[0].Find("reason")->as_string(), "text_len=5 outside [8.0, inf]");
}

TEST_F(ExecTest, SkipOpErrorFalseStopsTheRunWithTheSample) {
  WriteFile(dir_.File("in.jsonl"), "{\"text\": \"ok text here\"}\n{\"x\": 1}\n");
  auto ledger = RunYaml(Recipe(dir_.File("in.jsonl"), "  - text_length_filter:\n", "skip_op_error: false\n"));
  ASSERT_FALSE(ledger.ok());
  EXPECT_NE(ledger.status().message().find("in.jsonl:2: text_length_filter: field 'text' is missing"),
            std::string::npos) << ledger.status().message();
}

std::string MakeCorpus(int n) {
  std::string s;
  const char* words[] = {"alpha", "beta", "Gamma!", "δέλτα", "中文", "email@example.com", "http://x.org/a",
                         "10.0.0.1", "  ", "\\t", "\\n", "—", "…", "repeat repeat repeat"};
  for (int i = 0; i < n; ++i) {
    std::string text;
    int len = (i * 7919) % 40;
    for (int k = 0; k < len; ++k) text += std::string(words[(i + k * 31) % 14]) + " ";
    if (i % 17 == 0) text = "duplicate document";
    s += "{\"id\": " + std::to_string(i) + ", \"text\": \"" + text + "\", \"meta\": {\"score\": " +
         std::to_string((i * 37) % 11) + "}}\n";
  }
  return s;
}

TEST_F(ExecTest, OutputIsIdenticalForAnyThreadCountAndBatchSize) {
  WriteFile(dir_.File("in.jsonl"), MakeCorpus(3000));
  std::string process =
      "  - clean_email_mapper:\n  - clean_links_mapper:\n  - whitespace_normalization_mapper:\n"
      "  - punctuation_normalization_mapper:\n  - text_length_filter: {min_len: 5}\n"
      "  - words_num_filter: {min_num: 2}\n  - character_repetition_filter: {rep_len: 5, max_ratio: 0.9}\n"
      "  - document_deduplicator:\n  - word_repetition_filter: {rep_len: 2, max_ratio: 0.95}\n"
      "  - topk_specified_field_selector: {field_key: meta.score, topk: 1000}\n"
      "  - alphanumeric_filter: {min_ratio: 0.1}\n";
  std::string ref, ref_stats, ref_dropped;
  for (auto [np, batch] : {std::pair{1, 1}, {2, 1000}, {2, 7}, {4, 64}}) {
    auto ledger = RunYaml(Recipe(dir_.File("in.jsonl"), process),
                          {{"np", std::to_string(np)}, {"batch_size", std::to_string(batch)}});
    ASSERT_TRUE(ledger.ok()) << ledger.status().message();
    EXPECT_TRUE(ledger->Balanced());
    std::string out = ReadFile(dir_.File("out/out.jsonl"));
    std::string stats = ReadFile(dir_.File("out/out_stats.jsonl"));
    std::string dropped = ReadFile(dir_.File("out/dropped.jsonl"));
    if (ref.empty()) {
      ref = out;
      ref_stats = stats;
      ref_dropped = dropped;
      EXPECT_GT(ledger->output_records, 100u);
      EXPECT_GT(ledger->dropped, 100u);
      continue;
    }
    EXPECT_EQ(out, ref) << "np=" << np << " batch=" << batch;
    EXPECT_EQ(stats, ref_stats) << "np=" << np << " batch=" << batch;
    EXPECT_EQ(dropped, ref_dropped) << "np=" << np << " batch=" << batch;
  }
}

TEST_F(ExecTest, FilterOnlyRecipeKeepsBytesExactly) {
  std::string in = "{\"text\":\"keep me,  exactly as I am\",\"x\" : 1.50}\r\n{ \"text\": \"tiny\" }\n";
  WriteFile(dir_.File("in.jsonl"), in);
  auto ledger = RunYaml(Recipe(dir_.File("in.jsonl"), "  - text_length_filter: {min_len: 5}\n"));
  ASSERT_TRUE(ledger.ok());
  EXPECT_EQ(ReadFile(dir_.File("out/out.jsonl")), "{\"text\":\"keep me,  exactly as I am\",\"x\" : 1.50}\r\n");
  EXPECT_EQ(ReadFile(dir_.File("out/out_stats.jsonl")), "{\"__dj__stats__\": {\"text_len\": 25}}\n");
}

std::string Gzip(const std::string& data) {
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(compressBound(data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = data.size();
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = out.size();
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

TEST_F(ExecTest, CompressedInputAndOutputRoundTrip) {
  std::string corpus = MakeCorpus(500);
  WriteFile(dir_.File("in.jsonl.gz"), Gzip(corpus));
  auto a = RunYaml("dataset_path: " + dir_.File("in.jsonl.gz") + "\nexport_path: " + dir_.File("o/out.jsonl.zst") +
                   "\nprocess:\n  - text_length_filter: {min_len: 0}\n");
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->output_records, 500u);
  // Read the zstd output back through Winnow: a pass-through recipe reproduces the corpus.
  auto b = RunYaml("dataset_path: " + dir_.File("o/out.jsonl.zst") + "\nexport_path: " + dir_.File("p/out.jsonl") + "\n");
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(ReadFile(dir_.File("p/out.jsonl")), corpus);
}

TEST_F(ExecTest, TruncatedAndCorruptCompressedInputIsAClearError) {
  std::string gz = Gzip(MakeCorpus(200));
  WriteFile(dir_.File("t.jsonl.gz"), gz.substr(0, gz.size() / 2));
  auto r = RunYaml("dataset_path: " + dir_.File("t.jsonl.gz") + "\nexport_path: " + dir_.File("o/out.jsonl") + "\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("t.jsonl.gz: truncated gzip stream"), std::string::npos) << r.status().message();
  WriteFile(dir_.File("c.jsonl.zst"), "not zstd at all");
  r = RunYaml("dataset_path: " + dir_.File("c.jsonl.zst") + "\nexport_path: " + dir_.File("o/out.jsonl") + "\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("c.jsonl.zst: corrupt zstd data"), std::string::npos) << r.status().message();
}

TEST_F(ExecTest, HugeRecordsLargerThanTheReadChunkWork) {
  std::string big(5 << 20, 'x');  // 5 MiB text, larger than the 1 MiB read chunk and the batch cap
  WriteFile(dir_.File("in.jsonl"), "{\"text\": \"a\"}\n{\"text\": \"" + big + "\"}\n{\"text\": \"bb\"}\n");
  auto r = RunYaml(Recipe(dir_.File("in.jsonl"), "  - text_length_filter: {min_len: 0}\n"));
  ASSERT_TRUE(r.ok());
  auto stats = Parsed(dir_.File("out/out_stats.jsonl"));
  ASSERT_EQ(stats.size(), 3u);
  EXPECT_EQ(stats[1].Find("__dj__stats__")->Find("text_len")->as_number(), 5 << 20);
  // Over max_record_bytes: quarantined (head kept), the run goes on.
  auto q = RunYaml(Recipe(dir_.File("in.jsonl"), "  - text_length_filter: {min_len: 0}\n", "max_record_bytes: 100000\n"));
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->output_records, 2u);
  EXPECT_EQ(q->quarantined, 1u);
  auto qe = Parsed(dir_.File("out/quarantine.jsonl"));
  ASSERT_EQ(qe.size(), 1u);
  EXPECT_NE(qe[0].Find("error")->as_string().find("exceeds max_record_bytes"), std::string::npos);
  EXPECT_EQ(qe[0].Find("source")->as_string(), dir_.File("in.jsonl") + ":2");
}

TEST_F(ExecTest, EmptyInputFileGivesAWarningAndAnEmptyResult) {
  WriteFile(dir_.File("empty.jsonl"), "");
  auto r = RunYaml(Recipe(dir_.File("empty.jsonl"), "  - text_length_filter:\n"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->input_records, 0u);
  ASSERT_FALSE(r->warnings.empty());
  EXPECT_NE(r->warnings.back().find("file is empty"), std::string::npos);
  EXPECT_TRUE(Exists(dir_.File("out/out.jsonl")));
}

TEST_F(ExecTest, JsonArrayInputGetsAWarningAndLosesNothing) {
  WriteFile(dir_.File("arr.json"), "[\n  {\"text\": \"a\"},\n  {\"text\": \"b\"}\n]\n");
  auto r = RunYaml(Recipe(dir_.File("arr.json"), "  - text_length_filter: {min_len: 0}\n"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->input_records, 4u);
  EXPECT_EQ(r->quarantined, 3u);   // '[', ']' and the element followed by a comma
  EXPECT_EQ(r->output_records, 1u);  // the last element is a valid JSON line on its own
  ASSERT_FALSE(r->warnings.empty());
  EXPECT_NE(r->warnings.back().find("not a JSON array"), std::string::npos) << r->warnings.back();
}

TEST_F(ExecTest, ShardedAndJsonArrayExport) {
  WriteFile(dir_.File("in.jsonl"), MakeCorpus(300));
  auto r = RunYaml("dataset_path: " + dir_.File("in.jsonl") + "\nexport_path: " + dir_.File("s/res.jsonl") +
                   "\nexport_shard_size: 4000\n");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_GT(r->outputs.size(), 3u);
  EXPECT_NE(r->outputs[0].find("res-"), std::string::npos);
  std::string joined;
  size_t shards = 0;
  for (const auto& o : r->outputs)
    if (o.find("-of-") != std::string::npos) { joined += ReadFile(o); ++shards; }
  EXPECT_EQ(joined, ReadFile(dir_.File("in.jsonl")));
  EXPECT_NE(r->outputs[0].find("-of-" + std::string(std::to_string(shards).size() + 1 - std::to_string(shards).size(), '0') + std::to_string(shards)), std::string::npos) << r->outputs[0];
  auto j = RunYaml("dataset_path: " + dir_.File("in.jsonl") + "\nexport_path: " + dir_.File("j/res.json") + "\n");
  ASSERT_TRUE(j.ok());
  auto arr = json::Parse(ReadFile(dir_.File("j/res.json")));
  ASSERT_TRUE(arr.ok()) << arr.status().message();
  EXPECT_EQ(arr->as_array().size(), 300u);
}

TEST_F(ExecTest, WeightedDatasetPathSamplesCeilOfWeightTimesCount) {
  WriteFile(dir_.File("a.jsonl"), MakeCorpus(10));
  WriteFile(dir_.File("b.jsonl"), MakeCorpus(4));
  auto r = RunYaml("dataset_path: '0.35 " + dir_.File("a.jsonl") + " 2.5 " + dir_.File("b.jsonl") +
                   "'\nexport_path: " + dir_.File("o/out.jsonl") + "\n");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->input_records, 4u + 10u);  // ceil(3.5) + ceil(10)
}

TEST_F(ExecTest, KeepStatsAndHashesInResult) {
  WriteFile(dir_.File("in.jsonl"), "{\"text\": \"same text\"}\n{\"text\": \"same text\"}\n{\"text\": \"other text\"}\n");
  auto r = RunYaml(Recipe(dir_.File("in.jsonl"), "  - text_length_filter: {min_len: 1}\n  - document_deduplicator:\n",
                          "keep_stats_in_res_ds: true\nkeep_hashes_in_res_ds: true\n"));
  ASSERT_TRUE(r.ok());
  auto out = Parsed(dir_.File("out/out.jsonl"));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].Find("__dj__stats__")->Find("text_len")->as_number(), 9);
  ASSERT_NE(out[0].Find("__dj__hash"), nullptr);
  EXPECT_EQ(out[0].Find("__dj__hash")->as_string().size(), 32u);
  auto dropped = Parsed(dir_.File("out/dropped.jsonl"));
  ASSERT_EQ(dropped.size(), 1u);
  EXPECT_EQ(dropped[0].Find("reason")->as_string(), "duplicate of " + dir_.File("in.jsonl") + ":1");
}

TEST_F(ExecTest, StreamingDedupCountsAndDropsInInputOrder) {
  // The dedup is decided at commit; a duplicate is the dedup's drop even if a later filter
  // would also have dropped it, and what it rendered after the dedup is discarded.
  WriteFile(dir_.File("in.jsonl"),
            "{\"text\": \"aaaaaaaaaaaaaaaa\"}\n{\"text\": \"aaaaaaaaaaaaaaaa\"}\n{\"text\": \"b\"}\n"
            "{\"text\": \"b\"}\n{\"text\": \"cccccccccccccccc\"}\n{\"text\": 3}\n");
  for (auto [np, batch] : {std::pair{1, 1}, {2, 2}, {1, 1000}}) {
    auto r = RunYaml(Recipe(dir_.File("in.jsonl"), "  - document_deduplicator:\n  - text_length_filter: {min_len: 10}\n"),
                     {{"np", std::to_string(np)}, {"batch_size", std::to_string(batch)}});
    ASSERT_TRUE(r.ok()) << r.status().message();
    ASSERT_EQ(r->rows.size(), 3u);
    const OpCounts& dedup = r->rows[1].counts;
    const OpCounts& filter = r->rows[2].counts;
    EXPECT_EQ(dedup.in, 6u);
    EXPECT_EQ(dedup.kept, 3u);
    EXPECT_EQ(dedup.dropped, 2u);
    EXPECT_EQ(dedup.quarantined, 1u);
    EXPECT_EQ(filter.in, 3u);
    EXPECT_EQ(filter.kept, 2u);
    EXPECT_EQ(filter.dropped, 1u);
    EXPECT_TRUE(r->Balanced());
    auto d = Parsed(dir_.File("out/dropped.jsonl"));
    ASSERT_EQ(d.size(), 3u);
    std::string f = dir_.File("in.jsonl");
    EXPECT_EQ(d[0].Find("reason")->as_string(), "duplicate of " + f + ":1");
    EXPECT_EQ(d[1].Find("op")->as_string(), "text_length_filter");
    EXPECT_EQ(d[1].Find("source")->as_string(), f + ":3");
    EXPECT_EQ(d[2].Find("reason")->as_string(), "duplicate of " + f + ":3");
    EXPECT_EQ(ReadLines(dir_.File("out/out.jsonl")).size(), 2u);
  }
}

TEST_F(ExecTest, OneToManyMapperFeedsLaterOpsAndBalancesTheLedger) {
  // Chunks inherit the parent's fields, stats and provenance; a later dedup (run as a stage)
  // and filter see them as samples; the ledger counts the produced samples.
  WriteFile(dir_.File("in.jsonl"),
            "{\"text\": \"alpha beta\\n\\nshort\\n\\nalpha beta\", \"id\": 1}\n"
            "{\"text\": \"   \", \"id\": 2}\n{\"text\": \"gamma delta\", \"id\": 3}\n");
  for (auto [np, batch] : {std::pair{1, 1}, {2, 1000}}) {
    auto r = RunYaml(Recipe(dir_.File("in.jsonl"),
                            "  - text_length_filter: {min_len: 1}\n  - text_chunk_mapper:\n"
                            "  - document_deduplicator:\n  - words_num_filter: {min_num: 2}\n",
                            "keep_stats_in_res_ds: true\n"),
                     {{"np", std::to_string(np)}, {"batch_size", std::to_string(batch)}});
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_TRUE(r->Balanced());
    EXPECT_EQ(r->Produced(), 2);  // 3 chunks from the first sample, 0 from the blank one
    const OpCounts& chunk = r->rows[2].counts;
    EXPECT_EQ(chunk.in, 3u);
    EXPECT_EQ(chunk.kept, 4u);
    EXPECT_EQ(chunk.dropped, 1u);
    EXPECT_EQ(r->rows[3].counts.dropped, 1u);  // the repeated "alpha beta" chunk
    EXPECT_EQ(r->rows[4].counts.dropped, 1u);  // "short" (a text_len filter would reuse the
                                               // inherited stat, as in DJ)
    auto out = Parsed(dir_.File("out/out.jsonl"));
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].Find("text")->as_string(), "alpha beta");
    EXPECT_EQ(out[0].Find("id")->as_number(), 1);
    EXPECT_EQ(out[0].Find("__dj__stats__")->Find("text_len")->as_number(), 29);  // the parent's stat
    EXPECT_EQ(out[1].Find("text")->as_string(), "gamma delta");
    auto d = Parsed(dir_.File("out/dropped.jsonl"));
    ASSERT_EQ(d.size(), 3u);
    EXPECT_EQ(d[0].Find("reason")->as_string(), "produced no samples");
  }
}

// DJ's tracer: the first trace_num changed samples per mapper and dropped samples per filter,
// in input order, identical for any np and batch size; a sample a streaming dedup removed never
// reaches (so never appears in the trace of) a later filter.
TEST(Tracer, FirstTraceNumPerOpInInputOrderForAnyParallelism) {
  TempDir dir;
  std::string in;
  for (int i = 0; i < 40; ++i) {
    std::string text = i % 5 == 0 ? "dup" : (i % 3 == 0 ? "x\\u3000" + std::to_string(i) : "sample number " + std::to_string(i));
    in += "{\"id\": " + std::to_string(i) + ", \"text\": \"" + text + "\"}\n";
  }
  WriteFile(dir.File("in.jsonl"), in);
  auto run = [&](const std::string& name, int np, int batch) {
    auto l = RunYaml("dataset_path: " + dir.File("in.jsonl") + "\nexport_path: " + dir.File(name + "/out.jsonl") +
                     "\nwork_dir: " + dir.File(name) + "\nopen_tracer: true\ntrace_num: 4\nnp: " +
                     std::to_string(np) + "\nbatch_size: " + std::to_string(batch) +
                     "\nprocess:\n  - whitespace_normalization_mapper:\n  - document_deduplicator:\n"
                     "  - text_length_filter: {min_len: 5}\n");
    EXPECT_TRUE(l.ok()) << l.status().message();
  };
  run("a", 1, 1);
  run("b", 2, 3);
  run("c", 2, 1000);
  std::string mapper = ReadFile(dir.File("a/trace/mapper-whitespace_normalization_mapper.jsonl"));
  std::string filter = ReadFile(dir.File("a/trace/filter-text_length_filter.jsonl"));
  for (const char* other : {"b", "c"}) {
    EXPECT_EQ(ReadFile(dir.File(std::string(other) + "/trace/mapper-whitespace_normalization_mapper.jsonl")), mapper);
    EXPECT_EQ(ReadFile(dir.File(std::string(other) + "/trace/filter-text_length_filter.jsonl")), filter);
  }
  auto lines = ReadLines(dir.File("a/trace/mapper-whitespace_normalization_mapper.jsonl"));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "{\"original text\": \"x\u30003\", \"processed_text\": \"x 3\"}");
  // Dropped by text_length_filter: the first "dup" (id 0) and the short "x <i>" rows (3, 6, 9, ...);
  // later "dup"s were removed by the dedup before the filter, so they are not traced there.
  auto dropped = ReadLines(dir.File("a/trace/filter-text_length_filter.jsonl"));
  ASSERT_EQ(dropped.size(), 4u);
  EXPECT_NE(dropped[0].find("\"id\": 0"), std::string::npos) << dropped[0];
  EXPECT_NE(dropped[1].find("\"id\": 3"), std::string::npos) << dropped[1];
  EXPECT_NE(dropped[2].find("\"id\": 6"), std::string::npos) << dropped[2];
  EXPECT_NE(dropped[3].find("\"id\": 9"), std::string::npos) << dropped[3];
  // The traced dedup runs as a whole-dataset stage and writes its first duplicate pairs; the
  // kept output is the same as with the tracer off (streaming dedup).
  auto dups = ReadLines(dir.File("a/trace/duplicate-document_deduplicator.jsonl"));
  ASSERT_EQ(dups.size(), 4u);
  EXPECT_EQ(dups[0].rfind("{\"dup1\": {\"id\": 0, ", 0), 0u) << dups[0];
  EXPECT_NE(dups[0].find("\"dup2\": {\"id\": 5, "), std::string::npos) << dups[0];
  EXPECT_EQ(ReadFile(dir.File("b/trace/duplicate-document_deduplicator.jsonl")),
            ReadFile(dir.File("a/trace/duplicate-document_deduplicator.jsonl")));
  auto plain = RunYaml("dataset_path: " + dir.File("in.jsonl") + "\nexport_path: " + dir.File("p/out.jsonl") +
                       "\nwork_dir: " + dir.File("p") +
                       "\nprocess:\n  - whitespace_normalization_mapper:\n  - document_deduplicator:\n"
                       "  - text_length_filter: {min_len: 5}\n");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(ReadFile(dir.File("p/out.jsonl")), ReadFile(dir.File("a/out.jsonl")));
}

}  // namespace
}  // namespace winnow::testing
