// What a worker captures for the analysis and the report while it runs a batch: for each sample,
// the values of the stats each filter computed (with whether that filter dropped it), the input
// text length, and a few example samples per op. The executor hands these to the StatsCollector in
// input order, so what the analysis sees does not depend on the thread count.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/sample.h"

namespace winnow::analysis {

struct StatCell {
  enum Kind : uint8_t { kNumber, kString, kListNumber, kListString };
  uint32_t column = 0;  // collector column id
  uint32_t op = 0;      // stage op index (a streaming dedup may remove the sample at commit)
  Kind kind = kNumber;
  bool dropped = false;  // the op dropped (analyze: would drop) the sample
  double number = 0;
  uint32_t str_off = 0, str_len = 0;  // into StatBatch::strings
};

// One sample's cells end at cells_end; `trace` is its index in BatchResult::traces.
struct StatRow {
  uint32_t trace = 0;
  uint32_t cells_end = 0;
};

struct ExampleRecord {
  enum Kind : uint8_t { kKept, kDropped, kChanged };
  uint32_t op = 0;     // stage op index
  uint32_t trace = 0;  // as StatRow::trace
  Kind kind = kKept;
  std::string json;    // {"source": ..., "text": ..., ...}
};

struct StatBatch {
  std::vector<StatCell> cells;
  std::string strings;
  std::vector<StatRow> rows;
  std::vector<double> input_lengths;  // text bytes of each parsed input sample (first stage)
  std::vector<ExampleRecord> examples;

  bool empty() const { return cells.empty() && input_lengths.empty() && examples.empty(); }
  // Adds the value of one stat entry; numbers and strings, or lists of them (exploded as DJ's
  // analyzer does). Other values (objects, nested lists, null) are not analysed.
  void AddValue(uint32_t column, uint32_t op, bool dropped, const StatValue& v);
  void EndRow(uint32_t trace) { rows.push_back({trace, static_cast<uint32_t>(cells.size())}); }
};

// Examples keep at most this many characters of text (the report stays small).
inline constexpr size_t kExampleTextChars = 1500;
// The text cut to at most `max_chars` characters (UTF-8 aware), with an ellipsis when cut.
std::string TruncateText(std::string_view text, size_t max_chars);

}  // namespace winnow::analysis
