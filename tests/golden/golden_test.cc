// Data-driven golden tests: tests/golden/ops/<op>.jsonl, one case per line
//   {"name", "params", "inputs": [...], "expect": {"kept", "texts", "samples", "stats", "num_kept",
//   "quarantined"}[, "recipe"]}   ("samples": whole kept records, minus __dj__stats__)
// or "expect": {"recipe_error": "<substring>"} for params Winnow rejects at load time.
// A param string may contain "@GOLDEN_DIR@": the absolute path of tests/golden (for case data
// such as user-supplied word lists under tests/golden/assets/). Inputs may contain it too (media
// paths), and "@DJ_MEDIA@": Data-Juicer's test media in ../shared/data/dj-media (the case is
// skipped when that directory is absent).
// Expectations come from Data-Juicer's own unit tests and from running DJ's op code (dj-reference).
// Each case runs through the real executor three ways (1 thread/batch 1, 2 threads/default
// batches, 2 threads/batch 3): results must match the expectation and be byte-identical.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "test_support.h"
#include "winnow/core/json.h"

namespace winnow::testing {
namespace {
namespace fs = std::filesystem;

struct GoldenCase {
  std::string file, name;
  int line = 0;
  json::Value value;
};

void PrintTo(const GoldenCase& c, std::ostream* os) { *os << c.file << ":" << c.line << " " << c.name; }

std::vector<GoldenCase> LoadCases() {
  std::vector<GoldenCase> cases;
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(SourcePath("tests/golden/ops")))
    if (e.path().extension() == ".jsonl") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    int ln = 0;
    for (const auto& line : ReadLines(f)) {
      ++ln;
      if (line.empty() || line[0] == '#') continue;
      auto v = json::Parse(line);
      GoldenCase c;
      c.file = f;
      c.line = ln;
      if (!v.ok()) {
        c.name = "unparsable: " + v.status().message();
      } else {
        c.value = *v;
        const json::Value* n = v->Find("name");
        c.name = n ? n->as_string() : "case";
      }
      cases.push_back(std::move(c));
    }
  }
  return cases;
}

struct CaseOutput {
  std::vector<int> kept;
  std::vector<json::Value> kept_samples;
  std::map<int, json::Value> stats;  // input index -> __dj__stats__
  std::set<int> quarantined;
  std::string out_bytes;
  std::string error;
};

int GoldenId(const json::Value& sample) {
  const json::Value* id = sample.Find("__golden_id");
  return id ? static_cast<int>(id->as_number()) : -1;
}

std::string GoldenDir() { return std::string(WINNOW_SOURCE_DIR) + "/tests/golden"; }
std::string DjMediaDir() { return std::string(WINNOW_SOURCE_DIR) + "/../shared/data/dj-media"; }

