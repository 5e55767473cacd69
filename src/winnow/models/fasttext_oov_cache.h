// Per-thread memo for FastTextModel: out-of-vocabulary token -> its input rows (the hashed,
// pruned character n-grams of "<token>"). Computing those is most of a line's cost and text
// repeats its words, so each thread remembers the recent ones. The lists are exactly what
// AddSubwords returns, so predictions do not change.
//
// Direct-mapped, one 64-byte cache line per entry holding the token and its rows inline: a
// lookup costs one memory access (a chained table with separate key and row arrays cost three
// cache misses per hit, as much as recomputing a short word). Tokens over 26 bytes or with more
// than 8 rows are not cached; a colliding token replaces the older one.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "winnow/core/huge_pages.h"
#include <string_view>

namespace winnow {

class FastTextOovCache {
 public:
  static constexpr size_t kMaxToken = 26, kMaxRows = 8;

  // Drops everything when it belongs to another model (models carry a process-unique serial).
  void Bind(uint64_t model_serial) {
    if (serial_ != model_serial) {
      entries_.assign(kEntries, Entry{});
      serial_ = model_serial;
    }
  }

  void Prefetch(uint32_t h) const { __builtin_prefetch(&entries_[Slot(h)]); }

  // The cached rows of `token` (FNV hash `h`), or false.
  bool Find(std::string_view token, uint32_t h, const int32_t** rows, uint32_t* n) const {
    const Entry& e = entries_[Slot(h)];
    if (e.hash != h || e.len != token.size() || std::memcmp(e.word, token.data(), token.size()) != 0) return false;
    *rows = e.rows;
    *n = e.nrows;
    return true;
  }

  void Insert(std::string_view token, uint32_t h, const int32_t* rows, uint32_t n) {
    if (token.empty() || token.size() > kMaxToken || n > kMaxRows) return;
    Entry& e = entries_[Slot(h)];
    e.hash = h;
    e.len = static_cast<uint8_t>(token.size());
    e.nrows = static_cast<uint8_t>(n);
    std::memcpy(e.word, token.data(), token.size());
    if (n) std::memcpy(e.rows, rows, n * sizeof(int32_t));  // rows may be null when n == 0
  }

 private:
  static constexpr uint32_t kBits = 17, kEntries = 1u << kBits;  // 8 MB per thread (2^16: C4 recipe 2-3% slower; 2^18: no better)
  struct alignas(64) Entry {
    uint32_t hash;
    uint8_t len;  // 0 = empty (tokens are never empty)
    uint8_t nrows;
    char word[kMaxToken];
    int32_t rows[kMaxRows];
  };
  static_assert(sizeof(Entry) == 64);
  static uint32_t Slot(uint32_t h) { return (h * 0x9E3779B1u) >> (32 - kBits); }

  uint64_t serial_ = 0;
  HugeVector<Entry> entries_;
};

}  // namespace winnow
