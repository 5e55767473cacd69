// What DJ's SimHash and MinHash deduplicators share: the text normalisation (lower-case, remove
// ignore_pattern), the shingles of each tokenization, and the digests of shingles.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/regex.h"
#include "winnow/models/perplexity_model.h"
#include "winnow/ops/params.h"

namespace winnow {

class Shingler {
 public:
  // Reads tokenization, window_size, lowercase, ignore_pattern (and, for sentencepiece,
  // tokenizer_model) from the op's params; Validate() has accepted them.
  explicit Shingler(const Params& p);
  static Status Validate(const Params& p, bool allow_sentencepiece);

  // Calls f(shingle) for each window_size-gram of the normalised text, in order:
  // space: tokens from re.split(" "), empties dropped, joined by ' '; punctuation: the pieces
  // between \p{P} matches (empties kept), joined by ' '; character: code points;
  // sentencepiece: pieces joined with nothing.
  Status ForEach(std::string_view raw_text, const std::function<void(std::string_view)>& f) const;
  // The same shingles, handed over in batches (f(shingles, n); the views live until f returns),
  // so that callers can hash many at once. Not reentrant on one thread.
  Status ForEachBatch(std::string_view raw_text,
                      const std::function<void(const std::string_view*, size_t)>& f) const;
  size_t window() const { return window_; }

 private:
  std::string tokenization_;
  size_t window_;
  bool lowercase_;
  bool ignore_punct_ = false;  // ignore_pattern is \p{P}: unicode::RemovePunct instead of ignore_
  std::shared_ptr<const Regex> ignore_, punct_;
  std::shared_ptr<const SentencePieceModel> sp_;
};

// SHA-1's first 4 digest bytes as a little-endian integer (datasketch's sha1_hash32) of n
// strings into out[0..n) (sixteen at a time where the CPU allows). SimHash's MD5 prefix is
// core/md5.h's Md5Prefix64Many.
void Sha1Prefix32Many(const std::string_view* s, size_t n, uint32_t* out);

}  // namespace winnow
