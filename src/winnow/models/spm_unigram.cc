#include "winnow/models/spm_unigram.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <limits>
#include <cstdlib>
#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace winnow {
namespace {

// --- protobuf wire format, just enough to read a ModelProto (no .pb.h is installed) ---
struct Field {
  uint32_t num;
  uint32_t wire;
  uint64_t varint;      // wire 0 (and wire 5's 32 bits)
  std::string_view bytes;  // wire 2
};

bool ReadVarint(std::string_view s, size_t* pos, uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift < 64 && *pos < s.size(); shift += 7) {
    uint8_t b = static_cast<uint8_t>(s[(*pos)++]);
    *v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return true;
  }
  return false;
}

// Calls f for each field of message s; false on malformed input.
bool ForEachField(std::string_view s, const std::function<void(const Field&)>& f) {
  size_t pos = 0;
  while (pos < s.size()) {
    uint64_t tag;
    if (!ReadVarint(s, &pos, &tag)) return false;
    Field fd{static_cast<uint32_t>(tag >> 3), static_cast<uint32_t>(tag & 7), 0, {}};
    switch (fd.wire) {
      case 0:
        if (!ReadVarint(s, &pos, &fd.varint)) return false;
        break;
      case 1:
        if (pos + 8 > s.size()) return false;
        pos += 8;
        break;
      case 2: {
        uint64_t len;
        if (!ReadVarint(s, &pos, &len) || len > s.size() - pos) return false;
        fd.bytes = s.substr(pos, len);
        pos += len;
        break;
      }
      case 5: {
        if (pos + 4 > s.size()) return false;
        uint32_t v = 0;
        for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<uint8_t>(s[pos + i])) << (8 * i);
        fd.varint = v;
        pos += 4;
        break;
      }
      default:
        return false;
    }
    f(fd);
  }
  return true;
}

// SentencePiece's string_util::OneCharLen.
inline size_t OneCharLen(const char* p) { return "\1\1\1\1\1\1\1\1\1\1\1\1\2\2\3\4"[(*p & 0xFF) >> 4]; }

constexpr int kNormal = 1, kUnknown = 2, kUserDefined = 4, kUnused = 5;



std::atomic<uint64_t> next_model_uid{1};  // SpmUnigram::uid_

}  // namespace

void SpmUnigram::AddToTrie(const std::string& piece, int id, bool unused) {
  if (node_piece_.empty()) node_piece_.push_back(-1);  // the root
  int node = 0;
  for (unsigned char c : piece) {
    const uint64_t key = (static_cast<uint64_t>(node) << 8 | c) + 1;
    auto it = building_.find(key);
    if (it == building_.end()) {
      it = building_.emplace(key, static_cast<int>(node_piece_.size())).first;
      node_piece_.push_back(-1);
    }
    node = it->second;
  }
  node_piece_[node] = id;
  unused_[id] = unused;
}

