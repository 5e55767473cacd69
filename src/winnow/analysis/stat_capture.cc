#include "winnow/analysis/stat_capture.h"

#include "winnow/core/json.h"
#include "winnow/core/unicode.h"

namespace winnow::analysis {
namespace {

bool AddScalar(StatBatch& b, uint32_t column, uint32_t op, bool dropped, std::string_view raw, bool in_list) {
  StatCell c;
  c.column = column;
  c.op = op;
  c.dropped = dropped;
  switch (json::TypeOf(raw)) {
    case json::Type::kNumber: {
      if (!json::ParseNumber(raw, &c.number)) return false;
      c.kind = in_list ? StatCell::kListNumber : StatCell::kNumber;
      break;
    }
    case json::Type::kBool:
    case json::Type::kString: {
      std::string s;
      if (json::TypeOf(raw) == json::Type::kBool) s = raw == "true" ? "True" : "False";  // pandas' str(bool)
      else if (!json::StringValue(raw, &s)) return false;
      c.kind = in_list ? StatCell::kListString : StatCell::kString;
      c.str_off = static_cast<uint32_t>(b.strings.size());
      c.str_len = static_cast<uint32_t>(s.size());
      b.strings += s;
      break;
    }
    default:
      return false;
  }
  b.cells.push_back(c);
  return true;
}

}  // namespace

void StatBatch::AddValue(uint32_t column, uint32_t op, bool dropped, const StatValue& v) {
  if (v.kind != StatValue::kRaw) {
    StatCell c;
    c.column = column;
    c.op = op;
    c.dropped = dropped;
    c.number = v.AsDouble();
    cells.push_back(c);
    return;
  }
  std::string_view raw = v.raw;
  if (json::TypeOf(raw) == json::Type::kArray) {
    std::vector<std::string_view> items;
    json::SplitArray(raw, &items);
    for (std::string_view item : items) AddScalar(*this, column, op, dropped, item, true);
    return;
  }
  AddScalar(*this, column, op, dropped, raw, false);
}

std::string TruncateText(std::string_view text, size_t max_chars) {
  size_t chars = 0, i = 0;
  while (i < text.size()) {
    if (chars == max_chars) return std::string(text.substr(0, i)) + "\xE2\x80\xA6";  // U+2026
    i += unicode::Utf8SeqLen(static_cast<unsigned char>(text[i]));
    ++chars;
  }
  return std::string(text);
}

}  // namespace winnow::analysis
