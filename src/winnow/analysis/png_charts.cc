// Cairo rendering of the analyzer's PNG charts (see png_charts.h). Layout follows matplotlib's
// defaults loosely: framed plot area, outward ticks at 1/2/5 x 10^k, 5% data margins.
#include "winnow/analysis/png_charts.h"

#include <cairo.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <string_view>
#include <utility>

namespace winnow::analysis {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr const char* kFontFace = "DejaVu Sans";
constexpr double kTitleFont = 16, kLabelFont = 13, kTickFont = 11;

struct Rgb {
  double r, g, b;
};
constexpr Rgb kBlack{0, 0, 0};
constexpr Rgb kWhite{1, 1, 1};
constexpr Rgb kBarColor{0.275, 0.510, 0.706};  // steelblue
constexpr Rgb kBoxFill{0.690, 0.769, 0.871};   // light steelblue
constexpr Rgb kMedian{1.0, 0.498, 0.055};      // matplotlib's orange median
constexpr Rgb kLineRed{0.85, 0.10, 0.10};
constexpr Rgb kNanGrey{0.75, 0.75, 0.75};
// matplotlib's YlGn (ColorBrewer, 9 classes), interpolated linearly.
constexpr Rgb kYlGn[] = {{1.000, 1.000, 0.898}, {0.969, 0.988, 0.725}, {0.851, 0.941, 0.639},
                         {0.678, 0.867, 0.557}, {0.471, 0.776, 0.475}, {0.255, 0.671, 0.365},
                         {0.137, 0.518, 0.263}, {0.000, 0.408, 0.216}, {0.000, 0.271, 0.161}};
constexpr int kYlGnStops = sizeof(kYlGn) / sizeof(kYlGn[0]);

Rgb YlGn(double t) {
  t = std::clamp(t, 0.0, 1.0) * (kYlGnStops - 1);
  const int i = std::min(static_cast<int>(t), kYlGnStops - 2);
  const double f = t - i;
  const Rgb& a = kYlGn[i];
  const Rgb& b = kYlGn[i + 1];
  return {a.r + (b.r - a.r) * f, a.g + (b.g - a.g) * f, a.b + (b.b - a.b) * f};
}

void SetColor(cairo_t* cr, Rgb c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

// Pixel centre for crisp 1 px horizontal/vertical lines.
double Snap(double v) { return std::floor(v) + 0.5; }

// ---- Text ------------------------------------------------------------------------------------

// Replaces invalid UTF-8 with U+FFFD and control characters with spaces, keeping at most
// max_codepoints: cairo's toy text API puts the whole context into an error state on an invalid
// string, which would silently blank everything drawn after it.
std::string SanitizeUtf8(std::string_view s, size_t max_codepoints) {
  std::string out;
  size_t i = 0;
  for (size_t count = 0; i < s.size() && count < max_codepoints; ++count) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out += (c < 0x20 || c == 0x7f) ? ' ' : static_cast<char>(c);
      ++i;
      continue;
    }
    size_t len = 0;
    uint32_t cp = 0, min_cp = 0;
    if ((c & 0xE0) == 0xC0) len = 2, cp = c & 0x1F, min_cp = 0x80;
    else if ((c & 0xF0) == 0xE0) len = 3, cp = c & 0x0F, min_cp = 0x800;
    else if ((c & 0xF8) == 0xF0) len = 4, cp = c & 0x07, min_cp = 0x10000;
    bool valid = len > 0 && i + len <= s.size();
    for (size_t k = 1; valid && k < len; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      valid = (d & 0xC0) == 0x80;
      cp = (cp << 6) | (d & 0x3F);
    }
    valid = valid && cp >= min_cp && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    if (!valid) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else if (cp < 0xA0) {  // C1 controls
      out += ' ';
      i += len;
    } else {
      out.append(s.substr(i, len));
      i += len;
    }
  }
  return out;
}

double TextWidth(cairo_t* cr, const std::string& s) {
  cairo_text_extents_t ext;
  cairo_text_extents(cr, s.c_str(), &ext);
  return ext.x_advance;
}

