#include "winnow/core/unicode.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <emmintrin.h>
#if defined(__AVX512BW__)
#include <immintrin.h>
#endif
#include <simdjson.h>

namespace winnow::unicode_data {
struct Range { uint32_t first, last; };
struct LowerEntry { uint32_t cp; uint8_t len; uint32_t out[3]; };
#include "winnow/core/unicode_data.inc"
}  // namespace winnow::unicode_data

namespace winnow::unicode {
namespace {

constexpr uint32_t kMaxCp = 0x110000;

// Two-level table: 4352 blocks of 256 code points, identical blocks shared.
struct ClassTable {
  std::vector<uint16_t> block_of;                  // cp >> 8 -> unique block index
  std::vector<std::array<uint8_t, 256>> blocks;
  std::vector<const uint8_t*> block_ptr;           // cp >> 8 -> its block's bytes (Table() only)
};

template <size_t N>
void Mark(std::vector<uint8_t>& flat, const unicode_data::Range (&ranges)[N], uint8_t bit) {
  for (const auto& r : ranges)
    for (uint32_t c = r.first; c <= r.last && c < kMaxCp; ++c) flat[c] |= bit;
}

// The two-level form of a per-code-point byte array.
ClassTable Blocks(const std::vector<uint8_t>& flat) {
  ClassTable t;
  t.block_of.resize(kMaxCp >> 8);
  std::unordered_map<std::string_view, uint16_t> seen;  // block bytes -> index (start-up cost)
  for (uint32_t b = 0; b < (kMaxCp >> 8); ++b) {
    std::string_view bytes(reinterpret_cast<const char*>(flat.data() + (b << 8)), 256);
    auto [it, fresh] = seen.emplace(bytes, static_cast<uint16_t>(t.blocks.size()));
    if (fresh) {
      t.blocks.emplace_back();
      std::copy(bytes.begin(), bytes.end(), t.blocks.back().begin());
    }
    t.block_of[b] = it->second;
  }
  return t;
}

const ClassTable& Table() {
  static const ClassTable table = [] {
    std::vector<uint8_t> flat(kMaxCp, 0);
    using namespace unicode_data;
    Mark(flat, kPyAlpha, kAlpha);
    Mark(flat, kPyAlnum, kAlnum);
    Mark(flat, kPySpace, kSpace);
    Mark(flat, kPyDecimal, kDecimal);
    Mark(flat, kPyLineBreak, kLineBreak);
    Mark(flat, kDjSpecialChars, kDjSpecial);
    Mark(flat, kDjVariousWhitespaces, kDjWhitespace);
    for (const auto& e : kPyLower) flat[e.cp] |= kHasLower;
    ClassTable t = Blocks(flat);
    t.block_ptr.resize(t.block_of.size());
    for (size_t b = 0; b < t.block_of.size(); ++b) t.block_ptr[b] = t.blocks[t.block_of[b]].data();
    return t;
  }();
  return table;
}

// General category P* (\p{P}), built on first use: the class bits are all taken.
const ClassTable& PunctTable() {
  static const ClassTable table = [] {
    std::vector<uint8_t> flat(kMaxCp, 0);
    Mark(flat, unicode_data::kPyPunct, 1);
    return Blocks(flat);
  }();
  return table;
}

const unicode_data::LowerEntry* FindLower(uint32_t cp) {
  const auto* begin = std::begin(unicode_data::kPyLower);
  const auto* end = std::end(unicode_data::kPyLower);
  const auto* it = std::lower_bound(begin, end, cp,
                                    [](const auto& e, uint32_t c) { return e.cp < c; });
  return (it != end && it->cp == cp) ? it : nullptr;
}

// Python's "cased" / "case-ignorable" approximations for the final-sigma rule: a letter that
// has a case mapping counts as cased; combining marks and apostrophes are ignorable.
bool IsCased(uint32_t cp) {
  return (Classes(cp) & kHasLower) != 0 || (cp >= 'a' && cp <= 'z') ||
         (cp >= 0xDF && cp <= 0x24F && (Classes(cp) & kAlpha)) ||
         (cp >= 0x3AC && cp <= 0x3FF && (Classes(cp) & kAlpha)) ||
         (cp >= 0x430 && cp <= 0x52F && (Classes(cp) & kAlpha));
}
bool IsCaseIgnorable(uint32_t cp) {
  return cp == '\'' || cp == 0x2019 || cp == 0xAD || cp == 0xB7 || (cp >= 0x300 && cp <= 0x36F);
}

}  // namespace

bool IsPunct(uint32_t cp) {
  if (cp >= kMaxCp) return false;
  const ClassTable& t = PunctTable();
  return t.blocks[t.block_of[cp >> 8]][cp & 0xFF] != 0;
}

namespace internal {
std::atomic<const uint8_t* const*> class_blocks{nullptr};

uint8_t ClassesSlow(uint32_t cp) {
  const ClassTable& t = Table();
  class_blocks.store(t.block_ptr.data(), std::memory_order_release);  // the same value every time
  if (cp >= kMaxCp) return 0;
  return t.blocks[t.block_of[cp >> 8]][cp & 0xFF];
}
}  // namespace internal

void AppendUtf8(uint32_t cp, std::string& out) {
  char buf[4];
  out.append(buf, static_cast<size_t>(WriteUtf8(cp, buf) - buf));
}

size_t CountCodePoints(std::string_view s) {
  // Every byte that is not a continuation byte (10xxxxxx, i.e. -128..-65 as int8) starts a
  // code point; count them 16 at a time.
  size_t n = 0, i = 0;
  const __m128i limit = _mm_set1_epi8(-65);
  for (; i + 16 <= s.size(); i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    n += __builtin_popcount(static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpgt_epi8(v, limit))));
  }
  for (; i < s.size(); ++i) n += (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
  return n;
}

