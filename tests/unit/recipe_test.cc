#include <gtest/gtest.h>

#include "test_support.h"
#include "winnow/recipe/recipe.h"

namespace winnow::testing {
namespace {

class RecipeTest : public ::testing::Test {
 protected:
  void SetUp() override { WriteFile(dir_.File("in.jsonl"), "{\"text\": \"hello\"}\n"); }
  std::string Head() { return "dataset_path: " + dir_.File("in.jsonl") + "\nexport_path: " + dir_.File("o.jsonl") + "\n"; }
  Status Load(const std::string& body) { return LoadRecipeFromString(Head() + body, "r.yaml", {}).status(); }
  TempDir dir_;
};

TEST_F(RecipeTest, ValidRecipeFillsDefaultsAndKeys) {
  auto r = LoadRecipeFromString(Head() + "np: 3\ntext_keys: content\nprocess:\n  - text_length_filter:\n"
                                "  - words_num_filter: {min_num: 5}\n", "r.yaml", {});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->np, 3);
  EXPECT_EQ(r->text_keys, std::vector<std::string>{"content"});
  ASSERT_EQ(r->process.size(), 2u);
  EXPECT_EQ(r->process[0].params.Number("min_len"), 10);
  EXPECT_EQ(r->process[1].params.Number("min_num"), 5);
  EXPECT_EQ(r->process[1].line, 7);
  EXPECT_EQ(r->inputs.size(), 1u);
}

TEST_F(RecipeTest, AllErrorsAreReportedTogetherWithLocations) {
  Status st = Load(
      "np: 0\n"
      "process:\n"
      "  - text_lenght_filter:\n"
      "  - words_num_filter: {min_nun: 5}\n"
      "  - character_repetition_filter: {rep_len: 'ten'}\n"
      "  - random_selector: {select_ratio: 1.5}\n"
      "  - character_repetition_filter: {rep_len: 0}\n"
      "exprot_path: x\n");
  ASSERT_FALSE(st.ok());
  const std::string& m = st.message();
  EXPECT_NE(m.find("7 error(s)"), std::string::npos) << m;
  EXPECT_NE(m.find("r.yaml:3:1: np: value 0 out of range"), std::string::npos) << m;
  EXPECT_NE(m.find("r.yaml:5:5: unknown operator 'text_lenght_filter' (did you mean 'text_length_filter'?)"),
            std::string::npos) << m;
  EXPECT_NE(m.find("r.yaml:6:5: words_num_filter: unknown param 'min_nun' (did you mean 'min_num'?)"),
            std::string::npos) << m;
  EXPECT_NE(m.find("character_repetition_filter.rep_len: expected int, got string \"ten\""), std::string::npos) << m;
  EXPECT_NE(m.find("random_selector.select_ratio: value 1.5 out of range: must be <= 1"), std::string::npos) << m;
  EXPECT_NE(m.find("rep_len: value 0 out of range: must be > 0"), std::string::npos) << m;
  EXPECT_NE(m.find("unknown recipe key 'exprot_path' (did you mean 'export_path'?)"), std::string::npos) << m;
}

TEST_F(RecipeTest, UnimplementedDataJuicerKeysAreWarnings) {
  auto r = LoadRecipeFromString(Head() + "use_cache: true\nopen_monitor: false\nexecutor_type: ray\n", "r.yaml", {});
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->warnings.size(), 3u);
  EXPECT_NE(r->warnings[0].find("'use_cache' is not implemented"), std::string::npos);
  EXPECT_NE(r->warnings[2].find("executor_type"), std::string::npos);
  // The tracer keys are implemented: no warning, and their values are read.
  r = LoadRecipeFromString(Head() + "open_tracer: true\ntrace_num: 3\nop_list_to_trace: [clean_email_mapper]\n", "r.yaml",
                           {});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->warnings.empty());
  EXPECT_TRUE(r->open_tracer);
  EXPECT_EQ(r->trace_num, 3);
  ASSERT_EQ(r->op_list_to_trace.size(), 1u);
  EXPECT_FALSE(LoadRecipeFromString(Head() + "op_list_to_trace: clean_email_mapper\n", "r.yaml", {}).ok());
}