// Sanitized text that fits max_px at the current font size, cut with an ellipsis when needed.
std::string FitText(cairo_t* cr, std::string_view raw, double max_px) {
  // No chart is wide enough for more than a few hundred glyphs; the cap bounds measuring cost.
  std::string s = SanitizeUtf8(raw, 400);
  if (s.empty() || TextWidth(cr, s) <= max_px) return s;
  std::vector<size_t> cuts;  // byte offsets of codepoint starts
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) cuts.push_back(i);
  }
  static const std::string kEllipsis = "\xE2\x80\xA6";
  size_t lo = 0, hi = cuts.size() - 1;  // invariant: a cut at cuts[lo] fits (or lo == 0)
  while (lo < hi) {
    const size_t mid = (lo + hi + 1) / 2;
    if (TextWidth(cr, s.substr(0, cuts[mid]) + kEllipsis) <= max_px) lo = mid;
    else hi = mid - 1;
  }
  std::string out = s.substr(0, cuts[lo]) + kEllipsis;
  return (lo == 0 && TextWidth(cr, out) > max_px) ? std::string() : out;
}

// Draws text anchored at (x, y): halign 0 = left, 0.5 = centre, 1 = right; valign likewise from
// top to bottom, measured on the font's ascent/descent so rows of labels line up. The angle
// (radians, clockwise on screen) rotates around the anchor.
void DrawText(cairo_t* cr, const std::string& text, double x, double y, double size, double halign,
              double valign, double angle = 0, Rgb color = kBlack) {
  if (text.empty()) return;
  cairo_save(cr);
  cairo_set_font_size(cr, size);
  cairo_font_extents_t fe;
  cairo_font_extents(cr, &fe);
  cairo_translate(cr, x, y);
  cairo_rotate(cr, angle);
  const double height = fe.ascent + fe.descent;
  cairo_move_to(cr, -halign * TextWidth(cr, text), fe.ascent - valign * height);
  SetColor(cr, color);
  cairo_show_text(cr, text.c_str());
  cairo_restore(cr);
}

// Sets the font size, fits the text to max_px and draws it.
void DrawFitted(cairo_t* cr, std::string_view raw, double max_px, double x, double y, double size,
                double halign, double valign, double angle = 0, Rgb color = kBlack) {
  cairo_set_font_size(cr, size);
  DrawText(cr, FitText(cr, raw, max_px), x, y, size, halign, valign, angle, color);
}

void AppendNumber(std::string& out, double v, std::chars_format fmt, int precision) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), v, fmt, precision);
  if (res.ec == std::errc()) out.append(buf, res.ptr);
}

// Locale-independent formatting (snprintf would honour a decimal comma and break determinism).
std::string FormatFixed(double v, int decimals) {
  std::string out;
  if (std::isnan(v)) return "nan";
  if (std::abs(v) >= 1e9) AppendNumber(out, v, std::chars_format::general, 3);
  else AppendNumber(out, v, std::chars_format::fixed, decimals);
  return out;
}

// Value shown beside a marker line: two decimals, or three significant digits for tiny/huge values.
std::string FormatValue(double v) {
  std::string out;
  if (v != 0 && (std::abs(v) < 0.01 || std::abs(v) >= 1e6)) {
    AppendNumber(out, v, std::chars_format::general, 3);
  } else {
    AppendNumber(out, v, std::chars_format::fixed, 2);
  }
  return out;
}

std::string LineText(const ChartLine& line) {
  return line.label.empty() ? FormatValue(line.value) : line.label + ": " + FormatValue(line.value);
}

// ---- Scales and ticks ------------------------------------------------------------------------

struct Rect {
  double left, top, right, bottom;
  double width() const { return right - left; }
  double height() const { return bottom - top; }
};

struct Range {
  double lo, hi;
};

// Collects the finite values an axis must show and turns them into a usable range.
class RangeBuilder {
 public:
  void Add(double v) {
    if (!std::isfinite(v)) return;
    v = std::clamp(v, -1e300, 1e300);  // keeps hi - lo finite
    lo_ = std::min(lo_, v);
    hi_ = std::max(hi_, v);
  }
  // Pads by pad_frac of the span on each side; an empty range becomes [0, 1] and a zero-width (or
  // below double resolution) one is widened around its value so the axis still has ticks.
  Range Build(double pad_frac) const {
    if (lo_ > hi_) return {0, 1};
    double lo = lo_, hi = hi_;
    const double mag = std::max(std::abs(lo), std::abs(hi));
    if (hi - lo <= mag * 1e-9) {
      const double mid = lo + (hi - lo) / 2, half = std::max(0.5, mag * 1e-6);
      return {mid - half, mid + half};
    }
    const double pad = (hi - lo) * pad_frac;
    return {lo - pad, hi + pad};
  }

