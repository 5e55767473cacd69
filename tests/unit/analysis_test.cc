// The analysis layer: exact column statistics (in memory and spilled), pandas-compatible
// describe() numbers and labels, the collector (correlations, strings, would-drop counts,
// streaming-dedup skips), overall.csv / overall.md layout, thresholds and the report data.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>

#include "winnow/analysis/analysis_files.h"
#include "winnow/analysis/report.h"
#include "winnow/analysis/stats_collector.h"
#include "winnow/analysis/thresholds.h"
#include "winnow/analysis/value_store.h"
#include "winnow/core/json.h"

namespace winnow::analysis {
namespace {
namespace fs = std::filesystem;

std::string TempDir(const std::string& name) {
  fs::path p = fs::temp_directory_path() / ("winnow_analysis_" + std::to_string(::getpid()) + "_" + name);
  fs::create_directories(p);
  return p.string();
}

double Golden(int i) { return ((i * 7919) % 1000) / 7.0 - 50; }

// pandas 1.5.3 (with bottleneck, as in DJ's environment) on the same 20,000 values:
// Series(v).describe(percentiles=[0.1, 0.333, 0.9]).
void ExpectPandasNumbers(const ValueStore& s) {
  ASSERT_EQ(s.size(), 20000u);
  EXPECT_EQ(*s.Mean(), 21.357142857142854);
  EXPECT_EQ(*s.Std(), 41.24031534323002);
  std::vector<double> sorted;
  ASSERT_TRUE(s.ForEach([&](const double* p, size_t n) { sorted.insert(sorted.end(), p, p + n); }).ok());
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(LinearPercentile(sorted, 0.1), -35.72857142857141);
  EXPECT_EQ(LinearPercentile(sorted, 0.333), -2.476142857142805);
  EXPECT_EQ(LinearPercentile(sorted, 0.5), 21.35714285714286);
  EXPECT_EQ(LinearPercentile(sorted, 0.9), 78.44285714285745);
}

TEST(ValueStore, MatchesPandasInMemoryAndSpilled) {
  std::string dir = TempDir("store");
  ValueStore mem(dir + "/mem.f64");
  ValueStore spilled(dir + "/spill.f64", /*block_values=*/1000, /*load_limit=*/300);
  for (int i = 0; i < 20000; ++i) {
    ASSERT_TRUE(mem.Add(Golden(i)).ok());
    ASSERT_TRUE(spilled.Add(Golden(i)).ok());
  }
  EXPECT_FALSE(mem.spilled());
  EXPECT_TRUE(spilled.spilled());
  EXPECT_TRUE(fs::exists(dir + "/spill.f64"));
  ExpectPandasNumbers(mem);
  ExpectPandasNumbers(spilled);
  fs::remove_all(dir);
}

TEST(ValueStore, RadixRanksAreExact) {
  // Negative values, -0.0, duplicates and huge magnitudes; the load limit forces several
  // refinement passes over the spill file.
  std::string dir = TempDir("ranks");
  ValueStore s(dir + "/r.f64", 512, 64);
  std::mt19937_64 rng(7);
  std::vector<double> all;
  for (int i = 0; i < 30000; ++i) {
    double v;
    switch (i % 5) {
      case 0: v = std::uniform_real_distribution<double>(-1e6, 1e6)(rng); break;
      case 1: v = static_cast<double>(rng() % 50); break;  // many duplicates
      case 2: v = -0.0; break;
      case 3: v = std::ldexp(1.0, static_cast<int>(rng() % 600) - 300); break;
      default: v = -std::ldexp(1.0, static_cast<int>(rng() % 600) - 300); break;
    }
    all.push_back(v);
    ASSERT_TRUE(s.Add(v).ok());
  }
  ASSERT_TRUE(s.Add(std::nan("")).ok());  // not stored
  EXPECT_EQ(s.size(), all.size());
  std::sort(all.begin(), all.end());
  std::vector<uint64_t> ranks = {0, 1, 777, 6000, 14999, 15000, 22222, 29998, 29999};
  auto got = s.AtRanks(ranks);
  ASSERT_TRUE(got.ok());
  for (size_t i = 0; i < ranks.size(); ++i) EXPECT_EQ((*got)[i], all[ranks[i]]) << "rank " << ranks[i];
  fs::remove_all(dir);
}

TEST(ValueStore, NumpyLerpAndRanks) {
  uint64_t lo, hi;
  double g;
  PercentileRanks(5, 0.25, &lo, &hi, &g);
  EXPECT_EQ(lo, 1u);
  EXPECT_EQ(hi, 2u);
  EXPECT_EQ(g, 0.0);
  PercentileRanks(1, 0.9, &lo, &hi, &g);
  EXPECT_EQ(lo, 0u);
  EXPECT_EQ(hi, 0u);
  EXPECT_EQ(NumpyLerp(1, 3, 0.5), 2);
  EXPECT_EQ(LinearPercentile({1, 2, 3, 4}, 0.5), 2.5);
  EXPECT_TRUE(std::isnan(LinearPercentile({}, 0.5)));
}

TEST(PercentileLabels, FollowPandas) {
  using V = std::vector<std::string>;
  EXPECT_EQ(PercentileLabels({0.25, 0.5, 0.75}), (V{"25%", "50%", "75%"}));
  EXPECT_EQ(PercentileLabels({0.1, 0.25, 0.333, 0.5, 0.75, 0.9}), (V{"10%", "25%", "33.3%", "50%", "75%", "90%"}));
  // pandas' own docstring example.
  EXPECT_EQ(PercentileLabels({0.01999, 0.02001, 0.5, 0.666666, 0.9999}),
            (V{"1.999%", "2.001%", "50%", "66.667%", "99.99%"}));
}

// A batch builder for collector tests.
struct BatchBuilder {
  StatBatch b;
  uint32_t trace = 0;
  void Num(uint32_t col, uint32_t op, double v, bool dropped = false) {
    StatValue s;
    s.kind = StatValue::kDouble;
    s.d = v;
    b.AddValue(col, op, dropped, s);
  }
  void Raw(uint32_t col, uint32_t op, std::string raw, bool dropped = false) {
    StatValue s;
    s.kind = StatValue::kRaw;
    s.raw = std::move(raw);
    b.AddValue(col, op, dropped, s);
  }
  void End() { b.EndRow(trace++); }
};

std::vector<ColumnSpec> Specs() {
  std::vector<ColumnSpec> s(4);
  s[0].key = "x"; s[0].op = "f0"; s[0].op_index = 0;
  s[1].key = "y"; s[1].op = "f1"; s[1].op_index = 1;
  s[2].key = "lang"; s[2].op = "f2"; s[2].op_index = 2;
  s[3].key = "z"; s[3].op = "f2"; s[3].op_index = 2;
  return s;
}

TEST(StatsCollector, SummariesCorrelationsStringsAndWouldDrop) {
  std::string dir = TempDir("collector");
  StatsCollector c(Specs(), 3, dir, 2);
  BatchBuilder bb;
  const char* langs[] = {"\"en\"", "\"zh\"", "\"en\"", "\"fr\"", "\"en\""};
  for (int i = 0; i < 5; ++i) {
    bb.Num(0, 0, i, /*dropped=*/i == 4);        // x = i, f0 would drop the last
    bb.Num(1, 1, 2 * i + 1, /*dropped=*/i < 2);  // y = 2x + 1: correlation 1
    bb.Raw(2, 2, langs[i]);
    bb.Num(3, 2, 10 - i);                        // z = 10 - x: correlation -1
    bb.End();
  }
  bb.b.examples.push_back({0, 0, ExampleRecord::kKept, "{\"a\": 1}"});
  bb.b.examples.push_back({0, 1, ExampleRecord::kKept, "{\"a\": 2}"});
  bb.b.examples.push_back({0, 2, ExampleRecord::kKept, "{\"a\": 3}"});  // beyond example_num = 2
  ASSERT_TRUE(c.Add(bb.b, 0, nullptr).ok());
  auto r = c.Finish({});
  ASSERT_TRUE(r.ok()) << r.status().message();
  const ColumnResult& x = r->columns[0];
  EXPECT_EQ(x.type, ColumnResult::kNumeric);
  EXPECT_EQ(x.num.count, 5u);
  EXPECT_EQ(x.num.mean, 2.0);
  EXPECT_DOUBLE_EQ(x.num.std, std::sqrt(2.5));
  EXPECT_EQ(x.num.min, 0);
  EXPECT_EQ(x.num.max, 4);
  EXPECT_EQ(x.evaluated, 5u);
  EXPECT_EQ(x.dropped, 1u);
  const ColumnResult& lang = r->columns[2];
  EXPECT_EQ(lang.type, ColumnResult::kString);
  EXPECT_EQ(lang.count, 5u);
  EXPECT_EQ(lang.unique, 3u);
  EXPECT_EQ(lang.top, "en");
  EXPECT_EQ(lang.freq, 3u);
  // Correlation among the numeric columns x, y, z.
  ASSERT_EQ(r->corr_columns, (std::vector<size_t>{0, 1, 3}));
  EXPECT_NEAR(r->corr[0][1], 1.0, 1e-12);
  EXPECT_NEAR(r->corr[0][2], -1.0, 1e-12);
  EXPECT_NEAR(r->corr[1][2], -1.0, 1e-12);
  // Would-drop in order: rows 0 and 1 first fail f1; row 4 first fails f0.
  EXPECT_EQ(r->would_drop, (std::vector<uint64_t>{1, 2, 0}));
  EXPECT_EQ(r->examples[0].kept, (std::vector<std::string>{"{\"a\": 1}", "{\"a\": 2}"}));
  // The report's histogram splits kept and dropped.
  uint64_t kept = 0, dropped = 0;
  for (size_t b = 0; b < x.hist.kept.size(); ++b) kept += x.hist.kept[b], dropped += x.hist.dropped[b];
  EXPECT_EQ(kept + x.hist.below + x.hist.above, 4u);
  EXPECT_EQ(dropped, 1u);
  fs::remove_all(dir);
}

TEST(StatsCollector, SkipsWhatAStreamingDedupRemoved) {
  std::string dir = TempDir("stops");
  StatsCollector c(Specs(), 3, dir, 5);
  BatchBuilder bb;
  for (int i = 0; i < 3; ++i) {
    bb.Num(0, 0, i);
    bb.Num(1, 2, 100 + i);  // op 2 of the stage: after a streaming dedup at op 1
    bb.End();
  }
  bb.b.examples.push_back({2, 1, ExampleRecord::kKept, "{\"removed\": true}"});
  std::vector<uint32_t> stops = {UINT32_MAX, 1, UINT32_MAX};  // trace 1 removed at op 1
  ASSERT_TRUE(c.Add(bb.b, 0, &stops).ok());
  auto r = c.Finish({});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->columns[0].num.count, 3u);
  EXPECT_EQ(r->columns[1].num.count, 2u);
  EXPECT_EQ(r->columns[1].num.mean, 101.0);
  EXPECT_TRUE(r->examples[2].kept.empty());
  fs::remove_all(dir);
}

TEST(StatsCollector, ListStatsAreExploded) {
  std::string dir = TempDir("lists");
  StatsCollector c(Specs(), 3, dir, 0);
  BatchBuilder bb;
  bb.Raw(0, 0, "[1, 2, 3]");
  bb.End();
  bb.Raw(0, 0, "[]");
  bb.End();
  bb.Raw(0, 0, "[10]");
  bb.End();
  ASSERT_TRUE(c.Add(bb.b, 0, nullptr).ok());
  auto r = c.Finish({});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->columns[0].num.count, 4u);
  EXPECT_EQ(r->columns[0].num.mean, 4.0);
  fs::remove_all(dir);
}

