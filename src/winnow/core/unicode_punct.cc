// \p{P} (Unicode general category P*) without a regex engine: simhash's default ignore_pattern
// ran through PCRE2 at ~9% of that op. The ranges are generated with the other tables
// (scripts/gen_unicode_tables.py: Unicode 14.0, also the version of Debian 12's PCRE2 10.42);
// tests/unit/unicode_punct_test.cc checks every code point against PCRE2.
#include <array>
#include <string>
#include <unordered_map>
#include <vector>

#include "winnow/core/unicode.h"

#if defined(__AVX512VBMI2__) && defined(__AVX512VL__) && defined(__AVX512BW__)
#include <immintrin.h>
#define WINNOW_PUNCT_COMPRESS 1
#endif

namespace winnow::unicode {
namespace punct_data {
struct Range { uint32_t first, last; };
struct LowerEntry { uint32_t cp; uint8_t len; uint32_t out[3]; };
#include "winnow/core/unicode_data.inc"  // only kPyPunct is used here
}  // namespace punct_data

namespace {

constexpr uint32_t kMaxCp = 0x110000;

// Two-level bit table: blocks of 256 code points, identical blocks shared (a few KB).
struct PunctTable {
  std::vector<uint16_t> block_of;
  std::vector<std::array<uint64_t, 4>> blocks;
};

const PunctTable& Table() {
  static const PunctTable table = [] {
    std::vector<std::array<uint64_t, 4>> flat(kMaxCp >> 8, std::array<uint64_t, 4>{});
    for (const auto& r : punct_data::kPyPunct)
      for (uint32_t c = r.first; c <= r.last; ++c) flat[c >> 8][(c >> 6) & 3] |= uint64_t{1} << (c & 63);
    PunctTable t;
    t.block_of.resize(flat.size());
    std::unordered_map<std::string, uint16_t> seen;
    for (size_t b = 0; b < flat.size(); ++b) {
      std::string key(reinterpret_cast<const char*>(flat[b].data()), sizeof flat[b]);
      auto [it, fresh] = seen.emplace(key, static_cast<uint16_t>(t.blocks.size()));
      if (fresh) t.blocks.push_back(flat[b]);
      t.block_of[b] = it->second;
    }
    return t;
  }();
  return table;
}

// ASCII bytes of category P: !"#%&'()*,-./:;?@[\]_{} ($+<=>^`|~ are symbols, S*).
constexpr std::string_view kAsciiPunct = "!\"#%&'()*,-./:;?@[\\]_{}";
constexpr std::array<bool, 128> kAsciiPunctTable = [] {
  std::array<bool, 128> t{};
  for (char c : kAsciiPunct) t[static_cast<unsigned char>(c)] = true;
  return t;
}();

#ifdef WINNOW_PUNCT_COMPRESS
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

bool IsPunct(uint32_t cp) {
  if (cp < 128) return kAsciiPunctTable[cp];
  if (cp >= kMaxCp) return false;
  const PunctTable& t = Table();
  return (t.blocks[t.block_of[cp >> 8]][(cp >> 6) & 3] >> (cp & 63)) & 1;
}

bool RemovePunct(std::string_view s, std::string* out) {
  out->resize(s.size());
  char* const begin = out->data();
  char* o = begin;
  const char* p = s.data();
  const char* const e = p + s.size();
  while (p < e) {
#ifdef WINNOW_PUNCT_COMPRESS
    // 32 bytes at a time: the ASCII ones before the first non-ASCII byte are compressed past
    // their punctuation in one step. (o never runs ahead of p, so the 32-byte store fits.)
    if (e - p >= 32) {
      const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
      const uint32_t high = static_cast<uint32_t>(_mm256_movemask_epi8(x));
      const size_t ascii = high ? static_cast<size_t>(__builtin_ctz(high)) : 32;
      const uint32_t in_run = ascii == 32 ? 0xFFFFFFFFu : (1u << ascii) - 1;
      const uint32_t keep = ~static_cast<uint32_t>(AsciiPunct32(x)) & in_run;
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(o), _mm256_maskz_compress_epi8(keep, x));
      o += __builtin_popcount(keep);
      p += ascii;
      if (ascii == 32) continue;
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
