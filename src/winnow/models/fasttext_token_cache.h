// Per-thread memo for FastTextModel: word token -> its input rows (for a vocabulary word its
// precomputed list, for any other token the hashed, pruned character n-grams of "<token>").
// Computing an unknown token's rows is most of a line's cost and text repeats its words, so each
// thread remembers the recent ones. Vocabulary words are kept too, so that a token seen before
// costs one probe here instead of one in the vocabulary table, its key comparison and a read of
// its row list (session 19: language ID 0.60 -> 0.54 s op time; of 9M tokens of the bench corpus,
// only 31K vocabulary words missed here). Tokens that are not words (labels) are never kept.
// The lists are exactly what the model would compute, so predictions do not change.
//
// Two-way set associative, one 64-byte cache line per entry holding the token and its rows
// inline: a lookup costs one memory access (a chained table with separate key and row arrays
// cost three cache misses per hit, as much as recomputing a short word). Tokens over 25 bytes
// or with more than 8 rows (16 when the model's row ids fit 16 bits, as lid.176.ftz's do) are
// not cached. (Session 19: 251K of the 1.26M misses on the bench corpus were tokens with more
// than 8 rows, 189K of them repeats; taking up to 16 as 16-bit ids cut language ID 0.53 -> 0.51 s.
// Storing every entry's ids as 16 bits was no faster: the widening cost every hit. Measured and
// not kept before: 128-byte entries for tokens up to 57 bytes and 16 rows, language ID 0.68 ->
// 0.90 s; row ids packed 21 bits each for 12 per entry, no difference.) Newcomers replace
// entries as ClaimWay says, so frequent tokens stay. (Direct mapped and always replacing, 59% of
// the misses on the bench corpus were tokens seen before: rare tokens kept pushing frequent ones
// out.)
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "winnow/core/huge_pages.h"
#include "winnow/core/prefetch.h"
#include "winnow/models/cache_ways.h"

namespace winnow {

class FastTextTokenCache {
 public:
  static constexpr size_t kMaxToken = 25;

  // Drops everything when it belongs to another model (models carry a process-unique serial).
  // narrow_rows: every row id of the model is below 2^16 (lid.176.ftz has 50,000 input rows), so
  // an entry can hold up to 16 of them as 16-bit ids instead of 8.
  void Bind(uint64_t model_serial, bool narrow_rows) {
    if (serial_ != model_serial) {
      entries_.assign(kEntries, Entry{});
      serial_ = model_serial;
      narrow_ = narrow_rows;
    }
  }

  void Prefetch(uint32_t h) const {  // PrefetchRead: core/prefetch.h says why not __builtin_prefetch
    const Entry* set = &entries_[2 * Set(h)];
    PrefetchRead(set);
    PrefetchRead(set + 1);
  }

  // Appends the cached rows of `token` (hash `h`) to *rows, or returns false.
  bool Find(std::string_view token, uint32_t h, std::vector<int32_t>* rows) {
    Entry* set = &entries_[2 * Set(h)];
    for (int way = 0; way < 2; ++way) {
      Entry& e = set[way];
      if (e.hash != h || e.len != token.size() || std::memcmp(e.word, token.data(), token.size()) != 0) continue;
      if (e.hits < kMaxHits) ++e.hits;
      // Whole fixed-size blocks are copied (no memmove call, no loop over n), then the size is cut
      // back to the entry's count.
      const size_t at = rows->size();
      if (e.nrows <= kMaxRows32) {
        rows->resize(at + kMaxRows32);
        std::memcpy(rows->data() + at, e.rows32, sizeof e.rows32);
      } else {
        rows->resize(at + kMaxRows16);
        int32_t* out = rows->data() + at;
        for (size_t i = 0; i < kMaxRows16; ++i) out[i] = e.rows16[i];
      }
      rows->resize(at + e.nrows);
      return true;
    }
    return false;
  }

  void Insert(std::string_view token, uint32_t h, const int32_t* rows, uint32_t n) {
    if (token.empty() || token.size() > kMaxToken || n > (narrow_ ? kMaxRows16 : kMaxRows32)) return;
    Entry* claimed = ClaimWay(&entries_[2 * Set(h)]);
    if (!claimed) return;
    Entry& e = *claimed;
    e.hash = h;
    e.len = static_cast<uint8_t>(token.size());
    e.nrows = static_cast<uint8_t>(n);
    e.hits = 0;
    std::memcpy(e.word, token.data(), token.size());
    if (n > kMaxRows32) {
      for (uint32_t i = 0; i < n; ++i) e.rows16[i] = static_cast<uint16_t>(rows[i]);
    } else if (n) {
      std::memcpy(e.rows32, rows, n * sizeof(int32_t));  // rows may be null when n == 0
    }
  }

 private:
  // 16 MB per thread. (2^16: C4 recipe 2-3% slower; 2^18 was no better than 2^17 until the cache
  // held vocabulary words too, session 19: language ID 0.51-0.53 -> 0.48-0.50 s alone, 0.48-0.52
  // -> 0.46-0.49 s in the C4 recipe.)
  static constexpr uint32_t kBits = 18, kEntries = 1u << kBits;
  static constexpr uint8_t kMaxHits = 3;
  // Up to 8 rows as they are; 9 to 16 as 16-bit ids, for models whose ids all fit.
  static constexpr size_t kMaxRows32 = 8, kMaxRows16 = 16;
  struct alignas(64) Entry {
    uint32_t hash;
    uint8_t len;  // 0 = empty (tokens are never empty)
    uint8_t nrows;
    uint8_t hits;
    char word[kMaxToken];
    union {
      int32_t rows32[kMaxRows32];
      uint16_t rows16[kMaxRows16];
    };
  };
  static_assert(sizeof(Entry) == 64);
  static uint32_t Set(uint32_t h) { return (h * 0x9E3779B1u) >> (32 - kBits + 1); }

  uint64_t serial_ = 0;
  bool narrow_ = false;
  HugeVector<Entry> entries_;
};

}  // namespace winnow
