// Data-Juicer's text segmentations with Python semantics: str.splitlines(), DJ's
// split_on_whitespace (words), words_refinement (strip SPECIAL_CHARACTERS), and its
// split/merge on newline, tab and space.
#pragma once

#include <emmintrin.h>

#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/sample.h"

namespace winnow {

// Python str.splitlines() (no keepends): \n \r \r\n \v \f \x1c-\x1e \x85 \u2028 \u2029.
void SplitLines(std::string_view text, std::vector<std::string_view>* out);
// Calls f(word) for each word of DJ's split_on_whitespace(new_line=True, tab=True): split on
// ' ', '\n', '\t', empties dropped; in order, without materialising them (SIMD search).
template <typename F>
void ForEachWord(std::string_view text, F f);
// len(words_refinement(split(text), strip_chars=SPECIAL_CHARACTERS)) without building it.
size_t CountRefinedWords(std::string_view text);

// DJ's split_on_newline_tab_whitespace -> keep some words -> merge_on_whitespace_tab_newline:
// lines split on '\n', groups on '\t', words on ' ' (empties dropped); keeps the words with
// keep(word) true, re-joins them with ' ', '\t', '\n', dropping groups and lines left empty.
// (So repeated separators collapse and empty lines vanish even when every word is kept.)
template <typename Keep>
void FilterWordsKeepingLayout(std::string_view text, Keep keep, std::string* out);

// The sample's lines, computed once and shared by the line-based ops.
const std::vector<std::string_view>& Lines(TextCache& t);

template <typename Keep>
void FilterWordsKeepingLayout(std::string_view text, Keep keep, std::string* out) {
  // Written straight into `out`, rolling back a group that ends up empty.
  out->clear();
  bool any_line = false;
  size_t pos = 0;
  for (;;) {
    size_t nl = text.find('\n', pos);
    size_t line_end = nl == std::string_view::npos ? text.size() : nl;
    size_t line_mark = out->size();
    if (any_line) out->push_back('\n');
    bool any_group = false;
    size_t gp = pos;
    for (;;) {
      const void* tab_p = std::memchr(text.data() + gp, '\t', line_end - gp);
      size_t group_end = tab_p ? static_cast<const char*>(tab_p) - text.data() : line_end;
      size_t group_mark = out->size();
      if (any_group) out->push_back('\t');
      bool any_word = false;
      size_t wp = gp;
      while (wp < group_end) {
        const void* space_p = std::memchr(text.data() + wp, ' ', group_end - wp);
        size_t we = space_p ? static_cast<const char*>(space_p) - text.data() : group_end;
        if (we > wp) {
          std::string_view w = text.substr(wp, we - wp);
          if (keep(w)) {
            if (any_word) out->push_back(' ');
            out->append(w);
            any_word = true;
          }
        }
        wp = we + 1;
      }
      if (any_word) any_group = true;
      else out->resize(group_mark);
      if (!tab_p) break;
      gp = group_end + 1;
    }
    if (any_group) any_line = true;
    else out->resize(line_mark);
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
}

template <typename F>
void ForEachWord(std::string_view text, F f) {
  const char* base = text.data();
  const size_t n = text.size();
  size_t word = 0, i = 0;
  const __m128i sp = _mm_set1_epi8(' '), nl = _mm_set1_epi8('\n'), tab = _mm_set1_epi8('\t');
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(base + i));
    unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, sp), _mm_cmpeq_epi8(v, nl)), _mm_cmpeq_epi8(v, tab))));
    while (mask) {
      size_t j = i + __builtin_ctz(mask);
      if (j > word) f(std::string_view(base + word, j - word));
      word = j + 1;
      mask &= mask - 1;
    }
  }
  for (; i < n; ++i) {
    char c = base[i];
    if (c == ' ' || c == '\n' || c == '\t') {
      if (i > word) f(std::string_view(base + word, i - word));
      word = i + 1;
    }
  }
  if (n > word) f(std::string_view(base + word, n - word));
}

}  // namespace winnow
