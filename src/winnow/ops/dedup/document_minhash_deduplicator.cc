// document_minhash_deduplicator: DJ's MinHash-LSH near-duplicate removal. Each text (optionally
// lower-cased, ignore_pattern removed) is shingled (space: words split on ' '; punctuation:
// pieces between \p{P}; character: code points; sentencepiece: pieces joined without spaces)
// into window_size-grams; each shingle is hashed with SHA-1 (first 4 bytes, little-endian) and
// permuted num_permutations times as ((h * a + b) mod 2^64 mod (2^61 - 1)) & (2^32 - 1), with
// DJ's (a, b) from numpy RandomState(42); the signature is the per-permutation minimum. It is
// cut into num_bands bands of num_rows_per_band values (DJ's optimal choice when not given);
// samples sharing any band are linked, and each connected group keeps its first sample.
#define XXH_INLINE_ALL
#include <xxhash.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstring>
#include <cmath>
#include <numeric>
#include <unordered_map>

#include "winnow/core/numpy_random.h"
#include "winnow/core/regex.h"
#include "winnow/core/unicode.h"
#include "winnow/models/perplexity_model.h"
#include "winnow/ops/dedup/minhash_kernel.h"
#include "winnow/ops/dedup/minhash_params.h"
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

constexpr uint64_t kMersenne = (uint64_t{1} << 61) - 1;

// SHA-1 with the digest fetched once and a context per thread: OpenSSL 3's EVP_Digest with
// EVP_sha1() looks the algorithm up on every call (a lock round trip per shingle).
uint32_t Sha1Prefix32(std::string_view s) {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  struct Ctx {
    EVP_MD_CTX* c = EVP_MD_CTX_new();
    ~Ctx() { EVP_MD_CTX_free(c); }
  };
  thread_local Ctx ctx;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestInit_ex2(ctx.c, md, nullptr);
  EVP_DigestUpdate(ctx.c, s.data(), s.size());
  EVP_DigestFinal_ex(ctx.c, digest, &len);
  return static_cast<uint32_t>(digest[0]) | static_cast<uint32_t>(digest[1]) << 8 |
         static_cast<uint32_t>(digest[2]) << 16 | static_cast<uint32_t>(digest[3]) << 24;
}

class DocumentMinhashDeduplicator : public Deduplicator {
 public:
  DocumentMinhashDeduplicator(const Params& p, const OpEnv& env)
      : Deduplicator("document_minhash_deduplicator", p, env),
        tokenization_(p.String("tokenization")),
        window_(static_cast<size_t>(p.Number("window_size"))),
        lowercase_(p.Bool("lowercase")),
        perms_(static_cast<size_t>(p.Number("num_permutations"))) {
    if (!p.IsNull("ignore_pattern") && !p.String("ignore_pattern").empty())
      ignore_ = *Regex::Compile(p.String("ignore_pattern"), 0);
    punct_ = *Regex::Compile("\\p{P}", 0);
    if (tokenization_ == "sentencepiece") sp_ = *SentencePieceModel::Shared(p.String("tokenizer_model"));
    if (p.IsNull("num_bands") || p.IsNull("num_rows_per_band")) {
      auto [b, r] = MinHashOptimalParams(p.Number("jaccard_threshold"), static_cast<int>(perms_));
      bands_ = b, rows_ = r;
    } else {
      bands_ = static_cast<size_t>(p.Number("num_bands"));
      rows_ = static_cast<size_t>(p.Number("num_rows_per_band"));
    }
    NumpyRandomState gen(42);
    for (size_t i = 0; i < perms_; ++i) {
      a_.push_back(gen.RandintU64(1, kMersenne));
      b_.push_back(gen.RandintU64(0, kMersenne));
    }
  }

