// Native inference for fastText supervised models (lid.176.ftz / .bin and any other model that
// fastText 0.9.2 saves): our own loader and top-1 predictor that returns the same label and the
// bit-identical float probability as libfasttext's FastText::predictLine(k = 1, threshold = 0).
//
// Why bit-identical: fastText's arithmetic is replayed in the same order and precision (rows of
// the input matrix summed one after another in float, the average as sum * float(1.0 / n),
// quantized rows as float(norm * centroid), the loss's dot products summed sequentially, the same
// libm calls). It is faster because nothing is allocated per line, vocabulary words keep their
// precomputed row lists, the rows of words seen are remembered per thread (fasttext_token_cache.h),
// quantized rows are decoded once at load, n-gram hashing is incremental and the pruned-bucket
// lookup is a bitmap. The model is read-only after Load, so one instance serves all threads.
#pragma once

#include <cstdint>
#include <immintrin.h>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/status.h"
#include "winnow/core/huge_pages.h"

namespace winnow {

class FastTextModel {
 public:
  // Top-1 prediction: label index (-1 when the line has no known token or n-gram, where
  // libfasttext returns no prediction) and its probability exp(log-prob) as fastText's float.
  struct Top1 {
    int32_t label = -1;
    float prob = 0;
  };

  // Loads a supervised model file. Errors name the file and what is wrong with it (unreadable,
  // truncated, inconsistent sizes, not a classifier).
  static Result<std::unique_ptr<FastTextModel>> Load(const std::string& path);
  ~FastTextModel();

  // predictLine of `line` + "\n": tokens up to the first '\n' (or the end), then "</s>".
  Top1 Predict(std::string_view line) const;
  // The label text as stored (with its "__label__" prefix).
  const std::string& label(int32_t i) const { return labels_[i]; }
  int32_t num_labels() const { return static_cast<int32_t>(labels_.size()); }
  int32_t dim() const { return dim_; }

 private:
  FastTextModel() = default;
  void AddSubwords(std::string_view bow_word_eow, std::vector<int32_t>* rows) const;
  int32_t FindWord(std::string_view w, uint32_t h) const;
  // The vocabulary slot a token of hash h probes first (lookups, prefetches and the load agree).
  uint32_t WordHome(uint32_t h) const { return (h * 0x9E3779B1u) >> word_shift_; }
  // The hash that keys the vocabulary table and the token cache: whole 64-bit words of the token
  // (fastText's own FNV-1a, a multiply per byte, is computed only when word n-grams need it).
  static uint32_t TokenHash(const char* p, size_t n) {
    uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
    size_t i = 0;
#if defined(__AVX512BW__) && defined(__AVX512VL__)
    if (n <= 16) {  // one masked load (no byte past the token is read), no loop
      const __m128i v = _mm_maskz_loadu_epi8(static_cast<__mmask16>((uint32_t{1} << n) - 1), p);
      h = (h ^ static_cast<uint64_t>(_mm_cvtsi128_si64(v))) * 0xFF51AFD7ED558CCDull;
      h = ((h ^ (h >> 32)) ^ static_cast<uint64_t>(_mm_extract_epi64(v, 1))) * 0xFF51AFD7ED558CCDull;
      h ^= h >> 32;
      h *= 0xC4CEB9FE1A85EC53ull;
      return static_cast<uint32_t>(h >> 32);
    }
#endif
    for (; i + 8 <= n; i += 8) {
      uint64_t w;
      __builtin_memcpy(&w, p + i, 8);
      h = (h ^ w) * 0xFF51AFD7ED558CCDull;
      h ^= h >> 32;
    }
    if (i < n) {
      uint64_t w = 0;
      for (size_t k = 0; i + k < n; ++k) w |= uint64_t{static_cast<uint8_t>(p[i + k])} << (8 * k);
      h = (h ^ w) * 0xFF51AFD7ED558CCDull;
      h ^= h >> 32;
    }
    h *= 0xC4CEB9FE1A85EC53ull;
    return static_cast<uint32_t>(h >> 32);
  }
  int32_t PrunedRow(int32_t bucket_id) const;
  void Hidden(const std::vector<int32_t>& rows, float* hidden) const;
  float Dot(const float* hidden, int32_t row) const;
  Top1 PredictHs(const float* hidden) const;
  Top1 PredictFlat(const float* hidden) const;
  void HsSearch(int32_t node, float score, Top1* best, float* best_score, const float* hidden) const;

  uint64_t serial_ = 0;  // process-unique, keys the per-thread token cache
  // Args (only what inference reads).
  int32_t dim_ = 0, word_ngrams_ = 1, loss_ = 0, bucket_ = 0, minn_ = 0, maxn_ = 0;
  int32_t nwords_ = 0;
  int64_t pruneidx_size_ = -1;
  uint64_t bucket_fastmod_ = 0;  // Lemire's constant for x % bucket_

  // Dictionary: words in an arena, open-addressing table on fastText's FNV hash.
  std::string word_arena_;
  std::vector<uint32_t> word_begin_;    // size + 1 offsets into word_arena_
  std::vector<int8_t> word_type_;       // 0 word, 1 label
  // Slots hold (hash << 32 | entry id), id 0xffffffff = empty: a token whose hash matches no
  // slot is rejected without touching the words.
  std::vector<uint64_t> word_slots_;
  uint32_t word_mask_ = 0, word_shift_ = 0;
  // Row lists of vocabulary words (the word itself, then its n-grams): [sub_begin_[i], sub_begin_[i+1]).
  std::vector<int32_t> sub_rows_;
  std::vector<uint32_t> sub_begin_;
  std::vector<std::string> labels_;
  // pruneidx (quantized models): bucket id -> row offset. A bitmap over the buckets (256 KB for
  // lid.176's 2M, mostly L2-resident; ~85% of n-grams are pruned away and stop there), then for
  // the kept ones the count of kept buckets before their 64-bit word plus a popcount indexes the
  // offsets, stored in bucket order. (A hash map of the 42765 entries missed L2 on every probe.)
  std::vector<uint64_t> prune_bits_;
  std::vector<uint32_t> prune_rank_;
  std::vector<int32_t> prune_values_;

  // Input rows decoded to floats (rows x dim_); output rows (quantized ones without their norm,
  // which is applied after the sum as ProductQuantizer::mulcode does) and per-row norms.
  HugeVector<float> input_;
  int64_t input_rows_ = 0;
  std::vector<float> output_;
  std::vector<float> output_norm_;
  bool output_quantized_ = false;
  int64_t output_rows_ = 0;

  // Hierarchical softmax tree (fastText's buildTree from label counts).
  std::vector<int32_t> tree_left_, tree_right_;
  int32_t osz_ = 0;
  float log_threshold_ = 0;  // std_log(0.0f)
  std::vector<float> sigmoid_table_;
};

}  // namespace winnow
