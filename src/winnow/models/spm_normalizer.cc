#include "winnow/models/spm_normalizer.h"

#include <algorithm>
#include <cstring>
#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace winnow {
namespace {

constexpr size_t kMaxTrieResults = 32;                   // Normalizer::kMaxTrieResultsSize

// darts-clone's DoubleArrayUnit fields.
inline bool HasLeaf(uint32_t u) { return (u >> 8) & 1; }
inline uint32_t Value(uint32_t u) { return u & ((1u << 31) - 1); }
inline uint32_t Label(uint32_t u) { return u & ((1u << 31) | 0xFF); }
inline uint32_t Offset(uint32_t u) { return (u >> 10) << ((u & (1u << 9)) >> 6); }

inline bool IsTrail(char c) { return static_cast<signed char>(c) < -0x40; }
inline bool ValidCodepoint(uint32_t c) { return c < 0xD800 || (c >= 0xE000 && c <= 0x10FFFF); }

// string_util::DecodeUTF8's length and validity (a literal U+FFFD counts as valid).
size_t Utf8CharLen(std::string_view s, bool* valid) {
  const auto* b = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  *valid = true;
  if (b[0] < 0x80) return 1;
  if (n >= 2 && (b[0] & 0xE0) == 0xC0) {
    uint32_t cp = (b[0] & 0x1Fu) << 6 | (b[1] & 0x3Fu);
    if (IsTrail(s[1]) && cp >= 0x80 && ValidCodepoint(cp)) return 2;
  } else if (n >= 3 && (b[0] & 0xF0) == 0xE0) {
    uint32_t cp = (b[0] & 0x0Fu) << 12 | (b[1] & 0x3Fu) << 6 | (b[2] & 0x3Fu);
    if (IsTrail(s[1]) && IsTrail(s[2]) && cp >= 0x800 && ValidCodepoint(cp)) return 3;
  } else if (n >= 4 && (b[0] & 0xF8) == 0xF0) {
    uint32_t cp = (b[0] & 0x07u) << 18 | (b[1] & 0x3Fu) << 12 | (b[2] & 0x3Fu) << 6 | (b[3] & 0x3Fu);
    if (IsTrail(s[1]) && IsTrail(s[2]) && IsTrail(s[3]) && cp >= 0x10000 && ValidCodepoint(cp)) return 4;
  }
  *valid = false;
  return 1;
}

}  // namespace

