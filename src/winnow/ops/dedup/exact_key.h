// What Data-Juicer's exact deduplicators share (document_deduplicator, image_deduplicator,
// video_deduplicator): the text key (optionally lower-cased, whitespace/digits/punctuation
// removed, stripped), and "first occurrence in input order wins", decided while streaming.
#pragma once

#include <string_view>
#include <unordered_map>
#include <utility>

#include "winnow/ops/op.h"

namespace winnow {

// XXH3-128 of DJ's normalised text (DJ uses MD5: same decisions, faster).
void TextDedupKey(std::string_view text, bool lowercase, bool ignore_non_character, uint64_t out[2]);

// GlobalKey::number for a sample without a key (DJ's empty hash): always kept, never a duplicate.
inline constexpr double kNoDedupKey = -1;

class FirstSeen : public StreamDecider {
 public:
  bool Admit(const GlobalKey& key, RowId row, RowId* first) override;

 private:
  struct KeyHash {
    size_t operator()(const std::pair<uint64_t, uint64_t>& k) const {
      return k.first ^ (k.second * 0x9E3779B97F4A7C15ull);
    }
  };
  std::unordered_map<std::pair<uint64_t, uint64_t>, RowId, KeyHash> seen_;
};

// FirstSeen over a whole key vector (the executor streams these ops; this is the same decision).
Selection SelectFirstSeen(const std::vector<GlobalKey>& keys);

}  // namespace winnow
