// MinHash band buckets: the spill path (many sorted runs under a tiny budget) clusters exactly
// as the in-memory path and as a brute-force reference; the persisted index (--dedup-index)
// marks later runs' near duplicates and refuses an index built with other settings.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <numeric>
#include <random>
#include <tuple>

#include "winnow/ops/dedup/band_index.h"

namespace winnow {
namespace {
namespace fs = std::filesystem;

std::string TempDir(const std::string& name) {
  fs::path p = fs::temp_directory_path() / ("winnow_band_" + std::to_string(::getpid()) + "_" + name);
  fs::remove_all(p);
  fs::create_directories(p);
  return p.string();
}

// n samples of `bands` band hashes; about one in five shares a band with an earlier sample.
std::vector<std::vector<uint64_t>> Samples(size_t n, size_t bands, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::vector<uint64_t>> s(n, std::vector<uint64_t>(bands));
  for (size_t i = 0; i < n; ++i) {
    for (auto& h : s[i]) h = rng();
    if (i > 0 && rng() % 5 == 0) {
      size_t j = rng() % i, b = rng() % bands;
      s[i][b] = s[j][b];
    }
  }
  return s;
}

std::vector<std::vector<uint64_t>> Fresh(size_t n, size_t bands, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::vector<uint64_t>> s(n, std::vector<uint64_t>(bands));
  for (auto& v : s)
    for (auto& h : v) h = rng();
  return s;
}

Selection Cluster(const std::vector<std::vector<uint64_t>>& samples, uint64_t memory, const std::string& dir,
              const std::string& index = "", const std::string& fp = "fp", size_t* runs = nullptr) {
  BandIndex bi(dir, memory, index, fp);
  for (const auto& s : samples) EXPECT_TRUE(bi.AddSample(reinterpret_cast<const char*>(s.data()), s.size()).ok());
  if (runs) *runs = bi.runs_spilled();
  auto sel = bi.Finish();
  EXPECT_TRUE(sel.ok()) << sel.status().message();
  return sel.ok() ? *sel : Selection{};
}

// Brute force: samples sharing a (band, hash) are linked; each cluster keeps its first sample.
Selection Reference(const std::vector<std::vector<uint64_t>>& samples) {
  std::vector<uint32_t> parent(samples.size());
  std::iota(parent.begin(), parent.end(), 0);
  std::function<uint32_t(uint32_t)> find = [&](uint32_t x) { return parent[x] == x ? x : parent[x] = find(parent[x]); };
  std::map<std::pair<size_t, uint64_t>, uint32_t> first;
  for (uint32_t i = 0; i < samples.size(); ++i)
    for (size_t b = 0; b < samples[i].size(); ++b) {
      auto [it, fresh] = first.emplace(std::make_pair(b, samples[i][b]), i);
      if (!fresh) {
        uint32_t x = find(i), y = find(it->second);
        if (x != y) parent[std::max(x, y)] = std::min(x, y);
      }
    }
  Selection sel;
  sel.duplicate_of.assign(samples.size(), Selection::kNone);
  for (uint32_t i = 0; i < samples.size(); ++i) {
    uint32_t r = find(i);
    if (r == i) sel.order.push_back(i);
    else sel.duplicate_of[i] = r;
  }
  return sel;
}

TEST(BandIndex, SpilledRunsClusterLikeMemoryAndTheReference) {
  std::string dir = TempDir("spill");
  auto samples = Samples(20000, 9, 1);
  Selection want = Reference(samples);
  ASSERT_GT(want.order.size(), 12000u);
  ASSERT_LT(want.order.size(), 20000u);
  size_t runs = 0;
  Selection mem = Cluster(samples, uint64_t{1} << 30, dir, "", "fp", &runs);
  EXPECT_EQ(runs, 0u);
  // 1024 entries per run: 175 runs, so past 128 the runs so far are merged into one first.
  Selection tiny = Cluster(samples, 16 * 1024, dir, "", "fp", &runs);
  EXPECT_GE(runs, 40u);
  EXPECT_EQ(mem.order, want.order);
  EXPECT_EQ(mem.duplicate_of, want.duplicate_of);
  EXPECT_EQ(tiny.order, want.order);
  EXPECT_EQ(tiny.duplicate_of, want.duplicate_of);
  // Run files are removed.
  size_t left = 0;
  for (const auto& e : fs::directory_iterator(dir)) left += e.path().filename().string().find("minhash-run") != std::string::npos;
  EXPECT_EQ(left, 0u);
  fs::remove_all(dir);
}

TEST(BandIndex, PersistedIndexMarksLaterRunsDuplicates) {
  std::string dir = TempDir("index");
  std::string index = dir + "/idx/document_minhash_deduplicator.idx";
  auto first = Samples(300, 4, 2);
  Selection a = Cluster(first, 1 << 20, dir, index);
  EXPECT_TRUE(fs::exists(index));
  for (uint32_t d : a.duplicate_of) EXPECT_NE(d, Selection::kIndexed);
  // Second run: copies of first-run samples 5 and 7 (one band each), two samples sharing a new
  // bucket, and fresh samples.
  auto second = Fresh(6, 4, 3);
  second[1][2] = first[5][2];
  second[3][0] = first[7][0];
  second[5][1] = second[4][1];
  Selection b = Cluster(second, 1 << 20, dir, index, "fp", nullptr);
  EXPECT_EQ(b.order, (std::vector<uint32_t>{0, 2, 4}));
  EXPECT_EQ(b.duplicate_of[1], Selection::kIndexed);
  EXPECT_EQ(b.duplicate_of[3], Selection::kIndexed);
  EXPECT_EQ(b.duplicate_of[5], 4u);
  // The index now also holds the second run's buckets: a third run repeating sample 4 is a
  // duplicate, with a tiny budget (spilled runs merged with the index) too.
  std::vector<std::vector<uint64_t>> third = {second[4], Fresh(1, 4, 9)[0]};
  Selection c = Cluster(third, 16, dir, index);
  EXPECT_EQ(c.order, (std::vector<uint32_t>{1}));
  EXPECT_EQ(c.duplicate_of[0], Selection::kIndexed);
  // Other MinHash settings: refused, naming both.
  BandIndex other(dir, 1 << 20, index, "other");
  ASSERT_TRUE(other.AddSample(reinterpret_cast<const char*>(third[0].data()), 4).ok());
  auto bad = other.Finish();
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("built with other MinHash settings (fp)"), std::string::npos);
  fs::remove_all(dir);
}

TEST(BandIndex, ParseMemorySize) {
  EXPECT_EQ(*ParseMemorySize("1000"), 1000u);
  EXPECT_EQ(*ParseMemorySize("2GB"), 2000000000u);
  EXPECT_EQ(*ParseMemorySize("2GiB"), uint64_t{2} << 30);
  EXPECT_EQ(*ParseMemorySize("512M"), uint64_t{512} << 20);
  EXPECT_EQ(*ParseMemorySize("1.5 kb"), 1500u);
  EXPECT_GT(*ParseMemorySize("auto"), 0u);
  EXPECT_FALSE(ParseMemorySize("lots").ok());
  EXPECT_FALSE(ParseMemorySize("10XB").ok());
  EXPECT_FALSE(ParseMemorySize("-5").ok());
}

}  // namespace
}  // namespace winnow

