// Counts equal 64-bit hashes (n-gram frequencies for the repetition filters: a hash stands in
// for the n-gram, see RollingHash for the collision bound). Reused across samples by one thread.
//
// Long documents make a hash table far larger than the cache, and random inserts then cost a
// cache miss each. So large inputs are first radix-partitioned by their top bits (sequential
// passes) into cache-sized buckets, and each bucket is counted on its own.
// Only what the filters need is kept: the number of distinct hashes and the counts above one.
//
// Most n-grams of a text occur once. So a bucket is first sifted through a bitmap of 16 bits per
// hash (two bits per position: seen, seen again): a hash whose position was never seen twice
// occurs exactly once (an equal hash would have landed on it), and only the rest, the repeats
// and ~5% that merely share a position (27% of a web corpus's character 10-grams), are counted
// exactly in an open-addressing table. The bitmap is an eighth of the table's size and both passes
// are branch-free (character + word repetition on a 70 MB corpus: 0.98 -> 0.88 s).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace winnow {

class HashCounter {
 public:
  void Count(const uint64_t* b, const uint64_t* e) {
    distinct_ = 0;
    repeated_.clear();
    size_t n = static_cast<size_t>(e - b);
    if (n <= kBucketTarget * 2) {
      CountSifted(b, e);
      return;
    }
    int bits = 1;
    while ((n >> bits) > kBucketTarget && bits < 16) ++bits;
    size_t buckets = size_t{1} << bits;
    int shift = 64 - bits;
    offsets_.assign(buckets + 1, 0);
    for (const uint64_t* p = b; p < e; ++p) ++offsets_[Mix(*p) >> shift];
    size_t sum = 0;
    for (size_t i = 0; i < buckets; ++i) {
      size_t c = offsets_[i];
      offsets_[i] = sum;
      sum += c;
    }
    offsets_[buckets] = sum;
    scratch_.resize(n);
    cursor_.assign(offsets_.begin(), offsets_.end() - 1);
    for (const uint64_t* p = b; p < e; ++p) scratch_[cursor_[Mix(*p) >> shift]++] = *p;
    for (size_t i = 0; i < buckets; ++i) CountSifted(scratch_.data() + offsets_[i], scratch_.data() + offsets_[i + 1]);
  }
  size_t distinct() const { return distinct_; }
  // The counts of the hashes seen more than once.
  const std::vector<uint32_t>& repeated_counts() const { return repeated_; }

 private:
  static constexpr size_t kBucketTarget = 32768;  // hashes per bucket: 128K slots x 16 B, about L2
  struct Slot {
    uint64_t key = 0;
    uint32_t count = 0;
    uint32_t gen = 0;  // the slot is in use when gen == gen_ (no clearing between documents)
  };
  static uint64_t Mix(uint64_t h) { return h * 0x9E3779B97F4A7C15ull; }

  // See the top of the file: the hashes that may repeat go to CountSmall, the others are
  // distinct by construction.
  void CountSifted(const uint64_t* b, const uint64_t* e) {
    const size_t n = static_cast<size_t>(e - b);
    if (n < 64) {  // the bitmap's set-up would cost more than it saves
      CountSmall(b, e);
      return;
    }
    size_t bits = 1024;
    while (bits < n * 16) bits <<= 1;
    const int shift = 64 - __builtin_ctzll(bits);
    // Word pairs: [2w] = positions seen, [2w + 1] = positions seen again.
    bitmap_.assign(bits / 32, 0);
    uint64_t* const bm = bitmap_.data();
    auto position = [shift](uint64_t h) { return (h * 0xC2B2AE3D27D4EB4Full) >> shift; };
    for (const uint64_t* p = b; p < e; ++p) {
      const uint64_t x = position(*p);
      uint64_t* w = bm + 2 * (x >> 6);
      const uint64_t bit = uint64_t{1} << (x & 63);
      w[1] |= w[0] & bit;
      w[0] |= bit;
    }
    if (maybe_.size() < n) maybe_.resize(n);
    uint64_t* const out = maybe_.data();
    size_t m = 0;
    for (const uint64_t* p = b; p < e; ++p) {
      const uint64_t x = position(*p);
      out[m] = *p;
      m += (bm[2 * (x >> 6) + 1] >> (x & 63)) & 1;
    }
    distinct_ += n - m;
    CountSmall(out, out + m);
  }

  void CountSmall(const uint64_t* b, const uint64_t* e) {
    size_t n = static_cast<size_t>(e - b);
    // At most a quarter full: a hash then almost always finds its own slot or an empty one, so
    // that test is a predictable branch and the update after it is branch-free. (Taking "new"
    // or "seen" as the branch mispredicted on about every other n-gram.)
    size_t cap = 16;
    while (cap < n * 4) cap <<= 1;
    if (slots_.size() < cap) {
      slots_.assign(cap, Slot{});
      gen_ = 0;
    }
    if (++gen_ == 0) {  // the generation wrapped: clear the tags once
      for (Slot& s : slots_) s.gen = 0;
      gen_ = 1;
    }
    size_t mask = cap - 1;
    int shift = 64 - __builtin_ctzll(cap);
    // Hashes seen twice are noted when their count reaches 2, so the counts above one are read
    // back from those slots only (most n-grams occur once; a pass over every used slot was a
    // random access and a mispredicted branch each).
    if (twice_.size() < n) twice_.resize(n);
    size_t num_twice = 0;
    size_t distinct = 0;
    auto index = [&](uint64_t h) { return (Mix(h) << 16 >> shift) & mask; };
    constexpr ptrdiff_t kAhead = 8;  // hide the L2 latency of the random slot accesses
    for (const uint64_t* p = b; p < e; ++p) {
      if (e - p > kAhead) __builtin_prefetch(&slots_[index(p[kAhead])], 1);
      // Index from the low-order product bits: the top bits already chose the bucket.
      size_t i = index(*p);
      Slot* s = &slots_[i];
      bool fresh = s->gen != gen_;
      if (__builtin_expect(!fresh && s->key != *p, 0)) {  // taken by another hash: probe on
        do {
          i = (i + 1) & mask;
          s = &slots_[i];
          fresh = s->gen != gen_;
        } while (!fresh && s->key != *p);
      }
      const uint32_t count = fresh ? 1 : s->count + 1;
      s->key = *p;
      s->gen = gen_;
      s->count = count;
      distinct += fresh;
      twice_[num_twice] = static_cast<uint32_t>(i);
      num_twice += count == 2;
    }
    distinct_ += distinct;
    for (size_t j = 0; j < num_twice; ++j) repeated_.push_back(slots_[twice_[j]].count);
  }

  std::vector<Slot> slots_;
  std::vector<uint32_t> twice_, repeated_;
  std::vector<uint64_t> scratch_, bitmap_, maybe_;
  std::vector<size_t> offsets_, cursor_;
  size_t distinct_ = 0;
  uint32_t gen_ = 0;
};

}  // namespace winnow