 private:
  double lo_ = INFINITY, hi_ = -INFINITY;
};

// Linear map from data to pixels; results are clamped so cairo's fixed-point math never overflows.
struct Scale {
  Range r;
  double p0, p1;  // pixel of r.lo and of r.hi
  double operator()(double v) const {
    return std::clamp(p0 + (v - r.lo) / (r.hi - r.lo) * (p1 - p0), -1e5, 1e5);
  }
};

struct Ticks {
  std::vector<double> values;
  std::vector<std::string> labels;
};

// Round ticks (1, 2 or 5 x 10^k) inside r, about target of them.
Ticks NiceTicks(Range r, int target) {
  Ticks t;
  const double raw = (r.hi - r.lo) / target;
  if (!(raw > 0) || !std::isfinite(raw)) return t;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / mag;
  const double step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
  const double first = std::ceil(r.lo / step - 1e-9);
  double max_abs = 0;
  // Multiplying (rather than accumulating) keeps ticks exact; the count bound guards against
  // ranges far below double resolution.
  for (int i = 0; i < 100; ++i) {
    double v = (first + i) * step;
    if (v > r.hi + step * 1e-9) break;
    if (std::abs(v) < step * 1e-9) v = 0;  // no "-0"
    t.values.push_back(v);
    max_abs = std::max(max_abs, std::abs(v));
  }
  const bool general = max_abs >= 1e7 || step < 1e-4;
  const int decimals = std::max(0, -static_cast<int>(std::floor(std::log10(step) + 1e-9)));
  // Enough significant digits to tell neighbouring ticks apart in scientific notation.
  const int digits = std::clamp(static_cast<int>(std::ceil(std::log10(max_abs / step + 1))) + 1, 1, 17);
  for (double v : t.values) {
    std::string s;
    AppendNumber(s, v, general ? std::chars_format::general : std::chars_format::fixed,
                 general ? digits : decimals);
    t.labels.push_back(std::move(s));
  }
  return t;
}

// ---- Shared chart furniture ------------------------------------------------------------------

// Owns the image surface and the drawing context of one chart.
class Canvas {
 public:
  Canvas(int width, int height)
      : surface_(cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height)),
        cr_(cairo_create(surface_)) {
    SetColor(cr_, kWhite);
    cairo_paint(cr_);
    cairo_select_font_face(cr_, kFontFace, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    // Fixed font options: output must not depend on the environment's defaults.
    cairo_font_options_t* fo = cairo_font_options_create();
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_SLIGHT);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_set_font_options(cr_, fo);
    cairo_font_options_destroy(fo);
    cairo_set_line_width(cr_, 1);
  }
  ~Canvas() {
    cairo_destroy(cr_);
    cairo_surface_destroy(surface_);
  }
  Canvas(const Canvas&) = delete;
  Canvas& operator=(const Canvas&) = delete;

  cairo_t* cr() const { return cr_; }

  Status WritePng(const std::string& path) {
    if (cairo_status(cr_) != CAIRO_STATUS_SUCCESS) {
      return Status::Error("cannot draw chart " + path + ": " + cairo_status_to_string(cairo_status(cr_)));
    }
    cairo_surface_flush(surface_);
    const cairo_status_t st = cairo_surface_write_to_png(surface_, path.c_str());
    if (st != CAIRO_STATUS_SUCCESS) {
      return Status::Error("cannot write PNG " + path + ": " + cairo_status_to_string(st));
    }
    return Status::Ok();
  }

 private:
  cairo_surface_t* surface_;
  cairo_t* cr_;
};

void DrawFrame(cairo_t* cr, const Rect& p) {
  SetColor(cr, kBlack);
  cairo_set_line_width(cr, 1);
  cairo_rectangle(cr, Snap(p.left), Snap(p.top), std::round(p.width()), std::round(p.height()));
  cairo_stroke(cr);
}

