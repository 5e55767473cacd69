// SentencePiece's text normalizer (libsentencepiece 0.1.97, src/normalizer.cc), rewritten so the
// native encoder (spm_unigram.h) does not need the library: the model's precompiled charsmap (a
// darts-clone double-array trie of source strings, plus a pool of NUL-terminated replacements)
// is matched longest-prefix-first at each position; whitespace is then trimmed, collapsed and
// escaped as U+2581 as the NormalizerSpec says. The output is the library's, byte for byte
// (tests compare the two on every kind of model).
//
// Speed: most bytes of real text are ASCII characters that no rule starts with; those map to
// themselves, so runs of them are copied without touching the trie.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "winnow/core/status.h"

namespace winnow {

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
  bool plain_[256] = {};             // ASCII byte no rule starts with: it maps to itself
};

}  // namespace winnow
