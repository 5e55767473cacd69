// document_deduplicator: exact dedup on the text (optionally lower-cased and with whitespace,
// digits and ASCII punctuation removed, then str.strip()). The first occurrence in input order
// survives. DJ hashes with MD5; Winnow uses XXH3-128 (same decisions, faster), so a kept
// `__dj__hash` (keep_hashes_in_res_ds) differs from DJ's value.
#include <cstdio>

#include "winnow/ops/dedup/exact_key.h"
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

class DocumentDeduplicator : public Deduplicator {
 public:
  DocumentDeduplicator(const Params& p, const OpEnv& env)
      : Deduplicator("document_deduplicator", p, env),
        lowercase_(p.Bool("lowercase")),
        ignore_non_character_(p.Bool("ignore_non_character")) {}

  Status ComputeKey(Sample& s, GlobalKey* key) const override {
    auto t = s.Text(text_key_);
    if (!t.ok()) return t.status();
    TextDedupKey(*t, lowercase_, ignore_non_character_, key->h);
    return Status::Ok();
  }

  // First occurrence in input order wins: decided while streaming, no spill needed.
  std::unique_ptr<StreamDecider> MakeStreamDecider() const override { return std::make_unique<FirstSeen>(); }

  // The same decisions as a whole-dataset stage (the executor streams this op instead).
  Selection Select(const std::vector<GlobalKey>& keys) const override { return SelectFirstSeen(keys); }

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
void RegisterImageDeduplicator(Registry& r);
void RegisterVideoDeduplicator(Registry& r);

void RegisterDedupOps(Registry& r) {
  RegisterDocumentSimhashDeduplicator(r);
  RegisterDocumentMinhashDeduplicator(r);
  RegisterImageDeduplicator(r);
  RegisterVideoDeduplicator(r);
  r.Add({"document_deduplicator", OpKind::kDeduplicator,
         "Exact document deduplication (first occurrence kept), optionally case- and punctuation-insensitive.",
         {BoolParam("lowercase", false, "lower-case the text before hashing"),
          BoolParam("ignore_non_character", false, "remove whitespace, digits and punctuation before hashing")},
         {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<DocumentDeduplicator>(p, e); }});
}

}  // namespace winnow