void DrawYTicks(cairo_t* cr, const Rect& p, const Scale& ys) {
  const Ticks t = NiceTicks(ys.r, 6);
  SetColor(cr, kBlack);
  for (size_t i = 0; i < t.values.size(); ++i) {
    const double y = Snap(ys(t.values[i]));
    cairo_move_to(cr, Snap(p.left), y);
    cairo_line_to(cr, Snap(p.left) - 5, y);
    cairo_stroke(cr);
    DrawFitted(cr, t.labels[i], p.left - 14, p.left - 8, y, kTickFont, 1, 0.5);
  }
}

void DrawXTicks(cairo_t* cr, const Rect& p, const Scale& xs) {
  const Ticks t = NiceTicks(xs.r, 8);
  SetColor(cr, kBlack);
  for (size_t i = 0; i < t.values.size(); ++i) {
    const double x = Snap(xs(t.values[i]));
    cairo_move_to(cr, x, Snap(p.bottom));
    cairo_line_to(cr, x, Snap(p.bottom) + 5);
    cairo_stroke(cr);
    DrawFitted(cr, t.labels[i], 90, x, p.bottom + 8, kTickFont, 0.5, 0);
  }
}

void DrawTitle(cairo_t* cr, int width, const std::string& title) {
  DrawFitted(cr, title, width - 20, width / 2.0, 15, kTitleFont, 0.5, 0);
}

void DrawXLabel(cairo_t* cr, int height, const Rect& p, const std::string& label) {
  DrawFitted(cr, label, p.width(), (p.left + p.right) / 2, height - 12, kLabelFont, 0.5, 1);
}

void DrawYLabel(cairo_t* cr, const Rect& p, const std::string& label) {
  DrawFitted(cr, label, p.height(), 12, (p.top + p.bottom) / 2, kLabelFont, 0.5, 0, -kPi / 2);
}

void ClipTo(cairo_t* cr, const Rect& p) {
  cairo_rectangle(cr, p.left, p.top, p.width(), p.height());
  cairo_clip(cr);
}

// Dashed red line from (x0, y0) to (x1, y1); callers pass snapped coordinates.
void DrawRedLine(cairo_t* cr, double x0, double y0, double x1, double y1) {
  cairo_save(cr);
  SetColor(cr, kLineRed);
  cairo_set_line_width(cr, 1.5);
  const double dashes[] = {6, 3};
  cairo_set_dash(cr, dashes, 2, 0);
  cairo_move_to(cr, x0, y0);
  cairo_line_to(cr, x1, y1);
  cairo_stroke(cr);
  cairo_restore(cr);
}

const Rect kDefaultPlot{80, 50, kChartWidthPx - 30.0, kChartHeightPx - 70.0};

}  // namespace

// ---- Histogram -------------------------------------------------------------------------------

Status WriteHistogramPng(const std::string& path, const HistogramChart& h) {
  Canvas canvas(kChartWidthPx, kChartHeightPx);
  cairo_t* cr = canvas.cr();
  const Rect p = kDefaultPlot;

  // Tolerate inconsistent sizes by drawing the bins both vectors describe.
  const size_t bins = h.edges.empty() ? 0 : std::min(h.counts.size(), h.edges.size() - 1);
  RangeBuilder xr;
  double max_count = 0;
  for (size_t i = 0; i < bins; ++i) {
    const double c = h.counts[i];
    if (!std::isfinite(c) || !std::isfinite(h.edges[i]) || !std::isfinite(h.edges[i + 1])) continue;
    xr.Add(h.edges[i]);
    xr.Add(h.edges[i + 1]);
    max_count = std::max(max_count, c);
  }
  for (const ChartLine& line : h.lines) xr.Add(line.value);
  const Scale xs{xr.Build(0.05), p.left, p.right};
  const Scale ys{{0, max_count > 0 ? std::min(max_count, 1e300) * 1.05 : 1}, p.bottom, p.top};

  cairo_save(cr);
  ClipTo(cr, p);
  SetColor(cr, kBarColor);
  for (size_t i = 0; i < bins; ++i) {
    const double c = h.counts[i];
    if (!std::isfinite(c) || c <= 0 || !std::isfinite(h.edges[i]) || !std::isfinite(h.edges[i + 1])) {
      continue;
    }
    double x0 = xs(std::min(h.edges[i], h.edges[i + 1])), x1 = xs(std::max(h.edges[i], h.edges[i + 1]));
    if (x1 - x0 < 1) {  // keep zero-width bins visible
      const double mid = (x0 + x1) / 2;
      x0 = mid - 0.5;
      x1 = mid + 0.5;
    }
    cairo_rectangle(cr, x0, ys(c), x1 - x0, ys(0) - ys(c));
  }
  cairo_fill(cr);
  for (const ChartLine& line : h.lines) {
    if (!std::isfinite(line.value)) continue;
    const double x = Snap(xs(line.value));
    DrawRedLine(cr, x, p.top, x, p.bottom);
    // Rotated to read upwards, hanging from the top of the plot just right of the line.
    DrawFitted(cr, LineText(line), p.height() * 0.6, x + 3, p.top + 6, kTickFont, 1, 0, -kPi / 2,
               kLineRed);
  }
  cairo_restore(cr);

  DrawFrame(cr, p);
  DrawXTicks(cr, p, xs);
  DrawYTicks(cr, p, ys);
  DrawTitle(cr, kChartWidthPx, h.title);
  DrawXLabel(cr, kChartHeightPx, p, h.xlabel);
  DrawYLabel(cr, p, "Count");
  return canvas.WritePng(path);
}

