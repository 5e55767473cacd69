// datatrove's MinHash (the FineWeb dedup; datatrove a649de7, MinhashConfig defaults), for
// document_minhash_deduplicator's `preset: datatrove`: simplify_text with TextNormConfig's
// defaults, English word tokens (datatrove_text's NLTK port), 5-grams joined by ' ', each
// hashed with xxh64; 64-bit signatures ((h * a + b) mod 2^64 mod (2^61 - 1)) with (a, b) from
// numpy RandomState(1); 14 buckets of 8 hashes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/status.h"

namespace winnow::datatrove {

struct MinhashPreset {
  static constexpr size_t kNGrams = 5, kBuckets = 14, kHashesPerBucket = 8;
  static constexpr uint32_t kSeed = 1;
};

// simplify_text(text) with TextNormConfig(): lower-case; numbers (\p{Nd}+ with an optional
// decimal part) to "0"; punctuation to spaces; whitespace runs to one space; NFD without
// combining marks (Mn); stripped.
Result<std::string> SimplifyText(std::string_view text);

// The xxh64 hashes of the n-word shingles of the simplified text (none when fewer words).
Status ShingleHashes(std::string_view text, size_t n, std::vector<uint64_t>* out);

// The per-permutation minima of (h * a + b) mod 2^64 mod (2^61 - 1) over the hashes.
void Signature64(const std::vector<uint64_t>& hashes, const std::vector<uint64_t>& a, const std::vector<uint64_t>& b,
                 std::vector<uint64_t>* mins);

}  // namespace winnow::datatrove
