// PNG charts for the analyzer (histogram, box plot, categorical bars, correlation heatmap), drawn
// with Cairo. They stand in for the matplotlib figures Data-Juicer's analyzer writes. Input may be
// degenerate (empty, NaN, huge labels, invalid UTF-8); the writers always produce a readable chart
// and only fail when the file cannot be written. Output is deterministic for a given input.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "winnow/core/status.h"

namespace winnow::analysis {

inline constexpr int kChartWidthPx = 800;   // histogram, box and bar charts
inline constexpr int kChartHeightPx = 600;
inline constexpr int kMaxBars = 50;          // a bar chart keeps at most this many categories

// A red marker line (a percentile or a threshold) drawn with "label: value" beside it.
struct ChartLine {
  std::string label;
  double value;
};

struct HistogramChart {
  std::string title;             // drawn at top
  std::string xlabel;            // x axis label; y axis label is "Count"
  std::vector<double> edges;     // bin edges, size = counts.size() + 1, increasing
  std::vector<double> counts;    // per bin
  std::vector<ChartLine> lines;  // vertical red lines
};
Status WriteHistogramPng(const std::string& path, const HistogramChart& h);

struct BoxChart {
  std::string title, ylabel;
  // matplotlib semantics (whiskers at the furthest data within 1.5 IQR of the box).
  double q1 = 0, median = 0, q3 = 0, whisker_low = 0, whisker_high = 0;
  std::vector<double> outliers;  // values beyond the whiskers (may be a capped sample)
  std::vector<ChartLine> lines;  // horizontal red lines
};
Status WriteBoxPng(const std::string& path, const BoxChart& b);

// Categorical counts (string stats such as a language code). With more than kMaxBars categories the
// kMaxBars largest counts are drawn, in their given order, and the x label says so.
struct BarChart {
  std::string title, xlabel;
  std::vector<std::string> labels;
  std::vector<double> counts;
};
Status WriteBarPng(const std::string& path, const BarChart& b);

// Correlation matrix, drawn with a yellow->green colormap, each cell annotated with its value.
struct Heatmap {
  std::string title;
  std::vector<std::string> labels;          // n labels
  std::vector<std::vector<double>> values;  // n x n, NaN = undefined (grey cell, text "nan")
  // Colormap range; NaN = take it from the finite values (use -1/1 to fix a correlation scale).
  double vmin = std::numeric_limits<double>::quiet_NaN();
  double vmax = std::numeric_limits<double>::quiet_NaN();
};
Status WriteHeatmapPng(const std::string& path, const Heatmap& m);

// Side length in pixels of the (square) heatmap image for n labels: 200 + 70 n, capped at 3000.
int HeatmapSidePx(size_t n);

}  // namespace winnow::analysis
