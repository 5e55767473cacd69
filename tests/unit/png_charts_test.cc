// PNG chart writers: files are read back with Cairo and checked pixel by pixel for the bars, the red
// marker lines and the heatmap colours; degenerate inputs must still give a valid chart.
#include "winnow/analysis/png_charts.h"

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include <unistd.h>

namespace winnow::analysis {
namespace {

namespace fs = std::filesystem;
constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

struct Px {
  int r, g, b;
};

// A PNG read back into memory; empty (width 0) when it cannot be decoded.
class Image {
 public:
  explicit Image(const fs::path& path) {
    cairo_surface_t* s = cairo_image_surface_create_from_png(path.c_str());
    if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS) {
      cairo_surface_flush(s);
      width_ = cairo_image_surface_get_width(s);
      height_ = cairo_image_surface_get_height(s);
      const int stride = cairo_image_surface_get_stride(s);
      const unsigned char* data = cairo_image_surface_get_data(s);
      for (int y = 0; y < height_; ++y) {
        const auto* row = reinterpret_cast<const uint32_t*>(data + y * stride);
        pixels_.insert(pixels_.end(), row, row + width_);
      }
    }
    cairo_surface_destroy(s);
  }
  int width() const { return width_; }
  int height() const { return height_; }
  Px at(int x, int y) const {
    const uint32_t v = pixels_[static_cast<size_t>(y) * width_ + x];  // opaque, so no premultiply
    return {static_cast<int>((v >> 16) & 0xff), static_cast<int>((v >> 8) & 0xff), static_cast<int>(v & 0xff)};
  }
  template <typename Pred>
  int CountIf(Pred pred) const {
    int n = 0;
    for (int y = 0; y < height_; ++y) {
      for (int x = 0; x < width_; ++x) n += pred(at(x, y)) ? 1 : 0;
    }
    return n;
  }

