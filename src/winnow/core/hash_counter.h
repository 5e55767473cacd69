// Open-addressing counter keyed by 64-bit hashes, reused across samples by one thread.
// Used for n-gram frequency counts (character/word repetition): a 64-bit hash stands in for the
// n-gram itself; a collision needs ~2^32 distinct n-grams in one document to become likely.
#pragma once

#include <cstdint>
#include <vector>

namespace winnow {

class HashCounter {
 public:
  // Prepares for up to n insertions.
  void Reset(size_t n) {
    size_t cap = 16;
    while (cap < n * 2) cap <<= 1;
    if (keys_.size() < cap || keys_.size() > cap * 8) {
      keys_.assign(cap, 0);
      counts_.assign(cap, 0);
    } else {
      cap = keys_.size();
      std::fill(counts_.begin(), counts_.end(), 0);
    }
    mask_ = cap - 1;
    used_.clear();
  }
  void Add(uint64_t h) {
    size_t i = (h ^ (h >> 29)) & mask_;
    for (;;) {
      if (counts_[i] == 0) {
        keys_[i] = h;
        counts_[i] = 1;
        used_.push_back(static_cast<uint32_t>(i));
        return;
      }
      if (keys_[i] == h) { ++counts_[i]; return; }
      i = (i + 1) & mask_;
    }
  }
  size_t distinct() const { return used_.size(); }
  // Calls f(count) for every distinct key.
  template <typename F>
  void ForEachCount(F f) const {
    for (uint32_t i : used_) f(counts_[i]);
  }

 private:
  std::vector<uint64_t> keys_;
  std::vector<uint32_t> counts_;
  std::vector<uint32_t> used_;
  size_t mask_ = 0;
};

}  // namespace winnow
