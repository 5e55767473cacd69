// SpmUnigram's word -> pieces cache (spm_unigram.h): direct-mapped, one per thread and model,
// no locks. Most misses are rare words, so a slot's word is only replaced once it has gone
// unhit as often as it was hit (a small counter): frequent words stay. Measured on 20 MB of web
// text (encoding alone): 4096 slots 36.6 MB/s, 2^16 slots (4 MB) 43 MB/s, 2^18 42; without the
// counter, size made no difference (a 21 MB sharded cache under mutexes saved nothing). On the
// multilingual bench corpus (19% of lookups missed 2^16 slots) and a host with a 32 MB L3,
// 2^18 slots (16 MB) took 8% off words_num_filter with tokenization and 3% off the C4 recipe,
// so that is the size now (SpmUnigram::cache_log2_).
// Words are kept zero-padded in three 64-bit words, so hashing and comparing are a few loads.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>
#include "winnow/core/huge_pages.h"

namespace winnow {

class WordCache {
 public:
  static constexpr size_t kMaxWord = 24;    // bytes; longer words are not cached
  // Words of more pieces, or with a piece id above kMaxId, are not cached. (With four pieces,
  // 9% of the words of a multilingual corpus could not be cached.)
  static constexpr size_t kMaxPieces = 10;
  static constexpr int kMaxId = 0xFFFF;
  struct Value {
    float min_gap;  // see SpmUnigram::Robust
    uint8_t chars;  // the word's UTF-8 characters (Robust's k)
    uint8_t n;
    uint8_t lens[kMaxPieces];
    uint16_t ids[kMaxPieces];
  };
  // A word as the cache holds it (only for word.size() <= kMaxWord).
  struct Key {
    uint64_t w[3] = {0, 0, 0};
    uint8_t len = 0;
    uint64_t Hash() const {
      uint64_t h = (w[0] * 0x9E3779B97F4A7C15ull) ^ (w[1] * 0xC2B2AE3D27D4EB4Full) ^ (w[2] * 0x165667B19E3779F9ull) ^ len;
      return h ^ (h >> 29);
    }
  };
  // The key of a word followed by at least kMaxWord readable bytes (whatever they hold): three
  // whole-word loads, masked. (A variable-length copy followed by whole-word reads stalled on
  // store forwarding.)
  static Key MakeKeyPadded(const char* p, size_t len) {
    Key k;
    for (size_t i = 0; i < 3; ++i) {
      uint64_t x;
      std::memcpy(&x, p + 8 * i, 8);
      const size_t have = len > 8 * i ? len - 8 * i : 0;
      k.w[i] = have >= 8 ? x : have == 0 ? 0 : x & ((uint64_t{1} << (8 * have)) - 1);
    }
    k.len = static_cast<uint8_t>(len);
    return k;
  }

  explicit WordCache(int slots_log2) : slots_(size_t{1} << slots_log2), mask_(slots_.size() - 1) {}
  void Prefetch(uint64_t hash) const { __builtin_prefetch(&slots_[hash & mask_]); }
  bool Get(const Key& k, uint64_t hash, Value* out) {
    Slot& s = slots_[hash & mask_];
    if (s.len != k.len || s.w[0] != k.w[0] || s.w[1] != k.w[1] || s.w[2] != k.w[2] || s.len == 0) return false;
    if (s.hits < kMaxHits) ++s.hits;
    *out = s.value;
    return true;
  }
  // A word that was hit since it came in is not evicted by one newcomer: each newcomer that
  // would take its slot costs it a hit instead, so frequent words stay (rare words, most of the
  // misses, would otherwise push them out).
  void Put(const Key& k, uint64_t hash, const Value& v) {
    Slot& s = slots_[hash & mask_];
    if (s.hits > 0) {
      --s.hits;
      return;
    }
    evictions_ += s.len != 0;
    std::memcpy(s.w, k.w, sizeof s.w);
    s.len = k.len;
    s.hits = 0;
    s.value = v;
  }
  size_t evictions() const { return evictions_; }

 private:
  struct alignas(64) Slot {
    uint64_t w[3] = {0, 0, 0};
    uint8_t len = 0;  // 0: empty (the empty word is never looked up)
    uint8_t hits = 0;
    Value value{};
  };
  static_assert(sizeof(Slot) == 64, "a slot is one cache line");
  HugeVector<Slot> slots_;
  size_t mask_;
  size_t evictions_ = 0;
  static constexpr uint8_t kMaxHits = 3;
};

}  // namespace winnow
