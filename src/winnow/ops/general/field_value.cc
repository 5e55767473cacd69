#include "winnow/ops/general/field_value.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <string>
#include <vector>

#include "winnow/core/json.h"
#include "winnow/core/unicode.h"
#include "winnow/ops/params.h"

namespace winnow {

bool PyFloatFromString(std::string_view input, double* out) {
  // Python's float(str) strips Unicode whitespace and accepts any Unicode decimal digit.
  std::string ascii;
  for (const char* p = input.data(); p < input.data() + input.size();) {
    const char* start = p;
    uint32_t cp = unicode::DecodeUtf8(p);
    int d = cp >= 0x80 ? unicode::DecimalValue(cp) : -1;
    if (d >= 0) ascii.push_back(static_cast<char>('0' + d));
    else if (cp >= 0x80 && unicode::Is(cp, unicode::kSpace)) ascii.push_back(' ');
    else ascii.append(start, p);
  }
  std::string_view s = ascii;
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  if (s.empty()) return false;
  double sign = 1;
  std::string_view body = s;
  if (body[0] == '+' || body[0] == '-') {
    sign = body[0] == '-' ? -1 : 1;
    body.remove_prefix(1);
  }
  std::string lower;
  for (char c : body) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower == "inf" || lower == "infinity") { *out = sign * INFINITY; return true; }
  if (lower == "nan") { *out = NAN; return true; }
  // Underscores are allowed only between digits.
  std::string clean;
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '_') {
      if (i == 0 || i + 1 == body.size() || !std::isdigit(static_cast<unsigned char>(body[i - 1])) ||
          !std::isdigit(static_cast<unsigned char>(body[i + 1])))
        return false;
      continue;
    }
    clean.push_back(body[i]);
  }
  if (clean.empty() || !(std::isdigit(static_cast<unsigned char>(clean[0])) || clean[0] == '.')) return false;
  double v = 0;
  auto res = std::from_chars(clean.data(), clean.data() + clean.size(), v);
  if (res.ec != std::errc() || res.ptr != clean.data() + clean.size()) return false;
  *out = sign * v;
  return true;
}

double StatsToNumber(std::string_view raw, bool reverse) {
  double fallback = reverse ? -kPyMaxSize : kPyMaxSize;
  double v = 0;
  switch (json::TypeOf(raw)) {
    case json::Type::kString: {
      std::string s;
      if (!json::DecodeString(raw, &s).ok() || !PyFloatFromString(s, &v)) return fallback;
      return v;
    }
    case json::Type::kNumber:
      return json::ParseNumber(raw, &v) ? v : fallback;
    case json::Type::kBool:
      return raw[0] == 't' ? 1.0 : 0.0;
    case json::Type::kArray: {
      // np.asarray(list).mean(): numbers (and bools) only; anything else fails.
      std::vector<std::string_view> els;
      json::SplitArray(raw, &els);
      if (els.empty()) return fallback;
      double sum = 0;
      for (auto e : els) {
        json::Type t = json::TypeOf(e);
        if (t == json::Type::kNumber) {
          json::ParseNumber(e, &v);
          sum += v;
        } else if (t == json::Type::kBool) {
          sum += e[0] == 't';
        } else {
          return fallback;
        }
      }
      return sum / static_cast<double>(els.size());
    }
    default:
      return fallback;
  }
}

}  // namespace winnow
