#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

#include "winnow/core/hash_counter.h"
#include "winnow/core/rolling_hash.h"
#include "test_support.h"

namespace winnow {
namespace {

// The four-lane window hashing equals hashing each window on its own, for every length split.
TEST(RollingHash, AllWindowsMatchesDirectHashing) {
  std::mt19937_64 rng(7);
  for (size_t len = 0; len < 150; ++len) {  // every split of the windows over the eight lanes
    std::vector<uint64_t> syms(len);
    for (auto& s : syms) s = rng();
    for (size_t n = 1; n <= 12; ++n) {
      if (len < n) continue;
      std::vector<uint64_t> out(len - n + 1);
      RollingHash::AllWindows(syms.data(), len, n, out.data());
      RollingHash rh(n);
      for (size_t i = 0; i + n <= len; ++i) {
        uint64_t h = 0;
        for (size_t k = 0; k < n; ++k) h = rh.Push(h, RollingHash::Field(syms[i + k]));
        ASSERT_EQ(out[i], h) << "len " << len << " n " << n << " window " << i;
      }
    }
  }
}

TEST(HashCounter, CountsDistinctAndRepeatedIncludingPartitionedInputs) {
  for (size_t n : {0, 5, 1000, 300000}) {  // 300000 takes the partitioned path
    std::vector<uint64_t> keys(n);
    for (size_t i = 0; i < n; ++i) keys[i] = (i % 3 == 0) ? i / 30 : 0x9999999999ull + i;  // every third repeats, in tens
    HashCounter c;
    c.Count(keys.data(), keys.data() + n);
    std::map<uint64_t, uint32_t> want;
    for (auto k : keys) ++want[k];
    EXPECT_EQ(c.distinct(), want.size());
    std::vector<uint32_t> rep;
    for (auto& [k, v] : want) if (v > 1) rep.push_back(v);
    auto got = c.repeated_counts();
    std::sort(got.begin(), got.end());
    std::sort(rep.begin(), rep.end());
    EXPECT_EQ(got, rep);
  }
}

// One counter reused across inputs (its slots are not cleared between them), on random keys
// drawn from a small pool so that most repeat and many share a home slot.
TEST(HashCounter, ReusedCounterMatchesAMapOnRandomKeys) {
  HashCounter c;
  testing::XorShift64 rng(7);
  for (size_t round = 0; round < 200; ++round) {
    const size_t n = rng() % 5000;
    const uint64_t pool = 1 + rng() % (2 * n + 1);
    std::vector<uint64_t> keys(n);
    for (auto& k : keys) k = (rng() % pool) * 0x100000001ull;
    c.Count(keys.data(), keys.data() + n);
    std::map<uint64_t, uint32_t> want;
    for (auto k : keys) ++want[k];
    ASSERT_EQ(c.distinct(), want.size()) << "round " << round;
    std::vector<uint32_t> rep;
    for (auto& [k, v] : want)
      if (v > 1) rep.push_back(v);
    auto got = c.repeated_counts();
    std::sort(got.begin(), got.end());
    std::sort(rep.begin(), rep.end());
    ASSERT_EQ(got, rep) << "round " << round;
  }
}

}  // namespace
}  // namespace winnow
