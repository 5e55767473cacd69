#include "winnow/core/text_split.h"

#include "winnow/core/unicode.h"

namespace winnow {

void SplitLines(std::string_view text, std::vector<std::string_view>* out) {
  out->clear();
  const char* p = text.data();
  const char* end = p + text.size();
  const char* line = p;
  while (p < end) {
    unsigned char c = static_cast<unsigned char>(*p);
    if (c >= 0x20 && c < 0x80) { ++p; continue; }
    const char* start = p;
    uint32_t cp = unicode::DecodeUtf8(p);
    if (cp < 0x80 ? (cp >= 0x0A && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x1E)
                  : unicode::Is(cp, unicode::kLineBreak)) {
      out->emplace_back(line, start - line);
      if (cp == '\r' && p < end && *p == '\n') ++p;
      line = p;
    }
  }
  if (line < end) out->emplace_back(line, end - line);
}

size_t CountRefinedWords(std::string_view text) {
  size_t n = 0;
  ForEachWord(text, [&n](std::string_view w) {
    // A word survives refinement unless it is made only of special characters. Most words
    // start with an ASCII letter, which is never special.
    unsigned char c = static_cast<unsigned char>(w[0]);
    if (((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || !unicode::StripClass(w, unicode::kDjSpecial).empty()) ++n;
  });
  return n;
}

const std::vector<std::string_view>& Lines(TextCache& t) {
  if (!t.has_lines) { SplitLines(t.text, &t.lines); t.has_lines = true; }
  return t.lines;
}

}  // namespace winnow