  Status ComputeKey(Sample& s, GlobalKey* key) const override {
    auto t = s.Text(text_key_);
    if (!t.ok()) return t.status();
    std::string text = lowercase_ ? unicode::PyLower(*t) : std::string(*t);
    if (ignore_) {
      std::string out;
      bool replaced = false;
      WINNOW_RETURN_IF_ERROR(ignore_->Sub(text, "", &out, &replaced));
      if (replaced) text = std::move(out);
    }
    thread_local std::vector<uint32_t> hashes;
    hashes.clear();
    WINNOW_RETURN_IF_ERROR(Shingles(text, [&](std::string_view sh) { hashes.push_back(Sha1Prefix32(sh)); }));
    if (hashes.empty())
      return Status::Error("the text has fewer than window_size=" + std::to_string(window_) +
                           " tokens, so it has no MinHash (Data-Juicer fails on it too)");
    // DJ hashes the set of shingles; repeated shingles do not change the minimum.
    thread_local std::vector<uint64_t> mins;
    mins.assign(perms_, UINT64_MAX);
    for (uint32_t h : hashes) MinHashPermute(h, a_.data(), b_.data(), mins.data(), perms_);
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
  template <typename F>
  Status Shingles(const std::string& text, F f) const {
    std::string shingle;
    if (tokenization_ == "character") {
      std::vector<size_t> starts;
      for (size_t i = 0; i < text.size(); i += unicode::Utf8SeqLen(static_cast<unsigned char>(text[i])))
        starts.push_back(i);
      starts.push_back(text.size());
      for (size_t i = 0; i + window_ < starts.size(); ++i)
        f(std::string_view(text).substr(starts[i], starts[i + window_] - starts[i]));
      return Status::Ok();
    }
    std::vector<std::string_view> tokens;
    std::vector<std::string> pieces;
    const char* sep = " ";
    if (tokenization_ == "space") {  // re.split(" ", text), empties dropped
      size_t pos = 0;
      for (;;) {
        size_t sp = text.find(' ', pos);
        std::string_view tok = std::string_view(text).substr(pos, sp == std::string::npos ? std::string::npos : sp - pos);
        if (!tok.empty()) tokens.push_back(tok);
        if (sp == std::string::npos) break;
        pos = sp + 1;
      }
    } else if (tokenization_ == "punctuation") {  // regex split on \p{P}, empty pieces kept
      size_t pos = 0;
      WINNOW_RETURN_IF_ERROR(punct_->ForEachMatch(text, [&](const std::vector<std::string_view>& g) {
        size_t b = g[0].data() - text.data();
        tokens.push_back(std::string_view(text).substr(pos, b - pos));
        pos = b + g[0].size();
      }));
      tokens.push_back(std::string_view(text).substr(pos));
    } else {  // sentencepiece: pieces joined with nothing
      pieces = sp_->Pieces(text);
      for (const auto& p : pieces) tokens.push_back(p);
      sep = "";
    }
    for (size_t i = 0; i + window_ <= tokens.size(); ++i) {
      shingle.clear();
      for (size_t k = 0; k < window_; ++k) {
        if (k) shingle += sep;
        shingle.append(tokens[i + k]);
      }
      f(shingle);
    }
    return Status::Ok();
  }

  std::string tokenization_;
  size_t window_;
  bool lowercase_;
  size_t perms_, bands_ = 0, rows_ = 0;
  std::vector<uint64_t> a_, b_;
  std::shared_ptr<const Regex> ignore_, punct_;
  std::shared_ptr<const SentencePieceModel> sp_;
};

Status Validate(const Params& p) {
  const std::string& t = p.String("tokenization");
  if (t != "space" && t != "punctuation" && t != "character" && t != "sentencepiece")
    return Status::Error("tokenization '" + t + "' is not one of space, punctuation, character, sentencepiece");
  if (t == "sentencepiece") {
    if (p.IsNull("tokenizer_model") || p.String("tokenizer_model").empty())
      return Status::Error("tokenization: sentencepiece needs tokenizer_model (a SentencePiece .model file)");
    auto m = SentencePieceModel::Shared(p.String("tokenizer_model"));
    if (!m.ok()) return m.status();
  }
  double th = p.Number("jaccard_threshold");
  if (th < 0 || th > 1) return Status::Error("jaccard_threshold must be within [0, 1]");
  if (p.IsNull("num_bands") != p.IsNull("num_rows_per_band")) {
    // DJ computes both when either is missing.
  }
  if (!p.IsNull("num_bands") && !p.IsNull("num_rows_per_band") &&
      p.Number("num_bands") * p.Number("num_rows_per_band") > p.Number("num_permutations"))
    return Status::Error("num_bands * num_rows_per_band must not exceed num_permutations");
  if (!p.IsNull("num_rows_per_band") && p.Number("num_rows_per_band") > 1024)
    return Status::Error("num_rows_per_band must be at most 1024");
  if (!p.IsNull("ignore_pattern") && !p.String("ignore_pattern").empty()) {
    auto re = Regex::Compile(p.String("ignore_pattern"), 0);
    if (!re.ok()) return Status::Error("ignore_pattern: " + re.status().message());
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
                             "SentencePiece model file for tokenization: sentencepiece"})},
         {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<DocumentMinhashDeduplicator>(p, e); },
         Validate});
}

}  // namespace winnow
