// KenLM binary language models (the files KenLM's `build_binary` writes, e.g. Data-Juicer's and
// CCNet's {lang}.arpa.bin): the file is mapped read-only and scored in place, with KenLM's own
// lookups and arithmetic, so Score() is bit-identical to KenLM's Model.score(s, bos, eos).
// Reads format version 5: "probing" (the default), "probing with rest costs", and "trie" with or
// without quantization (-q/-b) and pointer compression (-a). Thread-safe once loaded.
// Sizes and offsets are checked against the file before use; like any mapping, the file must
// not be truncated by someone else while the model is in use.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/status.h"

namespace winnow {

// Calls f(word) for each word of a sentence as KenLM's Python binding splits it: on the ASCII
// spaces " \t\n\v\f\r" only, stopping at a NUL (it passes a C string).
template <class F>
void ForEachKenlmWord(std::string_view sentence, F&& f) {
  auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  size_t end = sentence.find('\0');
  if (end == std::string_view::npos) end = sentence.size();
  size_t i = 0;
  while (i < end) {
    while (i < end && space(sentence[i])) ++i;
    size_t b = i;
    while (i < end && !space(sentence[i])) ++i;
    if (i > b) f(sentence.substr(b, i - b));
  }
}

class KenlmBinaryModel {
 public:
  // True if the file starts like a KenLM binary model (its magic string), whatever its name.
  static bool HasMagic(std::string_view first_bytes);
  // Errors name the file: not KenLM, unfinished build, other format version, unsupported
  // variant, truncated or inconsistent sizes.
  static Result<std::unique_ptr<KenlmBinaryModel>> Load(const std::string& path);
  ~KenlmBinaryModel();

  int order() const;
  size_t vocab_size() const;  // word ids, <unk> included
  const char* variant() const;  // KenLM's name of the data structure
  // KenLM Model.score(sentence, bos=True, eos=True).
  float Score(std::string_view sentence) const;
  // The same for words given as the model's word ids (WordIndex).
  float ScoreIds(const uint32_t* words, size_t num_words) const;
  uint32_t WordIndex(std::string_view word) const;  // <unk>'s id for unknown words
  // log10 p(word | context), context oldest first (KenLM's state after the context words, without <s>).
  float LogProb(const std::vector<std::string>& context, const std::string& word) const;

 private:
  struct Impl;
  explicit KenlmBinaryModel(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace winnow
