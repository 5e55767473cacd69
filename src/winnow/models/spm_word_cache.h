// SpmUnigram's word -> pieces cache (spm_unigram.h): two-way set associative, one per thread
// and model, no locks. Most misses are rare words, so a slot's word is only replaced once it has
// gone unhit as often as it was hit (a small counter): frequent words stay. Measured on 20 MB of
// web text (encoding alone): 4096 slots 36.6 MB/s, 2^16 slots (4 MB) 43 MB/s, 2^18 42; without
// the counter, size made no difference (a 21 MB sharded cache under mutexes saved nothing).
// Session 16 found 2^18 slots better than 2^16 on the multilingual bench corpus, but that was
// the old hash's slot collisions (see HashOf); session 17 then found 2^16, 2^17 and 2^18 slots
// equally fast, but session 18, alternating binaries, measured 2^18 slots (16 MB) 5-7% faster than
// 2^17 on the tokenized filters and perplexity_filter alone (misses 1.09M -> 0.84M on the bench
// corpus; 2^19: a little more, at 32 MB) and ~1.5% on the C4 recipe (SpmUnigram::cache_log2_).
// Not kept (session 18): two small entries per cache line (words up to 16 bytes and 4 pieces)
// for 2^18 words in 8 MB, misses 0.94M but decoding ate the gain; a doorkeeper admitting a word
// at its second sighting only, no faster.
// Words are kept zero-padded in three 64-bit words, so hashing and comparing are a few loads.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "winnow/core/huge_pages.h"
#include "winnow/models/cache_ways.h"

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
  };
  // The slot comes from the low bits, so every input bit must reach them: a product's low bits
  // depend only on its factor's low bits, and every word starts with U+2581 (3 bytes), so the
  // high halves are folded in before a final multiply. (Without the fold, the words starting
  // "▁the" all went to one slot: "▁than", "▁then", "▁these", "▁their" missed thousands of times
  // each on the bench corpus.)
  static uint64_t HashOf(uint64_t w0, uint64_t w1, uint64_t w2, uint64_t len) {
    uint64_t h = (w0 * 0x9E3779B97F4A7C15ull) ^ (w1 * 0xC2B2AE3D27D4EB4Full) ^ (w2 * 0x165667B19E3779F9ull) ^ len;
    h ^= h >> 32;
    h *= 0xD6E8FEB86659FD93ull;
    return h ^ (h >> 29);
  }
  // Fills *k with the word at p (followed by at least kMaxWord readable bytes, whatever they
  // hold: three whole-word loads, masked) and returns its hash, computed from the registers.
  // (Building the key in a local and copying it out made the copy's 16-byte loads wait on the
  // 8- and 1-byte stores before them: ~12% of encoding with a warm cache.)
  static uint64_t FillKeyPadded(const char* p, size_t len, Key* k) {
    uint64_t x[3];
    std::memcpy(x, p, sizeof x);
    const uint64_t bits = 8 * len;  // < 8 * 25
    const uint64_t w0 = bits >= 64 ? x[0] : x[0] & ((uint64_t{1} << bits) - 1);
    const uint64_t w1 = bits >= 128 ? x[1] : bits <= 64 ? 0 : x[1] & ((uint64_t{1} << (bits - 64)) - 1);
    const uint64_t w2 = bits >= 192 ? x[2] : bits <= 128 ? 0 : x[2] & ((uint64_t{1} << (bits - 128)) - 1);
    k->w[0] = w0;
    k->w[1] = w1;
    k->w[2] = w2;
    k->len = static_cast<uint8_t>(len);
    return HashOf(w0, w1, w2, len);
  }

  // Two-way sets: a set is two adjacent slots (128 bytes), a word may sit in either. (Direct
  // mapped, two frequent words that shared a slot kept evicting each other: "▁than" missed 4644
  // times on the bench corpus, and 59% of all misses were words seen before.)
  explicit WordCache(int slots_log2) : slots_(size_t{1} << std::max(slots_log2, 1)), set_mask_(slots_.size() / 2 - 1) {}
  void Prefetch(uint64_t hash) const {
    const Slot* set = &slots_[2 * (hash & set_mask_)];
    __builtin_prefetch(set);
    __builtin_prefetch(set + 1);
  }
  bool Get(const Key& k, uint64_t hash, Value* out) {
    Slot* set = &slots_[2 * (hash & set_mask_)];
    for (int way = 0; way < 2; ++way) {
      Slot& s = set[way];
      if (s.len != k.len || s.w[0] != k.w[0] || s.w[1] != k.w[1] || s.w[2] != k.w[2] || s.len == 0) continue;
      if (s.hits < kMaxHits) ++s.hits;
      *out = s.value;
      return true;
    }
    return false;
  }
  // See ClaimWay: a word that was hit since it came in is not evicted by one newcomer.
  void Put(const Key& k, uint64_t hash, const Value& v) {
    Slot* s = ClaimWay(&slots_[2 * (hash & set_mask_)]);
    if (!s) return;
    evictions_ += s->len != 0;
    std::memcpy(s->w, k.w, sizeof s->w);
    s->len = k.len;
    s->hits = 0;
    s->value = v;
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
  size_t set_mask_;
  size_t evictions_ = 0;
  static constexpr uint8_t kMaxHits = 3;
};

}  // namespace winnow
