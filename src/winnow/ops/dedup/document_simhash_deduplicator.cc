// document_simhash_deduplicator: DJ's SimHash near-duplicate removal. Each text (optionally
// lower-cased, ignore_pattern removed) is shingled (space: words split on ' '; punctuation:
// pieces between \p{P}; character: code points) into window_size-grams; each shingle's hash is
// the first 8 bytes of its MD5 (big-endian), and the 64-bit SimHash is the per-bit majority
// (simhash-cpp's compute). Hashes within hamming_distance bits are linked; in each connected
// group of hash values the first sample in input order is kept. (DJ finds the pairs with
// simhash-cpp's find_all, which returns exactly the pairs within the distance; Winnow finds the
// same pairs with its own block tables.)
#include <openssl/evp.h>

#include <algorithm>
#include <bit>
#include <numeric>
#include <unordered_map>

#include "winnow/core/regex.h"
#include "winnow/core/unicode.h"
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

// MD5 with the digest fetched once and a context per thread (OpenSSL 3's EVP_Digest with
// EVP_md5() looks the algorithm up, under a lock, on every call).
uint64_t Md5Prefix64(std::string_view s) {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "MD5", nullptr);
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
  uint64_t h = 0;
  for (int i = 0; i < 8; ++i) h = (h << 8) | digest[i];
  return h;
}

class SimHashAccumulator {
 public:
  void Add(std::string_view shingle) {
    uint64_t h = Md5Prefix64(shingle);
    for (int j = 0; j < 64; ++j) v_[j] += ((h >> j) & 1) ? 1 : -1;
  }
  uint64_t Value() const {
    uint64_t r = 0;
    for (int j = 0; j < 64; ++j) if (v_[j] > 0) r |= uint64_t{1} << j;
    return r;
  }

 private:
  int64_t v_[64] = {};
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
        tokenization_(p.String("tokenization")),
        window_(static_cast<size_t>(p.Number("window_size"))),
        lowercase_(p.Bool("lowercase")),
        blocks_(static_cast<int>(p.Number("num_blocks"))),
        distance_(static_cast<int>(p.Number("hamming_distance"))) {
    if (!p.IsNull("ignore_pattern") && !p.String("ignore_pattern").empty())
      ignore_ = *Regex::Compile(p.String("ignore_pattern"), 0);
    punct_ = *Regex::Compile("\\p{P}", 0);
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
    SimHashAccumulator acc;
    std::string shingle;
    if (tokenization_ == "character") {
      std::vector<size_t> starts;  // byte offset of each code point
      for (size_t i = 0; i < text.size(); i += unicode::Utf8SeqLen(static_cast<unsigned char>(text[i])))
        starts.push_back(i);
      starts.push_back(text.size());
      for (size_t i = 0; i + window_ < starts.size(); ++i)
        acc.Add(std::string_view(text).substr(starts[i], starts[i + window_] - starts[i]));
    } else {
      std::vector<std::string_view> tokens;
      if (tokenization_ == "space") {  // re.split(" ", text), empties dropped
        size_t pos = 0;
        for (;;) {
          size_t sp = text.find(' ', pos);
          std::string_view tok = std::string_view(text).substr(pos, sp == std::string::npos ? std::string::npos : sp - pos);
          if (!tok.empty()) tokens.push_back(tok);
          if (sp == std::string::npos) break;
          pos = sp + 1;
        }
      } else {  // punctuation: regex split on \p{P}, empty pieces kept
        size_t pos = 0;
        WINNOW_RETURN_IF_ERROR(punct_->ForEachMatch(text, [&](const std::vector<std::string_view>& g) {
          size_t b = g[0].data() - text.data();
          tokens.push_back(std::string_view(text).substr(pos, b - pos));
          pos = b + g[0].size();
        }));
        tokens.push_back(std::string_view(text).substr(pos));
      }
      for (size_t i = 0; i + window_ <= tokens.size(); ++i) {
        shingle.clear();
        for (size_t k = 0; k < window_; ++k) {
          if (k) shingle.push_back(' ');
          shingle.append(tokens[i + k]);
        }
        acc.Add(shingle);
      }
    }
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
    std::unordered_map<uint64_t, uint32_t> index;
    for (uint32_t i = 0; i < values.size(); ++i) index.emplace(values[i], i);
    std::unordered_map<uint32_t, uint32_t> first_of_group;  // root -> first sample index
    for (uint32_t i = 0; i < keys.size(); ++i) {
      uint32_t root = uf.Find(index.at(keys[i].h[0]));
      auto [it, fresh] = first_of_group.try_emplace(root, i);
      if (fresh) sel.order.push_back(i);
      else sel.duplicate_of[i] = it->second;
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
    std::vector<uint64_t> block_mask(blocks_);
    for (int b = 0; b < blocks_; ++b) {
      int lo = 64 * b / blocks_, hi = 64 * (b + 1) / blocks_;
      block_mask[b] = (hi - lo == 64 ? ~uint64_t{0} : ((uint64_t{1} << (hi - lo)) - 1)) << lo;
    }
    const int keep = blocks_ - distance_;
    std::vector<bool> choose(blocks_, false);
    std::fill(choose.begin(), choose.begin() + keep, true);
    std::vector<uint32_t> order(values.size());
    do {
      uint64_t mask = 0;
      for (int b = 0; b < blocks_; ++b) if (choose[b]) mask |= block_mask[b];
      std::iota(order.begin(), order.end(), 0);
      std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
        uint64_t ma = values[a] & mask, mb = values[b] & mask;
        return ma != mb ? ma < mb : a < b;
      });
      for (size_t i = 0; i < order.size();) {
        size_t j = i + 1;
        while (j < order.size() && (values[order[j]] & mask) == (values[order[i]] & mask)) ++j;
        for (size_t a = i; a < j; ++a)
          for (size_t b = a + 1; b < j; ++b)
            if (std::popcount(values[order[a]] ^ values[order[b]]) <= distance_) uf->Union(order[a], order[b]);
        i = j;
      }
    } while (std::prev_permutation(choose.begin(), choose.end()));
  }

  std::string tokenization_;
  size_t window_;
  bool lowercase_;
  int blocks_, distance_;
  std::shared_ptr<const Regex> ignore_, punct_;
};

Status Validate(const Params& p) {
  const std::string& t = p.String("tokenization");
  if (t != "space" && t != "punctuation" && t != "character")
    return Status::Error("tokenization '" + t + "' is not one of space, punctuation, character");
  if (p.Number("num_blocks") > 64) return Status::Error("num_blocks must be at most 64");
  if (p.Number("hamming_distance") >= p.Number("num_blocks"))
    return Status::Error("hamming_distance must be smaller than num_blocks");
  if (!p.IsNull("ignore_pattern") && !p.String("ignore_pattern").empty()) {
    auto re = Regex::Compile(p.String("ignore_pattern"), 0);
    if (!re.ok()) return Status::Error("ignore_pattern: " + re.status().message());
  }
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