void SpmUnigram::BuildDoubleArray() {
  // Children of each trie node, by label.
  std::vector<std::vector<std::pair<unsigned char, int>>> kids(node_piece_.size());
  for (const auto& [key, child] : building_) kids[(key - 1) >> 8].emplace_back(static_cast<unsigned char>((key - 1) & 0xff), child);
  building_.clear();
  // Breadth first: each node gets the smallest base at which all its children's slots
  // (base + label) are free; a child's slot records its parent's slot in `check`.
  da_.assign(1, DaUnit{});
  da_[0].check = 0;  // the root
  std::vector<std::pair<int, uint32_t>> queue{{0, 0}};  // (trie node, slot)
  // next_free[i]: a slot >= i that may be free (path-compressed as slots fill), so finding a
  // base skips taken runs instead of rescanning them for every node.
  std::vector<uint32_t> next_free;
  auto ensure = [&](size_t n) {
    if (da_.size() >= n) return;
    const size_t old = da_.size();
    da_.resize(n);
    next_free.resize(n + 1);
    for (size_t i = old; i <= n; ++i) next_free[i] = static_cast<uint32_t>(i);
  };
  next_free.assign(2, 0);
  next_free[0] = 1;
  next_free[1] = 1;
  auto find_free = [&](uint32_t i) {
    ensure(i + 1);
    uint32_t r = i;
    while (next_free[r] != r || (r < da_.size() && da_[r].check != -1)) {
      if (next_free[r] == r) next_free[r] = r + 1;  // taken since: skip it from now on
      r = next_free[r];
      ensure(r + 1);
    }
    while (i != r) {  // path compression
      const uint32_t nx = next_free[i];
      next_free[i] = r;
      i = nx;
    }
    return r;
  };
  for (size_t qi = 0; qi < queue.size(); ++qi) {
    const auto [node, slot] = queue[qi];
    const int id = node_piece_[node];
    if (id >= 0 && !unused_[id]) {  // unused pieces are in the vocabulary but never matched
      da_[slot].id = id;
      da_[slot].score = score_by_id_[id];
    }
    auto& ks = kids[node];
    if (ks.empty()) continue;  // base stays kNoBase: every child lookup fails
    std::sort(ks.begin(), ks.end());
    for (uint32_t f = find_free(ks[0].first + 1u);; f = find_free(f + 1)) {
      const uint32_t base = f - ks[0].first;
      ensure(base + 256u);
      bool fits = true;
      for (const auto& k : ks) fits = fits && da_[base + k.first].check == -1;
      if (!fits) continue;
      da_[slot].base = base;
      for (const auto& k : ks) {
        da_[base + k.first].check = static_cast<int32_t>(slot);
        queue.emplace_back(k.second, base + k.first);
      }
      break;
    }
  }
  // Trailing free units go, but every base + byte must stay inside the array (Child() does
  // not check bounds); nodes without children get base 0, whose slots 0..255 never name them
  // as parent.
  uint32_t max_base = 0;
  for (auto& u : da_) {
    if (u.base == kNoBase) u.base = 0;
    else max_base = std::max(max_base, u.base);
  }
  while (da_.size() > max_base + 256u && da_.back().check == -1) da_.pop_back();
  da_.resize(std::max<size_t>(da_.size(), max_base + 256u));
  da_.shrink_to_fit();
  std::vector<std::vector<std::pair<unsigned char, int>>>().swap(kids);
  node_piece_.clear();
  node_piece_.shrink_to_fit();
}

std::unique_ptr<SpmUnigram> SpmUnigram::Create(std::string_view model, std::string* why) {
  why->clear();
  auto fu = std::unique_ptr<SpmUnigram>(new SpmUnigram());
  int model_type = 1;
  bool split_by_ws = true, ws_suffix = false, pieces_ok = true;
  std::string_view trainer, normalizer;
  float min_score = FLT_MAX;
  int index = 0;
  bool ok = ForEachField(model, [&](const Field& f) {
    if (f.num == 2 && f.wire == 2) trainer = f.bytes;
    if (f.num == 3 && f.wire == 2) normalizer = f.bytes;
    if (f.num != 1 || f.wire != 2) return;
    std::string piece;
    Piece p;
    int type = kNormal;
    pieces_ok &= ForEachField(f.bytes, [&](const Field& g) {
      if (g.num == 1 && g.wire == 2) piece = std::string(g.bytes);
      if (g.num == 2 && g.wire == 5) std::memcpy(&p.score, &g.varint, 4);  // little-endian float
      if (g.num == 3 && g.wire == 0) type = static_cast<int>(g.varint);
    });
    p.id = index++;
    fu->score_by_id_.push_back(p.score);
    fu->piece_text_.push_back(piece);
    fu->unused_.push_back(false);
    if (type == kUnknown) fu->unk_id_ = p.id;
    if (type == kUserDefined) *why = "user-defined symbols";
    if (type == kNormal || type == kUnused) {
      if (type == kNormal) min_score = std::min(min_score, p.score);
      // The split argument: U+2581 only at a piece's start.
      if (piece.find(kSpmSpaceMark, 1) != std::string::npos) *why = "a piece with U+2581 inside";
      fu->max_abs_score_ = std::max(fu->max_abs_score_, std::fabs(p.score));
      fu->AddToTrie(piece, p.id, type == kUnused);
    }
  });
  if (!ok || !pieces_ok || index == 0) *why = "cannot parse the model";
  // TrainerSpec: model_type 3, split_by_whitespace 22, treat_whitespace_as_suffix 24, byte_fallback 35.
  ok = ForEachField(trainer, [&](const Field& f) {
    if (f.wire != 0) return;
    if (f.num == 3) model_type = static_cast<int>(f.varint);
    if (f.num == 22) split_by_ws = f.varint != 0;
    if (f.num == 24) ws_suffix = f.varint != 0;
    if (f.num == 35) fu->byte_fallback_ = f.varint != 0;
  });
  if (!ok) *why = "cannot parse the trainer spec";
  if (model_type != 1) *why = "not a unigram model";
  if (!split_by_ws) *why = "split_by_whitespace=false";
  if (ws_suffix) *why = "treat_whitespace_as_suffix";
  if (fu->unk_id_ < 0 || min_score == FLT_MAX) *why = "no unk or no normal piece";
  if (fu->node_piece_.size() >= (size_t{1} << 23)) *why = "vocabulary too large";
  if (!why->empty()) return nullptr;
  fu->BuildDoubleArray();
  fu->uid_ = next_model_uid.fetch_add(1);
  fu->unk_score_ = min_score - 10.0f;  // unigram_model.cc's kUnkPenalty
  fu->max_abs_score_ = std::max(fu->max_abs_score_, std::fabs(fu->unk_score_));

  // NormalizerSpec: precompiled_charsmap 2, add_dummy_prefix 3, remove_extra_whitespaces 4,
  // escape_whitespaces 5 (the three default to true).
  SpmNormalizerSpec spec;
  spec.treat_whitespace_as_suffix = ws_suffix;
  ok = ForEachField(normalizer, [&](const Field& f) {
    if (f.num == 2 && f.wire == 2) spec.precompiled_charsmap = std::string(f.bytes);
    if (f.wire != 0) return;
    if (f.num == 3) spec.add_dummy_prefix = f.varint != 0;
    if (f.num == 4) spec.remove_extra_whitespaces = f.varint != 0;
    if (f.num == 5) spec.escape_whitespaces = f.varint != 0;
  });
  auto norm = SpmNormalizer::Create(std::move(spec));
  if (!ok || !norm.ok()) {
    *why = ok ? norm.status().message() : "cannot parse the normalizer spec";
    return nullptr;
  }
  fu->normalizer_.emplace(std::move(*norm));
  return fu;
}