// GCC 12 warns inside its own AVX-512 intrinsics (their undefined pass-through operand).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
size_t DecodeAll(std::string_view s, uint32_t* out) {
  const char* p = s.data();
  const char* const end = p + s.size();
  uint32_t* o = out;
  while (p < end) {
#if defined(__AVX512BW__) && defined(__AVX512VL__)
    // The ASCII bytes up to the next other byte, 16 at a time, zero-extended to 32 bits. (One
    // character at a time, the code points of a mostly-English document with a few curly quotes
    // took as long as hashing their n-grams.)
    {
      const size_t left = static_cast<size_t>(end - p);
      const __mmask16 valid = left >= 16 ? __mmask16{0xFFFF} : static_cast<__mmask16>((1u << left) - 1);
      const __m128i v = _mm_maskz_loadu_epi8(valid, p);  // masked bytes are never read
      const unsigned high = static_cast<unsigned>(_mm_movemask_epi8(v)) & valid;
      const size_t run = high ? static_cast<size_t>(__builtin_ctz(high)) : std::min<size_t>(left, 16);
      _mm512_storeu_si512(o, _mm512_cvtepu8_epi32(v));  // out has room past the end
      o += run;
      p += run;
      if (!high) continue;
    }
#endif
    *o++ = DecodeUtf8(p);
  }
  return static_cast<size_t>(o - out);
}
#pragma GCC diagnostic pop

bool IsValidUtf8(std::string_view s) { return simdjson::validate_utf8(s.data(), s.size()); }

std::string PyLower(std::string_view s) {
  std::string out;
  PyLowerInto(s, &out);
  return out;
}

namespace {
// Fast paths of PyLowerInto for the characters most text is made of: for each two-byte code
// point (U+0080..U+07FF: Latin-1, Greek, Cyrillic, Hebrew, Arabic...) its lower case when that
// is one two-byte code point (itself when it has none), 0 when the general path must decide
// (final sigma, mappings to other lengths); and for each block of 64 three-byte code points,
// whether none of them has a lower case (CJK, kana, most symbols), so they are copied as is.
struct LowerFastTables {
  uint16_t two[0x800] = {};
  bool three_plain[0x10000 >> 6] = {};
};
const LowerFastTables& LowerFast() {
  static const LowerFastTables t = [] {
    LowerFastTables r;
    for (uint32_t cp = 0x80; cp < 0x800; ++cp) {
      if (!(Classes(cp) & kHasLower)) {
        r.two[cp] = static_cast<uint16_t>(cp);
        continue;
      }
      const auto* e = FindLower(cp);
      if (cp != 0x3A3 && e && e->len == 1 && e->out[0] >= 0x80 && e->out[0] < 0x800) r.two[cp] = static_cast<uint16_t>(e->out[0]);
    }
    for (uint32_t block = 0x800 >> 6; block < (0x10000 >> 6); ++block) {
      bool plain = !(block >= (0xD800 >> 6) && block < (0xE000 >> 6));  // surrogates: the general path
      for (uint32_t cp = block << 6; plain && cp < (block + 1) << 6; ++cp) plain = !(Classes(cp) & kHasLower);
      r.three_plain[block] = plain;
    }
    return r;
  }();
  return t;
}
}  // namespace

