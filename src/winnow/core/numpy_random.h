// numpy's legacy RandomState (MT19937) as far as Data-Juicer uses it: seeding with an integer
// and randint(low, high, dtype=uint64). DJ's MinHash permutations come from
// RandomState(seed=42); reproducing the stream gives the same MinHash values as DJ.
// Also random_sample / standard_normal (sklearn's NMF init, audiomentations' noise) and
// init_by_array seeding, which is how CPython seeds its `random` module from an int, so the
// same class reproduces Python's random.random() too.
#pragma once

#include <cmath>
#include <cstdint>
#include <span>

namespace winnow {

class NumpyRandomState {
 public:
  explicit NumpyRandomState(uint32_t seed) {  // numpy's legacy seeding: init_genrand(seed)
    mt_[0] = seed;
    for (i_ = 1; i_ < 624; ++i_) mt_[i_] = 1812433253u * (mt_[i_ - 1] ^ (mt_[i_ - 1] >> 30)) + static_cast<uint32_t>(i_);
  }
  // RandomState([k0, k1, ...]) (numpy's init_by_array). CPython's random.seed(n) for an int n
  // uses the same routine on |n|'s 32-bit words, least significant first ([0] for n == 0), so
  // FromKey({5}).Random01() is random.Random(5).random().
  static NumpyRandomState FromKey(std::span<const uint32_t> key) {
    NumpyRandomState r(19650218u);
    uint32_t* mt = r.mt_;
    size_t i = 1, j = 0;
    size_t n = key.empty() ? 1 : key.size();
    for (size_t k = 624 > n ? 624 : n; k > 0; --k) {
      uint32_t kj = key.empty() ? 0u : key[j];
      mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525u)) + kj + static_cast<uint32_t>(j);
      if (++i >= 624) { mt[0] = mt[623]; i = 1; }
      if (++j >= n) j = 0;
    }
    for (size_t k = 623; k > 0; --k) {
      mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941u)) - static_cast<uint32_t>(i);
      if (++i >= 624) { mt[0] = mt[623]; i = 1; }
    }
    mt[0] = 0x80000000u;  // guarantees a non-zero state
    r.i_ = 624;
    return r;
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

  // random_sample() (and Python's random.random()): a 53-bit double in [0, 1) from two draws.
  double Random01() {
    uint32_t a = Next32() >> 5, b = Next32() >> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }
  // standard_normal() / randn() of the legacy RandomState: Marsaglia's polar method, which makes
  // two normals per accepted pair and caches the second for the next call (numpy's legacy_gauss).
  double StandardNormal() {
    if (has_gauss_) {
      has_gauss_ = false;
      return gauss_;
    }
    double x1, x2, r2;
    do {
      x1 = 2.0 * Random01() - 1.0;
      x2 = 2.0 * Random01() - 1.0;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 == 0.0);
    double f = std::sqrt(-2.0 * std::log(r2) / r2);
    gauss_ = f * x1;
    has_gauss_ = true;
    return f * x2;
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
  bool has_gauss_ = false;  // legacy_gauss's cached second value
  double gauss_ = 0.0;
};

}  // namespace winnow