WordCache& SpmUnigram::ThreadCache() const {
  struct Entry {
    uint64_t uid;
    uint32_t generation;
    std::unique_ptr<WordCache> cache;
  };
  // A few models per thread (a recipe rarely uses more than one or two); the oldest goes.
  thread_local std::vector<Entry> caches;
  const uint32_t gen = cache_generation_.load(std::memory_order_relaxed);
  for (auto& e : caches)
    if (e.uid == uid_) {
      if (e.generation != gen) e = {uid_, gen, std::make_unique<WordCache>(cache_log2_.load())};
      return *e.cache;
    }
  if (caches.size() >= 4) caches.erase(caches.begin());
  caches.push_back({uid_, gen, std::make_unique<WordCache>(cache_log2_.load())});
  return *caches.back().cache;
}

size_t SpmUnigram::CacheEvictionsForTest() const { return ThreadCache().evictions(); }

void SpmUnigram::SetCacheCapacityForTest(int slots_log2) const {
  cache_log2_.store(slots_log2);
  cache_generation_.fetch_add(1);
}

template <bool kGap>
float SpmUnigram::Search(std::string_view w, float s, std::vector<WordPiece>* out, double* min_gap) const {
  // unigram_model.cc's EncodeOptimized with best_path_ends_at[0] = s, keeping its types: a
  // piece's candidate is double (the library's score expression is double), unk's is float.
  // A position no candidate reached yet holds -inf (the library's "starts_at == -1"): every
  // candidate beats it and its gap is infinite, so the updates below need no branch on it
  // (they were mispredicted about once per piece found).
  const size_t n = w.size();
  thread_local std::vector<float> score;
  thread_local std::vector<int32_t> from, piece;
  if (score.size() < n + 1) score.resize(n + 1), from.resize(n + 1), piece.resize(n + 1);
  constexpr float kNone = -std::numeric_limits<float>::infinity();
  std::fill(score.begin(), score.begin() + static_cast<ptrdiff_t>(n + 1), kNone);
  score[0] = s;
  float* const sc = score.data();
  int32_t* const fr = from.data();
  int32_t* const pc = piece.data();
  const DaUnit* const da = da_.data();
  const auto* const bytes = reinterpret_cast<const unsigned char*>(w.data());
  // kGap: the smallest gap of the comparisons at each position (only those on the best path
  // count, see Robust()).
  constexpr double kInf = std::numeric_limits<double>::infinity();
  thread_local std::vector<double> position_gap;
  double* pg = nullptr;
  if (kGap) {
    if (position_gap.size() < n + 1) position_gap.resize(n + 1);
    std::fill(position_gap.begin(), position_gap.begin() + static_cast<ptrdiff_t>(n + 1), kInf);
    pg = position_gap.data();
  }
  for (size_t start = 0; start < n;) {
    const float till = sc[start];
    const double till_d = static_cast<double>(till);
    const size_t mblen = std::min(OneCharLen(w.data() + start), n - start);
    const int32_t start_i = static_cast<int32_t>(start);
    bool has_single = false;
    uint32_t node = 0;
    for (size_t end = start + 1; end <= n; ++end) {
      const uint32_t next = da[node].base + bytes[end - 1];  // always inside the array
      if (da[next].check != static_cast<int32_t>(node)) break;
      node = next;
      const DaUnit& u = da[node];
      if (u.id < 0) continue;
      const double cand = static_cast<double>(u.score) + till_d;
      const double cur = static_cast<double>(sc[end]);
      if (kGap) pg[end] = std::min(pg[end], std::fabs(cand - cur));  // cur = -inf: inf
      const bool better = cand > cur;
      sc[end] = better ? static_cast<float>(cand) : sc[end];
      fr[end] = better ? start_i : fr[end];
      pc[end] = better ? u.id : pc[end];
      has_single |= end - start == mblen;
    }
    if (!has_single) {
      const size_t end = start + mblen;
      const float cand = unk_score_ + till;
      if (kGap) pg[end] = std::min(pg[end], std::fabs(static_cast<double>(cand) - static_cast<double>(sc[end])));
      if (cand > sc[end]) {
        sc[end] = cand;
        fr[end] = start_i;
        pc[end] = unk_id_;
      }
    }
    start += mblen;
  }
  out->clear();
  double gap = kInf;
  for (size_t end = n; end > 0;) {
    out->push_back({static_cast<uint32_t>(end - static_cast<size_t>(fr[end])), pc[end]});
    if (kGap) gap = std::min(gap, pg[end]);
    end = static_cast<size_t>(fr[end]);
  }
  std::reverse(out->begin(), out->end());
  if (kGap) *min_gap = gap;
  return sc[n];
}