// ---- Box plot --------------------------------------------------------------------------------

Status WriteBoxPng(const std::string& path, const BoxChart& b) {
  Canvas canvas(kChartWidthPx, kChartHeightPx);
  cairo_t* cr = canvas.cr();
  const Rect p = kDefaultPlot;

  RangeBuilder yr;
  for (double v : {b.q1, b.median, b.q3, b.whisker_low, b.whisker_high}) yr.Add(v);
  for (double v : b.outliers) yr.Add(v);
  for (const ChartLine& line : b.lines) yr.Add(line.value);
  const Scale ys{yr.Build(0.05), p.bottom, p.top};
  const Scale xs{{0.5, 1.5}, p.left, p.right};  // matplotlib puts the single box at x = 1

  cairo_save(cr);
  ClipTo(cr, p);
  const double bx0 = xs(0.75), bx1 = xs(1.25), cx = Snap(xs(1.0));
  const double cap0 = xs(0.875), cap1 = xs(1.125);
  cairo_set_line_width(cr, 1.2);
  // Whiskers run from the box edge (or the median when the box is missing) to the caps.
  const double lo_edge = std::isfinite(b.q1) ? b.q1 : b.median;
  const double hi_edge = std::isfinite(b.q3) ? b.q3 : b.median;
  for (auto [edge, whisker] : {std::pair{lo_edge, b.whisker_low}, std::pair{hi_edge, b.whisker_high}}) {
    if (!std::isfinite(whisker)) continue;
    const double y = Snap(ys(whisker));
    SetColor(cr, kBlack);
    if (std::isfinite(edge)) {
      cairo_move_to(cr, cx, ys(edge));
      cairo_line_to(cr, cx, y);
    }
    cairo_move_to(cr, cap0, y);
    cairo_line_to(cr, cap1, y);
    cairo_stroke(cr);
  }
  if (std::isfinite(b.q1) && std::isfinite(b.q3)) {
    const double top = ys(std::max(b.q1, b.q3)), bottom = ys(std::min(b.q1, b.q3));
    cairo_rectangle(cr, bx0, top, bx1 - bx0, std::max(bottom - top, 1.0));
    SetColor(cr, kBoxFill);
    cairo_fill_preserve(cr);
    SetColor(cr, kBlack);
    cairo_stroke(cr);
  }
  if (std::isfinite(b.median)) {
    const double y = Snap(ys(b.median));
    SetColor(cr, kMedian);
    cairo_set_line_width(cr, 2);
    cairo_move_to(cr, bx0, y);
    cairo_line_to(cr, bx1, y);
    cairo_stroke(cr);
  }
  SetColor(cr, kBlack);
  cairo_set_line_width(cr, 1);
  for (double v : b.outliers) {
    if (!std::isfinite(v)) continue;
    cairo_new_sub_path(cr);
    cairo_arc(cr, cx, ys(v), 3.5, 0, 2 * kPi);
  }
  cairo_stroke(cr);
  for (const ChartLine& line : b.lines) {
    if (!std::isfinite(line.value)) continue;
    const double y = Snap(ys(line.value));
    DrawRedLine(cr, p.left, y, p.right, y);
    DrawFitted(cr, LineText(line), p.width() * 0.45, p.right - 5, y - 3, kTickFont, 1, 1, 0, kLineRed);
  }
  cairo_restore(cr);

  DrawFrame(cr, p);
  DrawYTicks(cr, p, ys);
  DrawTitle(cr, kChartWidthPx, b.title);
  DrawYLabel(cr, p, b.ylabel);
  return canvas.WritePng(path);
}

