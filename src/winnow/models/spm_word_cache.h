// SpmUnigram's word -> pieces cache (spm_unigram.h): sharded, each shard a flat
// open-addressing table under its own mutex, cleared when half full (cheap, and frequent words
// come back at once). One slot holds the word and its split inline, so a lookup touches one or
// two cache lines; a hash map of strings and vectors cost more than the search it saved.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <string_view>
#include <vector>

namespace winnow {

class WordCache {
 public:
  static constexpr size_t kMaxWord = 30;    // bytes; longer words are not cached
  static constexpr size_t kMaxPieces = 8;   // words of more pieces are not cached
  struct Value {
    float min_gap;  // see SpmUnigram::Robust
    uint8_t n;
    uint8_t lens[kMaxPieces];
    int32_t ids[kMaxPieces];
  };

  explicit WordCache(int slots_log2 = 14) { SetCapacity(slots_log2); }
  // Drops everything; each shard then holds 2^slots_log2 slots.
  void SetCapacity(int slots_log2) {
    for (auto& sh : shards_) {
      std::lock_guard<std::mutex> lock(sh.mu);
      sh.tags.assign(size_t{1} << slots_log2, 0);
      sh.slots.assign(size_t{1} << slots_log2, Slot{});
      sh.used = 0;
    }
  }
  bool Get(std::string_view word, uint64_t hash, Value* out) const {
    const Shard& sh = shards_[hash % kShards];
    const uint32_t tag = Tag(hash);
    std::lock_guard<std::mutex> lock(sh.mu);
    const size_t mask = sh.slots.size() - 1;
    __builtin_prefetch(&sh.slots[(hash >> 8) & mask]);  // fetched alongside the tag
    for (size_t i = (hash >> 8) & mask;; i = (i + 1) & mask) {
      if (sh.tags[i] == 0) return false;
      const Slot& s = sh.slots[i];
      if (sh.tags[i] == tag && s.len == word.size() && std::memcmp(s.word, word.data(), word.size()) == 0) {
        *out = s.value;
        return true;
      }
    }
  }
  void Put(std::string_view word, uint64_t hash, const Value& v) {
    if (word.size() > kMaxWord) return;
    Shard& sh = shards_[hash % kShards];
    std::lock_guard<std::mutex> lock(sh.mu);
    if (2 * (sh.used + 1) > sh.slots.size()) {
      std::fill(sh.tags.begin(), sh.tags.end(), 0);
      sh.used = 0;
      ++sh.clears;
    }
    const size_t mask = sh.slots.size() - 1;
    const uint32_t tag = Tag(hash);
    for (size_t i = (hash >> 8) & mask;; i = (i + 1) & mask) {
      Slot& s = sh.slots[i];
      if (sh.tags[i] == tag && s.len == word.size() && std::memcmp(s.word, word.data(), word.size()) == 0) return;
      if (sh.tags[i] != 0) continue;
      sh.tags[i] = tag;
      s.len = static_cast<uint8_t>(word.size());
      std::memcpy(s.word, word.data(), word.size());
      s.value = v;
      ++sh.used;
      return;
    }
  }
  size_t Size() const { return Sum([](const Shard& sh) { return sh.used; }); }
  size_t Clears() const { return Sum([](const Shard& sh) { return sh.clears; }); }

 private:
  struct Slot {
    uint8_t len = 0;
    char word[kMaxWord];
    Value value;
  };
  struct Shard {
    mutable std::mutex mu;
    std::vector<uint32_t> tags;  // per slot: 0 empty, else hash bits | 1 (probed apart from the slots)
    std::vector<Slot> slots;
    size_t used = 0, clears = 0;
  };
  static constexpr size_t kShards = 16;
  static uint32_t Tag(uint64_t hash) { return static_cast<uint32_t>(hash >> 32) | 1; }
  template <typename F>
  size_t Sum(F f) const {
    size_t n = 0;
    for (const auto& sh : shards_) {
      std::lock_guard<std::mutex> lock(sh.mu);
      n += f(sh);
    }
    return n;
  }
  std::array<Shard, kShards> shards_;
};

}  // namespace winnow
