// Reads a fastText 0.9.2 model file (FastText::loadModel's layout: magic, version, Args,
// Dictionary with its pruneidx, input matrix dense or product-quantized, output matrix dense or
// quantized) into FastTextModel, validating every size so that a corrupt file is an error, not a
// crash. Quantized input rows are decoded once here, each element as float(norm * centroid)
// exactly as ProductQuantizer::addcode computes it.
#include <atomic>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>

#include "winnow/models/fasttext_model.h"

namespace winnow {
namespace {

constexpr int32_t kMagic = 793712314;
constexpr int32_t kMaxVersion = 12;
constexpr int32_t kKsub = 256;  // ProductQuantizer: 8-bit codes
enum Loss { kHs = 1, kNs = 2, kSoftmax = 3, kOva = 4 };

// Reads the file sequentially, large arrays straight into their destination (a 130 MB .bin is
// not held twice), checking every size against the bytes left before allocating.
class Reader {
 public:
  Reader(std::istream& in, uint64_t size) : in_(in), left_(size) {}
  bool Read(void* dst, uint64_t n) {
    if (n > left_ || !in_.read(static_cast<char*>(dst), static_cast<std::streamsize>(n))) return false;
    left_ -= n;
    return true;
  }
  template <typename T>
  bool Get(T* v) { return Read(v, sizeof(T)); }
  bool CString(std::string* out) {
    out->clear();
    for (;;) {
      if (left_ == 0) return false;
      int c = in_.get();
      if (c == std::char_traits<char>::eof()) return false;
      left_--;
      if (c == 0) return true;
      out->push_back(static_cast<char>(c));
    }
  }
  uint64_t left() const { return left_; }