CaseOutput RunCase(const json::Value& c, int np, int batch) {
  CaseOutput res;
  TempDir dir;
  std::string in;
  const auto& inputs = c.Find("inputs")->as_array();
  for (size_t i = 0; i < inputs.size(); ++i) {
    auto obj = inputs[i].as_object();
    // Inputs may bring their own ids (batched samples for naive_reverse_grouper carry a list).
    if (!inputs[i].Find("__golden_id")) obj.emplace_back("__golden_id", json::Value::Number(static_cast<double>(i), true));
    in += json::Value::Object(obj).ToJson() + "\n";
  }
  for (const auto& [slot, dir_path] : {std::pair<std::string, std::string>{"@GOLDEN_DIR@", GoldenDir()},
                                       {"@DJ_MEDIA@", DjMediaDir()}})
    for (size_t at; (at = in.find(slot)) != std::string::npos;) in.replace(at, slot.size(), dir_path);
  WriteFile(dir.File("in.jsonl"), in);
  const json::Value* params = c.Find("params");
  std::string op = fs::path(c.Find("__file")->as_string()).stem().string();
  std::string yaml = "dataset_path: " + dir.File("in.jsonl") + "\nexport_path: " + dir.File("out/out.jsonl") +
                     "\nnp: " + std::to_string(np) + "\nbatch_size: " + std::to_string(batch) +
                     "\nkeep_stats_in_res_ds: true\nexport_dropped: " + dir.File("out/dropped.jsonl") + "\n";
  if (const json::Value* r = c.Find("recipe"))
    for (const auto& [k, v] : r->as_object()) yaml += k + ": " + v.ToJson() + "\n";
  // "@GOLDEN_DIR@" in params names files the cases bring along (word lists, models).
  std::string params_json = params ? params->ToJson() : "null";
  const std::string golden_dir = std::string(WINNOW_SOURCE_DIR) + "/tests/golden";
  for (size_t at; (at = params_json.find("@GOLDEN_DIR@")) != std::string::npos;)
    params_json.replace(at, 12, golden_dir);
  yaml += "process:\n  - " + op + ": " + params_json + "\n";
  auto ledger = RunYaml(yaml);
  if (!ledger.ok()) {
    res.error = ledger.status().message();
    return res;
  }
  res.out_bytes = ReadFile(dir.File("out/out.jsonl"));
  for (const auto& line : ReadLines(dir.File("out/out.jsonl"))) {
    auto v = json::Parse(line);
    if (!v.ok()) { res.error = "output line does not parse: " + line; return res; }
    int id = GoldenId(*v);
    res.kept.push_back(id);
    if (const json::Value* st = v->Find("__dj__stats__")) res.stats[id] = *st;
    res.kept_samples.push_back(*v);
  }
  for (const auto& line : ReadLines(dir.File("out/dropped.jsonl"))) {
    auto v = json::Parse(line);
    if (!v.ok()) continue;
    const json::Value* s = v->Find("sample");
    if (!s) continue;
    int id = GoldenId(*s);
    if (const json::Value* st = s->Find("__dj__stats__")) res.stats[id] = *st;
    else if (const json::Value* st2 = v->Find("stats")) res.stats[id] = *st2;
  }
  for (const auto& line : ReadLines(dir.File("out/quarantine.jsonl"))) {
    auto v = json::Parse(line);
    if (!v.ok()) continue;
    if (const json::Value* s = v->Find("sample")) res.quarantined.insert(GoldenId(*s));
  }
  return res;
}

bool NumbersClose(double a, double b) {
  if (a == b) return true;
  return std::fabs(a - b) <= 1e-9 * std::max(std::fabs(a), std::fabs(b));
}

class GoldenTest : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenTest, MatchesDataJuicer) {
  GoldenCase gc = GetParam();
  ASSERT_EQ(gc.value.type(), json::Type::kObject) << gc.file << ":" << gc.line << ": " << gc.name;
  auto obj = gc.value.as_object();
  obj.emplace_back("__file", json::Value::String(gc.file));
  json::Value c = json::Value::Object(obj);
  SCOPED_TRACE(gc.file + ":" + std::to_string(gc.line) + " " + gc.name);
  const json::Value& expect = *c.Find("expect");
  if (c.Find("inputs")->ToJson().find("@DJ_MEDIA@") != std::string::npos && !fs::is_directory(DjMediaDir()))
    GTEST_SKIP() << "Data-Juicer's test media (" << DjMediaDir() << ") are not here";

  CaseOutput a = RunCase(c, 1, 1);
  if (const json::Value* re = expect.Find("recipe_error")) {
    // Winnow rejects the recipe before reading data (where DJ would fail on every sample).
    EXPECT_NE(a.error.find(re->as_string()), std::string::npos) << a.error;
    return;
  }
  ASSERT_EQ(a.error, "");
  CaseOutput b = RunCase(c, 2, 1000);
  CaseOutput d = RunCase(c, 2, 3);
  EXPECT_EQ(a.out_bytes, b.out_bytes) << "output differs between np=1/batch=1 and np=2/batch=1000";
  EXPECT_EQ(a.out_bytes, d.out_bytes) << "output differs between np=1/batch=1 and np=2/batch=3";

