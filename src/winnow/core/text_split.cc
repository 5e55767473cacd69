#include "winnow/core/text_split.h"

#include <emmintrin.h>

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

void SplitWords(std::string_view text, std::vector<std::string_view>* out) {
  out->clear();
  const char* base = text.data();
  const size_t n = text.size();
  size_t word = 0, i = 0;
  auto boundary = [&](size_t j) {
    if (j > word) out->emplace_back(base + word, j - word);
    word = j + 1;
  };
  // 16 bytes at a time: a bit mask of the separators ' ', '\n', '\t'.
  const __m128i sp = _mm_set1_epi8(' '), nl = _mm_set1_epi8('\n'), tab = _mm_set1_epi8('\t');
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(base + i));
    unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, sp), _mm_cmpeq_epi8(v, nl)), _mm_cmpeq_epi8(v, tab))));
    while (mask) {
      boundary(i + __builtin_ctz(mask));
      mask &= mask - 1;
    }
  }
  for (; i < n; ++i) {
    char c = base[i];
    if (c == ' ' || c == '\n' || c == '\t') boundary(i);
  }
  if (n > word) out->emplace_back(base + word, n - word);
}

void RefineWords(const std::vector<std::string_view>& words, std::vector<std::string_view>* out) {
  out->clear();
  for (std::string_view w : words) {
    std::string_view s = unicode::StripClass(w, unicode::kDjSpecial);
    if (!s.empty()) out->push_back(s);
  }
}

const std::vector<std::string_view>& Lines(TextCache& t) {
  if (!t.has_lines) { SplitLines(t.text, &t.lines); t.has_lines = true; }
  return t.lines;
}
const std::vector<std::string_view>& Words(TextCache& t) {
  if (!t.has_words) { SplitWords(t.text, &t.words); t.has_words = true; }
  return t.words;
}
const std::vector<std::string_view>& RefinedWords(TextCache& t) {
  if (!t.has_refined) { RefineWords(Words(t), &t.refined); t.has_refined = true; }
  return t.refined;
}
const std::vector<std::string_view>& LowerRefinedWords(TextCache& t) {
  if (!t.has_lower_refined) {
    // DJ lower-cases each word, then strips; lowering never creates or removes ' ', '\n', '\t',
    // so lowering the whole text and splitting it gives the same words.
    t.lower = unicode::PyLower(t.text);
    std::vector<std::string_view> words;
    SplitWords(t.lower, &words);
    RefineWords(words, &t.lower_refined);
    t.has_lower_refined = true;
  }
  return t.lower_refined;
}

}  // namespace winnow
