#include "winnow/analysis/stats_collector.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

#include "winnow/core/json.h"

namespace winnow::analysis {

struct StatsCollector::Column {
  ColumnResult::Type type = ColumnResult::kEmpty;
  std::unique_ptr<ValueStore> values, dropped_values;  // numeric
  std::unordered_map<std::string, Category> categories;  // string
  uint64_t other_kept = 0, other_dropped = 0;            // strings beyond kMaxCategories
  uint64_t strings = 0, evaluated = 0, dropped = 0, mixed = 0;
};

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string SpillName(const std::string& dir, const std::string& what) {
  return (std::filesystem::path(dir) / (".winnow-" + std::to_string(::getpid()) + "-" + what + ".f64")).string();
}

// Counts the values of `store` into `h` (edges set): `dropped` selects the counter.
Status CountInto(const ValueStore& store, Histogram* h, bool dropped) {
  const size_t bins = h->edges.size() - 1;
  const double lo = h->edges.front(), hi = h->edges.back();
  const double width = hi - lo;
  auto& counts = dropped ? h->dropped : h->kept;
  return store.ForEach([&](const double* p, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      double v = p[i];
      if (v < lo) { if (!dropped) ++h->below; continue; }
      if (v > hi) { if (!dropped) ++h->above; continue; }
      // numpy.histogram: equal-width bins, the last one closed on the right.
      size_t b = width > 0 ? static_cast<size_t>((v - lo) / width * static_cast<double>(bins)) : 0;
      if (b >= bins) b = bins - 1;
      ++counts[b];
    }
  });
}

Histogram MakeBins(double lo, double hi, size_t bins) {
  Histogram h;
  if (!(hi > lo)) {  // matplotlib widens a zero range by 0.5 on each side
    lo -= 0.5;
    hi += 0.5;
  }
  h.edges.resize(bins + 1);
  for (size_t i = 0; i <= bins; ++i) h.edges[i] = lo + (hi - lo) * static_cast<double>(i) / static_cast<double>(bins);
  h.edges.back() = hi;
  h.kept.assign(bins, 0);
  h.dropped.assign(bins, 0);
  return h;
}

// Values at quantiles q (numpy linear), from exact ranks.
Result<std::vector<double>> Quantiles(const ValueStore& s, const std::vector<double>& qs) {
  std::vector<uint64_t> ranks;
  std::vector<double> gammas;
  for (double q : qs) {
    uint64_t lo, hi;
    double g;
    PercentileRanks(s.size(), q, &lo, &hi, &g);
    ranks.push_back(lo);
    ranks.push_back(hi);
    gammas.push_back(g);
  }
  auto at = s.AtRanks(ranks);
  if (!at.ok()) return at.status();
  std::vector<double> out;
  for (size_t i = 0; i < qs.size(); ++i) out.push_back(NumpyLerp((*at)[2 * i], (*at)[2 * i + 1], gammas[i]));
  return out;
}

// The report's histogram range: [min, max], unless a long tail would squash the bulk into a few
// bins; then the 0.5% / 99.5% quantiles, with the tail counted as below / above (the page pins
// thresholds outside the range to its edge).
void ReportRange(double mn, double mx, double p_lo, double p_hi, double* lo, double* hi) {
  *lo = mn;
  *hi = mx;
  if (p_hi > p_lo && (mx - mn) > 10 * (p_hi - p_lo)) {
    *lo = p_lo;
    *hi = p_hi;
  }
}

}  // namespace

StatsCollector::StatsCollector(std::vector<ColumnSpec> specs, size_t n_ops, std::string spill_dir, size_t example_num)
    : specs_(std::move(specs)), n_ops_(n_ops), spill_dir_(std::move(spill_dir)), example_num_(example_num) {
  for (size_t i = 0; i < specs_.size(); ++i) columns_.push_back(std::make_unique<Column>());
  input_lengths_ = std::make_unique<ValueStore>(SpillName(spill_dir_, "input-length"));
  pairs_.resize(specs_.size() * specs_.size());
  would_drop_.assign(n_ops_, 0);
  examples_.resize(n_ops_);
  row_sum_.assign(specs_.size(), 0);
  row_cnt_.assign(specs_.size(), 0);
  row_seen_.assign(specs_.size(), ~uint64_t{0});
}

StatsCollector::~StatsCollector() = default;

