// FastTextModel::Predict: fastText 0.9.2's Dictionary::getLine + Model::predict + the loss's
// top-1 search, replayed operation for operation (see fasttext_model.h for why). Compiled with
// -ffp-contract=off: a fused multiply-add would round differently from libfasttext's SSE2 code.
#include "winnow/models/fasttext_model.h"
#include "winnow/core/prefetch.h"
#include "winnow/models/fasttext_token_cache.h"

#include <immintrin.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

namespace winnow {
namespace {

constexpr std::string_view kEos = "</s>";
constexpr std::string_view kLabelPrefix = "__label__";
enum Loss { kHs = 1, kNs = 2, kSoftmax = 3, kOva = 4 };

// Dictionary::readWord's separators ('\n', which ends the line, is handled before).
constexpr auto kSpace = [] {
  std::array<bool, 256> t{};
  for (uint8_t c : {' ', '\r', '\t', '\v', '\f', '\0'}) t[c] = true;
  return t;
}();
inline bool IsSpace(uint8_t c) { return kSpace[c]; }

constexpr uint32_t FnvStep(uint32_t h, uint8_t c) {  // bytes as signed char, as fastText hashes
  return (h ^ static_cast<uint32_t>(static_cast<int8_t>(c))) * 16777619u;
}

constexpr uint32_t kEosHash = FnvStep(FnvStep(FnvStep(FnvStep(2166136261u, '<'), '/'), 's'), '>');
static_assert(kEosHash == 0xd79c9359u);

// fastText's loss.cc std_log (float in, log in double, float out).
inline float StdLog(float x) { return std::log(x + 1e-5); }

// Sum of rows in order into 16 lanes; each lane is its own sequential float sum.
__attribute__((target("avx512f"))) void SumRows16Avx512(const float* base, const int32_t* rows, size_t n,
                                                        float* out) {
  __m512 h = _mm512_setzero_ps();
  for (size_t i = 0; i < n; i++) h = _mm512_add_ps(h, _mm512_loadu_ps(base + static_cast<size_t>(rows[i]) * 16));
  _mm512_storeu_ps(out, h);
}

// Baseline x86-64 (SSE2): four independent 4-lane sums per row, the same per-lane order.
void SumRows16Sse(const float* base, const int32_t* rows, size_t n, float* out) {
  __m128 a = _mm_setzero_ps(), b = a, c = a, d = a;
  for (size_t i = 0; i < n; i++) {
    const float* r = base + static_cast<size_t>(rows[i]) * 16;
    a = _mm_add_ps(a, _mm_loadu_ps(r));
    b = _mm_add_ps(b, _mm_loadu_ps(r + 4));
    c = _mm_add_ps(c, _mm_loadu_ps(r + 8));
    d = _mm_add_ps(d, _mm_loadu_ps(r + 12));
  }
  _mm_storeu_ps(out, a);
  _mm_storeu_ps(out + 4, b);
  _mm_storeu_ps(out + 8, c);
  _mm_storeu_ps(out + 12, d);
}

void SumRowsGeneric(const float* base, int32_t dim, const int32_t* rows, size_t n, float* out) {
  std::fill(out, out + dim, 0.0f);
  for (size_t i = 0; i < n; i++) {
    const float* r = base + static_cast<size_t>(rows[i]) * dim;
    for (int32_t j = 0; j < dim; j++) out[j] += r[j];
  }
}

const bool kHasAvx512 = __builtin_cpu_supports("avx512f");

struct Token {
  size_t begin, len;
  uint32_t hash;  // FastTextModel::TokenHash
  uint32_t fnv;   // fastText's hash, when word n-grams need it
};

struct Scratch {
  std::vector<Token> tokens;
  std::vector<int32_t> rows;
  std::vector<int32_t> word_hashes;
  std::vector<float> hidden;
  std::string bow;
  FastTextTokenCache tokens_seen;
};

}  // namespace

FastTextModel::~FastTextModel() = default;

int32_t FastTextModel::FindWord(std::string_view w, uint32_t h) const {
  for (uint32_t s = WordHome(h);; s = (s + 1) & word_mask_) {
    uint64_t slot = word_slots_[s];
    uint32_t id = static_cast<uint32_t>(slot);
    if (id == UINT32_MAX) return -1;
    if ((slot >> 32) == h && word_begin_[id + 1] - word_begin_[id] == w.size() &&
        std::memcmp(word_arena_.data() + word_begin_[id], w.data(), w.size()) == 0)
      return static_cast<int32_t>(id);
  }
}

// POPCNT when the build targets a CPU that has it (WINNOW_NATIVE), else the portable bit count
// (baseline x86-64 has no POPCNT, and GCC would call libgcc's __popcountdi2).
static inline uint32_t PopCount64(uint64_t x) {
#if defined(__POPCNT__)
  return static_cast<uint32_t>(__builtin_popcountll(x));
#else
  x = x - ((x >> 1) & 0x5555555555555555ull);
  x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
  return static_cast<uint32_t>((((x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full) * 0x0101010101010101ull) >> 56);
#endif
}

inline int32_t FastTextModel::PrunedRow(int32_t bucket_id) const {
  uint64_t w = prune_bits_[static_cast<uint32_t>(bucket_id) >> 6];
  uint64_t bit = uint64_t{1} << (bucket_id & 63);
  if (!(w & bit)) return -1;
  return prune_values_[prune_rank_[static_cast<uint32_t>(bucket_id) >> 6] + PopCount64(w & (bit - 1))];
}

// Dictionary::computeSubwords + pushHash on "<word>": character n-grams (UTF-8 lead byte plus its
// continuation bytes is one character), FNV-1a hashed incrementally since each n-gram extends the
// previous one, bucketed, then remapped by pruneidx. The bucket ids are collected first and looked
// up afterwards in branch-free passes, so the bitmap loads (mostly cache misses) overlap instead
// of waiting behind a mispredicted "kept?" branch each.
void FastTextModel::AddSubwords(std::string_view w, std::vector<int32_t>* rows) const {
  if (pruneidx_size_ == 0) return;
  const uint8_t* s = reinterpret_cast<const uint8_t*>(w.data());
  const size_t len = w.size();
  const size_t maxn = static_cast<size_t>(maxn_), minn = static_cast<size_t>(minn_);  // as fastText compares
  const uint32_t bucket = static_cast<uint32_t>(bucket_);
  constexpr size_t kChunk = 256;
  uint32_t ids[kChunk];
  size_t k = 0;
  auto flush = [&] {
    if (pruneidx_size_ < 0) {
      for (size_t i = 0; i < k; i++) rows->push_back(nwords_ + static_cast<int32_t>(ids[i]));
    } else {
      size_t kept = 0;
      for (size_t i = 0; i < k; i++) {
        uint32_t id = ids[i];
        ids[kept] = id;
        kept += (prune_bits_[id >> 6] >> (id & 63)) & 1;
      }
      for (size_t i = 0; i < kept; i++) {
        uint32_t id = ids[i];
        uint64_t below = prune_bits_[id >> 6] & ((uint64_t{1} << (id & 63)) - 1);
        rows->push_back(nwords_ + prune_values_[prune_rank_[id >> 6] + PopCount64(below)]);
      }
    }
    k = 0;
  };
  auto emit = [&](uint32_t h) {
    // h % bucket by Lemire's fastmod (exact for every 32-bit h).
    uint64_t low = bucket_fastmod_ * h;
    ids[k++] = static_cast<uint32_t>((static_cast<unsigned __int128>(low) * bucket) >> 64);
    if (k == kChunk) flush();
  };
  uint8_t any_high = 0;
  for (size_t i = 0; i < len; i++) any_high |= s[i];
  if (!(any_high & 0x80)) {
    // ASCII only: every byte is a character, the loop below without its continuation checks.
    for (size_t i = 0; i < len; i++) {
      uint32_t h = 2166136261u;
      size_t last = std::min(len - i, maxn);
      for (size_t n = 1; n <= last; n++) {
        h = FnvStep(h, s[i + n - 1]);
        if (n >= minn && !(n == 1 && (i == 0 || i + 1 == len))) emit(h);
      }
    }
  } else {
    for (size_t i = 0; i < len; i++) {
      if ((s[i] & 0xC0) == 0x80) continue;
      uint32_t h = 2166136261u;
      for (size_t j = i, n = 1; j < len && n <= maxn; n++) {
        h = FnvStep(h, s[j++]);
        while (j < len && (s[j] & 0xC0) == 0x80) h = FnvStep(h, s[j++]);
        if (n >= minn && !(n == 1 && (i == 0 || j == len))) emit(h);
      }
    }
  }
  flush();
}

void FastTextModel::Hidden(const std::vector<int32_t>& rows, float* hidden) const {
  if (dim_ == 16 && kHasAvx512) {
    SumRows16Avx512(input_.data(), rows.data(), rows.size(), hidden);
  } else if (dim_ == 16) {
    SumRows16Sse(input_.data(), rows.data(), rows.size(), hidden);
  } else {
    SumRowsGeneric(input_.data(), dim_, rows.data(), rows.size(), hidden);
  }
  // Model::computeHidden: hidden.mul(1.0 / input.size()), the factor rounded to float.
  float a = static_cast<float>(1.0 / rows.size());
  for (int32_t j = 0; j < dim_; j++) hidden[j] *= a;
}

// Matrix::dotRow: DenseMatrix sums at(i, j) * vec[j] in order; QuantMatrix (mulcode) does the
// same with the centroids, then multiplies by the row's norm.
float FastTextModel::Dot(const float* hidden, int32_t row) const {
  const float* r = output_.data() + static_cast<size_t>(row) * dim_;
  float d = 0.0f;
  for (int32_t j = 0; j < dim_; j++) d += r[j] * hidden[j];
  if (output_quantized_) d = d * output_norm_[row];
  return d;
}

// HierarchicalSoftmaxLoss::dfs with k = 1, threshold 0. The one-element heap keeps the old leaf
// only when its score is greater than the new one's (push_heap + pop_heap with comparePairs).
void FastTextModel::HsSearch(int32_t node, float score, Top1* best, float* best_score,
                             const float* hidden) const {
  if (score < log_threshold_) return;
  if (best->label >= 0 && score < *best_score) return;
  if (tree_left_[node] == -1 && tree_right_[node] == -1) {
    if (!(best->label >= 0 && *best_score > score)) {
      best->label = node;
      *best_score = score;
    }
    return;
  }
  float f = Dot(hidden, node - osz_);
  f = 1. / (1 + std::exp(-f));
  HsSearch(tree_left_[node], score + StdLog(1.0 - f), best, best_score, hidden);
  HsSearch(tree_right_[node], score + StdLog(f), best, best_score, hidden);
}

FastTextModel::Top1 FastTextModel::PredictHs(const float* hidden) const {
  Top1 best;
  float best_score = 0;
  HsSearch(2 * osz_ - 2, 0.0f, &best, &best_score, hidden);
  if (best.label >= 0) best.prob = std::exp(best_score);
  return best;
}

// Softmax / one-vs-all / negative sampling: Loss::computeOutput then findKBest (k = 1).
FastTextModel::Top1 FastTextModel::PredictFlat(const float* hidden) const {
  thread_local std::vector<float> out;
  out.resize(output_rows_);
  for (int64_t i = 0; i < output_rows_; i++) out[i] = Dot(hidden, static_cast<int32_t>(i));
  if (loss_ == kSoftmax) {
    float max = out[0], z = 0.0f;
    for (float v : out) max = std::max(v, max);
    for (float& v : out) {
      v = static_cast<float>(::exp(static_cast<double>(v - max)));  // loss.cc's unqualified exp(double)
      z += v;
    }
    for (float& v : out) v /= z;
  } else {
    for (float& v : out) {  // Loss::sigmoid's table lookup
      if (v < -int64_t{8}) {
        v = 0.0f;
      } else if (v > int64_t{8}) {
        v = 1.0f;
      } else {
        v = sigmoid_table_[static_cast<int64_t>((v + int64_t{8}) * int64_t{512} / int64_t{8} / 2)];
      }
    }
  }
  Top1 best;
  float best_score = 0;
  for (int64_t i = 0; i < output_rows_; i++) {
    if (out[i] < 0.0f) continue;
    float lp = StdLog(out[i]);
    if (best.label >= 0 && lp < best_score) continue;
    best.label = static_cast<int32_t>(i);
    best_score = lp;
  }
  if (best.label >= 0) best.prob = std::exp(best_score);
  return best;
}

FastTextModel::Top1 FastTextModel::Predict(std::string_view line) const {
  thread_local Scratch sc;
  sc.tokens_seen.Bind(serial_, input_rows_ <= 65536);
  sc.tokens.clear();
  sc.rows.clear();
  sc.word_hashes.clear();
  if (size_t nl = line.find('\n'); nl != std::string_view::npos) line = line.substr(0, nl);
  // Pass 1: split and hash the tokens (Dictionary::readWord). The text after a literal "</s>" is
  // never read (getLine stops there); otherwise "</s>" ends the line.
  const uint8_t* p = reinterpret_cast<const uint8_t*>(line.data());
  const size_t n = line.size();
  bool eos_in_text = false;
  const bool need_fnv = word_ngrams_ > 1;
  auto add_token = [&](size_t b, size_t e) {
    uint32_t fnv = 0;
    if (need_fnv) {
      fnv = 2166136261u;
      for (size_t i = b; i < e; ++i) fnv = FnvStep(fnv, p[i]);
    }
    sc.tokens.push_back(Token{b, e - b, TokenHash(line.data() + b, e - b), fnv});
    eos_in_text = e - b == kEos.size() && line.substr(b, e - b) == kEos;
    return !eos_in_text;
  };
#if defined(__AVX512BW__)
  // Separators 64 bytes at a time; tokens are the non-empty runs between them.
  {
    size_t begin = 0;
    bool go = true;
    for (size_t i = 0; go && i < n; i += 64) {
      const __mmask64 valid = n - i >= 64 ? ~__mmask64{0} : (__mmask64{1} << (n - i)) - 1;
      const __m512i v = _mm512_maskz_loadu_epi8(valid, p + i);
      uint64_t sep = (_mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(' ')) | _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\r')) |
                      _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\t')) | _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\v')) |
                      _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\f')) | _mm512_cmpeq_epi8_mask(v, _mm512_setzero_si512())) &
                     valid;
      while (sep) {
        const size_t j = i + static_cast<size_t>(__builtin_ctzll(sep));
        sep &= sep - 1;
        if (j > begin && !add_token(begin, j)) {
          go = false;
          break;
        }
        begin = j + 1;
      }
    }
    if (go && n > begin) add_token(begin, n);
  }
#else
  for (size_t pos = 0; !eos_in_text;) {
    while (pos < n && IsSpace(p[pos])) pos++;
    if (pos == n) break;
    size_t b = pos;
    while (pos < n && !IsSpace(p[pos])) pos++;
    add_token(b, pos);
  }
#endif
  // Pass 2: each token's rows (Dictionary::getLine / addSubwords), then the end of sentence. The
  // table slots a token reads are prefetched kAhead tokens before, so their cache misses (the token
  // cache is 16 MB) overlap with the work on the tokens in between. (Prefetching every token in
  // pass 1 instead ran out of fill buffers on long lines and stalled there.)
  constexpr size_t kAhead = 8;
  static const uint32_t eos_hash = TokenHash(kEos.data(), kEos.size());
  auto prefetch = [&](uint32_t h) {
    PrefetchRead(&word_slots_[WordHome(h)]);
    sc.tokens_seen.Prefetch(h);
  };
  size_t ntok = sc.tokens.size();
  for (size_t t = 0; t < std::min(ntok, kAhead); t++) prefetch(sc.tokens[t].hash);
  for (size_t t = 0; t <= ntok; t++) {
    if (t == ntok && eos_in_text) break;
    if (t + kAhead < ntok) prefetch(sc.tokens[t + kAhead].hash);
    std::string_view tok = t < ntok ? line.substr(sc.tokens[t].begin, sc.tokens[t].len) : kEos;
    uint32_t h = t < ntok ? sc.tokens[t].hash : eos_hash;
    if (sc.tokens_seen.Find(tok, h, &sc.rows)) {  // a word seen before (only words are kept)
      if (word_ngrams_ > 1) sc.word_hashes.push_back(static_cast<int32_t>(t < ntok ? sc.tokens[t].fnv : kEosHash));
      continue;
    }
    int32_t wid = FindWord(tok, h);
    bool is_word = wid >= 0 ? word_type_[wid] == 0 : tok.substr(0, kLabelPrefix.size()) != kLabelPrefix;
    if (!is_word) continue;
    if (word_ngrams_ > 1) sc.word_hashes.push_back(static_cast<int32_t>(t < ntok ? sc.tokens[t].fnv : kEosHash));
    size_t before = sc.rows.size();
    if (wid >= 0) {
      if (maxn_ <= 0) {
        sc.rows.push_back(wid);
      } else {
        sc.rows.insert(sc.rows.end(), sub_rows_.begin() + sub_begin_[wid], sub_rows_.begin() + sub_begin_[wid + 1]);
      }
    } else {
      if (tok == kEos) continue;  // an unknown "</s>" has no n-grams
      sc.bow.clear();
      sc.bow.push_back('<');
      sc.bow.append(tok);
      sc.bow.push_back('>');
      AddSubwords(sc.bow, &sc.rows);
    }
    sc.tokens_seen.Insert(tok, h, sc.rows.data() + before, static_cast<uint32_t>(sc.rows.size() - before));
  }
  // Dictionary::addWordNgrams (hashes sign-extended to 64 bits, as fastText's int32 vector does).
  for (size_t i = 0; word_ngrams_ > 1 && i < sc.word_hashes.size(); i++) {
    uint64_t wh = static_cast<uint64_t>(static_cast<int64_t>(sc.word_hashes[i]));
    for (size_t j = i + 1; j < sc.word_hashes.size() && j < i + word_ngrams_; j++) {
      wh = wh * 116049371 + static_cast<uint64_t>(static_cast<int64_t>(sc.word_hashes[j]));
      int32_t id = static_cast<int32_t>(wh % static_cast<uint64_t>(bucket_));
      if (pruneidx_size_ == 0) continue;
      if (pruneidx_size_ > 0 && (id = PrunedRow(id)) < 0) continue;
      sc.rows.push_back(nwords_ + id);
    }
  }
  if (sc.rows.empty()) return Top1{};  // FastText::predict returns nothing for an empty line
  sc.hidden.resize(std::max(dim_, 16));
  Hidden(sc.rows, sc.hidden.data());
  return loss_ == kHs ? PredictHs(sc.hidden.data()) : PredictFlat(sc.hidden.data());
}

}  // namespace winnow
