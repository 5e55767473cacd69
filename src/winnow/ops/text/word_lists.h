// Data-Juicer's word-list assets (stopwords, flagged words): every *.json file in a directory
// whose name contains the list type, each a {lang: [words]} object; lists of one language from
// several files are concatenated, and "all" (unless a file defines it) is every list together.
// Loaded once per (dir, type) per process and shared by all op instances.
#pragma once

#include <cstdint>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/status.h"

namespace winnow {

// A set of UTF-8 strings with fast membership (open addressing over XXH3 hashes). Most words a
// filter looks up are not in its list: a 4 KB bitmap over (length, first byte, last byte), each
// mod 32, rejects ~90% of them (flagged words on the bench corpus) inline, before any hashing.
class WordSet {
 public:
  void Insert(std::string_view w);
  bool Contains(std::string_view w) const {
    if (w.size() < min_len_ || w.size() > max_len_) return false;
    if (!w.empty()) {
      const uint32_t k = SignatureBit(w);
      if (!((signature_[k >> 6] >> (k & 63)) & 1)) return false;
    }
    return Find(w);
  }
  size_t size() const { return count_; }
  template <typename F>
  void ForEach(F f) const {
    for (const Slot& s : slots_) if (s.used) f(std::string_view(arena_).substr(s.off, s.len));
  }

 private:
  struct Slot { uint64_t hash = 0; uint32_t off = 0, len = 0; bool used = false; };
  static uint32_t SignatureBit(std::string_view w) {
    return ((static_cast<uint32_t>(w.size()) & 31) << 10) | ((static_cast<uint8_t>(w.front()) & 31u) << 5) |
           (static_cast<uint8_t>(w.back()) & 31u);
  }
  bool Find(std::string_view w) const;  // the hash table (w passed the length and signature tests)
  void Grow();
  uint64_t signature_[512] = {};
  std::string arena_;
  std::vector<Slot> slots_;
  size_t count_ = 0;
  size_t min_len_ = SIZE_MAX, max_len_ = 0;  // most words are rejected by length alone
};

struct WordLists {
  std::string dir;
  std::map<std::string, WordSet> by_lang;  // includes "all"
  std::string Languages() const;           // "de, en, ..." for messages
};

// words_type: "stopwords" or "flagged_words". dir "" = the installed assets (AssetDir()).
Result<std::shared_ptr<const WordLists>> LoadWordLists(const std::string& dir, const std::string& words_type);

}  // namespace winnow