// A search from S gives the same pieces as the cached one from 0 when it makes the same choice
// at every position of the best path (the pieces are read back from those positions only), so
// it suffices that every comparison at those positions has a gap above the drift between the
// two runs. A value in the run from S is S plus a sum of at most k = chars + 1 piece scores,
// rounded to float once per piece; each rounding moves it by at most ulp(M) / 2, M bounding all
// values (|S| + k * max|score|). That holds whatever the choices elsewhere: a position's value
// is a maximum of candidates, and a maximum moves no more than its arguments do. A comparison
// sets a candidate against a stored value, so the two runs' gaps differ by at most (k + 1) ulp(M)
// plus the run from 0's own (smaller) error: a gap above 2 (k + 1) ulp(M) keeps the choice and
// its strictness. (Counting the comparisons off the path too made ~10% of cache hits search
// again: "▁the" has a near-tie at "▁th".)
bool SpmUnigram::Robust(double min_gap, size_t chars, float s) const {
  if (s == 0.0f) return true;
  const double k = static_cast<double>(chars) + 1;
  const double m = std::fabs(static_cast<double>(s)) + k * max_abs_score_;
  // m = f * 2^e with 0.5 <= f < 1 (frexp's e, read from the bits: m is a normal, finite double):
  // a float's ulp there is 2^(e - 24), built the same way.
  uint64_t bits;
  std::memcpy(&bits, &m, sizeof bits);
  const int64_t e = static_cast<int64_t>((bits >> 52) & 0x7FF) - 1022;
  const uint64_t ulp_bits = static_cast<uint64_t>(e - 24 + 1023) << 52;
  double ulp;
  std::memcpy(&ulp, &ulp_bits, sizeof ulp);
  return min_gap > 2.0 * (k + 1) * ulp;
}

// The best path score after the pieces, as the library's search stores it.
float SpmUnigram::Advance(const std::vector<WordPiece>& pieces, float s) const {
  for (const auto& p : pieces) s = AdvanceOne(p.id, s);
  return s;
}

