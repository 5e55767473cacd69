// DJ's get_words_from_document for ops with `tokenization`: without it, the text split on
// ' ', '\n', '\t'; with it, the pieces of the language's SentencePiece model ({lang}.sp.model
// in model_dir, default the model directory) — DJ's prepare_model("sentencepiece", lang).
// For lang zh without zh.sp.model (DJ downloads it; it is not obtainable here) Winnow falls
// back to jieba's accurate-mode words (python3-jieba's dictionary), so counts differ from DJ's.
#pragma once

#include <memory>
#include <string>

#include "winnow/core/text_split.h"
#include "winnow/models/jieba_segmenter.h"
#include "winnow/models/perplexity_model.h"
#include "winnow/ops/params.h"
#include "winnow/ops/registry.h"

namespace winnow {

// What `tokenization: true` splits a document with: a SentencePiece model, or jieba.
class DjWordTokenizer {
 public:
  DjWordTokenizer(std::shared_ptr<const SentencePieceModel> sp, std::shared_ptr<const JiebaSegmenter> jieba)
      : sp_(std::move(sp)), jieba_(std::move(jieba)) {}
  // The words into *words (reusing its capacity); *ids gets the pieces' ids where the model
  // gives them (see TextCache::piece_ids).
  void WordsInto(std::string_view text, std::vector<std::string>* words, std::vector<int32_t>* ids) const {
    if (sp_) return sp_->PiecesInto(text, words, ids);
    ids->clear();
    *words = jieba_->Cut(text);
  }
  // The model behind it: samples cache the words per model (shared with perplexity_filter's pieces).
  const void* model() const { return sp_ ? static_cast<const void*>(sp_.get()) : jieba_.get(); }

 private:
  std::shared_ptr<const SentencePieceModel> sp_;
  std::shared_ptr<const JiebaSegmenter> jieba_;
};

// The tokenizer an op instance uses: null when tokenization is false.
Result<std::shared_ptr<const DjWordTokenizer>> DjTokenizer(const Params& p);
// Load-time check: the model exists when tokenization is true.
Status ValidateDjTokenizer(const Params& p);
// The params `tokenization`, `lang` and Winnow's `model_dir`.
ParamSpec TokenizationParam();
ParamSpec ModelDirParam();

// The text's pieces, encoded once per sample and model.
const std::vector<std::string>& PiecesOf(TextCache& t, const SentencePieceModel& sp);
const std::vector<std::string>& PiecesOf(TextCache& t, const DjWordTokenizer& tok);

template <typename F>
void ForEachDjWord(TextCache& t, const DjWordTokenizer* sp, F f) {
  if (!sp) {
    ForEachWord(t.text, f);
    return;
  }
  for (const auto& piece : PiecesOf(t, *sp))
    if (!piece.empty()) f(std::string_view(piece));
}

}  // namespace winnow
