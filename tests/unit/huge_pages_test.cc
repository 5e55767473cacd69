#include "winnow/core/huge_pages.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>

namespace winnow {
namespace {

struct alignas(64) Line {
  uint64_t v[8];
};

TEST(HugePages, LargeBlocksAre2MbAlignedAndHoldTheirValues) {
  HugeVector<uint32_t> v(3 << 20);  // 12 MB: the huge-page path
  EXPECT_EQ(reinterpret_cast<uintptr_t>(v.data()) % huge_pages::kPage, 0u);
  std::iota(v.begin(), v.end(), 0u);
  uint64_t sum = 0;
  for (uint32_t x : v) sum += x;
  const uint64_t n = v.size();
  EXPECT_EQ(sum, n * (n - 1) / 2);
  v.resize(10);  // shrinking keeps the block; moving it out frees it with the same size
  HugeVector<uint32_t> w = std::move(v);
  EXPECT_EQ(w[9], 9u);
}

TEST(HugePages, SmallBlocksKeepTheTypesAlignment) {
  HugeVector<Line> v(5);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(v.data()) % alignof(Line), 0u);
  v[4].v[7] = 42;
  v.resize(40000);  // 2.5 MB: reallocated onto the huge-page path, contents kept
  EXPECT_EQ(v[4].v[7], 42u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(v.data()) % huge_pages::kPage, 0u);
}

}  // namespace
}  // namespace winnow