TEST(OverallFiles, CsvLayoutWithStringAndNumericColumns) {
  std::string dir = TempDir("overall");
  StatsCollector c(Specs(), 3, dir, 0);
  BatchBuilder bb;
  bb.Raw(2, 2, "\"en\"");
  bb.Num(0, 0, 1.5);
  bb.End();
  bb.Raw(2, 2, "\"a,b\"");
  bb.Num(0, 0, 2.5);
  bb.End();
  ASSERT_TRUE(c.Add(bb.b, 0, nullptr).ok());
  auto r = c.Finish({0.1});
  ASSERT_TRUE(r.ok());
  // Columns in spec order (x before lang); describe()'s labels in pandas' union order; with a
  // numeric column the string column's integers print as floats; commas are quoted.
  EXPECT_EQ(OverallCsv(*r),
            ",x,lang\n"
            "count,2.0,2.0\n"
            "mean,2.0,\n"
            "std,0.7071067811865476,\n"
            "min,1.5,\n"
            "10%,1.6,\n"
            "25%,1.75,\n"
            "50%,2.0,\n"
            "75%,2.25,\n"
            "max,2.5,\n"
            "unique,,2.0\n"
            "top,,en\n"
            "freq,,1.0\n");
  // What pandas' DataFrame.to_markdown() (tabulate) prints for the same table.
  EXPECT_EQ(OverallMarkdown(*r),
            "|        |          x | lang   |\n"
            "|:-------|-----------:|:-------|\n"
            "| count  |   2        | 2.0    |\n"
            "| mean   |   2        | nan    |\n"
            "| std    |   0.707107 | nan    |\n"
            "| min    |   1.5      | nan    |\n"
            "| 10%    |   1.6      | nan    |\n"
            "| 25%    |   1.75     | nan    |\n"
            "| 50%    |   2        | nan    |\n"
            "| 75%    |   2.25     | nan    |\n"
            "| max    |   2.5      | nan    |\n"
            "| unique | nan        | 2.0    |\n"
            "| top    | nan        | en     |\n"
            "| freq   | nan        | 1.0    |");
  std::vector<std::string> written;
  ASSERT_TRUE(WriteAnalysisFiles(*r, dir + "/analysis", false, &written).ok());
  for (const char* f : {"overall.csv", "overall.md", "x-hist.png", "x-box.png", "lang-hist.png"})
    EXPECT_TRUE(fs::exists(dir + "/analysis/" + f)) << f;
  written.clear();
  ASSERT_TRUE(WriteAnalysisFiles(*r, dir + "/one", true, &written).ok());
  EXPECT_TRUE(fs::exists(dir + "/one/all-stats.png"));
  EXPECT_FALSE(fs::exists(dir + "/one/x-hist.png"));
  fs::remove_all(dir);
}

