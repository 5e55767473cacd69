// The two n-gram stores of KenLM's binary format, read in place from the mapped file (internal
// to kenlm_binary.cc). Both answer the three lookups KenLM's scorer makes, with the context read
// newest word first: the unigram of the predicted word, then each longer n-gram ("middle", orders
// 2..N-1) extending the previous one by one older word, then the longest order. Layouts are
// KenLM's (lm/search_hashed.*, lm/search_trie.*, lm/trie.*, lm/bhiksha.*, lm/quantize.*, commit
// 4cb443e); this is a separate implementation of the same format.
//
// Every lookup checks what it reads against the mapped sizes, so a corrupt file can give odd
// scores but never a read outside the mapping (corrupt word ids fall back to <unk>, corrupt trie
// pointers to "not found").
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/prefetch.h"
#include "winnow/core/status.h"

namespace winnow::kenlm {

// A byte range of the mapped file.
struct Span {
  const uint8_t* data = nullptr;
  uint64_t size = 0;
  uint64_t file_offset = 0;  // where data starts in the file (bhiksha aligns on it)
};

inline uint32_t LoadU32(const uint8_t* p) { uint32_t v; std::memcpy(&v, p, 4); return v; }
inline uint64_t LoadU64(const uint8_t* p) { uint64_t v; std::memcpy(&v, p, 8); return v; }
inline float LoadF32(const uint8_t* p) { float v; std::memcpy(&v, p, 4); return v; }
inline float FromBits(uint32_t b) { float f; std::memcpy(&f, &b, 4); return f; }
inline uint32_t Bits(float f) { uint32_t b; std::memcpy(&b, &f, 4); return b; }
constexpr uint32_t kSign = 0x80000000u;

// Bits needed to store 0..max_value (0 for 0), as KenLM sizes its bit fields.
inline uint8_t RequiredBits(uint64_t max_value) {
  uint8_t bits = 0;
  for (; max_value; max_value >>= 1) ++bits;
  return bits;
}
// Buckets of a KenLM probing hash table for `entries` keys (float arithmetic as KenLM does it).
inline uint64_t ProbingBuckets(uint64_t entries, float multiplier) {
  return std::max(entries + 1, static_cast<uint64_t>(multiplier * static_cast<float>(entries)));
}
// MurmurHash64A with seed 0: KenLM's vocabulary hash of a word's bytes.
uint64_t VocabHash(std::string_view word);

// Linear-probing table of fixed-size entries keyed by their first 8 bytes (0 = empty).
struct ProbingTable {
  const uint8_t* base = nullptr;
  uint64_t buckets = 0;
  uint32_t entry_size = 0;
  // The home bucket's line and the next: KenLM fills its tables two thirds full, so a key is often
  // a few buckets past its home, across a line boundary, and that line was not prefetched
  // (perplexity_filter with an 82 MB 5-gram probing model: 2.84-3.02 -> 2.27-2.34 s; with the
  // bench's 3-gram: 1.78-1.85 -> 1.70-1.74 s).
  void Prefetch(uint64_t key) const {
    if (!buckets) return;
    const uint8_t* home = base + (key % buckets) * entry_size;
    PrefetchRead(home);
    if (home + 64 < base + buckets * entry_size) PrefetchRead(home + 64);
  }
  const uint8_t* Find(uint64_t key) const {
    uint64_t i = key % buckets;
    for (uint64_t probes = 0; probes < buckets; ++probes) {  // bounded: a corrupt table may be full
      const uint8_t* e = base + i * entry_size;
      uint64_t got = LoadU64(e);
      if (got == key) return e;
      if (got == 0) return nullptr;
      if (++i == buckets) i = 0;
    }
    return nullptr;
  }
};

struct Counts {
  std::vector<uint64_t> n;  // n-grams per order, unigrams first
  int order() const { return static_cast<int>(n.size()); }
};

// "probing" and "probing with rest costs": unigrams by word id; longer n-grams in hash tables
// keyed by a hash of the word ids (newest first). A stored probability with its sign bit clear
// marks an n-gram that some longer n-gram extends to the left.
class ProbingSearch {
 public:
  using Node = uint64_t;
  // rest: the file after its header (vocabulary, then n-grams); *used: the bytes they take.
  Status Init(const Counts& c, float multiplier, bool rest_costs, Span rest, uint64_t* used);
  uint32_t Index(std::string_view word) const {
    const uint8_t* e = vocab_.Find(VocabHash(word));
    if (!e) return 0;
    uint32_t id = LoadU32(e + 8);
    return id < bound_ ? id : 0;
  }
  uint32_t bound() const { return bound_; }
  void Unigram(uint32_t w, Node* node, bool* independent_left, float* prob, float* backoff) const {
    const uint8_t* e = unigrams_ + static_cast<uint64_t>(w) * weights_size_;
    uint32_t p = LoadU32(e);
    *independent_left = p & kSign;
    *prob = FromBits(p | kSign);
    *backoff = LoadF32(e + 4);
    *node = w;
  }
  bool Middle(int order_minus_2, uint32_t w, Node* node, bool* independent_left, float* prob, float* backoff) const {
    *node = Combine(*node, w);
    const uint8_t* e = middle_[order_minus_2].Find(*node);
    if (!e) {
      *independent_left = true;
      return false;
    }
    uint32_t p = LoadU32(e + 8);
    *independent_left = p & kSign;
    *prob = FromBits(p | kSign);
    *backoff = LoadF32(e + 12);
    return true;
  }
  bool Longest(uint32_t w, Node node, float* prob) const {
    const uint8_t* e = longest_.Find(Combine(node, w));
    if (!e) return false;
    *prob = LoadF32(e + 8);
    return true;
  }
  // Prefetches the buckets FullScore will probe for seq[p] after seq[p - 1], seq[p - 2], ...
  // (newest first; at most `order - 1` of them): the keys depend on the words only.
  void Prefetch(const uint32_t* seq, size_t p, int order) const {
    uint64_t node = seq[p];
    const size_t context = std::min<size_t>(static_cast<size_t>(order - 1), p);
    const size_t middles = std::min(context, middle_.size());
    for (size_t k = 0; k < middles; ++k) {
      node = Combine(node, seq[p - 1 - k]);
      middle_[k].Prefetch(node);
    }
    if (context == static_cast<size_t>(order - 1)) longest_.Prefetch(Combine(node, seq[p - 1 - middles]));
  }

