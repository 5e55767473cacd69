#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "winnow/core/window_hash.h"

namespace winnow {
namespace {

// Texts from a small alphabet, so that many windows repeat: the hashes of two windows must be
// equal exactly when the windows are, for every length (the vector loop's eight windows at a time
// and the scalar tail) and window size (direct sums up to kMaxDirect, rolled beyond).
TEST(WindowHash, EqualHashesExactlyForEqualWindows) {
  std::mt19937 rng(11);
  for (size_t len = 0; len < 140; len += 1 + len / 8) {
    std::vector<uint32_t> cps(len);
    const uint32_t alphabet[] = {'a', 'b', 0x10FFFF};
    for (auto& c : cps) c = alphabet[rng() % 3];
    for (size_t n : {1, 2, 3, 7, 8, 9, 10, 17, 32, 33, 40}) {
      if (len < n) continue;
      std::vector<uint64_t> out(len - n + 1);
      WindowHash::AllWindows(cps.data(), len, n, out.data());
      std::map<std::vector<uint32_t>, uint64_t> by_window;
      std::map<uint64_t, std::vector<uint32_t>> by_hash;
      for (size_t i = 0; i + n <= len; ++i) {
        std::vector<uint32_t> w(cps.begin() + i, cps.begin() + i + n);
        auto [it, fresh] = by_window.emplace(w, out[i]);
        ASSERT_EQ(it->second, out[i]) << "len " << len << " n " << n << " window " << i;
        auto [jt, hfresh] = by_hash.emplace(out[i], w);
        ASSERT_EQ(jt->second, w) << "collision: len " << len << " n " << n << " window " << i;
      }
    }
  }
}

// Bytes hash as the code points they are, so ASCII text need not be widened.
TEST(WindowHash, BytesHashLikeTheirCodePoints) {
  const std::string text = "the cat sat on the mat, the cat sat on the hat; the end of the story is near.";
  std::vector<uint32_t> cps(text.begin(), text.end());
  for (size_t n : {1, 5, 10, 31, 32, 33}) {
    std::vector<uint64_t> a(text.size() - n + 1), b(text.size() - n + 1);
    WindowHash::AllWindows(reinterpret_cast<const uint8_t*>(text.data()), text.size(), n, a.data());
    WindowHash::AllWindows(cps.data(), cps.size(), n, b.data());
    EXPECT_EQ(a, b) << "n " << n;
    // "the cat sat on the " occurs twice: its windows' hashes repeat 19 characters on.
    if (n <= 19) {
      EXPECT_EQ(a[0], a[text.find("the cat", 1)]) << "n " << n;
    }
  }
}

}  // namespace
}  // namespace winnow
