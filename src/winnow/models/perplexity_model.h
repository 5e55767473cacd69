// Data-Juicer's perplexity model for one language: a SentencePiece model ({lang}.sp.model)
// splits the text into pieces, an n-gram model ({lang}.arpa, or DJ's KenLM binary {lang}.arpa.bin)
// scores them (CCNet's recipe).
// Loaded once per (dir, lang) per process; scoring is thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/status.h"
#include "winnow/models/ngram_lm.h"
#include "winnow/models/spm_unigram.h"


namespace winnow {

class SentencePieceModel {
 public:
  static Result<std::shared_ptr<const SentencePieceModel>> Load(const std::string& path);
  // Load() once per path per process (ops using the same file share one instance, and with it
  // the pieces cached in a sample).
  static Result<std::shared_ptr<const SentencePieceModel>> Shared(const std::string& path);
  ~SentencePieceModel();
  // encode_as_pieces. Unigram models split by whitespace (Winnow's, CCNet's) are encoded
  // natively (spm_unigram.h), with the library's output; other models go to the library.
  // ids (may be null) gets each piece's vocabulary id, -1 where a piece has none (a merged run
  // of unknown characters, a byte piece); it stays empty on the library's path.
  std::vector<std::string> Pieces(std::string_view text, std::vector<int32_t>* ids = nullptr) const;
  // The same into *pieces (replacing its contents, reusing its capacity): views into
  // pieces->bytes, ids where Pieces() gives them.
  void PiecesInto(std::string_view text, PieceList* pieces) const;
  // The vocabulary (native models only: 0 pieces otherwise).
  size_t NumPieces() const { return native_ ? native_->NumPieces() : 0; }
  std::string_view PieceText(int32_t id) const { return native_->PieceText(id); }
  // The library's own EncodeAsPieces, whatever the model (tests compare the two).
  std::vector<std::string> LibraryPieces(std::string_view text) const;
  // Whether Pieces() is native; if not, why (e.g. "not a unigram model").
  bool Native(std::string* why = nullptr) const;
  // The native encoder's word caches (one per thread): words this thread's cache overwrote;
  // capacity 2^slots_log2 slots.
  size_t CacheEvictionsForTest() const;
  void SetCacheCapacityForTest(int slots_log2) const;
  // Trains a unigram model on text lines (one sentence per line) into <prefix>.model.
  // extra_args ("--flag=value ...", over the defaults) change the settings (tests train others).
  static Status Train(const std::string& input_file, const std::string& model_prefix, int vocab_size,
                      const std::string& extra_args = "");

 private:
  Status LoadLibrary() const;  // the plugin's processor, on first use when the model is native
  void LibraryEncodeInto(std::string_view text, std::vector<std::string>* pieces) const;  // after LoadLibrary()
  std::string path_;
  std::unique_ptr<SpmUnigram> native_;
  std::string why_not_native_;
  mutable std::once_flag library_once_;
  mutable Status library_status_;
  mutable void* sp_ = nullptr;  // the plugin's SentencePieceProcessor (libwinnow_spm.so)
};

class PerplexityModel {
 public:
  // dir "" = ModelDir().
  static Result<std::shared_ptr<const PerplexityModel>> Get(const std::string& dir, const std::string& lang);
  // DJ's stat from the text's SentencePiece pieces: joined by ' ', then per line the log10
  // score and (words + 1); the perplexity 10^(-sum/len), rounded to one decimal (0.0 without lines).
  // ids: the pieces' ids from sp().Pieces(), or empty.
  double PerplexityOfPieces(const std::vector<std::string_view>& pieces, const std::vector<int32_t>& ids = {}) const;
  double PerplexityOfPieces(const std::vector<std::string>& pieces, const std::vector<int32_t>& ids = {}) const {
    return PerplexityOfPieces(std::vector<std::string_view>(pieces.begin(), pieces.end()), ids);
  }
  const SentencePieceModel& sp() const { return *sp_; }

 private:
  // 10^(-logits/length) rounded as Python's round(x, 1); 0.0 without words.
  static double RoundedPerplexity(double logits, size_t length);
  std::shared_ptr<const SentencePieceModel> sp_;
  std::unique_ptr<NgramModel> lm_;
  // By SentencePiece id: the piece's n-gram model word id, or -1 when the piece is not a plain
  // word (see PlainWord in the .cc) and must be scored through the joined text.
  std::vector<int64_t> lm_word_of_piece_;
};

}  // namespace winnow