 private:
  static uint64_t Combine(uint64_t h, uint32_t next) {
    return (h * 8978948897894561157ULL) ^ ((1 + static_cast<uint64_t>(next)) * 17894857484156487943ULL);
  }
  ProbingTable vocab_;
  uint32_t bound_ = 1;
  const uint8_t* unigrams_ = nullptr;
  uint32_t weights_size_ = 8;  // prob, backoff[, rest]
  std::vector<ProbingTable> middle_;
  ProbingTable longest_;
};

// "trie", optionally with quantized values (-q/-b) and bhiksha-compressed pointers (-a): word ids
// sorted by the hash of their string; each order a bit-packed array of (word, values, pointer to
// the first child in the next order), children of one node contiguous and sorted by word.
class TrieSearch {
 public:
  struct Node { uint64_t begin = 0, end = 0; };
  Status Init(const Counts& c, bool quantized, bool bhiksha, Span rest, uint64_t* used);
  uint32_t Index(std::string_view word) const {
    uint64_t h = VocabHash(word);
    const uint8_t* lo = vocab_;
    size_t n = vocab_words_;
    // Binary search over the sorted hashes (id = position + 1; <unk> = 0 is not stored).
    size_t a = 0, b = n;
    while (a < b) {
      size_t mid = a + (b - a) / 2;
      uint64_t v = LoadU64(lo + mid * 8);
      if (v < h) a = mid + 1;
      else if (v > h) b = mid;
      else return static_cast<uint32_t>(mid + 1);
    }
    return 0;
  }
  uint32_t bound() const { return static_cast<uint32_t>(vocab_words_ + 1); }
  void Unigram(uint32_t w, Node* node, bool* independent_left, float* prob, float* backoff) const {
    const uint8_t* e = unigrams_ + static_cast<uint64_t>(w) * 16;
    *prob = LoadF32(e);
    *backoff = LoadF32(e + 4);
    node->begin = LoadU64(e + 8);
    node->end = LoadU64(e + 24);
    if (node->end > first_level_entries_ || node->begin > node->end) node->begin = node->end = 0;  // corrupt
    *independent_left = node->begin == node->end;
  }
  bool Middle(int order_minus_2, uint32_t w, Node* node, bool* independent_left, float* prob, float* backoff) const;
  bool Longest(uint32_t w, Node node, float* prob) const;

 private:
  struct Level {
    const uint8_t* base = nullptr;  // the bit-packed records
    uint64_t entries = 0;
    uint8_t word_bits = 0, total_bits = 0, value_bits = 0, next_bits = 0;
    uint64_t next_entries = 0;  // entries of the order below (bound for child pointers)
    const uint64_t* offsets = nullptr;  // bhiksha: high bits of the pointers, by record index
    uint64_t offsets_count = 0;
    const float* prob_bins = nullptr;  // quantized: value tables
    const float* backoff_bins = nullptr;
    bool Find(uint32_t w, const Node& range, uint64_t* index) const;
    uint64_t ReadNext(uint64_t index) const;
  };
  static uint64_t ReadBits(const uint8_t* base, uint64_t bit, uint8_t len) {
    return len == 0 ? 0 : (LoadU64(base + (bit >> 3)) >> (bit & 7)) & ((1ULL << len) - 1);
  }
  const uint8_t* vocab_ = nullptr;
  uint64_t vocab_words_ = 0;
  const uint8_t* unigrams_ = nullptr;
  uint64_t first_level_entries_ = 0;
  bool quantized_ = false;
  uint8_t prob_bits_ = 0, backoff_bits_ = 0;
  std::vector<Level> middle_;
  Level longest_;
};

}  // namespace winnow::kenlm