Status StatsCollector::Add(const StatBatch& b, size_t first_op, const std::vector<uint32_t>* stops) {
  for (double len : b.input_lengths) WINNOW_RETURN_IF_ERROR(input_lengths_->Add(len));
  auto reached = [&](uint32_t trace, uint32_t op) {
    return !stops || trace >= stops->size() || (*stops)[trace] > op;
  };
  for (const ExampleRecord& e : b.examples) {
    if (!reached(e.trace, e.op)) continue;
    OpExamples& ex = examples_[first_op + e.op];
    auto& list = e.kind == ExampleRecord::kKept ? ex.kept : e.kind == ExampleRecord::kDropped ? ex.dropped : ex.changed;
    if (list.size() < example_num_) list.push_back(e.json);
  }
  size_t cell = 0;
  std::vector<uint32_t> touched;
  for (const StatRow& row : b.rows) {
    ++row_no_;
    touched.clear();
    uint32_t first_drop = std::numeric_limits<uint32_t>::max();
    for (; cell < row.cells_end; ++cell) {
      const StatCell& c = b.cells[cell];
      if (!reached(row.trace, c.op)) continue;
      Column& col = *columns_[c.column];
      if (row_seen_[c.column] != row_no_) {
        row_seen_[c.column] = row_no_;
        ++col.evaluated;
        if (c.dropped) {
          ++col.dropped;
          first_drop = std::min(first_drop, c.op);
        }
      }
      const bool is_string = c.kind == StatCell::kString || c.kind == StatCell::kListString;
      if (col.type == ColumnResult::kEmpty) {
        col.type = is_string ? ColumnResult::kString : ColumnResult::kNumeric;
        if (!is_string) {
          col.values = std::make_unique<ValueStore>(SpillName(spill_dir_, "stat" + std::to_string(c.column)));
          col.dropped_values = std::make_unique<ValueStore>(SpillName(spill_dir_, "stat" + std::to_string(c.column) + "-dropped"));
        }
      }
      if (is_string != (col.type == ColumnResult::kString)) {
        ++col.mixed;
        continue;
      }
      if (is_string) {
        ++col.strings;
        std::string v = b.strings.substr(c.str_off, c.str_len);
        auto it = col.categories.find(v);
        if (it == col.categories.end()) {
          if (col.categories.size() >= kMaxCategories) {
            ++(c.dropped ? col.other_dropped : col.other_kept);
            continue;
          }
          it = col.categories.emplace(std::move(v), Category{0, 0, col.strings}).first;
        }
        ++(c.dropped ? it->second.dropped : it->second.kept);
        continue;
      }
      if (std::isnan(c.number)) continue;
      WINNOW_RETURN_IF_ERROR(col.values->Add(c.number));
      if (c.dropped) WINNOW_RETURN_IF_ERROR(col.dropped_values->Add(c.number));
      // Correlations use one number per sample and column: a list's mean (DJ's analyzer).
      if (row_cnt_[c.column]++ == 0) touched.push_back(c.column);
      row_sum_[c.column] += c.number;
    }
    if (first_drop != std::numeric_limits<uint32_t>::max()) ++would_drop_[first_op + first_drop];
    // Pairwise co-moments (Welford) over the columns this row has.
    std::sort(touched.begin(), touched.end());
    const size_t n = specs_.size();
    for (size_t i = 0; i < touched.size(); ++i) {
      double x = row_sum_[touched[i]] / row_cnt_[touched[i]];
      for (size_t j = i + 1; j < touched.size(); ++j) {
        double y = row_sum_[touched[j]] / row_cnt_[touched[j]];
        PairMoments& p = pairs_[touched[i] * n + touched[j]];
        p.n += 1;
        double dx = x - p.mx;
        p.mx += dx / p.n;
        double dy = y - p.my;
        p.my += dy / p.n;
        p.cxx += dx * (x - p.mx);
        p.cyy += dy * (y - p.my);
        p.cxy += dx * (y - p.my);
      }
    }
    for (uint32_t t : touched) {
      row_sum_[t] = 0;
      row_cnt_[t] = 0;
    }
  }
  return Status::Ok();
}

