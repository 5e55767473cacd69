// numpy's legacy RandomState (MT19937) as far as Data-Juicer uses it: seeding with an integer
// and randint(low, high, dtype=uint64). DJ's MinHash permutations come from
// RandomState(seed=42); reproducing the stream gives the same MinHash values as DJ.
#pragma once

#include <cstdint>

namespace winnow {

class NumpyRandomState {
 public:
  explicit NumpyRandomState(uint32_t seed) {  // numpy's legacy seeding: init_genrand(seed)
    mt_[0] = seed;
    for (i_ = 1; i_ < 624; ++i_) mt_[i_] = 1812433253u * (mt_[i_ - 1] ^ (mt_[i_ - 1] >> 30)) + static_cast<uint32_t>(i_);
  }
  uint32_t Next32() {
    if (i_ >= 624) Twist();
    uint32_t y = mt_[i_++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    return y ^ (y >> 18);
  }
  // randint(low, high, dtype=np.uint64): masked rejection sampling on 64-bit draws (the first
  // 32-bit draw is the high half), or on 32-bit draws when the range fits in 32 bits.
  uint64_t RandintU64(uint64_t low, uint64_t high) {
    uint64_t rng = high - low - 1;  // inclusive range
    if (rng == 0) return low;
    uint64_t mask = rng;
    for (int s = 1; s < 64; s <<= 1) mask |= mask >> s;
    uint64_t v;
    if (rng <= 0xFFFFFFFFull) {
      do v = Next32() & mask; while (v > rng);
    } else {
      do {
        uint64_t hi = Next32();
        v = ((hi << 32) | Next32()) & mask;
      } while (v > rng);
    }
    return low + v;
  }

 private:
  void Twist() {
    for (int k = 0; k < 624; ++k) {
      uint32_t y = (mt_[k] & 0x80000000u) | (mt_[(k + 1) % 624] & 0x7fffffffu);
      mt_[k] = mt_[(k + 397) % 624] ^ (y >> 1) ^ ((y & 1) ? 0x9908b0dfu : 0u);
    }
    i_ = 0;
  }
  uint32_t mt_[624];
  int i_;
};

}  // namespace winnow
