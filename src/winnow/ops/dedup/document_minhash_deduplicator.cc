// document_minhash_deduplicator: DJ's MinHash-LSH near-duplicate removal. Each text (optionally
// lower-cased, ignore_pattern removed) is shingled (space: words split on ' '; punctuation:
// pieces between \p{P}; character: code points; sentencepiece: pieces joined without spaces)
// into window_size-grams; each shingle is hashed with SHA-1 (first 4 bytes, little-endian) and
// permuted num_permutations times as ((h * a + b) mod 2^64 mod (2^61 - 1)) & (2^32 - 1), with
// DJ's (a, b) from numpy RandomState(42); the signature is the per-permutation minimum. It is
// cut into num_bands bands of num_rows_per_band values (DJ's optimal choice when not given);
// samples sharing any band are linked, and each connected group keeps its first sample.
// Band buckets live in a BandIndex: bounded by `memory_limit` (spilling sorted runs to work_dir),
// and, with --dedup-index DIR, checked against and added to the buckets of earlier runs.
// `preset: datatrove` swaps in datatrove's MinHash (FineWeb's): see datatrove_minhash.h.
#define XXH_INLINE_ALL
#include "winnow/core/xxhash_include.h"

#include <algorithm>
#include <cstring>
#include <cmath>
#include <numeric>
#include <unordered_map>

#include "winnow/core/numpy_random.h"
#include "winnow/ops/dedup/band_index.h"
#include "winnow/ops/dedup/datatrove_minhash.h"
#include "winnow/ops/dedup/minhash_kernel.h"
#include "winnow/ops/dedup/shingles.h"
#include "winnow/ops/dedup/minhash_params.h"
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

constexpr uint64_t kMersenne = (uint64_t{1} << 61) - 1;

class DocumentMinhashDeduplicator : public Deduplicator {
 public:
  DocumentMinhashDeduplicator(const Params& p, const OpEnv& env)
      : Deduplicator("document_minhash_deduplicator", p, env),
        shingler_(p),
        perms_(static_cast<size_t>(p.Number("num_permutations"))),
        datatrove_(p.String("preset") == "datatrove"),
        window_(static_cast<int64_t>(p.Number("window_size"))) {
    if (datatrove_) {
      // MinhashConfig: 14 buckets x 8 hashes unless the recipe sets them; 64-bit hashes with
      // (a, b) drawn as two arrays from RandomState(1).
      using Preset = datatrove::MinhashPreset;
      bands_ = p.IsNull("num_bands") ? Preset::kBuckets : static_cast<size_t>(p.Number("num_bands"));
      rows_ = p.IsNull("num_rows_per_band") ? Preset::kHashesPerBucket : static_cast<size_t>(p.Number("num_rows_per_band"));
      perms_ = bands_ * rows_;
      NumpyRandomState gen(Preset::kSeed);
      for (size_t i = 0; i < perms_; ++i) a_.push_back(gen.RandintU64(1, kMersenne));
      for (size_t i = 0; i < perms_; ++i) b_.push_back(gen.RandintU64(0, kMersenne));
    } else if (p.IsNull("num_bands") || p.IsNull("num_rows_per_band")) {
      auto [b, r] = MinHashOptimalParams(p.Number("jaccard_threshold"), static_cast<int>(perms_));
      bands_ = b, rows_ = r;
    } else {
      bands_ = static_cast<size_t>(p.Number("num_bands"));
      rows_ = static_cast<size_t>(p.Number("num_rows_per_band"));
    }
    if (!datatrove_) {
      NumpyRandomState gen(42);
      for (size_t i = 0; i < perms_; ++i) {
        a_.push_back(gen.RandintU64(1, kMersenne));
        b_.push_back(gen.RandintU64(0, kMersenne));
      }
    }
    const json::Value& m = p.Get("memory_limit");
    auto limit = ParseMemorySize(m.type() == json::Type::kNumber ? std::to_string(static_cast<uint64_t>(m.as_number()))
                                                                  : m.as_string());
    memory_limit_ = limit.ok() ? *limit : uint64_t{1} << 30;  // Validate rejected bad values
    if (!env.dedup_index.empty()) index_path_ = env.dedup_index + "/document_minhash_deduplicator.idx";
    // What an index must have been built with to be comparable.
    fingerprint_ = (datatrove_ ? std::string("preset=datatrove ") : std::string()) +
                   "tokenization=" + p.String("tokenization") +
                   " window_size=" + std::to_string(static_cast<int64_t>(p.Number("window_size"))) +
                   " lowercase=" + (p.Bool("lowercase") ? "true" : "false") +
                   " ignore_pattern=" + (p.IsNull("ignore_pattern") ? "" : p.String("ignore_pattern")) +
                   " num_permutations=" + std::to_string(perms_) + " num_bands=" + std::to_string(bands_) +
                   " num_rows_per_band=" + std::to_string(rows_);
  }