// ---- Categorical bars ------------------------------------------------------------------------

Status WriteBarPng(const std::string& path, const BarChart& b) {
  Canvas canvas(kChartWidthPx, kChartHeightPx);
  cairo_t* cr = canvas.cr();

  auto count_at = [&](size_t i) { return std::isfinite(b.counts[i]) ? std::max(b.counts[i], 0.0) : 0.0; };
  std::vector<size_t> shown(b.counts.size());
  std::iota(shown.begin(), shown.end(), 0);
  std::string xlabel = b.xlabel;
  if (shown.size() > static_cast<size_t>(kMaxBars)) {
    std::stable_sort(shown.begin(), shown.end(), [&](size_t x, size_t y) { return count_at(x) > count_at(y); });
    shown.resize(kMaxBars);
    std::sort(shown.begin(), shown.end());
    xlabel += (xlabel.empty() ? "" : " ") + std::string("(top ") + std::to_string(kMaxBars) + " of " +
              std::to_string(b.counts.size()) + ")";
  }
  const size_t n = shown.size();
  auto label_at = [&](size_t i) { return i < b.labels.size() ? b.labels[i] : std::string(); };

  // Labels that do not fit their slot are rotated by 45 degrees, which needs a taller margin.
  const double slot = (kDefaultPlot.width()) / std::max<size_t>(n, 1);
  cairo_set_font_size(cr, kTickFont);
  constexpr double kMaxRotatedPx = 150;
  bool rotate = false;
  double widest = 0;
  for (size_t i : shown) {
    const double w = TextWidth(cr, FitText(cr, label_at(i), kMaxRotatedPx));
    widest = std::max(widest, w);
    rotate = rotate || w > slot * 0.9;
  }
  Rect p = kDefaultPlot;
  if (rotate) p.bottom = kChartHeightPx - std::min(250.0, 50 + widest * 0.71);

  double max_count = 0;
  for (size_t i : shown) max_count = std::max(max_count, std::min(count_at(i), 1e300));
  const Scale ys{{0, max_count > 0 ? max_count * 1.05 : 1}, p.bottom, p.top};

  cairo_save(cr);
  ClipTo(cr, p);
  SetColor(cr, kBarColor);
  for (size_t k = 0; k < n; ++k) {
    const double c = count_at(shown[k]);
    if (c <= 0) continue;
    const double x0 = p.left + (k + 0.1) * slot;
    cairo_rectangle(cr, x0, ys(c), slot * 0.8, ys(0) - ys(c));
  }
  cairo_fill(cr);
  cairo_restore(cr);

  SetColor(cr, kBlack);
  for (size_t k = 0; k < n; ++k) {
    const double x = Snap(p.left + (k + 0.5) * slot);
    cairo_move_to(cr, x, Snap(p.bottom));
    cairo_line_to(cr, x, Snap(p.bottom) + 5);
    cairo_stroke(cr);
    if (rotate) {
      DrawFitted(cr, label_at(shown[k]), kMaxRotatedPx, x + 4, p.bottom + 8, kTickFont, 1, 0.5, -kPi / 4);
    } else {
      DrawFitted(cr, label_at(shown[k]), slot * 0.9, x, p.bottom + 8, kTickFont, 0.5, 0);
    }
  }
  DrawFrame(cr, p);
  DrawYTicks(cr, p, ys);
  DrawTitle(cr, kChartWidthPx, b.title);
  DrawXLabel(cr, kChartHeightPx, p, xlabel);
  DrawYLabel(cr, p, "Count");
  return canvas.WritePng(path);
}

// ---- Heatmap ---------------------------------------------------------------------------------

int HeatmapSidePx(size_t n) { return static_cast<int>(std::min<size_t>(3000, 200 + 70 * std::min<size_t>(n, 100))); }