void PyLowerInto(std::string_view s, std::string* out_ptr) {
  std::string& out = *out_ptr;
  // Lowering grows a code point by at most half (2 -> 3 bytes, e.g. U+0130, U+023A), so the
  // output is written through a pointer into a buffer sized once (plus room for a whole vector
  // store past the last byte).
  out.resize(s.size() + s.size() / 2 + 64);
  char* o = out.data();
  const char* p = s.data();
  const char* end = p + s.size();
  const LowerFastTables& fast = LowerFast();
  auto put = [&o](uint32_t cp) { o = WriteUtf8(cp, o); };
  while (p < end) {
#if defined(__AVX512BW__)
    // The ASCII bytes up to the next other byte, 64 at a time: add 0x20 to 'A'..'Z'.
    {
      const size_t left = static_cast<size_t>(end - p);
      const __mmask64 valid = left >= 64 ? ~__mmask64{0} : (__mmask64{1} << left) - 1;
      const __m512i v = _mm512_maskz_loadu_epi8(valid, p);  // masked bytes are never read
      const uint64_t high = _mm512_movepi8_mask(v) & valid;
      const size_t run = high ? static_cast<size_t>(__builtin_ctzll(high)) : std::min<size_t>(left, 64);
      const __mmask64 upper = _mm512_cmple_epu8_mask(_mm512_sub_epi8(v, _mm512_set1_epi8('A')), _mm512_set1_epi8('Z' - 'A'));
      _mm512_storeu_si512(o, _mm512_mask_add_epi8(v, upper, v, _mm512_set1_epi8(0x20)));  // o has 64 bytes of room
      o += run;
      p += run;
      if (!high) continue;
    }
#else
    // 16 ASCII bytes at a time: add 0x20 to 'A'..'Z'.
    while (end - p >= 16) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      if (_mm_movemask_epi8(v)) break;
      __m128i upper = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('A' - 1)), _mm_cmplt_epi8(v, _mm_set1_epi8('Z' + 1)));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(o), _mm_add_epi8(v, _mm_and_si128(upper, _mm_set1_epi8(0x20))));
      o += 16;
      p += 16;
    }
    if (p >= end) break;
    if (static_cast<unsigned char>(*p) < 0x80) {
      const unsigned char b = static_cast<unsigned char>(*p);
      *o++ = (b >= 'A' && b <= 'Z') ? static_cast<char>(b + 32) : static_cast<char>(b);
      ++p;
      continue;
    }
