#include "winnow/analysis/analysis_files.h"

#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <set>
#include <variant>

#include "winnow/analysis/png_charts.h"
#include "winnow/core/json.h"
#include "winnow/io/byte_stream.h"

namespace winnow::analysis {
namespace fs = std::filesystem;
namespace {

// One cell of the describe() table: a float (pandas float64), an int (object describe), a
// string (top), or missing (NaN).
using Cell = std::variant<std::monostate, double, uint64_t, std::string>;

struct Table {
  std::vector<std::string> rows;  // index labels, in pandas' union order
  std::vector<std::string> columns;
  std::vector<std::vector<Cell>> cells;  // [column][row]
  std::vector<bool> numeric;             // column is a numeric describe
};

Table Describe(const AnalysisResult& r) {
  Table t;
  const auto labels = PercentileLabels(r.percentiles);
  auto row_index = [&](const std::string& label) {
    for (size_t i = 0; i < t.rows.size(); ++i)
      if (t.rows[i] == label) return i;
    t.rows.push_back(label);
    for (auto& col : t.cells) col.emplace_back();
    return t.rows.size() - 1;
  };
  for (const ColumnResult* c : OverallColumns(r)) {
    t.columns.push_back(c->spec.key);
    t.cells.emplace_back(t.rows.size());
    t.numeric.push_back(c->type == ColumnResult::kNumeric);
    auto set = [&](const std::string& label, Cell v) {
      size_t i = row_index(label);
      t.cells.back()[i] = std::move(v);
    };
    if (c->type == ColumnResult::kNumeric) {
      const NumericSummary& s = c->num;
      set("count", static_cast<double>(s.count));
      set("mean", s.mean);
      set("std", s.std);
      set("min", s.min);
      for (size_t i = 0; i < s.percentiles.size(); ++i) set(labels[i], s.percentiles[i].second);
      set("max", s.max);
    } else {
      set("count", c->count);
      set("unique", c->unique);
      set("top", c->top);
      set("freq", c->freq);
    }
  }
  return t;
}

std::string PyFloat(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  std::string s;
  json::AppendDouble(v, &s);
  return s;
}

void CsvField(const std::string& s, std::string* out) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) {
    *out += s;
    return;
  }
  out->push_back('"');
  for (char c : s) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

std::string Safe(const std::string& key) {  // a stat key as a file name
  std::string s;
  for (char c : key) s.push_back((c == '/' || c == '\\' || c == '\0') ? '_' : c);
  return s;
}

// Pastes PNGs into one image, two per row (a stat's histogram and box plot side by side).
Status CompositeRows(const std::vector<std::vector<std::string>>& rows, const std::string& out) {
  int w = 0, h = 0;
  std::vector<std::vector<cairo_surface_t*>> surfaces;
  for (const auto& row : rows) {
    surfaces.emplace_back();
    int rw = 0, rh = 0;
    for (const auto& p : row) {
      cairo_surface_t* s = cairo_image_surface_create_from_png(p.c_str());
      if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        continue;
      }
      rw += cairo_image_surface_get_width(s);
      rh = std::max(rh, cairo_image_surface_get_height(s));
      surfaces.back().push_back(s);
    }
    w = std::max(w, rw);
    h += rh;
  }
  Status status;
  if (w > 0 && h > 0) {
    cairo_surface_t* dst = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t* cr = cairo_create(dst);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    double y = 0;
    for (auto& row : surfaces) {
      double x = 0, rh = 0;
      for (cairo_surface_t* s : row) {
        cairo_set_source_surface(cr, s, x, y);
        cairo_paint(cr);
        x += cairo_image_surface_get_width(s);
        rh = std::max<double>(rh, cairo_image_surface_get_height(s));
      }
      y += rh;
    }
    cairo_destroy(cr);
    if (cairo_surface_write_to_png(dst, out.c_str()) != CAIRO_STATUS_SUCCESS)
      status = Status::Error(out + ": cannot write the PNG");
    cairo_surface_destroy(dst);
  }
  for (auto& row : surfaces)
    for (cairo_surface_t* s : row) cairo_surface_destroy(s);
  return status;
}

}  // namespace

