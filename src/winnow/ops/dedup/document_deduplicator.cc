// document_deduplicator: exact dedup on the text (optionally lower-cased and with whitespace,
// digits and ASCII punctuation removed, then str.strip()). The first occurrence in input order
// survives. DJ hashes with MD5; Winnow uses XXH3-128 (same decisions, faster), so a kept
// `__dj__hash` (keep_hashes_in_res_ds) differs from DJ's value.
#include <unordered_map>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "winnow/core/unicode.h"
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

struct KeyHash {
  size_t operator()(const std::pair<uint64_t, uint64_t>& k) const { return k.first ^ (k.second * 0x9E3779B97F4A7C15ull); }
};

class FirstSeen : public StreamDecider {
 public:
  bool Admit(const GlobalKey& key, RowId row, RowId* first) override {
    auto [it, inserted] = seen_.emplace(std::make_pair(key.h[0], key.h[1]), row);
    if (!inserted) *first = it->second;
    return inserted;
  }

 private:
  std::unordered_map<std::pair<uint64_t, uint64_t>, RowId, KeyHash> seen_;
};

class DocumentDeduplicator : public Deduplicator {
 public:
  DocumentDeduplicator(const Params& p, const OpEnv& env)
      : Deduplicator("document_deduplicator", p, env),
        lowercase_(p.Bool("lowercase")),
        ignore_non_character_(p.Bool("ignore_non_character")) {}

  Status ComputeKey(Sample& s, GlobalKey* key) const override {
    auto t = s.Text(text_key_);
    if (!t.ok()) return t.status();
    std::string_view text = *t;
    std::string buf;
    if (lowercase_) {
      buf = unicode::PyLower(text);
      text = buf;
    }
    if (ignore_non_character_) {
      // re.sub(r"\s+|\d+|[<string.punctuation>]", "", text)
      std::string kept;
      kept.reserve(text.size());
      const char* p = text.data();
      const char* end = p + text.size();
      while (p < end) {
        const char* start = p;
        uint32_t cp = unicode::DecodeUtf8(p);
        bool punct = cp < 0x80 && std::ispunct(static_cast<int>(cp));
        // DJ uses the `regex` module: \s is Unicode White_Space, i.e. str.isspace() minus
        // the information separators U+001C..U+001F; \d is Nd (str.isdecimal()).
        bool space = (unicode::Classes(cp) & unicode::kSpace) && !(cp >= 0x1C && cp <= 0x1F);
        if (punct || space || (unicode::Classes(cp) & unicode::kDecimal)) continue;
        kept.append(start, p);
      }
      buf = std::move(kept);
      text = buf;
    }
    text = unicode::PyStrip(text);
    XXH128_hash_t h = XXH3_128bits(text.data(), text.size());
    key->h[0] = h.high64;
    key->h[1] = h.low64;
    return Status::Ok();
  }

  // First occurrence in input order wins: decided while streaming, no spill needed.
  std::unique_ptr<StreamDecider> MakeStreamDecider() const override { return std::make_unique<FirstSeen>(); }

  // The same decisions as a whole-dataset stage (the executor streams this op instead).
  Selection Select(const std::vector<GlobalKey>& keys) const override {
    Selection sel;
    sel.duplicate_of.assign(keys.size(), Selection::kNone);
    FirstSeen seen;
    for (uint32_t i = 0; i < keys.size(); ++i) {
      RowId first;
      if (seen.Admit(keys[i], RowId{0, i}, &first)) sel.order.push_back(i);
      else sel.duplicate_of[i] = static_cast<uint32_t>(first.line);
    }
    return sel;
  }

  void HashMembers(const GlobalKey& key, std::vector<std::pair<std::string, std::string>>* out) const override {
    char hex[40];
    std::snprintf(hex, sizeof hex, "\"%016llx%016llx\"", static_cast<unsigned long long>(key.h[0]),
                  static_cast<unsigned long long>(key.h[1]));
    out->emplace_back(std::string(kHashField), hex);
  }

 private:
  bool lowercase_, ignore_non_character_;
};

}  // namespace

void RegisterDocumentSimhashDeduplicator(Registry& r);
void RegisterDocumentMinhashDeduplicator(Registry& r);

void RegisterDedupOps(Registry& r) {
  RegisterDocumentSimhashDeduplicator(r);
  RegisterDocumentMinhashDeduplicator(r);
  r.Add({"document_deduplicator", OpKind::kDeduplicator,
         "Exact document deduplication (first occurrence kept), optionally case- and punctuation-insensitive.",
         {BoolParam("lowercase", false, "lower-case the text before hashing"),
          BoolParam("ignore_non_character", false, "remove whitespace, digits and punctuation before hashing")},
         {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<DocumentDeduplicator>(p, e); }});
}

}  // namespace winnow