TEST_F(RecipeTest, UnsupportedModesAreClearErrors) {
  Status st = Load("process:\n  - words_num_filter: {tokenization: true, model_dir: /nonexistent}\n");
  EXPECT_NE(st.message().find("tokenization: true needs the SentencePiece model en.sp.model in /nonexistent"),
            std::string::npos) << st.message();
  st = Load("process:\n  - alphanumeric_filter: {tokenization: true}\n");
  EXPECT_NE(st.message().find("tokenization: true is not supported yet"), std::string::npos) << st.message();
  st = Load("process:\n  - clean_email_mapper: {pattern: '(unclosed'}\n");
  EXPECT_NE(st.message().find("invalid regular expression"), std::string::npos) << st.message();
  st = Load("process:\n  - clean_email_mapper: {repl: '\\2'}\n");
  EXPECT_NE(st.message().find("invalid group reference"), std::string::npos) << st.message();
}

TEST_F(RecipeTest, DataJuicerOpsWinnowLacksAreNamedWithAReason) {
  Status st = Load("process:\n  - python_lambda_mapper: {lambda_str: 'lambda s: s'}\n");
  EXPECT_NE(st.message().find("Data-Juicer operator 'python_lambda_mapper' is not supported by Winnow: it runs user Python code"),
            std::string::npos) << st.message();
  st = Load("process:\n  - text_action_filter:\n");
  EXPECT_NE(st.message().find("needs spaCy models"), std::string::npos) << st.message();
  st = Load("process:\n  - image_captioning_mapper:\n");
  EXPECT_NE(st.message().find("model-backed multimodal operators are not implemented yet"), std::string::npos)
      << st.message();
  st = Load("process:\n  - no_such_mapper:\n");
  EXPECT_NE(st.message().find("unknown operator 'no_such_mapper'"), std::string::npos) << st.message();
}

TEST_F(RecipeTest, InputAndOutputProblems) {
  Status st = LoadRecipeFromString("export_path: o.parquet\n", "r.yaml", {}).status();
  EXPECT_NE(st.message().find("dataset_path is required"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("parquet export is not supported yet"), std::string::npos) << st.message();
  st = LoadRecipeFromString("dataset_path: /nonexistent/x.jsonl\n", "r.yaml", {}).status();
  EXPECT_NE(st.message().find("'/nonexistent/x.jsonl' does not exist"), std::string::npos) << st.message();
  st = LoadRecipeFromString("dataset_path: [unclosed\n", "r.yaml", {}).status();
  EXPECT_NE(st.message().find("YAML syntax error"), std::string::npos) << st.message();
  st = LoadRecipeFromString("", "r.yaml", {}).status();
  EXPECT_NE(st.message().find("empty"), std::string::npos) << st.message();
}

TEST_F(RecipeTest, CommandLineOverridesWin) {
  auto r = LoadRecipeFromString(Head() + "np: 2\n", "r.yaml", {{"np", "5"}, {"keep_stats_in_res_ds", "true"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->np, 5);
  EXPECT_TRUE(r->keep_stats_in_res_ds);
  auto bad = LoadRecipeFromString(Head(), "r.yaml", {{"np", "many"}});
  EXPECT_NE(bad.status().message().find("--np: np: expected an integer"), std::string::npos) << bad.status().message();
}

TEST_F(RecipeTest, WeightedDirectoryAndGlobDatasetPaths) {
  WriteFile(dir_.File("d/a.jsonl"), "{\"text\": \"a\"}\n");
  WriteFile(dir_.File("d/sub/b.jsonl.gz"), "");
  WriteFile(dir_.File("d/notes.txt"), "x");
  auto r = LoadRecipeFromString("dataset_path: '0.5 " + dir_.File("d") + " 2 " + dir_.File("in.jsonl") + "'\n",
                                "r.yaml", {});
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->inputs.size(), 3u);
  EXPECT_EQ(r->inputs[0].weight, 0.5);
  EXPECT_EQ(r->inputs[2].weight, 2.0);
  auto g = LoadRecipeFromString("dataset_path: " + dir_.File("d/*.jsonl") + "\n", "r.yaml", {});
  ASSERT_TRUE(g.ok()) << g.status().message();
  EXPECT_EQ(g->inputs.size(), 1u);
}

}  // namespace
}  // namespace winnow::testing