namespace {
// "<0xXX>" for every byte: the pieces byte fallback spells unknown characters with.
const char* BytePieces() {
  static const std::string table = [] {
    std::string t;
    char buf[8];
    for (int c = 0; c < 256; ++c) {
      std::snprintf(buf, sizeof buf, "<0x%02X>", c);
      t.append(buf, 6);
    }
    return t;
  }();
  return table.data();
}

// Bytes readable past the end of the normalized text: WordCache::FillKeyPadded reads kMaxWord,
// WordEnds reads a vector and two bytes.
constexpr size_t kNormPad = std::max<size_t>(WordCache::kMaxWord, 64);

// The offsets of every U+2581 in s[0, n) but 0, then n: the ends of the words that start at 0
// and at each mark. s must have kNormPad readable bytes past n that hold no U+2581.
void WordEnds(const char* s, size_t n, std::vector<uint32_t>* ends) {
  ends->clear();
#if defined(__AVX2__)
  // The three bytes E2 96 81 compared at every offset, 32 offsets at a time. (memchr for E2 per
  // word stopped at every other mark-like character too: curly quotes, dashes, CJK punctuation.)
  const __m256i b0 = _mm256_set1_epi8(static_cast<char>(0xE2));
  const __m256i b1 = _mm256_set1_epi8(static_cast<char>(0x96));
  const __m256i b2 = _mm256_set1_epi8(static_cast<char>(0x81));
  for (size_t i = 0; i < n; i += 32) {
    const auto* p = reinterpret_cast<const __m256i*>(s + i);
    const __m256i m = _mm256_and_si256(
        _mm256_cmpeq_epi8(_mm256_loadu_si256(p), b0),
        _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + i + 1)), b1),
                         _mm256_cmpeq_epi8(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + i + 2)), b2)));
    for (uint32_t bits = static_cast<uint32_t>(_mm256_movemask_epi8(m)); bits; bits &= bits - 1) {
      const size_t at = i + static_cast<size_t>(__builtin_ctz(bits));
      if (at > 0 && at < n) ends->push_back(static_cast<uint32_t>(at));
    }
  }
#else
  const std::string_view v(s, n);
  for (size_t at = v.find(kSpmSpaceMark, 1); at != std::string_view::npos; at = v.find(kSpmSpaceMark, at + 1))
    ends->push_back(static_cast<uint32_t>(at));
#endif
  ends->push_back(static_cast<uint32_t>(n));
}
}  // namespace

void SpmUnigram::Encode(std::string_view text, std::vector<std::string>* pieces, std::vector<int32_t>* ids) const {
  thread_local PieceList list;
  Encode(text, &list);
  pieces->insert(pieces->end(), list.pieces.begin(), list.pieces.end());
  if (ids) ids->insert(ids->end(), list.ids.begin(), list.ids.end());
}

