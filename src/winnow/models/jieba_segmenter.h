// A C++ re-implementation of jieba 0.42.1's accurate mode, jieba.cut(text, cut_all=False,
// HMM=True): Han/alphanumeric blocks are cut on the prefix dictionary's DAG by the maximum
// log-probability route, runs of unknown single characters go through the finalseg HMM
// (Viterbi over B/M/E/S), and every other character is a token of its own ("\r\n" is one).
// The dictionary (dict.txt) and the HMM tables (finalseg/prob_*.py, Python dict literals
// parsed here) are read at run time from the Debian python3-jieba package.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "winnow/core/status.h"

namespace winnow {

// WINNOW_JIEBA_DIR in the environment, else python3-jieba's /usr/lib/python3/dist-packages/jieba.
std::string JiebaDir();

class JiebaSegmenter {
 public:
  // dir holds dict.txt and finalseg/prob_{start,trans,emit}.py.
  static Result<std::unique_ptr<JiebaSegmenter>> Load(const std::string& dir);
  // Load() once per dir per process; the instance is read-only and safe to share across threads.
  static Result<std::shared_ptr<const JiebaSegmenter>> Shared(const std::string& dir);

  // jieba.lcut(text). Invalid UTF-8 bytes come out as one-byte tokens of their own (Python
  // cannot hold them in a str; this keeps every input byte and never fails).
  std::vector<std::string> Cut(std::string_view text) const;
  void Cut(std::string_view text, std::vector<std::string>* out) const;

  size_t dictionary_size() const { return freq_.size(); }

 private:
  JiebaSegmenter() = default;
  struct Char {  // one code point of the text (or one invalid byte)
    uint32_t cp;
    uint32_t begin, end;  // its bytes in the text
  };
  struct Entry {
    int64_t freq;  // 0: only a prefix of dictionary words
    double log_freq;  // log(freq or 1), as jieba's calc() takes it
  };
  struct SvHash {
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  Status LoadDictionary(const std::string& path);
  Status LoadHmm(const std::string& dir);
  const Entry* Find(std::string_view word) const;
  // __cut_DAG over one block of Han/alphanumeric characters.
  void CutBlock(std::string_view text, const Char* c, size_t n, std::vector<std::string>* out) const;
  // __cut_DAG's buffered run of single characters, then finalseg.cut.
  void FlushSingles(std::string_view text, const Char* c, size_t n, std::vector<std::string>* out) const;
  void HmmCut(std::string_view text, const Char* c, size_t n, std::vector<std::string>* out) const;
  void Viterbi(std::string_view text, const Char* c, size_t n, std::vector<std::string>* out) const;

  std::string dict_text_;  // dict.txt; the keys of freq_ point into it
  std::unordered_map<std::string_view, Entry, SvHash> freq_;
  double log_total_ = 0;
  // HMM states in jieba's order B, M, E, S.
  std::array<double, 4> start_{};
  std::array<std::array<double, 4>, 4> trans_{};  // [from][to]
  std::unordered_map<uint32_t, std::array<double, 4>> emit_;
};

}  // namespace winnow