std::vector<const ColumnResult*> OverallColumns(const AnalysisResult& r) {
  std::vector<const ColumnResult*> out;
  std::set<std::string> seen;
  for (const ColumnResult& c : r.columns)
    if (c.type != ColumnResult::kEmpty && seen.insert(c.spec.key).second) out.push_back(&c);
  return out;
}

std::string OverallCsv(const AnalysisResult& r) {
  Table t = Describe(r);
  // Before DJ transposes it, each describe() label is a pandas column: with any numeric stat,
  // count / unique / freq hold NaN or floats too, so their integers print as floats.
  const bool as_float = std::find(t.numeric.begin(), t.numeric.end(), true) != t.numeric.end();
  std::string out;
  for (const auto& c : t.columns) {
    out += ',';
    CsvField(c, &out);
  }
  out += '\n';
  for (size_t i = 0; i < t.rows.size(); ++i) {
    CsvField(t.rows[i], &out);
    for (size_t j = 0; j < t.columns.size(); ++j) {
      out += ',';
      const Cell& cell = t.cells[j][i];
      if (auto* d = std::get_if<double>(&cell)) out += PyFloat(*d);
      else if (auto* n = std::get_if<uint64_t>(&cell)) out += as_float ? PyFloat(static_cast<double>(*n)) : std::to_string(*n);
      else if (auto* s = std::get_if<std::string>(&cell)) CsvField(*s, &out);
    }
    out += '\n';
  }
  return out;
}

std::string OverallMarkdown(const AnalysisResult& r) {
  // tabulate's "pipe" format as DataFrame.to_markdown() uses it: numbers with "g", numeric
  // columns right-aligned on the decimal point, text columns left-aligned.
  Table t = Describe(r);
  const bool as_float = std::find(t.numeric.begin(), t.numeric.end(), true) != t.numeric.end();
  const size_t nc = t.columns.size() + 1;
  std::vector<std::vector<std::string>> text(nc);
  std::vector<bool> right(nc, false);
  text[0] = t.rows;
  for (size_t j = 0; j < t.columns.size(); ++j) {
    right[j + 1] = t.numeric[j];
    for (const Cell& cell : t.cells[j]) {
      char buf[64];
      if (auto* d = std::get_if<double>(&cell)) std::snprintf(buf, sizeof buf, "%g", *d);
      else if (auto* n = std::get_if<uint64_t>(&cell)) {
        // A text column's cells print as str(): floats when pandas made them floats (see OverallCsv).
        if (as_float) { text[j + 1].push_back(PyFloat(static_cast<double>(*n))); continue; }
        std::snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(*n));
      }
      else if (auto* s = std::get_if<std::string>(&cell)) { text[j + 1].push_back(*s); continue; }
      else std::snprintf(buf, sizeof buf, "nan");
      text[j + 1].push_back(buf);
    }
  }
  std::vector<std::string> headers = {""};
  headers.insert(headers.end(), t.columns.begin(), t.columns.end());
  std::vector<size_t> width(nc);
  for (size_t j = 0; j < nc; ++j) {
    if (right[j]) {  // decimal alignment: pad after the digits so the points line up
      size_t maxafter = 0;
      auto after = [](const std::string& s) -> size_t {
        size_t p = s.find('.');
        return p == std::string::npos ? 0 : s.size() - p;
      };
      for (const auto& s : text[j]) maxafter = std::max(maxafter, after(s));
      for (auto& s : text[j]) s += std::string(maxafter - after(s), ' ');
    }
    width[j] = headers[j].size() + 2;
    for (const auto& s : text[j]) width[j] = std::max(width[j], s.size());
  }
  auto pad = [&](const std::string& s, size_t j) {
    std::string fill(width[j] > s.size() ? width[j] - s.size() : 0, ' ');
    return right[j] ? fill + s : s + fill;
  };
  std::string out = "|";
  for (size_t j = 0; j < nc; ++j) out += " " + pad(headers[j], j) + " |";
  out += "\n|";
  for (size_t j = 0; j < nc; ++j)
    out += right[j] ? std::string(width[j] + 1, '-') + ":|" : ":" + std::string(width[j] + 1, '-') + "|";
  for (size_t i = 0; i < t.rows.size(); ++i) {
    out += "\n|";
    for (size_t j = 0; j < nc; ++j) out += " " + pad(text[j][i], j) + " |";
  }
  return out;
}