TEST(Thresholds, FromMinMaxParams) {
  Params p;
  p.Set("min_len", json::Value::Number(10, true));
  p.Set("max_len", json::Value::Number(kPyMaxSize, true));
  ColumnSpec s;
  FindThresholds(p, "text_len", 1, &s);
  EXPECT_EQ(s.min, 10);
  EXPECT_FALSE(s.max.has_value());  // sys.maxsize: unbounded, but still the param to suggest for
  EXPECT_EQ(s.max_param, "max_len");
  // Several stat keys: a param bounds the key sharing its word.
  Params q;
  q.Set("min_score", json::Value::Number(0.8, false));
  ColumnSpec lang, score;
  FindThresholds(q, "lang", 2, &lang);
  FindThresholds(q, "lang_score", 2, &score);
  EXPECT_FALSE(lang.min.has_value());
  EXPECT_EQ(score.min, 0.8);
}

TEST(Report, RenderEscapesScriptEndInData) {
  auto page = RenderReport("{\"t\": \"</script><!--x\"}", "var echarts = 1;");
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_EQ(page->find("</script><!--x"), std::string::npos);
  EXPECT_NE(page->find("<\\/script>\\u003c!--x"), std::string::npos);
  EXPECT_NE(page->find("var echarts = 1;"), std::string::npos);
  EXPECT_EQ(page->find("/*WINNOW_DATA*/"), std::string::npos);
}

}  // namespace
}  // namespace winnow::analysis
