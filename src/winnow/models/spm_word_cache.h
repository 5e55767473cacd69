// SpmUnigram's word -> pieces cache (spm_unigram.h): small, direct-mapped, one per thread and
// model. A word's search costs about as much as a miss in a large table (measured: a 21 MB
// sharded cache under mutexes saved nothing), so the cache only has to keep the frequent words
// and must stay in L2: 4096 slots of one cache line each, a new word overwrites its slot.
// Words are kept zero-padded in three 64-bit words, so hashing and comparing are a few loads.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace winnow {

class WordCache {
 public:
  static constexpr size_t kMaxWord = 24;   // bytes; longer words are not cached
  static constexpr size_t kMaxPieces = 4;  // words of more pieces are not cached
  struct Value {
    float min_gap;  // see SpmUnigram::Robust
    uint8_t n;
    uint8_t lens[kMaxPieces];
    int32_t ids[kMaxPieces];
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
  static Key MakeKey(std::string_view word) {
    Key k;
    std::memcpy(k.w, word.data(), word.size());
    k.len = static_cast<uint8_t>(word.size());
    return k;
  }

  explicit WordCache(int slots_log2) : slots_(size_t{1} << slots_log2), mask_(slots_.size() - 1) {}
  bool Get(const Key& k, uint64_t hash, Value* out) const {
    const Slot& s = slots_[hash & mask_];
    if (s.len != k.len || s.w[0] != k.w[0] || s.w[1] != k.w[1] || s.w[2] != k.w[2] || s.len == 0) return false;
    *out = s.value;
    return true;
  }
  void Put(const Key& k, uint64_t hash, const Value& v) {
    Slot& s = slots_[hash & mask_];
    evictions_ += s.len != 0;
    std::memcpy(s.w, k.w, sizeof s.w);
    s.len = k.len;
    s.value = v;
  }
  size_t evictions() const { return evictions_; }

 private:
  struct alignas(64) Slot {
    uint64_t w[3] = {0, 0, 0};
    uint8_t len = 0;  // 0: empty (the empty word is never looked up)
    Value value{};
  };
  std::vector<Slot> slots_;
  size_t mask_;
  size_t evictions_ = 0;
};

}  // namespace winnow