Result<SpmNormalizer> SpmNormalizer::Create(SpmNormalizerSpec spec) {
  SpmNormalizer n;
  const std::string blob = std::move(spec.precompiled_charsmap);
  spec.precompiled_charsmap.clear();
  n.spec_ = std::move(spec);
  if (!blob.empty()) {
    // Normalizer::DecodePrecompiledCharsMap: a little-endian uint32 trie size, the trie's units,
    // then the replacement pool.
    uint32_t trie_size = 0;
    if (blob.size() > 4) std::memcpy(&trie_size, blob.data(), 4);
    if (blob.size() <= 4 || trie_size > blob.size() - 4 || trie_size < 4)
      return Status::Error("the SentencePiece model's normalization rules (precompiled_charsmap) are broken");
    n.units_.resize(trie_size / 4);
    std::memcpy(n.units_.data(), blob.data() + 4, n.units_.size() * 4);
    n.pool_.assign(blob, 4 + trie_size);
  }
  n.pool_.push_back('\0');  // every replacement read from the pool ends inside it
  for (unsigned b = 0; b < 0x80; ++b) {
    bool has_rule = false;
    if (!n.units_.empty()) {
      const uint32_t pos = Offset(n.units_[0]) ^ b;
      has_rule = pos < n.units_.size() && Label(n.units_[pos]) == b;
      if (has_rule) {
        const uint32_t u = n.units_[pos];
        const uint32_t node = pos ^ Offset(u);
        n.single_rule_[b] = HasLeaf(u);
        for (unsigned c = 0; c < 0x80; ++c) {
          const uint32_t next = node ^ c;
          if (next < n.units_.size() && Label(n.units_[next]) == c) n.follow_[b][c >> 6] |= uint64_t{1} << (c & 63);
        }
      }
    }
    n.plain_[b] = !has_rule;
  }
  n.ascii_blocks_ = n.plain_[static_cast<unsigned char>(' ')];
  for (unsigned b = 0x21; b < 0x7F; ++b)
    n.ascii_blocks_ = n.ascii_blocks_ && (n.plain_[b] || (!n.single_rule_[b] && n.follow_[b][0] == 0 && n.follow_[b][1] == 0));
  // A character is plain when walking the trie over its bytes falls off before its end without
  // passing a rule's end: no rule starts with it, so Prefix() returns it unchanged.
  n.plain_bmp_.assign(0x10000 / 64, 0);
  n.after_char_.assign(0x10000, 0);
  for (uint32_t cp = 0x80; cp < 0x10000; ++cp) {
    if (cp >= 0xD800 && cp < 0xE000) continue;
    unsigned char bytes[3];
    size_t len;
    if (cp < 0x800) {
      bytes[0] = static_cast<unsigned char>(0xC0 | (cp >> 6)), bytes[1] = static_cast<unsigned char>(0x80 | (cp & 0x3F));
      len = 2;
    } else {
      bytes[0] = static_cast<unsigned char>(0xE0 | (cp >> 12));
      bytes[1] = static_cast<unsigned char>(0x80 | ((cp >> 6) & 0x3F));
      bytes[2] = static_cast<unsigned char>(0x80 | (cp & 0x3F));
      len = 3;
    }
    bool plain = n.units_.empty(), leaf = false;
    uint32_t pos = 0;
    if (!plain) {
      pos = Offset(n.units_[0]);
      for (size_t i = 0; i < len; ++i) {
        pos ^= bytes[i];
        if (pos >= n.units_.size() || Label(n.units_[pos]) != bytes[i]) {
          plain = true;  // fell off: no rule continues here
          break;
        }
        const uint32_t u = n.units_[pos];
        pos ^= Offset(u);
        if (HasLeaf(u)) {  // a rule ends inside (or at the end of) the character
          leaf = true;
          break;
        }
      }
    }
    if (plain) n.plain_bmp_[cp >> 6] |= uint64_t{1} << (cp & 63);
    else if (!leaf && pos != 0 && pos < n.units_.size()) n.after_char_[cp] = pos;
  }
  return n;
}

std::pair<std::string_view, size_t> SpmNormalizer::Prefix(std::string_view input) const {
  // Darts' commonPrefixSearch over the whole input; the library keeps the longest of the
  // first kMaxTrieResults matches (they come shortest first).
  size_t longest = 0, found = 0;
  uint32_t value = 0;
  if (!units_.empty()) {
    uint32_t pos = Offset(units_[0]);
    for (size_t i = 0; i < input.size(); ++i) {
      const auto c = static_cast<unsigned char>(input[i]);
      pos ^= c;
      if (pos >= units_.size()) break;  // only in a broken model: no match
      const uint32_t u = units_[pos];
      if (Label(u) != c) break;
      pos ^= Offset(u);
      if (HasLeaf(u)) {
        if (pos >= units_.size()) break;
        if (found < kMaxTrieResults) {
          longest = i + 1;
          value = Value(units_[pos]);
        }
        ++found;
      }
    }
  }
  if (longest > 0) {
    if (value >= pool_.size()) return {std::string_view(), longest};
    return {std::string_view(pool_.data() + value), longest};
  }
  bool valid;
  const size_t len = Utf8CharLen(input, &valid);
  if (!valid) return {std::string_view("\xEF\xBF\xBD"), 1};
  return {input.substr(0, len), len};
}

