// Bad models, word lists and inputs for the issue-3 ops: each is a clear error naming the file
// (at recipe load, before any data is read) or a quarantined sample with the reason; nothing is
// lost and nothing crashes.
#include <gtest/gtest.h>

#include "test_support.h"

namespace winnow::testing {
namespace {

class CatalogBadInput : public ::testing::Test {
 protected:
  Status Load(const std::string& process) {
    WriteFile(dir_.File("in.jsonl"), "{\"text\": \"hello world\"}\n");
    return RunYaml("dataset_path: " + dir_.File("in.jsonl") + "\nexport_path: " + dir_.File("out/out.jsonl") +
                   "\nprocess:\n" + process)
        .status();
  }
  TempDir dir_;
};

TEST_F(CatalogBadInput, WordListsThatDoNotParseNameTheFile) {
  std::string lists = dir_.File("lists");
  WriteFile(lists + "/stopwords.json", "{\"en\": [\"the\", ");  // truncated
  Status st = Load("  - stopwords_filter: {stopwords_dir: " + lists + "}\n");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find(lists + "/stopwords.json"), std::string::npos) << st.message();
  WriteFile(lists + "/stopwords.json", "{\"en\": \"the\"}");
  st = Load("  - stopwords_filter: {stopwords_dir: " + lists + "}\n");
  EXPECT_NE(st.message().find("is not a list of words"), std::string::npos) << st.message();
  WriteFile(lists + "/stopwords.json", "[\"the\"]");
  st = Load("  - stopwords_filter: {stopwords_dir: " + lists + "}\n");
  EXPECT_NE(st.message().find("expected a JSON object"), std::string::npos) << st.message();
  st = Load("  - flagged_words_filter: {flagged_words_dir: " + dir_.File("none") + "}\n");
  EXPECT_NE(st.message().find("does not exist"), std::string::npos) << st.message();
}

TEST_F(CatalogBadInput, CorruptModelsAreLoadErrors) {
  std::string models = dir_.File("models");
  WriteFile(models + "/en.sp.model", "this is not a SentencePiece model");
  WriteFile(models + "/en.arpa", "\\data\\\nngram 1=1\n\n\\1-grams:\n-1.0\t<unk>\n\\end\\\n");
  Status st = Load("  - perplexity_filter: {model_dir: " + models + "}\n");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("cannot load SentencePiece model '" + models + "/en.sp.model'"), std::string::npos)
      << st.message();
  st = Load("  - words_num_filter: {tokenization: true, model_dir: " + models + "}\n");
  EXPECT_NE(st.message().find("en.sp.model"), std::string::npos) << st.message();
  st = Load("  - document_minhash_deduplicator: {tokenization: sentencepiece, tokenizer_model: " + models +
            "/missing.model}\n");
  EXPECT_NE(st.message().find("missing.model"), std::string::npos) << st.message();
  st = Load("  - chinese_convert_mapper: {mode: s2x}\n");
  EXPECT_NE(st.message().find("mode 's2x' is not one of"), std::string::npos) << st.message();
  st = Load("  - gopher_quality_filter: {version: '2023'}\n");
  EXPECT_NE(st.message().find("version '2023' is not one of"), std::string::npos) << st.message();
}

TEST_F(CatalogBadInput, SamplesOpsCannotHandleAreQuarantinedWithTheReason) {
  WriteFile(dir_.File("in.jsonl"),
            "{\"text\": \"<table><tr><td>a</td></tr></table>\", \"__dj__meta__\": \"not an object\"}\n"
            "{\"text\": \"a batch\", \"n\": 3}\n"
            "{\"text\": \"short\"}\n"
            "{\"text\": \"<table><tr><td>ok</td></tr></table>\"}\n");
  auto run = [&](const std::string& op) {
    return RunYaml("dataset_path: " + dir_.File("in.jsonl") + "\nexport_path: " + dir_.File("out/" + op + ".jsonl") +
                   "\nwork_dir: " + dir_.File(op) + "\nprocess:\n  - " + op + ":\n");
  };
  auto t = run("extract_tables_from_html_mapper");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->quarantined, 1u);
  EXPECT_EQ(t->output_records, 3u);
  EXPECT_NE(ReadFile(dir_.File("extract_tables_from_html_mapper/quarantine.jsonl")).find("__dj__meta__ is not an object"),
            std::string::npos);
  // Records that are not batches: every field must be a list.
  auto g = run("naive_reverse_grouper");
  ASSERT_TRUE(g.ok()) << g.status().message();
  EXPECT_EQ(g->quarantined, 4u);
  EXPECT_NE(ReadFile(dir_.File("naive_reverse_grouper/quarantine.jsonl")).find("is not a list"), std::string::npos);
  // Fewer tokens than window_size: no MinHash (DJ fails on them too).
  auto m = run("document_minhash_deduplicator");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->quarantined, 4u);
  EXPECT_NE(ReadFile(dir_.File("document_minhash_deduplicator/quarantine.jsonl")).find("fewer than window_size=5"),
            std::string::npos);
}

}  // namespace
}  // namespace winnow::testing