#endif
    const auto b0 = static_cast<unsigned char>(*p);
    if (b0 >= 0xC2 && b0 <= 0xDF && end - p >= 2 && (static_cast<unsigned char>(p[1]) & 0xC0) == 0x80) {
      const uint32_t cp = (b0 & 0x1Fu) << 6 | (static_cast<unsigned char>(p[1]) & 0x3Fu);
      if (const uint32_t lower = fast.two[cp]) {
        *o++ = static_cast<char>(0xC0 | (lower >> 6));
        *o++ = static_cast<char>(0x80 | (lower & 0x3F));
        p += 2;
        continue;
      }
    } else if ((b0 & 0xF0) == 0xE0 && end - p >= 3 && (static_cast<unsigned char>(p[1]) & 0xC0) == 0x80 &&
               (static_cast<unsigned char>(p[2]) & 0xC0) == 0x80) {
      const uint32_t cp = (b0 & 0x0Fu) << 12 | (static_cast<unsigned char>(p[1]) & 0x3Fu) << 6 |
                          (static_cast<unsigned char>(p[2]) & 0x3Fu);
      if (cp >= 0x800 && fast.three_plain[cp >> 6]) {
        std::memcpy(o, p, 3);
        o += 3;
        p += 3;
        continue;
      }
    }
    const char* start = p;
    uint32_t cp = DecodeUtf8(p);
    if (!(Classes(cp) & kHasLower)) {
      while (start < p) *o++ = *start++;
      continue;
    }
    if (cp == 0x3A3) {  // final sigma: preceded by a cased letter, not followed by one
      bool before = false, after = false;
      {
        const char* q = start;
        while (q > s.data()) {
          const char* r = q - 1;
          while (r > s.data() && (static_cast<unsigned char>(*r) & 0xC0) == 0x80) --r;
          const char* t = r;
          uint32_t c = DecodeUtf8(t);
          if (IsCaseIgnorable(c)) { q = r; continue; }
          before = IsCased(c);
          break;
        }
      }
      {
        const char* q = p;
        while (q < end) {
          uint32_t c = DecodeUtf8(q);
          if (IsCaseIgnorable(c)) continue;
          after = IsCased(c);
          break;
        }
      }
      put(before && !after ? 0x3C2 : 0x3C3);
      continue;
    }
    const auto* e = FindLower(cp);
    for (int i = 0; i < e->len; ++i) put(e->out[i]);
  }
  out.resize(static_cast<size_t>(o - out.data()));
}

std::string_view StripClass(std::string_view s, CharClass cls) {
  static const auto ascii = [] {  // ASCII fast path: most word ends are plain ASCII
    std::array<uint8_t, 128> a{};
    for (uint32_t c = 0; c < 128; ++c) a[c] = Classes(c);
    return a;
  }();
  const char* b = s.data();
  const char* e = b + s.size();
  while (b < e) {
    unsigned char c = static_cast<unsigned char>(*b);
    if (c < 0x80) {
      if (!(ascii[c] & cls)) break;
      ++b;
      continue;
    }
    const char* p = b;
    if (!(Classes(DecodeUtf8(p)) & cls)) break;
    b = p;
  }
  while (e > b) {
    unsigned char c = static_cast<unsigned char>(e[-1]);
    if (c < 0x80) {
      if (!(ascii[c] & cls)) break;
      --e;
      continue;
    }
    const char* r = e - 1;
    while (r > b && (static_cast<unsigned char>(*r) & 0xC0) == 0x80) --r;
    const char* p = r;
    if (!(Classes(DecodeUtf8(p)) & cls)) break;
    e = r;
  }
  return std::string_view(b, e - b);
}

int DecimalValue(uint32_t cp) {
  if (!(Classes(cp) & kDecimal)) return -1;
  const auto* begin = std::begin(unicode_data::kPyDecimal);
  const auto* end = std::end(unicode_data::kPyDecimal);
  const auto* it = std::upper_bound(begin, end, cp, [](uint32_t c, const auto& r) { return c < r.first; });
  return static_cast<int>((cp - (it - 1)->first) % 10);
}

std::string_view PyStrip(std::string_view s) { return StripClass(s, kSpace); }

// Replaces ill-formed UTF-8 with U+FFFD, one per maximal ill-formed subpart (as Python's
// bytes.decode(errors="replace") does).
std::string PyReplaceInvalidUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  size_t i = 0;
  while (i < s.size()) {
    auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = b(i);
    size_t need = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      need = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      need = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      need = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    }
    size_t k = 1;
    bool ok = need > 0;
    for (; ok && k <= need; ++k) {
      if (i + k >= s.size()) {
        ok = false;
        break;
      }
      unsigned char lo_k = k == 1 ? lo : 0x80, hi_k = k == 1 ? hi : 0xBF;
      if (b(i + k) < lo_k || b(i + k) > hi_k) {
        ok = false;
        break;
      }
    }
    if (ok) {
      out.append(s.substr(i, need + 1));
      i += need + 1;
    } else {
      out.append("\xEF\xBF\xBD");
      i += k;  // the lead byte and the continuation bytes that were still valid
    }
  }
  return out;
}

}  // namespace winnow::unicode
