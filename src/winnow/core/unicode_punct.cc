// RemovePunct: \p{P} (Unicode general category P*) removed without a regex engine (simhash's
// usual ignore_pattern ran through PCRE2 at ~9% of that op). IsPunct (unicode.cc) reads the
// ranges generated with the other tables (scripts/gen_unicode_tables.py: Unicode 14.0, also the
// version of Debian 12's PCRE2 10.42); tests/unit/unicode_punct_test.cc checks both against PCRE2.
#include <array>
#include <string>

#include "winnow/core/ascii_simd.h"
#include "winnow/core/unicode.h"

namespace winnow::unicode {
namespace {

// ASCII bytes of category P: !"#%&'()*,-./:;?@[\]_{} ($+<=>^`|~ are symbols, S*).
constexpr std::string_view kAsciiPunct = "!\"#%&'()*,-./:;?@[\\]_{}";
constexpr std::array<bool, 128> kAsciiPunctTable = [] {
  std::array<bool, 128> t{};
  for (char c : kAsciiPunct) t[static_cast<unsigned char>(c)] = true;
  return t;
}();

#ifdef WINNOW_ASCII_COMPRESS
// Punctuation among 32 ASCII bytes: for each low nibble, the high nibbles (0..7) it pairs with.
__mmask32 AsciiPunct32(__m256i x) {
  static const __m256i by_lo = [] {
    alignas(32) uint8_t t[32] = {};
    for (char c : kAsciiPunct) {
      const auto u = static_cast<unsigned char>(c);
      t[u & 15] |= static_cast<uint8_t>(1u << (u >> 4));
      t[16 + (u & 15)] |= static_cast<uint8_t>(1u << (u >> 4));
    }
    return _mm256_load_si256(reinterpret_cast<const __m256i*>(t));
  }();
  const __m256i bit_of_hi = _mm256_setr_epi8(1, 2, 4, 8, 16, 32, 64, -128, 0, 0, 0, 0, 0, 0, 0, 0,  //
                                             1, 2, 4, 8, 16, 32, 64, -128, 0, 0, 0, 0, 0, 0, 0, 0);
  const __m256i lo = _mm256_and_si256(x, _mm256_set1_epi8(15));
  const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(x, 4), _mm256_set1_epi8(15));
  return _mm256_test_epi8_mask(_mm256_shuffle_epi8(by_lo, lo), _mm256_shuffle_epi8(bit_of_hi, hi));
}
#endif

}  // namespace

bool RemovePunct(std::string_view s, std::string* out) {
  out->resize(s.size());
  char* const begin = out->data();
  char* o = begin;
  const char* p = s.data();
  const char* const e = p + s.size();
  while (p < e) {
#ifdef WINNOW_ASCII_COMPRESS
    // 32 bytes at a time: the ASCII ones before the first non-ASCII byte are compressed past
    // their punctuation in one step. (o never runs ahead of p, so the 32-byte store fits.)
    if (e - p >= 32) {
      const ascii::AsciiRunStep step = ascii::CompressAsciiRun32(p, o, [](__m256i x) { return ~AsciiPunct32(x); });
      o += step.written;
      p += step.read;
      if (step.read == 32) continue;
    }
#endif
    const auto b = static_cast<unsigned char>(*p);
    if (b < 0x80) {
      *o = *p;
      o += !kAsciiPunctTable[b];
      ++p;
      continue;
    }
    const char* const start = p;
    const uint32_t cp = DecodeUtf8(p);
    if (!IsPunct(cp))
      for (const char* q = start; q < p; ++q) *o++ = *q;
  }
  const bool removed = static_cast<size_t>(o - begin) != s.size();
  out->resize(static_cast<size_t>(o - begin));
  return removed;
}

}  // namespace winnow::unicode
