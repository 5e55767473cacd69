// What image_deduplicator and video_deduplicator share: a per-sample hash of its media (an
// empty hash without media: always kept), optionally paired with the text's exact-dedup key
// (DJ's consider_text, which hashes the text with a DocumentDeduplicator built from the op's
// remaining params: lowercase, ignore_non_character). The first occurrence wins, as in DJ.
#pragma once

#include <string>
#include <vector>

#include "winnow/ops/op.h"
#include "winnow/ops/params.h"

namespace winnow {

class MediaHashDeduplicator : public Deduplicator {
 public:
  MediaHashDeduplicator(std::string name, const Params& p, const OpEnv& env, std::string hash_field);

  Status ComputeKey(Sample& s, GlobalKey* key) const override;
  std::unique_ptr<StreamDecider> MakeStreamDecider() const override;
  Selection Select(const std::vector<GlobalKey>& keys) const override;
  void HashMembers(const GlobalKey& key, std::vector<std::pair<std::string, std::string>>* out) const override;

 protected:
  // The sample's media hash as DJ writes it ("" when the sample has no media of this kind).
  virtual Status MediaHash(Sample& s, std::string* hash) const = 0;

  const std::vector<std::string>* files_;

 private:
  std::string hash_field_;  // __dj__imagehash / __dj__videohash
  bool consider_text_, lowercase_, ignore_non_character_;
};

// consider_text, lowercase, ignore_non_character.
std::vector<ParamSpec> MediaDedupParams();

}  // namespace winnow
