#include "winnow/core/text_split.h"

#include "winnow/core/unicode.h"

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace winnow {

void SplitLines(std::string_view text, std::vector<std::string_view>* out) {
  out->clear();
  const char* p = text.data();
  const char* end = p + text.size();
  const char* line = p;
  while (p < end) {
#if defined(__AVX2__)
    // 32 bytes at a time to the next byte that can start a line break: an ASCII control, or the
    // lead byte C2 (U+0085) or E2 (U+2028, U+2029). Text is valid UTF-8, so that is always the
    // first byte of a character. (Byte by byte, with every other non-ASCII character decoded,
    // average_line_length_filter ran at ~1.3 GB/s.)
    if (end - p >= 32) {
      const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
      const __m256i ctl = _mm256_cmpeq_epi8(_mm256_min_epu8(v, _mm256_set1_epi8(0x1F)), v);
      const __m256i lead = _mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(static_cast<char>(0xC2))),
                                           _mm256_cmpeq_epi8(v, _mm256_set1_epi8(static_cast<char>(0xE2))));
      const auto bits = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_or_si256(ctl, lead)));
      if (!bits) {
        p += 32;  // may stop inside a character: its continuation bytes are skipped below
        continue;
      }
      p += __builtin_ctz(bits);
    }
#endif
    unsigned char c = static_cast<unsigned char>(*p);
    // Printable ASCII, or a continuation byte the 32-byte step stopped on (whose lead byte was not
    // C2 or E2: the scan stops at those).
    if ((c >= 0x20 && c < 0x80) || (c & 0xC0) == 0x80) { ++p; continue; }
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