std::vector<std::string> PercentileLabels(const std::vector<double>& qs) {
  std::vector<double> pct;
  for (double q : qs) pct.push_back(100 * q);
  auto is_int = [](double p) { return std::fabs(std::trunc(p) - p) <= 1e-8 + 1e-5 * std::fabs(p); };  // np.isclose
  bool all_int = std::all_of(pct.begin(), pct.end(), is_int);
  int prec = 1;
  if (!all_int) {
    std::vector<double> u = pct;
    std::sort(u.begin(), u.end());
    u.erase(std::unique(u.begin(), u.end()), u.end());
    std::vector<double> diffs;
    if (u.front() > 0) diffs.push_back(u.front());
    for (size_t i = 1; i < u.size(); ++i) diffs.push_back(u[i] - u[i - 1]);
    if (u.back() < 100) diffs.push_back(100 - u.back());
    double m = diffs.empty() ? 1 : *std::min_element(diffs.begin(), diffs.end());
    prec = std::max(1, static_cast<int>(-std::floor(std::log10(m))));
  }
  std::vector<std::string> out;
  for (double p : pct) {
    std::string s;
    if (is_int(p)) {
      s = std::to_string(static_cast<long long>(p));
    } else {
      double scale = std::pow(10.0, prec);
      json::AppendDouble(std::nearbyint(p * scale) / scale, &s);  // numpy round, then repr
    }
    out.push_back(s + "%");
  }
  return out;
}

