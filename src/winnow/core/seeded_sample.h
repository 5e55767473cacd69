// Deterministic sampling without replacement: the same (n, k, seed) gives the same subset on
// every platform (mt19937_64 is fully specified; the bounded draw is our own, since
// std::uniform_int_distribution is implementation-defined).
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

namespace winnow {

// k distinct indices from [0, n), returned in increasing order.
inline std::vector<uint32_t> SeededSample(size_t n, size_t k, uint64_t seed) {
  std::vector<uint32_t> idx(n);
  for (uint32_t i = 0; i < n; ++i) idx[i] = i;
  if (k >= n) return idx;
  std::mt19937_64 rng(seed);
  for (size_t i = 0; i < k; ++i) {
    uint64_t range = n - i, limit = UINT64_MAX - UINT64_MAX % range, x;
    do { x = rng(); } while (x >= limit);
    std::swap(idx[i], idx[i + x % range]);
  }
  idx.resize(k);
  std::sort(idx.begin(), idx.end());
  return idx;
}

}  // namespace winnow
