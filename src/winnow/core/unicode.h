// Unicode character classes with Python `str` semantics (isalpha, isalnum, isspace, isdecimal,
// splitlines, lower) plus Data-Juicer's SPECIAL_CHARACTERS and VARIOUS_WHITESPACES sets.
// Data-Juicer's ops are Python, so "a character" means a code point and these predicates must
// agree with CPython's; the tables are generated from CPython by scripts/gen_unicode_tables.py.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace winnow::unicode {

enum CharClass : uint8_t {
  kAlpha = 1,         // str.isalpha()
  kAlnum = 2,         // str.isalnum()
  kSpace = 4,         // str.isspace(): what str.strip() removes
  kDecimal = 8,       // str.isdecimal(): what re's \d matches
  kLineBreak = 16,    // str.splitlines() boundaries
  kDjSpecial = 32,    // data_juicer.ops.common.SPECIAL_CHARACTERS (single code points)
  kDjWhitespace = 64, // data_juicer.ops.common.VARIOUS_WHITESPACES
  kHasLower = 128,    // str.lower() changes it
};

namespace internal {
// For each block of 256 code points, its 256 class bytes: published once the table is built
// (on the first ClassesSlow call), so that Classes() is two loads inline instead of a call into
// unicode.cc for every non-ASCII character an op classifies.
extern std::atomic<const uint8_t* const*> class_blocks;
uint8_t ClassesSlow(uint32_t cp);
}  // namespace internal

// Class bits of a code point (0 for values outside Unicode).
inline uint8_t Classes(uint32_t cp) {
  const uint8_t* const* blocks = internal::class_blocks.load(std::memory_order_acquire);
  if (__builtin_expect(blocks != nullptr && cp < 0x110000, 1)) return blocks[cp >> 8][cp & 0xFF];
  return internal::ClassesSlow(cp);
}
inline bool Is(uint32_t cp, CharClass c) { return (Classes(cp) & c) != 0; }

// The digit value of a str.isdecimal() code point (Unicode Nd runs are 0..9), or -1.
int DecimalValue(uint32_t cp);

// Decodes one code point from valid UTF-8 at p (advanced past it). Input must be valid UTF-8.
inline uint32_t DecodeUtf8(const char*& p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  uint32_t c = u[0];
  if (c < 0x80) { p += 1; return c; }
  if (c < 0xE0) { p += 2; return ((c & 0x1F) << 6) | (u[1] & 0x3F); }
  if (c < 0xF0) { p += 3; return ((c & 0x0F) << 12) | ((u[1] & 0x3F) << 6) | (u[2] & 0x3F); }
  p += 4;
  return ((c & 0x07) << 18) | ((u[1] & 0x3F) << 12) | ((u[2] & 0x3F) << 6) | (u[3] & 0x3F);
}

// Byte length of the UTF-8 sequence that starts with lead byte b.
inline int Utf8SeqLen(unsigned char b) { return b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4; }

// Writes cp's UTF-8 bytes (1-4) at o; returns the position after them.
inline char* WriteUtf8(uint32_t cp, char* o) {
  if (cp < 0x80) {
    *o++ = static_cast<char>(cp);
  } else if (cp < 0x800) {
    *o++ = static_cast<char>(0xC0 | (cp >> 6));
    *o++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *o++ = static_cast<char>(0xE0 | (cp >> 12));
    *o++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *o++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *o++ = static_cast<char>(0xF0 | (cp >> 18));
    *o++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *o++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *o++ = static_cast<char>(0x80 | (cp & 0x3F));
  }
  return o;
}

void AppendUtf8(uint32_t cp, std::string& out);

// Number of code points in valid UTF-8 (Python len()).
size_t CountCodePoints(std::string_view s);

// Decodes all of valid UTF-8 s into out[0, n) and returns n (= CountCodePoints(s)). out must
// have room for n + kDecodeSlack values: runs of ASCII are widened a vector at a time, and the
// last store may write past the end.
constexpr size_t kDecodeSlack = 64;
size_t DecodeAll(std::string_view s, uint32_t* out);

// True if s is valid UTF-8 (SIMD).
bool IsValidUtf8(std::string_view s);
// Python's bytes.decode("utf-8", errors="replace"): each maximal ill-formed subpart -> U+FFFD.
std::string PyReplaceInvalidUtf8(std::string_view s);

// Python's str.lower(), including the final-sigma rule.
std::string PyLower(std::string_view s);
void PyLowerInto(std::string_view s, std::string* out);  // same, into a reused buffer

// Python's str.strip() with no arguments (strips str.isspace() code points).
std::string_view PyStrip(std::string_view s);

// Strips leading/trailing code points that have class bit `cls` (DJ's common.strip()).
std::string_view StripClass(std::string_view s, CharClass cls);

// Unicode general category P* (what \p{P} matches; Unicode 14, as Debian 12's PCRE2).
bool IsPunct(uint32_t cp);
// s without its \p{P} code points (re.sub(r'\p{P}', '', s)) into *out; whether any was
// removed. s must be valid UTF-8.
bool RemovePunct(std::string_view s, std::string* out);

}  // namespace winnow::unicode
