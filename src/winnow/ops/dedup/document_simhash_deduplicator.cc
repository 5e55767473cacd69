// document_simhash_deduplicator: DJ's SimHash near-duplicate removal. Each text (optionally
// lower-cased, ignore_pattern removed) is shingled (space: words split on ' '; punctuation:
// pieces between \p{P}; character: code points) into window_size-grams; each shingle's hash is
// the first 8 bytes of its MD5 (big-endian), and the 64-bit SimHash is the per-bit majority
// (simhash-cpp's compute). Hashes within hamming_distance bits are linked; in each connected
// group of hash values the first sample in input order is kept. (DJ finds the pairs with
// simhash-cpp's find_all, which returns exactly the pairs within the distance; Winnow finds the
// same pairs with its own block tables.)

#include <algorithm>
#include <bit>
#include <numeric>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "winnow/core/md5.h"

#include "winnow/ops/dedup/shingles.h"
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

// simhash-cpp's compute: per bit, +1 for each hash with the bit set and -1 for each without;
// the result has the bits whose sum is positive. Counted as set bits per position (sum = 2 *
// ones - n), with AVX-512 for all 64 bit positions at once: each hash's bits become 64 byte
// lanes (vpmovm2b) subtracted from byte counters, widened every 255 hashes.
class SimHashAccumulator {
 public:
  void AddMany(const uint64_t* h, size_t n) {
    total_ += n;
#if defined(__x86_64__)
    static const bool avx512bw = __builtin_cpu_supports("avx512bw");
    if (avx512bw) return CountAvx512(h, n, ones_);
#endif
    for (size_t i = 0; i < n; ++i)
      for (int j = 0; j < 64; ++j) ones_[j] += (h[i] >> j) & 1;
  }
  uint64_t Value() const {
    uint64_t r = 0;
    for (int j = 0; j < 64; ++j)
      if (2 * ones_[j] > total_) r |= uint64_t{1} << j;
    return r;
  }

 private:
#if defined(__x86_64__)
  __attribute__((target("avx512f,avx512bw"))) static void CountAvx512(const uint64_t* h, size_t n, uint64_t* ones) {
    for (size_t i = 0; i < n;) {
      const size_t stop = std::min(n, i + 255);  // byte counters hold up to 255
      __m512i counts = _mm512_setzero_si512();
      for (; i < stop; ++i) counts = _mm512_sub_epi8(counts, _mm512_movm_epi8(static_cast<__mmask64>(h[i])));
      alignas(64) uint8_t c[64];
      _mm512_store_si512(c, counts);
      for (int j = 0; j < 64; ++j) ones[j] += c[j];
    }
  }
#endif
  uint64_t ones_[64] = {};
  uint64_t total_ = 0;
};

