// Internals shared by the ftfy port's files: the generated tables (ftfy_tables.inc, made by
// scripts/gen_ftfy_tables.py from ftfy 6.3.1 itself), compiled PCRE2 patterns, and small UTF-8
// helpers. Not a public API; see ftfy.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <emmintrin.h>
#include <functional>
#include <string>
#include <string_view>

#include "winnow/core/unicode.h"

namespace winnow::ftfy::internal {

// ---- generated tables (ftfy_tables.cc) ----

struct Entity {
  const char* name;   // "&name;"
  const char* value;  // UTF-8
};
struct Charref {
  uint32_t num;
  const char* value;
};
struct CharmapEntry {
  uint32_t cp;
  uint16_t mask;      // bit i: encodable in kCharmapNames[i]
  uint8_t bytes[10];  // its byte in each encoding
};
struct Translation {
  uint32_t cp;
  const char* value;
};
struct Range {
  uint32_t lo, hi;  // inclusive
};

// Per code point flags (Python 3.11's Unicode 14 data).
enum Flag : uint8_t {
  kNfcSafe = 1,    // alone it is NFC, has ccc 0 and cannot compose with what precedes it
  kNfdSafe = 2,    // alone it is NFD and has ccc 0
  kNfkcSafe = 4,
  kNfkdSafe = 8,
  kUnassigned = 16,     // category Cn in Unicode 14
  kBadnessClue = 32,    // every BADNESS_RE match contains at least one of these
  kFixer = 64,          // fix_c1_controls/ligatures/width/quotes/line breaks/controls change it
  kLoneClue = 128,      // a clue that can be the only non-ASCII character of a match
};
extern const uint16_t* const kFlagIndex;       // two-stage table: block of cp >> 8
extern const uint8_t (*const kFlagBlocks)[256];  // flags of cp & 0xFF in that block
extern const uint8_t kCjkFlags;  // the flags of all of U+4000-U+9FFF (lead bytes E4-E9)
inline bool IsCjkLead(unsigned char b) { return b >= 0xE4 && b <= 0xE9; }
inline uint8_t Flags(uint32_t cp) { return cp < 0x110000 ? kFlagBlocks[kFlagIndex[cp >> 8]][cp & 0xFF] : 0; }

inline constexpr int kNumCharmaps = 10;
enum Charmap { kLatin1 = 0, kSloppyCp1252 = 1, kMacRoman = 8 };
bool CharmapIsSloppy(int enc);
// Mask of the CHARMAP_ENCODINGS that can encode cp (possible_encoding, per character).
uint16_t CharmapMask(uint32_t cp);
// The byte for cp in encoding enc; cp must be encodable there.
uint8_t CharmapByte(uint32_t cp, int enc);
// windows-1252 (strict: 0 where undefined) and sloppy-windows-1252 for bytes 0x80-0x9F.
uint32_t Cp1252High(uint32_t byte);
uint32_t SloppyCp1252High(uint32_t byte);

// "&name;" -> its replacement, or nullptr.
const char* LookupEntity(std::string_view name);
// html's _replace_charref for a numeric reference's value (num may be saturated above 0x10FFFF).
void AppendCharref(uint64_t num, std::string* out);

const char* LookupLigature(uint32_t cp);
const char* LookupWidth(uint32_t cp);
bool IsControlChar(uint32_t cp);   // chardata.CONTROL_CHARS
bool IsDecimalDigit(uint32_t cp);  // Python's \d

int BadnessMaxWidth();
// The most code points a BADNESS_RE match has before its first required non-ASCII character.
int BadnessMaxAsciiLead();
// BADNESS_RE in PCRE2 syntax (badness_matcher.h reads it too).
const char* BadnessPattern();

// ---- PCRE2 patterns ----

// A compiled, JIT'd pattern (generated from ftfy's Python regexes). Thread-safe.
class Pattern {
 public:
  // kBadness: BADNESS_RE, the reference the tests hold BadnessMatcher (what IsBad uses) to.
  enum Id { kBadness, kUtf8Detector, kAlteredUtf8, kAGraveWord, kLossyUtf8 };
  static const Pattern& Get(Id id);