// A run of printable ASCII and spaces (whose next byte is ASCII): each byte is written as
// itself, a space as the escaped mark unless it follows one when collapsing. Branch-free: every
// byte stores four bytes (the mark or the byte) and advances by 3, 1 or 0; the stores past the
// advance land in the slack that Normalize keeps.
void SpmNormalizer::NormalizeAsciiRun(const char* d, size_t len, char* o, size_t* w, bool* prev_space) const {
  const bool collapse = spec_.remove_extra_whitespaces, escape = spec_.escape_whitespaces;
#if defined(__AVX512VBMI2__) && defined(__AVX512VL__) && defined(__BMI2__)
  // The run at once (len <= kAsciiBlock = 32): spaces after a space dropped (vpcompressb), then
  // each space widened to U+2581's three bytes, sixteen input bytes at a time: in a 48-bit
  // space with three bits per input byte, a byte lands on its first bit and a space keeps its
  // other two for the mark's trailing bytes; squeezing out the unused bits (pext) gives the
  // vpexpandb mask and the mark bytes' positions. (The byte loop was ~60% of Normalize.)
  static_assert(kAsciiBlock <= 32);
  const __mmask32 valid = len >= 32 ? ~__mmask32{0} : (__mmask32{1} << len) - 1;
  const __m256i v = _mm256_maskz_loadu_epi8(valid, d);
  const uint32_t sp = _mm256_mask_cmpeq_epi8_mask(valid, v, _mm256_set1_epi8(' '));
  const uint32_t keep = collapse ? valid & ~(sp & ((sp << 1) | uint32_t{*prev_space})) : valid;
  if (len > 0) *prev_space = collapse && ((sp >> (len - 1)) & 1);
  const __m256i c = _mm256_maskz_compress_epi8(keep, v);
  const uint32_t m = static_cast<uint32_t>(__builtin_popcount(keep));
  char* out = o + *w;
  if (!escape) {
    _mm256_mask_storeu_epi8(out, m >= 32 ? ~__mmask32{0} : (__mmask32{1} << m) - 1, c);
    *w += m;
    return;
  }
  const uint32_t spc = static_cast<uint32_t>(_pext_u64(sp, keep));  // the kept spaces
  constexpr uint64_t kFirst = 0x249249249249ull;  // bit 3j for j < 16
  for (uint32_t h = 0; 16 * h < m; ++h) {
    const uint32_t mh = std::min<uint32_t>(16, m - 16 * h);
    const uint64_t lands = _pdep_u64((uint64_t{1} << mh) - 1, kFirst);
    const uint64_t spaces = _pdep_u64((spc >> (16 * h)) & ((1u << mh) - 1), kFirst);
    const uint64_t present = lands | (spaces << 1) | (spaces << 2);
    const __m512i src = _mm512_castsi128_si512(h == 0 ? _mm256_castsi256_si128(c) : _mm256_extracti128_si256(c, 1));
    __m512i x = _mm512_maskz_expand_epi8(_pext_u64(lands, present), src);
    x = _mm512_mask_mov_epi8(x, _pext_u64(spaces, present), _mm512_set1_epi8(static_cast<char>(0xE2)));
    x = _mm512_mask_mov_epi8(x, _pext_u64(spaces << 1, present), _mm512_set1_epi8(static_cast<char>(0x96)));
    x = _mm512_mask_mov_epi8(x, _pext_u64(spaces << 2, present), _mm512_set1_epi8(static_cast<char>(0x81)));
    const uint32_t n_out = static_cast<uint32_t>(__builtin_popcountll(present));  // <= 48
    _mm512_mask_storeu_epi8(out, (uint64_t{1} << n_out) - 1, x);
    out += n_out;
  }
  *w = static_cast<size_t>(out - o);
#else
  const uint32_t mark = escape ? 0x8196E2u : uint32_t{' '};  // U+2581 in UTF-8, little-endian
  const size_t mark_len = escape ? 3 : 1;
  size_t at = *w;
  bool prev = *prev_space;
  for (size_t k = 0; k < len; ++k) {
    const auto c = static_cast<unsigned char>(d[k]);
    const bool space = c == ' ';
    const uint32_t v = space ? mark : c;
    std::memcpy(o + at, &v, 4);
    at += space ? (prev ? 0 : mark_len) : 1;
    prev = space ? collapse : false;
  }
  *w = at;
  *prev_space = prev;
#endif
}