struct UnionFind {
  std::vector<uint32_t> parent;
  explicit UnionFind(size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
  uint32_t Find(uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void Union(uint32_t a, uint32_t b) {
    a = Find(a), b = Find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  }
};

class DocumentSimhashDeduplicator : public Deduplicator {
 public:
  DocumentSimhashDeduplicator(const Params& p, const OpEnv& env)
      : Deduplicator("document_simhash_deduplicator", p, env),
        shingler_(p),
        blocks_(static_cast<int>(p.Number("num_blocks"))),
        distance_(static_cast<int>(p.Number("hamming_distance"))) {}

  Status ComputeKey(Sample& s, GlobalKey* key) const override {
    auto t = s.Text(text_key_);
    if (!t.ok()) return t.status();
    SimHashAccumulator acc;  // no shingles: hash 0, as simhash.compute of nothing
    thread_local std::vector<uint64_t> hashes;
    WINNOW_RETURN_IF_ERROR(shingler_.ForEachBatch(*t, [&](const std::string_view* sh, size_t n) {
      hashes.resize(n);
      Md5Prefix64Many(sh, n, hashes.data());
      acc.AddMany(hashes.data(), n);
    }));
    key->h[0] = acc.Value();
    return Status::Ok();
  }

  Selection Select(const std::vector<GlobalKey>& keys) const override {
    Selection sel;
    sel.duplicate_of.assign(keys.size(), Selection::kNone);
    // Distinct hash values, linked when within `distance_` bits.
    std::vector<uint64_t> values;
    for (const auto& k : keys) values.push_back(k.h[0]);
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    UnionFind uf(values.size());
    LinkNearValues(values, &uf);
    std::vector<uint32_t> first_of_group(values.size(), Selection::kNone);  // root -> first sample index
    for (uint32_t i = 0; i < keys.size(); ++i) {
      const auto at = std::lower_bound(values.begin(), values.end(), keys[i].h[0]) - values.begin();
      uint32_t& first = first_of_group[uf.Find(static_cast<uint32_t>(at))];
      if (first == Selection::kNone) {
        first = i;
        sel.order.push_back(i);
      } else {
        sel.duplicate_of[i] = first;
      }
    }
    return sel;
  }

  void HashMembers(const GlobalKey& key, std::vector<std::pair<std::string, std::string>>* out) const override {
    out->emplace_back("__dj__simhash", "\"" + std::to_string(key.h[0]) + "\"");
  }

 private:
  // Pigeonhole: two values within k bits agree on at least (blocks - k) of `blocks` bit blocks.
  // For every choice of (blocks - k) blocks, values equal on those blocks are compared.
  void LinkNearValues(const std::vector<uint64_t>& values, UnionFind* uf) const {
    if (values.size() < 2) return;
    std::vector<int> block_lo(blocks_), block_bits(blocks_);
    for (int b = 0; b < blocks_; ++b) {
      block_lo[b] = 64 * b / blocks_;
      block_bits[b] = 64 * (b + 1) / blocks_ - block_lo[b];
    }
    const int keep = blocks_ - distance_;
    std::vector<bool> choose(blocks_, false);
    std::fill(choose.begin(), choose.begin() + keep, true);
    // Each choice of blocks groups the values by the bits of those blocks: the bits are packed
    // into a compact key (2 of the default 6 blocks: 21 bits) and the (key, index) pairs radix
    // sorted, 11 bits a pass (std::sort of the masked 64-bit values took ~6% of the op).
    std::vector<std::pair<uint64_t, uint32_t>> keyed(values.size()), spare(values.size());
    do {
      int width = 0;
      for (int b = 0; b < blocks_; ++b) width += choose[b] ? block_bits[b] : 0;
      for (uint32_t i = 0; i < values.size(); ++i) {
        uint64_t key = 0;
        for (int b = 0; b < blocks_; ++b) {
          if (!choose[b]) continue;
          const uint64_t bits = block_bits[b] == 64 ? values[i] : (values[i] >> block_lo[b]) & ((uint64_t{1} << block_bits[b]) - 1);
          key = block_bits[b] == 64 ? bits : (key << block_bits[b]) | bits;
        }
        keyed[i] = {key, i};
      }
      RadixSortByKey(width, &keyed, &spare);
      for (size_t i = 0; i < keyed.size();) {
        size_t j = i + 1;
        while (j < keyed.size() && keyed[j].first == keyed[i].first) ++j;
        for (size_t a = i; a < j; ++a)
          for (size_t b = a + 1; b < j; ++b)
            if (std::popcount(values[keyed[a].second] ^ values[keyed[b].second]) <= distance_)
              uf->Union(keyed[a].second, keyed[b].second);
        i = j;
      }
    } while (std::prev_permutation(choose.begin(), choose.end()));
  }

  // LSD radix sort of the pairs by their key's low `width` bits (the rest are 0).
  static void RadixSortByKey(int width, std::vector<std::pair<uint64_t, uint32_t>>* v,
                             std::vector<std::pair<uint64_t, uint32_t>>* spare) {
    constexpr int kDigit = 11;
    std::vector<uint32_t> count(size_t{1} << kDigit);
    for (int shift = 0; shift < width; shift += kDigit) {
      std::fill(count.begin(), count.end(), 0);
      for (const auto& e : *v) ++count[(e.first >> shift) & ((1u << kDigit) - 1)];
      uint32_t sum = 0;
      for (auto& c : count) {
        const uint32_t n = c;
        c = sum;
        sum += n;
      }
      for (const auto& e : *v) (*spare)[count[(e.first >> shift) & ((1u << kDigit) - 1)]++] = e;
      v->swap(*spare);
    }
  }

  Shingler shingler_;
  int blocks_, distance_;
};

Status Validate(const Params& p) {
  WINNOW_RETURN_IF_ERROR(Shingler::Validate(p, false));
  if (p.Number("num_blocks") > 64) return Status::Error("num_blocks must be at most 64");
  if (p.Number("hamming_distance") >= p.Number("num_blocks"))
    return Status::Error("hamming_distance must be smaller than num_blocks");
  return Status::Ok();
}

}  // namespace

void RegisterDocumentSimhashDeduplicator(Registry& r) {
  r.Add({"document_simhash_deduplicator", OpKind::kDeduplicator,
         "Near-duplicate removal with 64-bit SimHash: samples whose hashes are within hamming_distance bits "
         "(transitively) keep only their first sample.",
         {StringParam("tokenization", "space", "shingle units: space, punctuation or character"),
          Range(IntParam("window_size", 6, "shingle length in units"), 0, std::nullopt, true),
          BoolParam("lowercase", true, "lower-case the text first"),
          Optional(ParamSpec{"ignore_pattern", ParamType::kString, json::Value::Null(),
                             "regex of substrings removed before shingling"}),
          Range(IntParam("num_blocks", 6, "bit blocks for the near-duplicate search"), 0, std::nullopt, true),
          Range(IntParam("hamming_distance", 4, "maximum differing bits of near duplicates"), 0, std::nullopt, true)},
         {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<DocumentSimhashDeduplicator>(p, e); },
         Validate});
}

}  // namespace winnow
