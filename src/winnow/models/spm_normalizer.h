// SentencePiece's text normalizer (libsentencepiece 0.1.97, src/normalizer.cc), rewritten so the
// native encoder (spm_unigram.h) does not need the library: the model's precompiled charsmap (a
// darts-clone double-array trie of source strings, plus a pool of NUL-terminated replacements)
// is matched longest-prefix-first at each position; whitespace is then trimmed, collapsed and
// escaped as U+2581 as the NormalizerSpec says. The output is the library's, byte for byte
// (tests compare the two on every kind of model).
//
// Speed: most bytes of real text are ASCII characters that no rule applies to; those map to
// themselves, so runs of them are copied without touching the trie (see PlainAt); so are the
// other characters of the BMP that no rule starts with (PlainMultiByteAt).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "winnow/core/status.h"

namespace winnow {

// U+2581, SentencePiece's escaped space (the mark at the start of a word's first piece).
inline constexpr std::string_view kSpmSpaceMark = "\xe2\x96\x81";

struct SpmNormalizerSpec {
  std::string precompiled_charsmap;  // empty: no rules (identity)
  bool add_dummy_prefix = true;
  bool remove_extra_whitespaces = true;
  bool escape_whitespaces = true;
  bool treat_whitespace_as_suffix = false;  // from the TrainerSpec
};

class SpmNormalizer {
 public:
  // Error when the charsmap blob is broken (the library refuses such a model too).
  static Result<SpmNormalizer> Create(SpmNormalizerSpec spec);
  // Normalizer::Normalize(input) (norm_to_orig is not needed by EncodeAsPieces' pieces).
  void Normalize(std::string_view input, std::string* out) const;

 private:
  // NormalizePrefix: the replacement of the longest rule matching input's start and the bytes
  // it consumes; no rule: the first UTF-8 character itself (a malformed byte: U+FFFD, 1 byte).
  std::pair<std::string_view, size_t> Prefix(std::string_view input) const;

  SpmNormalizerSpec spec_;           // charsmap moved out into the two members below
  std::vector<uint32_t> units_;      // the double array (empty: no rules)
  std::string pool_;                 // replacements, NUL-terminated, indexed by a rule's value
  // ASCII bytes that map to themselves without looking further: no rule starts with them
  // (plain_), or (NFKC's compositions start with most letters) no rule is the byte alone and no
  // rule continues with the next byte (follow_: bit c of b's row set if some rule starts "bc").
  bool PlainAt(const char* d, size_t j, size_t n) const {
    const auto b = static_cast<unsigned char>(d[j]);
    if (b >= 0x80) return false;
    if (plain_[b]) return true;
    if (single_rule_[b]) return false;
    if (j + 1 >= n) return true;
    const auto c = static_cast<unsigned char>(d[j + 1]);
    return c < 0x80 && !((follow_[b][c >> 6] >> (c & 63)) & 1);
  }
  // The length of the 2- or 3-byte character at p if it maps to itself without looking further
  // (no rule starts with its bytes: plain_bmp_), else 0.
  size_t PlainMultiByteAt(const char* p, size_t rem) const {
    const auto b0 = static_cast<unsigned char>(p[0]);
    uint32_t cp;
    size_t len;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      if (rem < 2 || (static_cast<unsigned char>(p[1]) & 0xC0) != 0x80) return 0;
      cp = (b0 & 0x1Fu) << 6 | (static_cast<unsigned char>(p[1]) & 0x3Fu);
      len = 2;
    } else if ((b0 & 0xF0) == 0xE0) {
      if (rem < 3 || (static_cast<unsigned char>(p[1]) & 0xC0) != 0x80 || (static_cast<unsigned char>(p[2]) & 0xC0) != 0x80)
        return 0;
      cp = (b0 & 0x0Fu) << 12 | (static_cast<unsigned char>(p[1]) & 0x3Fu) << 6 | (static_cast<unsigned char>(p[2]) & 0x3Fu);
      if (cp < 0x800) return 0;  // overlong (surrogates are never marked plain)
      len = 3;
    } else {
      return 0;
    }
    if ((plain_bmp_[cp >> 6] >> (cp & 63)) & 1) return len;
    // Rules start with it but none is the character alone (NFKC's compositions: a letter, then
    // a combining mark): plain when no rule continues with the next byte.
    const uint32_t node = after_char_[cp];
    if (node == 0) return 0;
    if (rem == len) return len;
    const auto next = static_cast<unsigned char>(p[len]);
    const uint32_t pos = node ^ next;
    return pos < units_.size() && (units_[pos] & ((1u << 31) | 0xFF)) == next ? 0 : len;
  }
  bool plain_[256] = {};
  std::vector<uint64_t> plain_bmp_;  // U+0080..U+FFFF (not surrogates) that no rule starts with
  // For the other BMP characters whose bytes lead to a trie node without passing a rule's end:
  // that node (its children are at node ^ byte); 0 otherwise.
  std::vector<uint32_t> after_char_;
  bool single_rule_[128] = {};
  // Whether every printable ASCII byte (0x21..0x7E) maps to itself when the next byte is ASCII
  // (no rule is the byte alone or continues with an ASCII byte), and ' ' is a plain space: then
  // a block of printable ASCII and spaces followed by ASCII is normalized without looking up
  // anything (NormalizeAsciiRun).
  bool ascii_blocks_ = false;
  // Normalizes the len bytes at d (printable ASCII and spaces, the byte after them ASCII) into
  // o + *w, updating *prev_space.
  static constexpr size_t kAsciiBlock = 32;
  void NormalizeAsciiRun(const char* d, size_t len, char* o, size_t* w, bool* prev_space) const;
  uint64_t follow_[128][2] = {};
};

}  // namespace winnow
