// MinHash building blocks that must match Data-Juicer bit for bit: numpy's RandomState stream
// (DJ's permutations come from RandomState(42).randint(..., dtype=uint64)) and DJ's optimal
// (bands, rows) choice. Expected values were produced by numpy 1.24 and scipy 1.10 (Debian).
#include <gtest/gtest.h>

#include <vector>

#include "winnow/core/numpy_random.h"
#include "winnow/ops/dedup/minhash_kernel.h"
#include "winnow/ops/dedup/minhash_params.h"

namespace winnow {
namespace {

TEST(NumpyRandomState, ReproducesNumpysRandintStream) {
  const uint64_t p = (uint64_t{1} << 61) - 1;
  NumpyRandomState g(42);
  // [randint(1, P), randint(0, P)] x 4, as DJ draws its permutation parameters.
  const uint64_t want[] = {2297359619001564596ull, 1396682528897996046ull, 1973689801170867272ull,
                           1819927849474927636ull, 572192888165898362ull,  571748048327668950ull,
                           1071453510346823115ull, 2143071682933157236ull};
  for (int i = 0; i < 8; i += 2) {
    EXPECT_EQ(g.RandintU64(1, p), want[i]) << i;
    EXPECT_EQ(g.RandintU64(0, p), want[i + 1]) << i + 1;
  }
  // Ranges within 32 bits use 32-bit draws: RandomState(7).randint(0, 1000, dtype=uint64) x 5.
  NumpyRandomState g7(7);
  for (uint64_t w : {175, 196, 537, 502, 579}) EXPECT_EQ(g7.RandintU64(0, 1000), w);
}

TEST(MinHashOptimalParams, MatchesDataJuicersChoice) {
  struct Case { int n; double t; int b, r; };
  const Case cases[] = {
      {64, 0.3, 21, 3},   {64, 0.5, 14, 4},   {64, 0.6, 10, 6},   {64, 0.7, 8, 8},    {64, 0.75, 7, 9},
      {64, 0.8, 5, 11},   {64, 0.85, 4, 15},  {64, 0.9, 3, 21},   {64, 0.95, 2, 32},  {128, 0.3, 37, 3},
      {128, 0.5, 25, 5},  {128, 0.6, 18, 7},  {128, 0.7, 14, 9},  {128, 0.75, 11, 11}, {128, 0.8, 9, 13},
      {128, 0.85, 8, 16}, {128, 0.9, 5, 25},  {128, 0.95, 3, 42}, {256, 0.3, 64, 4},  {256, 0.5, 42, 6},
      {256, 0.6, 32, 8},  {256, 0.7, 25, 10}, {256, 0.75, 21, 12}, {256, 0.8, 17, 15}, {256, 0.85, 13, 19},
      {256, 0.9, 9, 28},  {256, 0.95, 5, 51}};
  for (const auto& c : cases) {
    auto [b, r] = MinHashOptimalParams(c.t, c.n);
    EXPECT_EQ(b, c.b) << c.n << " " << c.t;
    EXPECT_EQ(r, c.r) << c.n << " " << c.t;
  }
}

TEST(MinHashKernel, VectorVersionsAgreeWithScalar) {
  NumpyRandomState g(1);
  const uint64_t p = (uint64_t{1} << 61) - 1;
  for (size_t n : {0, 1, 3, 4, 7, 8, 9, 100, 256}) {
    std::vector<uint64_t> a(n), b(n);
    for (size_t i = 0; i < n; ++i) a[i] = g.RandintU64(1, p), b[i] = g.RandintU64(0, p);
    std::vector<uint64_t> want(n, UINT64_MAX), avx2(n, UINT64_MAX), avx512(n, UINT64_MAX);
    for (int k = 0; k < 50; ++k) {
      uint64_t h = g.RandintU64(0, uint64_t{1} << 32);
      if (k == 0) h = 0;
      if (k == 1) h = 0xFFFFFFFFull;
      MinHashPermuteScalar(h, a.data(), b.data(), want.data(), n);
      if (CpuHasAvx2()) MinHashPermuteAvx2(h, a.data(), b.data(), avx2.data(), n);
      if (CpuHasAvx512()) MinHashPermuteAvx512(h, a.data(), b.data(), avx512.data(), n);
    }
    if (CpuHasAvx2()) {
      EXPECT_EQ(avx2, want) << n;
    }
    if (CpuHasAvx512()) {
      EXPECT_EQ(avx512, want) << n;
    }
  }
}

// The register-blocked whole-document kernel gives the per-hash kernel's minima, for permutation
// counts around its 32-wide blocks and for 0, 1 and many hashes (including 0 and 2^32 - 1).
TEST(MinHashKernel, SignatureMatchesPerHashKernel) {
  NumpyRandomState g(7);
  const uint64_t p = (uint64_t{1} << 61) - 1;
  for (size_t n : {1, 8, 31, 32, 33, 64, 100, 256}) {
    std::vector<uint64_t> a(n), b(n);
    for (size_t i = 0; i < n; ++i) a[i] = g.RandintU64(1, p), b[i] = g.RandintU64(0, p);
    for (size_t nh : {0, 1, 2, 57}) {
      std::vector<uint32_t> hashes(nh);
      for (size_t i = 0; i < nh; ++i) hashes[i] = static_cast<uint32_t>(g.RandintU64(0, uint64_t{1} << 32));
      if (nh > 2) hashes[0] = 0, hashes[1] = 0xFFFFFFFFu;
      std::vector<uint64_t> want(n, UINT64_MAX), got(n, 123), got512(n, 123);
      for (uint32_t h : hashes) MinHashPermuteScalar(h, a.data(), b.data(), want.data(), n);
      MinHashSignature(hashes.data(), nh, a.data(), b.data(), got.data(), n);
      EXPECT_EQ(got, want) << n << " " << nh;
      if (CpuHasAvx512()) {
        MinHashSignatureAvx512(hashes.data(), nh, a.data(), b.data(), got512.data(), n);
        EXPECT_EQ(got512, want) << n << " " << nh;
      }
    }
  }
}

// Values of h * a + b whose Mersenne reduction needs the final subtraction (x mod 2^61 plus
// x >> 61 reaching 2^61 - 1), which the signature kernel handles by redoing a block exactly.
TEST(MinHashKernel, SignatureHandlesTheReductionsRareCase) {
  const uint64_t p = (uint64_t{1} << 61) - 1;
  NumpyRandomState g(3);
  for (uint64_t special : {p - 1, (uint64_t{7} << 61) + p - 1, (uint64_t{3} << 61) + p - 3, uint64_t{5}}) {
    std::vector<uint64_t> a(64), b(64);
    for (size_t i = 0; i < 64; ++i) a[i] = g.RandintU64(1, p), b[i] = g.RandintU64(0, p);
    a[37] = 1;
    b[37] = special - 1;  // h = 1 gives x = special
    std::vector<uint32_t> hashes = {1, 99, 123456789, 0xFFFFFFFFu};
    std::vector<uint64_t> want(64, UINT64_MAX), got(64, 123);
    for (uint32_t h : hashes) MinHashPermuteScalar(h, a.data(), b.data(), want.data(), 64);
    MinHashSignature(hashes.data(), hashes.size(), a.data(), b.data(), got.data(), 64);
    EXPECT_EQ(got, want) << special;
  }
}

}  // namespace
}  // namespace winnow