Status WriteHeatmapPng(const std::string& path, const Heatmap& m) {
  const size_t n = std::max(m.labels.size(), m.values.size());
  const int side = HeatmapSidePx(n);
  Canvas canvas(side, side);
  cairo_t* cr = canvas.cr();
  // Fixed margins: row labels left, colorbar right, title top, rotated column labels below.
  constexpr double kLeft = 120, kRight = 80, kTop = 50;
  const double grid = side - kLeft - kRight;
  const Rect p{kLeft, kTop, kLeft + grid, kTop + grid};
  const double cell = n > 0 ? grid / n : 0;
  auto value_at = [&](size_t r, size_t c) {
    return r < m.values.size() && c < m.values[r].size() ? m.values[r][c] : NAN;
  };
  auto label_at = [&](size_t i) { return i < m.labels.size() ? m.labels[i] : std::string(); };

  RangeBuilder data;
  for (size_t r = 0; r < n; ++r) {
    for (size_t c = 0; c < n; ++c) data.Add(value_at(r, c));
  }
  const Range auto_range = data.Build(0);
  RangeBuilder vr;
  vr.Add(std::isfinite(m.vmin) ? m.vmin : auto_range.lo);
  vr.Add(std::isfinite(m.vmax) ? m.vmax : auto_range.hi);
  const Range range = vr.Build(0);

  const double value_font = std::min(14.0, cell * 0.25);
  const double label_font = std::min(12.0, cell * 0.4);
  for (size_t r = 0; r < n; ++r) {
    for (size_t c = 0; c < n; ++c) {
      const double v = value_at(r, c);
      const bool defined = std::isfinite(v);
      const Rgb color = defined ? YlGn((v - range.lo) / (range.hi - range.lo)) : kNanGrey;
      const double x = p.left + c * cell, y = p.top + r * cell;
      SetColor(cr, color);
      // Cells overlap by a pixel fraction so antialiasing leaves no seams between them.
      cairo_rectangle(cr, x, y, cell + 0.5, cell + 0.5);
      cairo_fill(cr);
      if (value_font < 6) continue;  // too small to read; the colour still tells
      const bool dark = 0.299 * color.r + 0.587 * color.g + 0.114 * color.b < 0.5;
      DrawFitted(cr, defined ? FormatFixed(v, 2) : "nan", cell * 0.9, x + cell / 2, y + cell / 2, value_font,
                 0.5, 0.5, 0, dark ? kWhite : kBlack);
    }
  }
  if (label_font >= 5) {
    for (size_t i = 0; i < n; ++i) {
      const double mid = p.left + (i + 0.5) * cell;
      DrawFitted(cr, label_at(i), kLeft - 12, p.left - 6, p.top + (i + 0.5) * cell, label_font, 1, 0.5);
      DrawFitted(cr, label_at(i), 130, mid + 3, p.bottom + 6, label_font, 1, 0.5, -kPi / 4);
    }
  }
  if (n > 0) {
    DrawFrame(cr, p);
    // Colorbar: a linear gradient through the same stops, with ticks on its right.
    const Rect bar{p.right + 15, p.top, p.right + 33, p.bottom};
    cairo_pattern_t* grad = cairo_pattern_create_linear(0, bar.bottom, 0, bar.top);
    for (int i = 0; i < kYlGnStops; ++i) {
      cairo_pattern_add_color_stop_rgb(grad, i / (kYlGnStops - 1.0), kYlGn[i].r, kYlGn[i].g, kYlGn[i].b);
    }
    cairo_rectangle(cr, bar.left, bar.top, bar.width(), bar.height());
    cairo_set_source(cr, grad);
    cairo_fill(cr);
    cairo_pattern_destroy(grad);
    DrawFrame(cr, bar);
    const Scale cs{range, bar.bottom, bar.top};
    const Ticks t = NiceTicks(range, 6);
    for (size_t i = 0; i < t.values.size(); ++i) {
      const double y = Snap(cs(t.values[i]));
      SetColor(cr, kBlack);
      cairo_move_to(cr, Snap(bar.right), y);
      cairo_line_to(cr, Snap(bar.right) + 4, y);
      cairo_stroke(cr);
      DrawFitted(cr, t.labels[i], kRight - bar.width() - 22, bar.right + 6, y, 10, 0, 0.5);
    }
  }
  DrawTitle(cr, side, m.title);
  return canvas.WritePng(path);
}

}  // namespace winnow::analysis