void SpmNormalizer::Normalize(std::string_view in, std::string* out) const {
  out->clear();
  const bool collapse = spec_.remove_extra_whitespaces, escape = spec_.escape_whitespaces;
  if (collapse) {  // leading whitespace (anything that normalizes to a single space) goes
    while (!in.empty()) {
      auto [rep, used] = Prefix(in);
      if (rep != " ") break;
      in.remove_prefix(used);
    }
  }
  if (in.empty()) return;
  // Written through a raw pointer into a buffer sized up front (appending per character was
  // most of this function's time). The fast paths write at most 3 bytes per input byte (a space
  // becomes U+2581), so 3 * n + 16 covers them; the slow path makes room for its replacement
  // before writing it, keeping cap >= w + 3 * (bytes left) + 16.
  const char* d = in.data();
  const size_t n = in.size();
  size_t cap = 3 * n + 16;
  out->resize(cap);
  char* o = out->data();
  size_t w = 0;
  auto put_space = [&] {
    if (escape) {
      std::memcpy(o + w, kSpmSpaceMark.data(), kSpmSpaceMark.size());
      w += kSpmSpaceMark.size();
    } else {
      o[w++] = ' ';
    }
  };
  if (!spec_.treat_whitespace_as_suffix && spec_.add_dummy_prefix) put_space();
  bool prev_space = collapse;
  size_t scalar_until = 0;  // no block starts before this
  for (size_t i = 0; i < n;) {
    const auto c = static_cast<unsigned char>(d[i]);
#if defined(__AVX2__)
    // The run of printable ASCII and spaces starting here, up to 32 bytes, when the byte after
    // it is ASCII too (else its last byte, which a rule may join to that byte, is left out); the
    // byte that ended it goes the way below.
    if (ascii_blocks_ && i >= scalar_until && i + kAsciiBlock < n) {
      const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(d + i));
      // bytes outside 0x20..0x7E (signed compares: bytes >= 0x80 are negative)
      const __m256i bad = _mm256_or_si256(_mm256_cmpgt_epi8(_mm256_set1_epi8(0x20), v),
                                          _mm256_cmpgt_epi8(v, _mm256_set1_epi8(0x7E)));
      const uint32_t bad_bits = static_cast<uint32_t>(_mm256_movemask_epi8(bad));
      size_t run = bad_bits ? static_cast<size_t>(__builtin_ctz(bad_bits)) : kAsciiBlock;
      if (static_cast<unsigned char>(d[i + run]) >= 0x80 && run > 0) --run;
      if (run > 0) {
        NormalizeAsciiRun(d + i, run, o, &w, &prev_space);
        i += run;
        continue;
      }
      // Nothing to take here: no block is tried again before the next ASCII byte.
      const uint32_t ascii_after = ~static_cast<uint32_t>(_mm256_movemask_epi8(v)) & ~1u;
      scalar_until = i + (ascii_after ? static_cast<size_t>(__builtin_ctz(ascii_after)) : kAsciiBlock);
    }
#endif
    if (c < 0x80) {
      if (c == ' ' && plain_[c]) {  // " " maps to itself: dropped after a space when collapsing
        if (!prev_space) put_space();
        prev_space = collapse;
        ++i;
        continue;
      }
      if (c != ' ' && PlainAt(d, i, n)) {  // an ASCII character that maps to itself
        o[w++] = static_cast<char>(c);
        prev_space = false;
        ++i;
        continue;
      }
    } else if (const size_t len = PlainMultiByteAt(d + i, n - i)) {  // so does this one
      std::memcpy(o + w, d + i, len);
      w += len;
      i += len;
      prev_space = false;
      continue;
    }
    auto [rep, used] = Prefix(std::string_view(d + i, n - i));
    std::string_view sp = rep;
    while (prev_space && !sp.empty() && sp.front() == ' ') sp.remove_prefix(1);
    if (!sp.empty()) {
      const size_t need = w + 3 * sp.size() + 3 * (n - i) + 16;
      if (need > cap) {
        cap = std::max(need, 2 * cap);
        out->resize(cap);
        o = out->data();
      }
      for (char ch : sp) {
        if (escape && ch == ' ') {
          std::memcpy(o + w, kSpmSpaceMark.data(), kSpmSpaceMark.size());
          w += kSpmSpaceMark.size();
        } else {
          o[w++] = ch;
        }
      }
      prev_space = sp.back() == ' ';
    }
    i += used;
    if (!collapse) prev_space = false;
  }
  out->resize(w);
  auto add_space = [&] {
    if (escape) out->append(kSpmSpaceMark);
    else out->push_back(' ');
  };
  if (collapse) {
    const std::string_view space = escape ? kSpmSpaceMark : std::string_view(" ");
    while (out->size() >= space.size() && std::string_view(*out).substr(out->size() - space.size()) == space)
      out->resize(out->size() - space.size());
  }
  if (spec_.treat_whitespace_as_suffix && spec_.add_dummy_prefix) add_space();
}

}  // namespace winnow