  if (const json::Value* kept = expect.Find("kept")) {
    std::vector<int> want;
    for (const auto& v : kept->as_array()) want.push_back(static_cast<int>(v.as_number()));
    EXPECT_EQ(a.kept, want);
  }
  if (const json::Value* n = expect.Find("num_kept")) {
    EXPECT_EQ(a.kept.size(), static_cast<size_t>(n->as_number()));
  }
  if (const json::Value* texts = expect.Find("texts")) {
    std::string key = "text";
    if (const json::Value* r = c.Find("recipe"))
      if (const json::Value* tk = r->Find("text_keys"))
        key = tk->type() == json::Type::kArray ? tk->as_array()[0].as_string() : tk->as_string();
    if (const json::Value* p = c.Find("params"))
      if (const json::Value* tk = p->Find("text_key")) key = tk->as_string();
    ASSERT_EQ(texts->as_array().size(), a.kept_samples.size());
    for (size_t i = 0; i < a.kept_samples.size(); ++i) {
      const json::Value* t = a.kept_samples[i].Find(key);
      ASSERT_NE(t, nullptr);
      EXPECT_EQ(t->as_string(), texts->as_array()[i].as_string()) << "output #" << i;
    }
  }
  if (const json::Value* stats = expect.Find("stats")) {
    const auto& per_input = stats->as_array();
    for (size_t i = 0; i < per_input.size(); ++i) {
      if (per_input[i].is_null()) continue;
      for (const auto& [k, want] : per_input[i].as_object()) {
        auto it = a.stats.find(static_cast<int>(i));
        ASSERT_NE(it, a.stats.end()) << "no stats for input #" << i;
        const json::Value* got = it->second.Find(k);
        ASSERT_NE(got, nullptr) << "input #" << i << " lacks stat " << k;
        if (want.type() == json::Type::kNumber && got->type() == json::Type::kNumber)
          EXPECT_TRUE(NumbersClose(got->as_number(), want.as_number()))
              << "input #" << i << " " << k << ": got " << got->ToJson() << ", want " << want.ToJson();
        else
          EXPECT_TRUE(got->PyEquals(want)) << "input #" << i << " " << k << ": got " << got->ToJson() << ", want "
                                           << want.ToJson();
      }
    }
  }
  if (const json::Value* samples = expect.Find("samples")) {
    // Whole kept samples (fields other ops write, e.g. __dj__meta__), compared as JSON values.
    ASSERT_EQ(samples->as_array().size(), a.kept_samples.size());
    for (size_t i = 0; i < a.kept_samples.size(); ++i) {
      std::vector<std::pair<std::string, json::Value>> got;
      for (const auto& [k, v] : a.kept_samples[i].as_object())
        if (k != "__golden_id" && k != "__dj__stats__") got.emplace_back(k, v);
      json::Value want_v = samples->as_array()[i];
      std::vector<std::pair<std::string, json::Value>> want;
      for (const auto& [k, v] : want_v.as_object())
        if (k != "__dj__stats__") want.emplace_back(k, v);
      EXPECT_TRUE(json::Value::Object(got).PyEquals(json::Value::Object(want)))
          << "output #" << i << ": got " << json::Value::Object(got).ToJson() << "\nwant "
          << json::Value::Object(want).ToJson();
    }
  }
  if (const json::Value* q = expect.Find("quarantined")) {
    std::set<int> want;
    for (const auto& v : q->as_array()) want.insert(static_cast<int>(v.as_number()));
    EXPECT_EQ(a.quarantined, want);
  }
}

std::string CaseName(const ::testing::TestParamInfo<GoldenCase>& info) {
  std::string s = fs::path(info.param.file).stem().string() + "_L" + std::to_string(info.param.line);
  for (char& ch : s) if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return s;
}

INSTANTIATE_TEST_SUITE_P(Ops, GoldenTest, ::testing::ValuesIn(LoadCases()), CaseName);

// Every registered op has a golden file.
TEST(GoldenCoverage, EveryOpHasGoldenCases) {
  for (const auto& op : Registry::Builtin().ops())
    EXPECT_TRUE(Exists(SourcePath("tests/golden/ops/" + op.name + ".jsonl"))) << op.name;
}

}  // namespace
}  // namespace winnow::testing