  std::unique_ptr<KeySink> MakeKeySink(const std::string& spill_dir) const override {
    class Sink : public KeySink {
     public:
      explicit Sink(BandIndex index) : index_(std::move(index)) {}
      // A sample without a signature (datatrove: no 5-gram) has no bands: it is never a duplicate.
      Status Add(const GlobalKey& key) override { return index_.AddSample(key.str.data(), key.str.size() / 8); }
      Result<Selection> Finish() override { return index_.Finish(); }

     private:
      BandIndex index_;
    };
    return std::make_unique<Sink>(BandIndex(spill_dir, memory_limit_, index_path_, fingerprint_));
  }

  Status ComputeKey(Sample& s, GlobalKey* key) const override {
    auto t = s.Text(text_key_);
    if (!t.ok()) return t.status();
    if (datatrove_) return DatatroveKey(*t, key);
    thread_local std::vector<uint32_t> hashes;
    hashes.clear();
    WINNOW_RETURN_IF_ERROR(shingler_.ForEachBatch(*t, [&](const std::string_view* sh, size_t n) {
      const size_t at = hashes.size();
      hashes.resize(at + n);
      Sha1Prefix32Many(sh, n, hashes.data() + at);
    }));
    if (hashes.empty())
      return Status::Error("the text has fewer than window_size=" + std::to_string(shingler_.window()) +
                           " tokens, so it has no MinHash (Data-Juicer fails on it too)");
    // DJ hashes the set of shingles; repeated shingles do not change the minimum.
    thread_local std::vector<uint64_t> mins;
    mins.resize(perms_);
    MinHashSignature(hashes.data(), hashes.size(), a_.data(), b_.data(), mins.data(), perms_);
    // One 64-bit hash per band (of its rows' values) in key->str.
    key->str.resize(bands_ * 8);
    for (size_t band = 0; band < bands_; ++band) {
      uint32_t vals[1024];
      for (size_t r = 0; r < rows_; ++r) vals[r] = static_cast<uint32_t>(mins[band * rows_ + r]);
      uint64_t h = XXH3_64bits_withSeed(vals, rows_ * 4, band);
      std::memcpy(key->str.data() + band * 8, &h, 8);
    }
    key->has_str = true;
    return Status::Ok();
  }

  Selection Select(const std::vector<GlobalKey>& keys) const override {
    Selection sel;
    sel.duplicate_of.assign(keys.size(), Selection::kNone);
    std::vector<uint32_t> parent(keys.size());
    std::iota(parent.begin(), parent.end(), 0);
    auto find = [&](uint32_t x) {
      while (parent[x] != x) x = parent[x] = parent[parent[x]];
      return x;
    };
    auto unite = [&](uint32_t x, uint32_t y) {
      x = find(x), y = find(y);
      if (x != y) parent[std::max(x, y)] = std::min(x, y);
    };
    std::unordered_map<uint64_t, uint32_t> first_in_bucket;
    for (size_t band = 0; band < bands_; ++band) {
      first_in_bucket.clear();
      first_in_bucket.reserve(keys.size());
      for (uint32_t i = 0; i < keys.size(); ++i) {
        uint64_t h;
        std::memcpy(&h, keys[i].str.data() + band * 8, 8);
        auto [it, fresh] = first_in_bucket.try_emplace(h, i);
        if (!fresh) unite(i, it->second);
      }
    }
    for (uint32_t i = 0; i < keys.size(); ++i) {
      uint32_t root = find(i);
      if (root == i) sel.order.push_back(i);
      else sel.duplicate_of[i] = root;
    }
    return sel;
  }

