// SentencePiece's EncodeAsPieces for unigram models, native (no libsentencepiece): the model
// file is read with a minimal protobuf reader, the text normalized by SpmNormalizer (the
// library's normalizer rewritten), and the library's Viterbi search (unigram_model.cc,
// EncodeOptimized, 0.1.97) replicated word by word.
//
// When no vocabulary piece holds the whitespace mark U+2581 anywhere but at its start (what
// split_by_whitespace=true training gives: Winnow's and CCNet's models), every path of the search
// passes through the position before each U+2581, so the text splits into words searched
// independently: the search inside a word depends only on the word and on the float score S of
// the best path up to it. Words are cached with the smallest score gap of any comparison their
// search made at S = 0; a cached split is reused when that gap exceeds the float rounding that S
// can add (see Robust()), otherwise the word is searched again from S with the library's
// arithmetic. Other models (BPE, char, word, no whitespace split, whitespace as suffix,
// user-defined symbols) are refused with a reason and stay with the library (the spm plugin).
// The pieces are the library's, byte for byte (tests/unit/spm_native_test.cc).
#pragma once

#include <array>
#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "winnow/core/piece_list.h"
#include "winnow/models/spm_normalizer.h"
#include "winnow/models/spm_word_cache.h"
#include "winnow/core/huge_pages.h"

namespace winnow {

class SpmUnigram {
 public:
  // nullptr (and why in *why) when the model is not one this encoder is exact for, or the
  // bytes are not a model it can read.
  static std::unique_ptr<SpmUnigram> Create(std::string_view model_proto, std::string* why);
  // The pieces of EncodeAsPieces(text), in order, into *out (replacing its contents): views
  // into out->bytes (the normalized text) or static storage, and their ids (-1 for a merged run
  // of unknown characters and for byte pieces).
  void Encode(std::string_view text, PieceList* out) const;
  // The same appended to *pieces as strings, the ids to *ids if not null.
  void Encode(std::string_view text, std::vector<std::string>* pieces, std::vector<int32_t>* ids = nullptr) const;
  size_t NumPieces() const { return piece_text_.size(); }
  std::string_view PieceText(int32_t id) const { return piece_text_[id]; }
  // For tests: words this thread's cache for this model overwrote so far; the capacity
  // (2^slots_log2 slots) of every thread's cache from the next Encode on.
  size_t CacheEvictionsForTest() const;
  void SetCacheCapacityForTest(int slots_log2) const;

 private:
  SpmUnigram() = default;
  struct Piece {
    float score = 0;
    int id = 0;
  };
  struct WordPiece {
    uint32_t len;  // bytes
    int id;
  };
  // The library's EncodeOptimized over one word, starting from best path score s; fills pieces,
  // returns the best path score at the word's end; *min_gap gets the smallest gap of the
  // comparisons at the positions of the best path (see Robust()).
  template <bool kGap>  // whether to compute *min_gap (only the search from 0 for the cache needs it)
  float Search(std::string_view word, float s, std::vector<WordPiece>* out, double* min_gap) const;
  bool Robust(double min_gap, size_t chars, float s) const;
  float Advance(const std::vector<WordPiece>& pieces, float s) const;
  // One piece of it: unk's score is a float sum, a piece's a double one rounded to float.
  float AdvanceOne(int id, float s) const {
    if (id == unk_id_) return unk_score_ + s;
    return static_cast<float>(static_cast<double>(score_by_id_[id]) + static_cast<double>(s));
  }

  std::optional<SpmNormalizer> normalizer_;
  // The vocabulary (normal and unused pieces) as a byte trie, built in building_ (edges keyed
  // by (node << 8 | byte) + 1) and node_piece_, then laid out as a double array: one 16-byte
  // unit per node holds its children's base, its parent check and its piece, so a search
  // step is one load.
  void AddToTrie(const std::string& piece, int id, bool unused);
  void BuildDoubleArray();
  struct DaUnit {
    uint32_t base = kNoBase;  // children at base + byte
    int32_t check = -1;       // the parent's slot; -1: free
    int32_t id = -1;          // the piece ending here (-1: none, or an unused piece)
    float score = 0;
  };
  static constexpr uint32_t kNoBase = 0xFFFFFF00u;  // while building: no children yet
  bool Child(uint32_t* slot, unsigned char c) const {
    const uint32_t next = da_[*slot].base + c;  // always inside the array (BuildDoubleArray)
    if (da_[next].check != static_cast<int32_t>(*slot)) return false;
    *slot = next;
    return true;
  }
  std::unordered_map<uint64_t, int> building_;  // edges while building
  HugeVector<DaUnit> da_;
  std::vector<int> node_piece_;  // piece id ending at a trie node, or -1
  std::vector<float> score_by_id_;
  std::vector<std::string> piece_text_;  // by id
  std::vector<bool> unused_;
  int unk_id_ = -1;
  float unk_score_ = 0;
  float max_abs_score_ = 0;
  bool byte_fallback_ = false;
  // This thread's cache for this model (made on first use, remade when the capacity changes).
  WordCache& ThreadCache() const;
  uint64_t uid_ = 0;  // tells models apart in the threads' caches (addresses get reused)
  mutable std::atomic<int> cache_log2_{18};  // 16 MB per thread and model (see spm_word_cache.h)
  mutable std::atomic<uint32_t> cache_generation_{0};
};

}  // namespace winnow
