// Back-off n-gram language models, scored the way KenLM's Model.score() does:
// log10 probability of a sentence (words split on ASCII spaces, cut at a NUL) with <s> and
// </s>, unknown words mapped to <unk>, the standard back-off recursion
//   log p(w | h) = logp(h w)                       if the n-gram h w is in the model
//                = backoff(h) + log p(w | h[1:])   otherwise (backoff 0 if h is not listed),
// summed in single precision in KenLM's order (probability, then back-offs shortest context
// first; then the words of the sentence). Reads ARPA text, and KenLM's binary format (what
// `build_binary` writes, e.g. Data-Juicer's {lang}.arpa.bin: probing or trie, quantized or not)
// through KenlmBinaryModel, which scores the mapped file in place with KenLM's own lookups.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#include "winnow/core/status.h"
#include "winnow/models/kenlm_binary.h"
#include "winnow/core/huge_pages.h"

namespace winnow {

class NgramModel {
 public:
  // ARPA text or KenLM binary, told apart by the file's first bytes (KenLM's magic string).
  static Result<std::unique_ptr<NgramModel>> Load(const std::string& path);
  static Result<std::unique_ptr<NgramModel>> LoadArpa(const std::string& path);
  static Result<std::unique_ptr<NgramModel>> ParseArpa(std::string_view text, const std::string& name);

  int order() const { return order_; }
  size_t vocab_size() const { return binary_ ? binary_->vocab_size() : words_.size(); }
  const KenlmBinaryModel* binary() const { return binary_.get(); }  // null for ARPA
  // KenLM Model.score(sentence, bos=True, eos=True).
  float Score(std::string_view sentence) const;
  // The same for a sentence given as word ids (see WordId).
  float ScoreIds(const uint32_t* words, size_t num_words) const;
  // A word's id (<unk>'s for words the model does not list).
  uint32_t WordId(std::string_view w) const { return binary_ ? binary_->WordIndex(w) : Id(w); }
  // log10 p(word | context words), context oldest first (for tests).
  float LogProb(const std::vector<std::string>& context, const std::string& word) const;

 private:
  struct Entry { float logp = 0, backoff = 0; };
  // N-grams are stored by a 64-bit hash of their word ids, as KenLM's probing model does (no
  // key verification; two of a model's n-grams collide with probability ~ count^2 / 2^65).
  struct Slot { uint64_t key = 0; Entry e; };
  static_assert(sizeof(Slot) == 16 && offsetof(Slot, key) == 0, "FindKey reads a line as four (key, entry) pairs");
  static constexpr uint64_t kHashSeed = 0x9E3779B97F4A7C15ull;
  static constexpr size_t kMaxOrder = 32;  // the ARPA reader's limit
  static uint64_t HashStep(uint64_t h, uint32_t id) {
    h = (h ^ (id + 1)) * 0xFF51AFD7ED558CCDull;
    return h ^ (h >> 32);
  }
  static uint64_t HashKey(uint64_t h) { return h ? h : 1; }  // 0 marks an empty slot
  static uint64_t HashIds(const uint32_t* ids, size_t n);     // ids oldest first
  uint32_t Id(std::string_view w) const;
  const Entry* Find(const uint32_t* ids, size_t n) const;
  // A key's probe starts at the first slot of the cache line its hash picks (Home), so the line a
  // lookup prefetches holds the key unless those four slots are full (at most half full, rare).
  // (Probing from the hashed slot itself, a key one slot on sat in the next line in a quarter of
  // the cases where the home slot was a line's last, and that line was not prefetched: a table
  // twice as large ran perplexity_filter 8% faster for that alone.)
  static size_t Home(uint64_t key, size_t mask) { return static_cast<size_t>(key) & mask & ~size_t{3}; }
  const Entry* FindKey(uint64_t key) const {
    if (table_.empty()) return nullptr;
    const size_t mask = table_.size() - 1;
#if defined(__AVX512F__)
    // A line's four slots at once (tables have a power of two of at least 1024 slots, so a line
    // never wraps): one branch for "found", one for "a free slot ends the probe".
    const __m512i want = _mm512_set1_epi64(static_cast<long long>(key));
    for (size_t line = Home(key, mask);; line = (line + 4) & mask) {
      const __m512i slots = _mm512_loadu_si512(&table_[line]);
      const unsigned hit = _mm512_mask_cmpeq_epi64_mask(0x55, slots, want);  // the keys: qwords 0, 2, 4, 6
      if (hit) return &table_[line + (static_cast<unsigned>(__builtin_ctz(hit)) >> 1)].e;
      if (_mm512_mask_cmpeq_epi64_mask(0x55, slots, _mm512_setzero_si512())) return nullptr;
    }
#else
    for (size_t i = Home(key, mask); table_[i].key; i = (i + 1) & mask)
      if (table_[i].key == key) return &table_[i].e;
    return nullptr;
#endif
  }
  void Insert(const uint32_t* ids, size_t n, Entry e);
  void InsertKey(uint64_t key, Entry e);
  void Reserve(size_t n);  // room for n n-grams, before the first insert
  float WordScore(const uint32_t* ctx, size_t ctx_len, uint32_t w) const;

  int order_ = 0;
  uint32_t unk_ = 0, bos_ = 0, eos_ = 0;
  // The vocabulary: words by id, and an open-addressing table (at most half full) over them.
  static constexpr uint32_t kNoWord = 0xFFFFFFFFu;
  struct VocabSlot {
    uint64_t hash = 0;
    std::string_view word;  // into words_
    uint32_t id = kNoWord;  // kNoWord: empty
  };
  static uint64_t WordHash(std::string_view w);
  uint32_t FindWord(std::string_view w) const;  // kNoWord if absent
  uint32_t AddWord(std::string_view w);
  void PlaceWord(uint32_t id);
  std::deque<std::string> words_;  // a deque: the table's views stay valid as it grows
  std::vector<VocabSlot> vocab_slots_;
  HugeVector<Slot> table_;
  size_t count_ = 0;
  std::vector<Entry> unigrams_;  // by word id (no hashing for the commonest lookup)
  std::unique_ptr<KenlmBinaryModel> binary_;  // set instead of the tables above for a binary file
};

// len(s.split()) with Python's notion of whitespace.
size_t CountPyWords(std::string_view s);

// Builds an interpolated modified Kneser-Ney model (Chen & Goodman; the estimates KenLM's
// lmplz makes: adjusted counts, three discounts per order from counts-of-counts, no pruning)
// from whitespace-tokenised sentences, one per line, and writes it as ARPA.
struct KneserNeyOptions {
  int order = 5;
};
Status TrainKneserNey(const std::vector<std::string>& sentences, const KneserNeyOptions& opt, std::string* arpa);

}  // namespace winnow