 private:
  Status DatatroveKey(std::string_view text, GlobalKey* key) const {
    thread_local std::vector<uint64_t> hashes, mins;
    WINNOW_RETURN_IF_ERROR(datatrove::ShingleHashes(text, static_cast<size_t>(window_), &hashes));
    key->has_str = true;
    key->str.clear();
    if (hashes.empty()) return Status::Ok();  // no signature: datatrove writes none
    datatrove::Signature64(hashes, a_, b_, &mins);
    key->str.resize(bands_ * 8);
    for (size_t band = 0; band < bands_; ++band) {
      uint64_t h = XXH3_64bits_withSeed(mins.data() + band * rows_, rows_ * 8, band);
      std::memcpy(key->str.data() + band * 8, &h, 8);
    }
    return Status::Ok();
  }

  Shingler shingler_;
  size_t perms_;
  bool datatrove_;
  int64_t window_;
  size_t bands_ = 0, rows_ = 0;
  std::vector<uint64_t> a_, b_;
  uint64_t memory_limit_ = 0;
  std::string index_path_, fingerprint_;
};

Status Validate(const Params& p) {
  WINNOW_RETURN_IF_ERROR(Shingler::Validate(p, true));
  if (p.String("preset") != "" && p.String("preset") != "datatrove")
    return Status::Error("preset: unknown preset '" + p.String("preset") + "' (\"datatrove\" or empty)");
  double th = p.Number("jaccard_threshold");
  if (th < 0 || th > 1) return Status::Error("jaccard_threshold must be within [0, 1]");
  if (!p.IsNull("num_bands") && !p.IsNull("num_rows_per_band") &&
      p.Number("num_bands") * p.Number("num_rows_per_band") > p.Number("num_permutations"))
    return Status::Error("num_bands * num_rows_per_band must not exceed num_permutations");
  if (!p.IsNull("num_rows_per_band") && p.Number("num_rows_per_band") > 1024)
    return Status::Error("num_rows_per_band must be at most 1024");
  const json::Value& m = p.Get("memory_limit");
  if (m.type() == json::Type::kNumber) {
    if (!(m.as_number() > 0)) return Status::Error("memory_limit must be a positive number of bytes");
  } else if (m.type() == json::Type::kString) {
    auto limit = ParseMemorySize(m.as_string());
    if (!limit.ok()) return Status::Error("memory_limit: " + limit.status().message());
  } else {
    return Status::Error("memory_limit: expected bytes or a size such as \"2GB\", got " + m.ToJson());
  }
  return Status::Ok();
}

}  // namespace

void RegisterDocumentMinhashDeduplicator(Registry& r) {
  r.Add({"document_minhash_deduplicator", OpKind::kDeduplicator,
         "Near-duplicate removal with MinHash-LSH (Jaccard similarity of shingles): samples sharing a band "
         "(transitively) keep only their first sample.",
         {StringParam("tokenization", "space", "shingle units: space, punctuation, character or sentencepiece"),
          Range(IntParam("window_size", 5, "shingle length in units"), 0, std::nullopt, true),
          BoolParam("lowercase", true, "lower-case the text first"),
          Optional(ParamSpec{"ignore_pattern", ParamType::kString, json::Value::Null(),
                             "regex of substrings removed before shingling"}),
          Range(IntParam("num_permutations", 256, "MinHash signature length"), 0, 100000, true),
          Range(FloatParam("jaccard_threshold", 0.7, "similarity at which samples are near duplicates"), 0, 1),
          Optional(Range(IntParam("num_bands", 0, "LSH bands; null = DJ's optimal choice"), 0, std::nullopt, true)),
          Optional(Range(IntParam("num_rows_per_band", 0, "rows per band; null = DJ's optimal choice"), 0, std::nullopt,
                         true)),
          Optional(ParamSpec{"tokenizer_model", ParamType::kString, json::Value::Null(),
                             "SentencePiece model file for tokenization: sentencepiece"}),
          StringParam("preset", "",
                      "Winnow: \"datatrove\" = datatrove's MinHash as FineWeb used it (its text normalisation, "
                      "English word 5-grams, xxh64, 14 bands x 8 rows, seed 1; num_permutations, tokenization, "
                      "lowercase and ignore_pattern are then not used)"),
          ParamSpec{"memory_limit", ParamType::kAny, json::Value::String("auto"),
                    "Winnow: memory for the LSH band buckets before they spill to work_dir (bytes, or "
                    "e.g. \"2GB\"; auto = a quarter of RAM); the result does not depend on it"}},
         {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<DocumentMinhashDeduplicator>(p, e); },
         Validate});
}

}  // namespace winnow
