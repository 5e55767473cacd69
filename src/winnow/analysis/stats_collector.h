// Collects the stat values workers captured (StatBatch), in input order, into per-column stores
// with bounded memory, and computes what `winnow analyze` and the report show: DJ's overall
// describe() per stat (exact), histograms and box-plot numbers, Pearson correlations, the input
// length distribution, would-drop counts, suggested thresholds and example samples.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "winnow/analysis/stat_capture.h"
#include "winnow/analysis/value_store.h"
#include "winnow/core/status.h"

namespace winnow::analysis {

// One stat column: a stat key written by one op of the recipe.
struct ColumnSpec {
  std::string key;  // DJ's stats column name
  std::string op;
  size_t op_index = 0;  // in the recipe
  // The op's thresholds on this stat, when they are known (min_*/max_* params).
  std::optional<double> min, max;
  std::string min_param, max_param;
};

struct Histogram {
  std::vector<double> edges;           // bins + 1
  std::vector<uint64_t> kept, dropped;  // per bin (dropped: by this column's op)
  uint64_t below = 0, above = 0;        // values outside [edges.front(), edges.back()]
};

struct NumericSummary {
  uint64_t count = 0;
  double mean = 0, std = 0, min = 0, max = 0;
  std::vector<std::pair<double, double>> percentiles;  // (q, value), q ascending
};

struct BoxStats {
  double q1 = 0, median = 0, q3 = 0, whisker_low = 0, whisker_high = 0;
  std::vector<double> outliers;  // the first kMaxOutliers beyond the whiskers, in input order
  uint64_t outlier_count = 0;
};

struct ColumnResult {
  ColumnSpec spec;
  enum Type { kEmpty, kNumeric, kString } type = kEmpty;
  uint64_t evaluated = 0, dropped = 0;  // samples the op evaluated / dropped (analyze: would drop)
  uint64_t mixed_skipped = 0;           // values of the other type (a string among numbers ...)
  // numeric
  NumericSummary num;
  Histogram hist;      // the report's (about 40 bins; long tails clipped into below/above)
  Histogram dj_hist;   // DJ's analyzer bins: max(sqrt(n), 10) over [min, max] (capped at 200)
  BoxStats box;
  double k_sigma_min = 0, k_sigma_max = 0, q_low = 0, q_high = 0;  // suggested thresholds
  // string
  uint64_t count = 0, unique = 0, freq = 0;
  bool unique_exact = true;
  std::string top;
  std::vector<std::tuple<std::string, uint64_t, uint64_t>> categories;  // value, kept, dropped
};

struct OpExamples {
  std::vector<std::string> kept, dropped, changed;  // JSON objects (see ExampleRecord)
};

struct AnalysisResult {
  std::vector<double> percentiles;  // DJ's defaults plus the recipe's, sorted, unique
  std::vector<ColumnResult> columns;
  std::vector<size_t> corr_columns;           // indexes into columns (numeric ones)
  std::vector<std::vector<double>> corr;      // Pearson; NaN where undefined
  NumericSummary input_length;
  Histogram input_length_hist;
  std::vector<uint64_t> would_drop;  // per recipe op: samples whose first (would-)drop is there
  std::vector<OpExamples> examples;  // per recipe op
};

inline constexpr double kSuggestSigma = 3.0;           // mean +- k sigma (DJ sandbox style)
inline constexpr double kSuggestQuantileLow = 0.01;    // quantile-based suggestion
inline constexpr double kSuggestQuantileHigh = 0.99;
inline constexpr size_t kMaxOutliers = 1000;
inline constexpr size_t kMaxCategories = 100000;      // distinct strings tracked per column

class StatsCollector {
 public:
  // `spill_dir`: where columns spill their values (work_dir); `n_ops`: ops in the recipe.
  StatsCollector(std::vector<ColumnSpec> specs, size_t n_ops, std::string spill_dir, size_t example_num);
  ~StatsCollector();

  // Adds one committed batch of a stage whose first op is recipe op `first_op`. `stops`: for
  // stages with a streaming dedup, the stage op each trace was removed at (else max), so cells
  // and examples of ops the sample never really reached are skipped.
  Status Add(const StatBatch& b, size_t first_op, const std::vector<uint32_t>* stops);

  Result<AnalysisResult> Finish(const std::vector<double>& extra_percentiles);

 private:
  struct Category { uint64_t kept = 0, dropped = 0, first = 0; };
  struct Column;
  struct PairMoments { double n = 0, mx = 0, my = 0, cxx = 0, cyy = 0, cxy = 0; };

  std::vector<ColumnSpec> specs_;
  std::vector<std::unique_ptr<Column>> columns_;
  size_t n_ops_;
  std::string spill_dir_;
  size_t example_num_;
  std::unique_ptr<ValueStore> input_lengths_;
  std::vector<PairMoments> pairs_;  // upper triangle, numeric columns by spec index
  std::vector<uint64_t> would_drop_;
  std::vector<OpExamples> examples_;
  // per-row scratch
  std::vector<double> row_sum_;
  std::vector<uint32_t> row_cnt_;
  std::vector<uint64_t> row_seen_;  // per column: the last row counted (evaluated / dropped)
  uint64_t row_no_ = 0;
};

// pandas' labels for describe() percentiles: "25%", "33.3%", ...
std::vector<std::string> PercentileLabels(const std::vector<double>& qs);

}  // namespace winnow::analysis
