#include "winnow/ops/dedup/media_dedup.h"

#define XXH_INLINE_ALL
#include "winnow/core/xxhash_include.h"

#include "winnow/core/json.h"
#include "winnow/ops/dedup/exact_key.h"
#include "winnow/ops/registry.h"

namespace winnow {

MediaHashDeduplicator::MediaHashDeduplicator(std::string name, const Params& p, const OpEnv& env,
                                             std::string hash_field)
    : Deduplicator(std::move(name), p, env),
      files_(env.input_files),
      hash_field_(std::move(hash_field)),
      consider_text_(p.Bool("consider_text")),
      lowercase_(p.Bool("lowercase")),
      ignore_non_character_(p.Bool("ignore_non_character")) {}

Status MediaHashDeduplicator::ComputeKey(Sample& s, GlobalKey* key) const {
  std::string hash;
  WINNOW_RETURN_IF_ERROR(MediaHash(s, &hash));
  key->str = hash;
  key->has_str = true;
  uint64_t text_key[2] = {0, 0};
  if (consider_text_) {
    auto t = s.Text(text_key_);
    if (!t.ok()) return t.status();
    TextDedupKey(*t, lowercase_, ignore_non_character_, text_key);
  } else if (hash.empty()) {
    // DJ keeps every sample whose hash is "" (no media). With consider_text its key is the
    // tuple ("", text hash), which is truthy: such samples are deduplicated by text alone.
    key->number = kNoDedupKey;
    return Status::Ok();
  }
  XXH3_state_t st;
  XXH3_128bits_reset(&st);
  XXH3_128bits_update(&st, hash.data(), hash.size());
  XXH3_128bits_update(&st, text_key, sizeof text_key);
  XXH128_hash_t h = XXH3_128bits_digest(&st);
  key->h[0] = h.high64;
  key->h[1] = h.low64;
  return Status::Ok();
}

std::unique_ptr<StreamDecider> MediaHashDeduplicator::MakeStreamDecider() const {
  return std::make_unique<FirstSeen>();
}

Selection MediaHashDeduplicator::Select(const std::vector<GlobalKey>& keys) const { return SelectFirstSeen(keys); }

void MediaHashDeduplicator::HashMembers(const GlobalKey& key,
                                        std::vector<std::pair<std::string, std::string>>* out) const {
  std::string v;
  json::AppendString(key.str, &v);
  out->emplace_back(hash_field_, std::move(v));
}

std::vector<ParamSpec> MediaDedupParams() {
  return {BoolParam("consider_text", false, "also require equal text (DJ's document_deduplicator key)"),
          BoolParam("lowercase", false, "with consider_text: lower-case the text before hashing"),
          BoolParam("ignore_non_character", false,
                    "with consider_text: remove whitespace, digits and punctuation before hashing")};
}

}  // namespace winnow