 private:
  std::istream& in_;
  uint64_t left_;
};

// A product quantizer as saved: dim, nsubq, dsub, lastdsub, then dim * 256 centroids.
struct Pq {
  int32_t dim = 0, nsubq = 0, dsub = 0, lastdsub = 0;
  std::vector<float> centroids;
  const float* Centroid(int32_t m, uint8_t i) const {  // ProductQuantizer::get_centroids
    if (m == nsubq - 1) return &centroids[static_cast<size_t>(m) * kKsub * dsub + i * lastdsub];
    return &centroids[(static_cast<size_t>(m) * kKsub + i) * dsub];
  }
};

bool ReadPq(Reader& r, Pq* pq, std::string* err) {
  if (!r.Get(&pq->dim) || !r.Get(&pq->nsubq) || !r.Get(&pq->dsub) || !r.Get(&pq->lastdsub))
    return *err = "truncated product quantizer", false;
  if (pq->dim <= 0 || pq->nsubq <= 0 || pq->dsub <= 0 || pq->lastdsub <= 0 || pq->lastdsub > pq->dsub ||
      static_cast<int64_t>(pq->nsubq - 1) * pq->dsub + pq->lastdsub != pq->dim || pq->dim > (1 << 20))
    return *err = "inconsistent product quantizer shape", false;
  size_t n = static_cast<size_t>(pq->dim) * kKsub;
  if (n * sizeof(float) > r.left()) return *err = "truncated product quantizer centroids", false;
  pq->centroids.resize(n);
  if (!r.Read(pq->centroids.data(), n * sizeof(float))) return *err = "truncated product quantizer centroids", false;
  return true;
}

// A matrix as rows x cols floats. Quantized: each row's codes decoded to its centroids; with
// `apply_norm` the row's norm multiplies each element (addcode), else it goes to *norms (mulcode).
template <class FloatVector>  // std::vector<float> or HugeVector<float>
bool ReadMatrix(Reader& r, bool quantized, bool apply_norm, FloatVector* out,
                std::vector<float>* norms, int64_t* rows, int64_t* cols, std::string* err) {
  if (!quantized) {
    int64_t m, n;
    if (!r.Get(&m) || !r.Get(&n)) return *err = "truncated matrix header", false;
    if (m < 0 || n <= 0 || m > (int64_t{1} << 40) / n) return *err = "bad matrix shape", false;
    uint64_t bytes = static_cast<uint64_t>(m * n) * sizeof(float);
    if (bytes > r.left()) return *err = "truncated matrix data", false;
    out->resize(m * n);
    if (!r.Read(out->data(), bytes)) return *err = "truncated matrix data", false;
    norms->assign(m, 1.0f);
    *rows = m, *cols = n;
    return true;
  }
  bool qnorm;
  int64_t m, n;
  int32_t codesize;
  if (!r.Get(&qnorm) || !r.Get(&m) || !r.Get(&n) || !r.Get(&codesize))
    return *err = "truncated quantized matrix header", false;
  std::vector<uint8_t> codes;
  if (m < 0 || n <= 0 || codesize < 0 || static_cast<uint64_t>(codesize) > r.left())
    return *err = "bad quantized matrix header", false;
  codes.resize(codesize);
  if (!r.Read(codes.data(), codesize)) return *err = "truncated quantized matrix codes", false;
  Pq pq;
  if (!ReadPq(r, &pq, err)) return false;
  if (pq.dim != n || static_cast<int64_t>(pq.nsubq) * m != codesize)
    return *err = "quantized matrix codes do not match its shape", false;
  std::vector<float> row_norm(m, 1.0f);
  if (qnorm) {
    std::vector<uint8_t> ncodes(m);
    Pq npq;
    if (!r.Read(ncodes.data(), m) || !ReadPq(r, &npq, err)) return *err = "truncated norm quantizer", false;
    for (int64_t i = 0; i < m; i++) row_norm[i] = npq.Centroid(0, static_cast<uint8_t>(ncodes[i]))[0];
  }
  out->resize(m * n);
  for (int64_t i = 0; i < m; i++) {
    const uint8_t* code = codes.data() + pq.nsubq * i;
    float* dst = out->data() + i * n;
    float alpha = apply_norm ? row_norm[i] : 1.0f;
    for (int32_t s = 0; s < pq.nsubq; s++) {
      const float* c = pq.Centroid(s, code[s]);
      int32_t d = s == pq.nsubq - 1 ? pq.lastdsub : pq.dsub;
      for (int32_t k = 0; k < d; k++) dst[s * pq.dsub + k] = alpha * c[k];
    }
  }
  if (apply_norm) norms->assign(m, 1.0f); else *norms = std::move(row_norm);
  *rows = m, *cols = n;
  return true;
}

}  // namespace

Result<std::unique_ptr<FastTextModel>> FastTextModel::Load(const std::string& path) {
  auto fail = [&](const std::string& what) {
    return Status::Error("fastText model '" + path + "': " + what);
  };
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return fail("cannot be opened");
  std::streamoff file_size = in.tellg();
  in.seekg(0);
  if (file_size < 0 || !in) return fail("cannot be read");
  Reader r(in, static_cast<uint64_t>(file_size));
  int32_t magic, version;
  if (!r.Get(&magic) || magic != kMagic || !r.Get(&version) || version > kMaxVersion)
    return fail("has wrong file format (not a fastText model, or a newer version)");

  std::unique_ptr<FastTextModel> m(new FastTextModel());
  static std::atomic<uint64_t> serials{0};
  m->serial_ = ++serials;
  int32_t ws, epoch, min_count, neg, model, lr_update;
  double t;
  if (!r.Get(&m->dim_) || !r.Get(&ws) || !r.Get(&epoch) || !r.Get(&min_count) || !r.Get(&neg) ||
      !r.Get(&m->word_ngrams_) || !r.Get(&m->loss_) || !r.Get(&model) || !r.Get(&m->bucket_) ||
      !r.Get(&m->minn_) || !r.Get(&m->maxn_) || !r.Get(&lr_update) || !r.Get(&t))
    return fail("truncated header");
  // libfasttext loads word-vector models too, but cannot predict with them.
  if (model != 3) return fail("is not a supervised (classification) model");
  if (m->loss_ < kHs || m->loss_ > kOva) return fail("unknown loss " + std::to_string(m->loss_));
  if (version == 11) m->maxn_ = 0;  // fastText: old supervised models have no char n-grams
  if (m->dim_ <= 0 || m->dim_ > 65536) return fail("bad dim " + std::to_string(m->dim_));
  if (m->bucket_ < 0 || (m->bucket_ == 0 && (m->maxn_ > 0 || m->word_ngrams_ > 1)))
    return fail("bad bucket " + std::to_string(m->bucket_));
  if (m->bucket_ > 0) m->bucket_fastmod_ = UINT64_MAX / static_cast<uint32_t>(m->bucket_) + 1;

  // Dictionary.
  int32_t size, nwords, nlabels;
  int64_t ntokens;
  if (!r.Get(&size) || !r.Get(&nwords) || !r.Get(&nlabels) || !r.Get(&ntokens) || !r.Get(&m->pruneidx_size_))
    return fail("truncated dictionary header");
  if (size < 0 || nwords < 0 || nlabels <= 0 || static_cast<int64_t>(nwords) + nlabels != size)
    return fail("inconsistent dictionary sizes");
  // Each entry takes at least 10 bytes (NUL, count, type), each pruneidx pair 8.
  if (static_cast<uint64_t>(size) > r.left() / 10) return fail("truncated dictionary");
  m->nwords_ = nwords;
  m->word_begin_.reserve(size + 1);
  m->word_type_.reserve(size);
  std::vector<int64_t> label_counts;
  std::string w;
  for (int32_t i = 0; i < size; i++) {
    int64_t count;
    int8_t type;
    if (!r.CString(&w) || !r.Get(&count) || !r.Get(&type)) return fail("truncated dictionary");
    if ((type == 1) != (i >= nwords) || (type != 0 && type != 1))
      return fail("dictionary entry " + std::to_string(i) + " has an unexpected type");
    m->word_begin_.push_back(static_cast<uint32_t>(m->word_arena_.size()));
    m->word_arena_.append(w);
    m->word_type_.push_back(type);
    if (type == 1) {
      label_counts.push_back(count);
      m->labels_.emplace_back(w);
    }
  }
  m->word_begin_.push_back(static_cast<uint32_t>(m->word_arena_.size()));
  if (m->pruneidx_size_ > 0) {
    if (m->pruneidx_size_ > (int64_t{1} << 31) || static_cast<uint64_t>(m->pruneidx_size_) > r.left() / 8)
      return fail("bad pruneidx size");
    std::vector<std::pair<int32_t, int32_t>> pairs;
    for (int64_t i = 0; i < m->pruneidx_size_; i++) {
      int32_t first, second;
      if (!r.Get(&first) || !r.Get(&second)) return fail("truncated pruneidx");
      if (second < 0) return fail("negative pruneidx entry");
      // A key outside [0, bucket) is never looked up (n-gram ids are hash % bucket).
      if (first >= 0 && first < m->bucket_) pairs.emplace_back(first, second);
    }
    // std::map semantics: a repeated key keeps the last value.
    std::stable_sort(pairs.begin(), pairs.end(), [](auto& a, auto& b) { return a.first < b.first; });
    m->prune_bits_.assign(static_cast<size_t>(m->bucket_) / 64 + 1, 0);
    for (size_t i = 0; i < pairs.size(); i++) {
      if (i + 1 < pairs.size() && pairs[i + 1].first == pairs[i].first) continue;
      m->prune_bits_[pairs[i].first >> 6] |= uint64_t{1} << (pairs[i].first & 63);
      m->prune_values_.push_back(pairs[i].second);
    }
    uint32_t rank = 0;
    for (uint64_t w : m->prune_bits_) {
      m->prune_rank_.push_back(rank);
      rank += __builtin_popcountll(w);
    }
  }
  uint32_t cap = 16;
  while (cap < 2 * static_cast<uint64_t>(size) + 2) cap <<= 1;
  m->word_slots_.assign(cap, UINT64_MAX);
  m->word_mask_ = cap - 1;
  m->word_shift_ = 32 - __builtin_ctz(cap);
  for (int32_t i = 0; i < size; i++) {
    std::string_view w(m->word_arena_.data() + m->word_begin_[i], m->word_begin_[i + 1] - m->word_begin_[i]);
    uint32_t h = TokenHash(w.data(), w.size());
    uint32_t s = m->WordHome(h);
    // Dictionary::load maps a repeated word to its last entry.
    while (static_cast<uint32_t>(m->word_slots_[s]) != UINT32_MAX) {
      uint32_t j = static_cast<uint32_t>(m->word_slots_[s]);
      if (std::string_view(m->word_arena_.data() + m->word_begin_[j], m->word_begin_[j + 1] - m->word_begin_[j]) == w) break;
      s = (s + 1) & m->word_mask_;
    }
    m->word_slots_[s] = (static_cast<uint64_t>(h) << 32) | static_cast<uint32_t>(i);
  }

  // Matrices.
  bool quant_input, qout;
  if (!r.Get(&quant_input)) return fail("truncated before the input matrix");
  std::vector<float> unused_norms;
  int64_t cols;
  std::string err;
  if (!ReadMatrix(r, quant_input, true, &m->input_, &unused_norms, &m->input_rows_, &cols, &err))
    return fail("input matrix: " + err);
  if (cols != m->dim_) return fail("input matrix has " + std::to_string(cols) + " columns, dim is " + std::to_string(m->dim_));
  if (!quant_input && m->pruneidx_size_ >= 0) return fail("invalid model file (pruned but not quantized)");
  if (!r.Get(&qout)) return fail("truncated before the output matrix");
  m->output_quantized_ = quant_input && qout;
  if (!ReadMatrix(r, m->output_quantized_, false, &m->output_, &m->output_norm_, &m->output_rows_, &cols, &err))
    return fail("output matrix: " + err);
  if (cols != m->dim_) return fail("output matrix has " + std::to_string(cols) + " columns, dim is " + std::to_string(m->dim_));

  // Every row a line can reach must exist: words, n-gram buckets (or pruned offsets), labels.
  int64_t max_row = nwords;
  if (m->pruneidx_size_ < 0) max_row = nwords + static_cast<int64_t>(m->bucket_);
  for (int32_t v : m->prune_values_) max_row = std::max<int64_t>(max_row, nwords + static_cast<int64_t>(v) + 1);
  if (m->input_rows_ < max_row) return fail("input matrix has fewer rows than the dictionary needs");
  int64_t need_out = m->loss_ == kHs ? nlabels - 1 : nlabels;
  if (m->output_rows_ < need_out || (m->loss_ != kHs && m->output_rows_ != nlabels))
    return fail("output matrix rows do not match the " + std::to_string(nlabels) + " labels");

  // Vocabulary words' row lists (Dictionary::initNgrams).
  m->sub_begin_.reserve(size + 1);
  std::string bow;
  for (int32_t i = 0; i < size; i++) {
    m->sub_begin_.push_back(static_cast<uint32_t>(m->sub_rows_.size()));
    m->sub_rows_.push_back(i);
    std::string_view w(m->word_arena_.data() + m->word_begin_[i], m->word_begin_[i + 1] - m->word_begin_[i]);
    if (w != "</s>") {
      bow.assign("<").append(w).push_back('>');
      m->AddSubwords(bow, &m->sub_rows_);
    }
  }
  m->sub_begin_.push_back(static_cast<uint32_t>(m->sub_rows_.size()));

  m->osz_ = nlabels;
  if (m->loss_ == kHs) {
    // HierarchicalSoftmaxLoss::buildTree (Huffman over the label counts, in dictionary order).
    int32_t n = 2 * nlabels - 1;
    std::vector<int64_t> count(n, static_cast<int64_t>(1e15));
    m->tree_left_.assign(n, -1);
    m->tree_right_.assign(n, -1);
    for (int32_t i = 0; i < nlabels; i++) count[i] = label_counts[i];
    int32_t leaf = nlabels - 1, node = nlabels;
    for (int32_t i = nlabels; i < n; i++) {
      int32_t mini[2] = {0, 0};
      for (int32_t j = 0; j < 2; j++) mini[j] = (leaf >= 0 && count[leaf] < count[node]) ? leaf-- : node++;
      m->tree_left_[i] = mini[0];
      m->tree_right_[i] = mini[1];
      count[i] = count[mini[0]] + count[mini[1]];
    }
  }
  // Loss::Loss's sigmoid table (ns / ova), same expressions.
  for (int i = 0; i < 512 + 1; i++) {
    float x = static_cast<float>(i * 2 * int64_t{8}) / 512 - int64_t{8};
    m->sigmoid_table_.push_back(static_cast<float>(1.0 / (1.0 + std::exp(-x))));
  }
  m->log_threshold_ = static_cast<float>(std::log(static_cast<double>(0.0f) + 1e-5));
  return m;
}

}  // namespace winnow
