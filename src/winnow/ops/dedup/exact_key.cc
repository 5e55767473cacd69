#include "winnow/ops/dedup/exact_key.h"

#include <cctype>
#include <string>

#define XXH_INLINE_ALL
#include "winnow/core/xxhash_include.h"

#include "winnow/core/unicode.h"

namespace winnow {

void TextDedupKey(std::string_view text, bool lowercase, bool ignore_non_character, uint64_t out[2]) {
  std::string buf;
  if (lowercase) {
    buf = unicode::PyLower(text);
    text = buf;
  }
  if (ignore_non_character) {
    // re.sub(r"\s+|\d+|[<string.punctuation>]", "", text)
    std::string kept;
    kept.reserve(text.size());
    const char* p = text.data();
    const char* end = p + text.size();
    while (p < end) {
      const char* start = p;
      uint32_t cp = unicode::DecodeUtf8(p);
      bool punct = cp < 0x80 && std::ispunct(static_cast<int>(cp));
      // DJ uses the `regex` module: \s is Unicode White_Space, i.e. str.isspace() minus
      // the information separators U+001C..U+001F; \d is Nd (str.isdecimal()).
      bool space = (unicode::Classes(cp) & unicode::kSpace) && !(cp >= 0x1C && cp <= 0x1F);
      if (punct || space || (unicode::Classes(cp) & unicode::kDecimal)) continue;
      kept.append(start, p);
    }
    buf = std::move(kept);
    text = buf;
  }
  text = unicode::PyStrip(text);
  XXH128_hash_t h = XXH3_128bits(text.data(), text.size());
  out[0] = h.high64;
  out[1] = h.low64;
}

bool FirstSeen::Admit(const GlobalKey& key, RowId row, RowId* first) {
  if (key.number == kNoDedupKey) return true;
  auto [it, inserted] = seen_.emplace(std::make_pair(key.h[0], key.h[1]), row);
  if (!inserted) *first = it->second;
  return inserted;
}

Selection SelectFirstSeen(const std::vector<GlobalKey>& keys) {
  Selection sel;
  sel.duplicate_of.assign(keys.size(), Selection::kNone);
  FirstSeen seen;
  for (uint32_t i = 0; i < keys.size(); ++i) {
    RowId first;
    if (seen.Admit(keys[i], RowId{0, i}, &first)) sel.order.push_back(i);
    else sel.duplicate_of[i] = static_cast<uint32_t>(first.line);
  }
  return sel;
}

}  // namespace winnow