namespace winnow {
namespace {

// The radix sort against std::sort in (band, hash, node) order, on entries laid out as
// AddSample lays them out (sample after sample, each with all its bands), with many equal hashes.
TEST(BandIndex, RadixSortMatchesComparisonSort) {
  std::mt19937_64 rng(5);
  for (size_t samples : {1, 10, 100, 5000, 40000}) {
    for (uint32_t bands : {1u, 3u, 25u}) {
      std::vector<BandEntry> v;
      for (uint32_t node = 1; node <= samples; ++node)
        for (uint32_t b = 0; b < bands; ++b) {
          uint64_t h = rng();
          if (rng() % 4 == 0) h = rng() % 7;                // collisions within a band
          if (rng() % 9 == 0) h = (rng() % 3) << 60;       // equal low digits, different high ones
          v.push_back(BandEntry{h, b, node});
        }
      std::vector<BandEntry> expected = v;
      std::sort(expected.begin(), expected.end(), [](const BandEntry& a, const BandEntry& b) {
        return std::tie(a.band, a.hash, a.node) < std::tie(b.band, b.hash, b.node);
      });
      SortBandEntries(&v);
      ASSERT_EQ(v.size(), expected.size());
      for (size_t i = 0; i < v.size(); ++i) {
        ASSERT_EQ(v[i].band, expected[i].band) << samples << " " << bands << " at " << i;
        ASSERT_EQ(v[i].hash, expected[i].hash) << samples << " " << bands << " at " << i;
        ASSERT_EQ(v[i].node, expected[i].node) << samples << " " << bands << " at " << i;
      }
    }
  }
}

}  // namespace
}  // namespace winnow