  // re.search within subject[0, end) for a match starting at or after `start`; lookbehind sees
  // the whole subject. Fills [*b, *e) and returns true on a match.
  bool Find(std::string_view subject, size_t start, size_t end, size_t* b, size_t* e) const;
  bool Search(std::string_view subject) const {
    size_t b, e;
    return Find(subject, 0, subject.size(), &b, &e);
  }
  // re.sub: every non-overlapping match m is replaced by what repl appends for it. Returns
  // false (leaving *out alone) when there was no match.
  bool Sub(std::string_view subject,
           const std::function<void(std::string_view match, std::string* out)>& repl,
           std::string* out) const;

  Pattern(const char* pattern, bool utf);
  ~Pattern();

 private:
  void* code_;  // pcre2_code_8
  bool jit_ = false;
};

// ---- UTF-8 helpers (input is valid UTF-8) ----

inline uint32_t Decode(const unsigned char* p, int* len) {
  uint32_t c = p[0];
  if (c < 0x80) { *len = 1; return c; }
  if (c < 0xE0) { *len = 2; return ((c & 0x1F) << 6) | (p[1] & 0x3F); }
  if (c < 0xF0) { *len = 3; return ((c & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F); }
  *len = 4;
  return ((c & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) | (p[3] & 0x3F);
}

inline void Append(uint32_t cp, std::string* out) {
  char b[4];
  out->append(b, static_cast<size_t>(unicode::WriteUtf8(cp, b) - b));
}

// Index of the first byte >= 0x80 at or after i, or s.size().
inline size_t SkipAscii(std::string_view s, size_t i) {
  const size_t n = s.size();
  const char* d = s.data();
  if (i < n && static_cast<unsigned char>(d[i]) >= 0x80) return i;
  while (i + 8 <= n) {
    uint64_t w;
    std::memcpy(&w, d + i, 8);
    if (w & 0x8080808080808080ull) break;
    i += 8;
  }
  while (i < n && static_cast<unsigned char>(d[i]) < 0x80) ++i;
  return i;
}

// Index of the first byte at or after i that is not printable ASCII, tab, '\n' or '\f' (so a
// control character, DEL or a byte >= 0x80), or n. 16 bytes at a time.
inline size_t SkipPlainAscii(const unsigned char* p, size_t i, size_t n) {
  const __m128i k20 = _mm_set1_epi8(0x20);
  while (i + 16 <= n) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    __m128i benign = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\t')),
                                               _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))),
                                  _mm_cmpeq_epi8(v, _mm_set1_epi8('\f')));
    __m128i m = _mm_or_si128(_mm_andnot_si128(benign, _mm_cmplt_epi8(v, k20)),
                             _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F)));
    unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(m));
    if (mask) return i + __builtin_ctz(mask);
    i += 16;
  }
  while (i < n && p[i] >= 0x20 && p[i] < 0x7F) ++i;
  while (i < n && (p[i] == '\t' || p[i] == '\n' || p[i] == '\f' || (p[i] >= 0x20 && p[i] < 0x7F))) ++i;
  return i;
}

// Strict (Python "utf-8") validity of a byte string.
bool IsValidUtf8(std::string_view s);

// ---- codecs and fixers (codecs.cc, fixes.cc) ----

// One `text.encode(encoding)` of a CHARMAP_ENCODING; the text must be encodable.
std::string EncodeCharmap(std::string_view text, int enc);
// bytes.decode("utf-8-variants") (CESU-8 surrogate pairs, Java's C0 80): false on an error.
bool DecodeUtf8Variants(std::string_view bytes, std::string* out);
// fixes.restore_byte_a0 and fixes.replace_lossy_sequences (bytes -> bytes).
std::string RestoreByteA0(std::string_view bytes);
std::string ReplaceLossySequences(std::string_view bytes);

// str -> str fixers. Each returns false (leaving *out alone) when the text would not change.
bool UnescapeHtml(std::string_view text, std::string* out);
bool DecodeInconsistentUtf8(std::string_view text, std::string* out);
bool FixC1Controls(std::string_view text, std::string* out);
// fix_c1_controls, fix_latin_ligatures, fix_character_width, uncurl_quotes, fix_line_breaks,
// fix_surrogates, remove_terminal_escapes and remove_control_chars, in that order (the per-
// character ones fused into one pass).
bool FixCharacters(std::string_view text, std::string* out);
bool FixSurrogates(std::string_view text, std::string* out);
bool RemoveTerminalEscapes(std::string_view text, std::string* out);
bool RemoveControlChars(std::string_view text, std::string* out);

}  // namespace winnow::ftfy::internal