void SpmUnigram::Encode(std::string_view text, PieceList* out) const {
  out->pieces.clear();
  out->ids.clear();
  std::string& norm = out->bytes;
  normalizer_->Normalize(text, &norm);
  // Padding past the end (see kNormPad), written before any view into norm is taken.
  const size_t norm_size = norm.size();
  norm.append(kNormPad, '\0');
  norm.resize(norm_size);
  const char* const base = norm.data();
  // About one piece per four bytes of text: one allocation instead of the vector's doublings.
  if (out->pieces.capacity() < norm_size / 4) {
    out->pieces.reserve(norm_size / 4);
    out->ids.reserve(norm_size / 4);
  }
  auto emit_piece = [out](const char* p, size_t n, int32_t id) {
    out->pieces.emplace_back(p, n);
    out->ids.push_back(id);
  };
  float s = 0;
  std::vector<WordPiece> found;
  // A run of unknown pieces is emitted merged, once it ends (the processor merges them). The
  // pieces tile the normalized text, so the run is the bytes from its first piece to its last.
  const char* unk_begin = nullptr;
  const char* unk_end = nullptr;
  // The pieces of a word: n of them, the i-th of len_at(i) bytes and id id_at(i).
  auto emit_pieces = [&](const char* word, size_t n, auto len_at, auto id_at) {
    const char* p = word;
    for (size_t i = 0; i < n; ++i) {
      const int id = id_at(i);
      const char* piece_begin = p;
      p += len_at(i);
      const bool unk = id == unk_id_;
      if (unk_begin && !unk) {
        emit_piece(unk_begin, unk_end - unk_begin, -1);
        unk_begin = nullptr;
      }
      if (unk && byte_fallback_) {  // the processor spells an unknown piece as its bytes instead
        for (const char* b = piece_begin; b < p; ++b) emit_piece(BytePieces() + 6 * static_cast<unsigned char>(*b), 6, -1);
        continue;  // no merging
      }
      if (unk) {
        if (!unk_begin) unk_begin = piece_begin;
        unk_end = p;
      } else {
        emit_piece(piece_begin, static_cast<size_t>(p - piece_begin), id);
      }
    }
  };
  auto emit = [&](const char* word, const std::vector<WordPiece>& wp) {
    emit_pieces(word, wp.size(), [&](size_t i) { return wp[i].len; }, [&](size_t i) { return wp[i].id; });
  };
  // Words: each starts at a U+2581 (or at the text's start). They are split first, so that the
  // cache slot of the word kAhead words on can be prefetched: the cache is 16 MB, and a lookup
  // that waits for memory was ~45% of this function's time.
  struct WordRef {
    uint32_t begin, len;
    WordCache::Key key;  // for words up to kMaxWord bytes
    uint64_t hash;       // of the key; 0 for words too long to cache
  };
  thread_local std::vector<uint32_t> ends;
  WordEnds(base, norm_size, &ends);
  thread_local std::vector<WordRef> words;
  words.resize(norm_size ? ends.size() : 0);
  for (size_t i = 0, begin = 0; i < words.size(); ++i) {
    const uint32_t len = ends[i] - static_cast<uint32_t>(begin);
    WordRef& w = words[i];
    w.begin = static_cast<uint32_t>(begin);
    w.len = len;
    if (len <= WordCache::kMaxWord) {
      w.hash = WordCache::FillKeyPadded(base + begin, len, &w.key);
    } else {
      w.hash = 0;
    }
    begin = ends[i];
  }
  constexpr size_t kAhead = 16;  // 8: words_num_filter (tokenized) ~2% slower
  WordCache& cache = ThreadCache();
  for (size_t i = 0; i < std::min(words.size(), kAhead); ++i) cache.Prefetch(words[i].hash);
  WordCache::Value v;
  for (size_t wi = 0; wi < words.size(); ++wi) {
    if (wi + kAhead < words.size()) cache.Prefetch(words[wi + kAhead].hash);
    std::string_view word(base + words[wi].begin, words[wi].len);
    if (word.size() > WordCache::kMaxWord) {
      s = Search<false>(word, s, &found, nullptr);
      emit(word.data(), found);
      continue;
    }
    const WordCache::Key& key = words[wi].key;
    const uint64_t hash = words[wi].hash;
    if (cache.Get(key, hash, &v)) {
      if (Robust(v.min_gap, v.chars, s)) {  // the cached pieces, read where they lie
        for (size_t i = 0; i < v.n; ++i) s = AdvanceOne(v.ids[i], s);
        emit_pieces(word.data(), v.n, [&](size_t i) { return v.lens[i]; }, [&](size_t i) { return static_cast<int>(v.ids[i]); });
      } else {  // a near-tie in this word: search it again from S
        s = Search<false>(word, s, &found, nullptr);
        emit(word.data(), found);
      }
      continue;
    }
    double gap;
    Search<true>(word, 0.0f, &found, &gap);
    size_t chars = 0;
    for (char c : word) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    bool cacheable = found.size() <= WordCache::kMaxPieces;
    for (const auto& p : found) cacheable = cacheable && p.id >= 0 && p.id <= WordCache::kMaxId;
    if (cacheable) {
      // Stored as a float rounded towards 0, so that Robust() stays conservative.
      v.min_gap = static_cast<float>(gap);
      if (static_cast<double>(v.min_gap) > gap) v.min_gap = std::nextafter(v.min_gap, 0.0f);
      v.chars = static_cast<uint8_t>(chars);  // <= kMaxWord
      v.n = static_cast<uint8_t>(found.size());
      for (size_t i = 0; i < found.size(); ++i) v.lens[i] = static_cast<uint8_t>(found[i].len), v.ids[i] = found[i].id;
      cache.Put(key, hash, v);
    }
    if (Robust(gap, chars, s)) s = Advance(found, s);
    else s = Search<false>(word, s, &found, nullptr);
    emit(word.data(), found);
  }
  if (unk_begin) emit_piece(unk_begin, unk_end - unk_begin, -1);
}

}  // namespace winnow