Result<AnalysisResult> StatsCollector::Finish(const std::vector<double>& extra_percentiles) {
  AnalysisResult r;
  // DJ: list(set(percentiles + [0.25, 0.5, 0.75])); describe() sorts them.
  r.percentiles = {0.25, 0.5, 0.75};
  r.percentiles.insert(r.percentiles.end(), extra_percentiles.begin(), extra_percentiles.end());
  std::sort(r.percentiles.begin(), r.percentiles.end());
  r.percentiles.erase(std::unique(r.percentiles.begin(), r.percentiles.end()), r.percentiles.end());

  for (size_t ci = 0; ci < specs_.size(); ++ci) {
    Column& col = *columns_[ci];
    ColumnResult c;
    c.spec = specs_[ci];
    c.type = col.type;
    c.evaluated = col.evaluated;
    c.dropped = col.dropped;
    c.mixed_skipped = col.mixed;
    if (col.type == ColumnResult::kNumeric) {
      const ValueStore& s = *col.values;
      const uint64_t n = s.size();
      if (n == 0) {
        c.type = ColumnResult::kEmpty;
        r.columns.push_back(std::move(c));
        continue;
      }
      NumericSummary& sum = c.num;
      sum.count = n;
      auto mean = s.Mean();
      if (!mean.ok()) return mean.status();
      auto sd = s.Std();
      if (!sd.ok()) return sd.status();
      sum.mean = *mean;
      sum.std = *sd;
      // Every quantile needed: describe's, the box's, the report range's and the suggestions'.
      std::vector<double> qs = r.percentiles;
      const size_t k_box = qs.size();
      for (double q : {0.0, 1.0, 0.25, 0.5, 0.75, 0.005, 0.995, kSuggestQuantileLow, kSuggestQuantileHigh}) qs.push_back(q);
      auto v = Quantiles(s, qs);
      if (!v.ok()) return v.status();
      for (size_t i = 0; i < k_box; ++i) sum.percentiles.emplace_back(r.percentiles[i], (*v)[i]);
      sum.min = (*v)[k_box];
      sum.max = (*v)[k_box + 1];
      c.box.q1 = (*v)[k_box + 2];
      c.box.median = (*v)[k_box + 3];
      c.box.q3 = (*v)[k_box + 4];
      c.q_low = (*v)[k_box + 7];
      c.q_high = (*v)[k_box + 8];
      c.k_sigma_min = sum.mean - kSuggestSigma * sum.std;
      c.k_sigma_max = sum.mean + kSuggestSigma * sum.std;
      // Whiskers (matplotlib): the most extreme values within 1.5 IQR of the box.
      const double iqr = c.box.q3 - c.box.q1;
      const double wlo = c.box.q1 - 1.5 * iqr, whi = c.box.q3 + 1.5 * iqr;
      c.box.whisker_low = c.box.q1;
      c.box.whisker_high = c.box.q3;
      auto st = s.ForEach([&](const double* p, size_t m) {
        for (size_t i = 0; i < m; ++i) {
          double x = p[i];
          if (x >= wlo && x < c.box.whisker_low) c.box.whisker_low = x;
          if (x <= whi && x > c.box.whisker_high) c.box.whisker_high = x;
          if (x < wlo || x > whi) {
            ++c.box.outlier_count;
            if (c.box.outliers.size() < kMaxOutliers) c.box.outliers.push_back(x);
          }
        }
      });
      if (!st.ok()) return st;
      double lo, hi;
      ReportRange(sum.min, sum.max, (*v)[k_box + 5], (*v)[k_box + 6], &lo, &hi);
      c.hist = MakeBins(lo, hi, 40);
      size_t dj_bins = std::min<size_t>(200, std::max<size_t>(10, static_cast<size_t>(std::sqrt(static_cast<double>(n)))));
      c.dj_hist = MakeBins(sum.min, sum.max, dj_bins);
      WINNOW_RETURN_IF_ERROR(CountInto(s, &c.hist, false));
      WINNOW_RETURN_IF_ERROR(CountInto(s, &c.dj_hist, false));
      if (col.dropped_values->size() > 0) {
        WINNOW_RETURN_IF_ERROR(CountInto(*col.dropped_values, &c.hist, true));
        for (size_t b = 0; b < c.hist.kept.size(); ++b) c.hist.kept[b] -= c.hist.dropped[b];
      }
      col.values.reset();
      col.dropped_values.reset();
    } else if (col.type == ColumnResult::kString) {
      c.count = col.strings;
      c.unique = col.categories.size() + ((col.other_kept + col.other_dropped) > 0 ? 1 : 0);
      c.unique_exact = (col.other_kept + col.other_dropped) == 0;
      std::vector<std::pair<std::string, Category>> cats(col.categories.begin(), col.categories.end());
      // Most frequent first; ties in order of first appearance.
      std::sort(cats.begin(), cats.end(), [](const auto& a, const auto& b) {
        uint64_t na = a.second.kept + a.second.dropped, nb = b.second.kept + b.second.dropped;
        return na != nb ? na > nb : a.second.first < b.second.first;
      });
      if (!cats.empty()) {
        c.top = cats[0].first;
        c.freq = cats[0].second.kept + cats[0].second.dropped;
      }
      for (const auto& [name, cat] : cats) c.categories.emplace_back(name, cat.kept, cat.dropped);
      if (!c.unique_exact) c.categories.emplace_back("(other)", col.other_kept, col.other_dropped);
      col.categories.clear();
    }
    r.columns.push_back(std::move(c));
  }

  // Correlations between numeric columns (pairwise complete observations, as pandas).
  const size_t n = specs_.size();
  for (size_t i = 0; i < n; ++i)
    if (r.columns[i].type == ColumnResult::kNumeric) r.corr_columns.push_back(i);
  r.corr.assign(r.corr_columns.size(), std::vector<double>(r.corr_columns.size(), kNaN));
  for (size_t a = 0; a < r.corr_columns.size(); ++a) {
    for (size_t b = a; b < r.corr_columns.size(); ++b) {
      size_t i = r.corr_columns[a], j = r.corr_columns[b];
      double v;
      if (i == j) {
        v = r.columns[i].num.std > 0 ? 1.0 : kNaN;
      } else {
        const PairMoments& p = pairs_[std::min(i, j) * n + std::max(i, j)];
        v = (p.n > 1 && p.cxx > 0 && p.cyy > 0) ? p.cxy / std::sqrt(p.cxx * p.cyy) : kNaN;
        if (!std::isnan(v)) v = std::clamp(v, -1.0, 1.0);
      }
      r.corr[a][b] = r.corr[b][a] = v;
    }
  }

  // The input text length distribution.
  if (input_lengths_->size() > 0) {
    const ValueStore& s = *input_lengths_;
    r.input_length.count = s.size();
    auto mean = s.Mean();
    if (!mean.ok()) return mean.status();
    r.input_length.mean = *mean;
    auto sd = s.Std();
    if (!sd.ok()) return sd.status();
    r.input_length.std = *sd;
    auto v = Quantiles(s, {0.0, 0.25, 0.5, 0.75, 1.0, 0.995});
    if (!v.ok()) return v.status();
    r.input_length.min = (*v)[0];
    r.input_length.max = (*v)[4];
    r.input_length.percentiles = {{0.25, (*v)[1]}, {0.5, (*v)[2]}, {0.75, (*v)[3]}};
    double hi = (*v)[4] > 10 * (*v)[5] ? (*v)[5] : (*v)[4];
    r.input_length_hist = MakeBins((*v)[0], hi, 40);
    WINNOW_RETURN_IF_ERROR(CountInto(s, &r.input_length_hist, false));
  }
  r.would_drop = would_drop_;
  r.examples = examples_;
  return r;
}

}  // namespace winnow::analysis