 private:
  int width_ = 0, height_ = 0;
  std::vector<uint32_t> pixels_;
};

// Cairo's font caches and fontconfig's configuration live for the whole process; LeakSanitizer
// (WINNOW_SANITIZE builds) reports them unless they are released once all tests are done.
class ReleaseFontData : public ::testing::Environment {
 public:
  void TearDown() override {
    cairo_debug_reset_static_data();
    FcFini();
  }
};
[[maybe_unused]] ::testing::Environment* const kReleaseFontData =
    ::testing::AddGlobalTestEnvironment(new ReleaseFontData);

bool Near(Px p, int r, int g, int b, int tol = 6) {
  return std::abs(p.r - r) <= tol && std::abs(p.g - g) <= tol && std::abs(p.b - b) <= tol;
}
bool IsBar(Px p) { return Near(p, 70, 130, 180); }  // steelblue
bool IsWhite(Px p) { return Near(p, 255, 255, 255, 0); }
bool IsRed(Px p) { return p.r > 180 && p.g < 90 && p.b < 90; }
bool IsBoxFill(Px p) { return Near(p, 176, 196, 222); }

std::string ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class PngChartsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("winnow_png_" + std::to_string(::getpid()) + "_" + info->name());
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string File(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

// One tall bin among short ones; a red line at 7.5 must sit 2.5 bin widths right of the tall
// bin's left edge, which is measured from the image (so the test does not hard-code the layout).
TEST_F(PngChartsTest, HistogramDrawsBarsAndRedLineAtValue) {
  HistogramChart h;
  h.title = "text_len";
  h.xlabel = "text_len";
  for (int i = 0; i <= 10; ++i) h.edges.push_back(i);
  h.counts.assign(10, 1);
  h.counts[5] = 100;
  h.lines = {{"p75", 7.5}};
  const std::string path = File("hist.png");
  ASSERT_TRUE(WriteHistogramPng(path, h).ok());

  Image img(path);
  ASSERT_EQ(img.width(), kChartWidthPx);
  ASSERT_EQ(img.height(), kChartHeightPx);

  // The middle row crosses only the tall bar: one run of bar colour.
  const int row = img.height() / 2;
  int first = -1, last = -1, runs = 0;
  for (int x = 0; x < img.width(); ++x) {
    if (!IsBar(img.at(x, row))) continue;
    if (last != x - 1) ++runs;
    if (first < 0) first = x;
    last = x;
  }
  ASSERT_EQ(runs, 1);
  const double bin_px = last - first + 1;
  EXPECT_GT(bin_px, 30);  // 10 bins over ~700 px

  // Inside the bar is bar-coloured down to near the axis; just above its top is white.
  const int cx = (first + last) / 2;
  int top = row;
  while (top > 0 && IsBar(img.at(cx, top - 1))) --top;
  EXPECT_GT(top, 40);
  EXPECT_LT(top, 120);
  EXPECT_TRUE(IsWhite(img.at(cx, top - 4)));
  EXPECT_TRUE(IsBar(img.at(cx, row + 150)));
  // A short bar's column is white at the middle row.
  EXPECT_TRUE(IsWhite(img.at(static_cast<int>(first - 3 * bin_px), row)));

  // The column with the most red pixels is the dashed line.
  int best_x = -1, best_count = 0;
  for (int x = 0; x < img.width(); ++x) {
    int count = 0;
    for (int y = 0; y < img.height(); ++y) count += IsRed(img.at(x, y)) ? 1 : 0;
    if (count > best_count) best_count = count, best_x = x;
  }
  EXPECT_GT(best_count, 200);  // a dashed line over most of ~480 px of plot height
  EXPECT_NEAR(best_x, first + 2.5 * bin_px, 2.0);
}

TEST_F(PngChartsTest, BoxPlotDrawsBoxAndThresholdLine) {
  BoxChart b;
  b.title = "perplexity";
  b.ylabel = "perplexity";
  b.q1 = 2, b.median = 3, b.q3 = 5, b.whisker_low = 0, b.whisker_high = 8;
  b.outliers = {12, -3, kNan};
  b.lines = {{"max", 6}};
  const std::string path = File("box.png");
  ASSERT_TRUE(WriteBoxPng(path, b).ok());
  Image img(path);
  ASSERT_EQ(img.width(), kChartWidthPx);
  ASSERT_EQ(img.height(), kChartHeightPx);

  // Box fill extent in the box's column gives the pixels per unit (q3 - q1 = 3).
  int box_top = -1, box_bottom = -1, box_col = -1;
  for (int x = img.width() / 2 - 60; x < img.width() / 2 && box_col < 0; ++x) {
    for (int y = 0; y < img.height(); ++y) {
      if (!IsBoxFill(img.at(x, y))) continue;
      if (box_top < 0) box_top = y, box_col = x;
      box_bottom = y;
    }
  }
  ASSERT_GE(box_col, 0);
  const double unit_px = (box_bottom - box_top + 1) / 3.0;
  EXPECT_GT(unit_px, 15);

  // The red row with the most red pixels is the threshold, one unit above q3.
  int best_y = -1, best_count = 0;
  for (int y = 0; y < img.height(); ++y) {
    int count = 0;
    for (int x = 0; x < img.width(); ++x) count += IsRed(img.at(x, y)) ? 1 : 0;
    if (count > best_count) best_count = count, best_y = y;
  }
  EXPECT_GT(best_count, 300);
  EXPECT_NEAR(best_y, box_top - unit_px, 3.0);
}

TEST_F(PngChartsTest, BarChartKeepsAtMostFiftyBars) {
  BarChart b;
  b.title = "lang";
  b.xlabel = "lang";
  for (int i = 0; i < 200; ++i) {
    b.labels.push_back("language_code_" + std::to_string(i));
    b.counts.push_back(i < 60 ? 10 : 1);  // the 60 large ones compete for 50 slots
  }
  const std::string path = File("bars.png");
  ASSERT_TRUE(WriteBarPng(path, b).ok());
  Image img(path);
  ASSERT_EQ(img.width(), kChartWidthPx);
  ASSERT_EQ(img.height(), kChartHeightPx);
  // The middle row is above the rotated labels and crosses every (equally tall) kept bar.
  const int row = img.height() / 3;
  int runs = 0;
  for (int x = 1; x < img.width(); ++x) {
    if (IsBar(img.at(x, row)) && !IsBar(img.at(x - 1, row))) ++runs;
  }
  EXPECT_EQ(runs, kMaxBars);
}

TEST_F(PngChartsTest, BarChartFewCategories) {
  BarChart b;
  b.title = "lang";
  b.labels = {"en", "zh", "中文"};
  b.counts = {5, 3, 1};
  const std::string path = File("few.png");
  ASSERT_TRUE(WriteBarPng(path, b).ok());
  Image img(path);
  ASSERT_EQ(img.width(), kChartWidthPx);
  int runs = 0;
  const int row = img.height() - 75;  // just above the x axis: all three bars
  for (int x = 1; x < img.width(); ++x) {
    if (IsBar(img.at(x, row)) && !IsBar(img.at(x - 1, row))) ++runs;
  }
  EXPECT_EQ(runs, 3);
}

TEST_F(PngChartsTest, HeatmapScalesWithNAndColoursCells) {
  EXPECT_EQ(HeatmapSidePx(0), 200);
  EXPECT_EQ(HeatmapSidePx(2), 340);
  EXPECT_EQ(HeatmapSidePx(10), 900);
  EXPECT_EQ(HeatmapSidePx(1000), 3000);

  Heatmap m;
  m.title = "correlation";
  m.labels = {"a", "b"};
  m.values = {{1.0, kNan}, {kNan, -1.0}};
  const std::string path = File("heat2.png");
  ASSERT_TRUE(WriteHeatmapPng(path, m).ok());
  Image img(path);
  EXPECT_EQ(img.width(), HeatmapSidePx(2));
  EXPECT_EQ(img.height(), HeatmapSidePx(2));
  // Max value = darkest YlGn green, min = palest yellow, NaN = grey; each cell is ~70 x 70.
  EXPECT_GT(img.CountIf([](Px p) { return Near(p, 0, 69, 41, 2); }), 2000);
  EXPECT_GT(img.CountIf([](Px p) { return Near(p, 255, 255, 229, 2); }), 2000);
  EXPECT_GT(img.CountIf([](Px p) { return Near(p, 191, 191, 191, 2); }), 2 * 2000);

  Heatmap big;
  for (int i = 0; i < 5; ++i) {
    big.labels.push_back("col" + std::to_string(i));
    big.values.push_back(std::vector<double>(5, 0.1 * i));
  }
  const std::string big_path = File("heat5.png");
  ASSERT_TRUE(WriteHeatmapPng(big_path, big).ok());
  Image img5(big_path);
  EXPECT_EQ(img5.width(), HeatmapSidePx(5));
  EXPECT_GT(img5.width(), img.width());
}

TEST_F(PngChartsTest, UnwritablePathIsAnErrorNamingThePath) {
  const std::string path = File("no_such_dir/sub/chart.png");
  HistogramChart h{"t", "x", {0, 1}, {1}, {}};
  const Status st = WriteHistogramPng(path, h);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find(path), std::string::npos) << st.message();
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(WriteBoxPng(path, BoxChart{}).ok());
  EXPECT_FALSE(WriteBarPng(path, BarChart{}).ok());
  EXPECT_FALSE(WriteHeatmapPng(path, Heatmap{}).ok());
}

TEST_F(PngChartsTest, DegenerateInputsStillGiveValidCharts) {
  const std::string long_label(5000, 'x');
  const std::string bad_utf8 = "bad \xff\xfe utf8 \xE4\xB8 cut \xED\xA0\x80 surrogate\n\t newline";
  std::vector<HistogramChart> hists = {
      {},                                                       // empty
      {"one bin", "x", {3, 4}, {7}, {}},                        // single bin
      {"zeros", "x", {0, 1, 2}, {0, 0}, {{"p50", 1}}},          // all-zero counts
      {"min==max", "x", {5, 5}, {10}, {{"p50", 5}}},            // zero-width range
      {"nan", "x", {0, kNan, 2, kInf}, {kNan, 3, kInf}, {{"nan", kNan}, {"inf", -kInf}}},
      {long_label, bad_utf8, {0, 1}, {1, 2, 3}, {{long_label, 0.5}}},  // size mismatch, long labels
      {"huge", "x", {-1e308, 1e308}, {1e308}, {}},
      {"tiny span", "x", {1e16, 1e16 + 2}, {5}, {}},
  };
  int i = 0;
  for (const HistogramChart& h : hists) {
    SCOPED_TRACE("histogram " + std::to_string(i));
    const std::string path = File("h" + std::to_string(i++) + ".png");
    const Status st = WriteHistogramPng(path, h);
    ASSERT_TRUE(st.ok()) << st.message();
    Image img(path);
    EXPECT_EQ(img.width(), kChartWidthPx);
    EXPECT_EQ(img.height(), kChartHeightPx);
    EXPECT_GT(img.CountIf([](Px p) { return !IsWhite(p); }), 1000);  // axes were drawn
  }

  BoxChart all_nan;
  all_nan.q1 = all_nan.median = all_nan.q3 = all_nan.whisker_low = all_nan.whisker_high = kNan;
  all_nan.title = bad_utf8;
  BoxChart flat;  // all zeros
  flat.lines = {{long_label, 0}};
  for (const BoxChart& b : {all_nan, flat}) {
    const std::string path = File("b" + std::to_string(i++) + ".png");
    ASSERT_TRUE(WriteBoxPng(path, b).ok());
    EXPECT_EQ(Image(path).width(), kChartWidthPx);
  }

  BarChart empty_bars;
  BarChart odd_bars{long_label, bad_utf8, {bad_utf8, long_label}, {kNan, -3, kInf, 2}};
  BarChart zero_bars{"zeros", "x", {"a"}, {0}};
  for (const BarChart& b : {empty_bars, odd_bars, zero_bars}) {
    const std::string path = File("c" + std::to_string(i++) + ".png");
    ASSERT_TRUE(WriteBarPng(path, b).ok());
    EXPECT_EQ(Image(path).height(), kChartHeightPx);
  }

  Heatmap empty_map;
  Heatmap ragged{bad_utf8, {long_label, "b", "c"}, {{1}, {0.5, kInf, 2, 9}}};
  Heatmap constant{"c", {"a"}, {{1}}};
  Heatmap all_nan_map{"n", {"a", "b"}, {{kNan, kNan}, {kNan, kNan}}};
  for (const Heatmap& m : {empty_map, ragged, constant, all_nan_map}) {
    const std::string path = File("m" + std::to_string(i++) + ".png");
    ASSERT_TRUE(WriteHeatmapPng(path, m).ok());
    EXPECT_EQ(Image(path).width(), HeatmapSidePx(std::max(m.labels.size(), m.values.size())));
  }
}

TEST_F(PngChartsTest, SameInputGivesIdenticalBytes) {
  HistogramChart h{"title", "x", {0, 0.5, 1.25, 3}, {4, 9, 2}, {{"p25", 0.4}, {"p75", 1.5}}};
  ASSERT_TRUE(WriteHistogramPng(File("a.png"), h).ok());
  ASSERT_TRUE(WriteHistogramPng(File("b.png"), h).ok());
  const std::string a = ReadBytes(File("a.png"));
  EXPECT_GT(a.size(), 1000u);
  EXPECT_EQ(a, ReadBytes(File("b.png")));

  Heatmap m{"corr", {"x", "y", "z"}, {{1, 0.3, -0.2}, {0.3, 1, kNan}, {-0.2, kNan, 1}}};
  ASSERT_TRUE(WriteHeatmapPng(File("c.png"), m).ok());
  ASSERT_TRUE(WriteHeatmapPng(File("d.png"), m).ok());
  EXPECT_EQ(ReadBytes(File("c.png")), ReadBytes(File("d.png")));
}

}  // namespace
}  // namespace winnow::analysis