Status WriteAnalysisFiles(const AnalysisResult& r, const std::string& dir, bool save_stats_in_one_file,
                          std::vector<std::string>* written) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::Error(dir + ": cannot create the analysis directory: " + ec.message());
  auto write = [&](const std::string& name, const std::string& data) -> Status {
    std::string path = (fs::path(dir) / name).string();
    auto w = ByteWriter::Create(path);
    if (!w.ok()) return w.status();
    WINNOW_RETURN_IF_ERROR((*w)->Write(data));
    WINNOW_RETURN_IF_ERROR((*w)->Close());
    written->push_back(path);
    return Status::Ok();
  };
  WINNOW_RETURN_IF_ERROR(write("overall.csv", OverallCsv(r)));
  WINNOW_RETURN_IF_ERROR(write("overall.md", OverallMarkdown(r)));

  std::vector<std::vector<std::string>> grid;
  for (const ColumnResult* c : OverallColumns(r)) {
    const std::string base = (fs::path(dir) / Safe(c->spec.key)).string();
    grid.emplace_back();
    if (c->type == ColumnResult::kNumeric) {
      HistogramChart h;
      h.title = c->spec.key;
      h.xlabel = c->spec.key;
      h.edges = c->dj_hist.edges;
      for (uint64_t k : c->dj_hist.kept) h.counts.push_back(static_cast<double>(k));
      WINNOW_RETURN_IF_ERROR(WriteHistogramPng(base + "-hist.png", h));
      BoxChart b;
      b.title = c->spec.key;
      b.ylabel = c->spec.key;
      b.q1 = c->box.q1;
      b.median = c->box.median;
      b.q3 = c->box.q3;
      b.whisker_low = c->box.whisker_low;
      b.whisker_high = c->box.whisker_high;
      b.outliers = c->box.outliers;
      WINNOW_RETURN_IF_ERROR(WriteBoxPng(base + "-box.png", b));
      grid.back() = {base + "-hist.png", base + "-box.png"};
    } else {
      BarChart b;
      b.title = c->spec.key;
      b.xlabel = c->spec.key;
      for (const auto& [name, kept, dropped] : c->categories) {
        b.labels.push_back(name);
        b.counts.push_back(static_cast<double>(kept + dropped));
      }
      WINNOW_RETURN_IF_ERROR(WriteBarPng(base + "-hist.png", b));
      grid.back() = {base + "-hist.png"};
    }
    if (!save_stats_in_one_file)
      for (const auto& p : grid.back()) written->push_back(p);
  }
  if (!r.corr_columns.empty()) {
    Heatmap m;
    m.title = "stats correlation (pearson)";
    for (size_t i : r.corr_columns) m.labels.push_back(r.columns[i].spec.key);
    m.values = r.corr;
    std::string path = (fs::path(dir) / "stats-corr-pearson.png").string();
    WINNOW_RETURN_IF_ERROR(WriteHeatmapPng(path, m));
    written->push_back(path);
  }
  if (save_stats_in_one_file && !grid.empty()) {
    // DJ then writes only all-stats.png: the per-stat images were drawn into it.
    std::string path = (fs::path(dir) / "all-stats.png").string();
    WINNOW_RETURN_IF_ERROR(CompositeRows(grid, path));
    for (const auto& row : grid)
      for (const auto& p : row) fs::remove(p, ec);
    written->push_back(path);
  }
  return Status::Ok();
}

}  // namespace winnow::analysis
