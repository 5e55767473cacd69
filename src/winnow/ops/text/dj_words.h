// DJ's get_words_from_document for ops with `tokenization`: without it, the text split on
// ' ', '\n', '\t'; with it, the pieces of the language's SentencePiece model ({lang}.sp.model
// in model_dir, default the model directory) — DJ's prepare_model("sentencepiece", lang).
#pragma once

#include <memory>
#include <string>

#include "winnow/core/text_split.h"
#include "winnow/models/perplexity_model.h"
#include "winnow/ops/params.h"
#include "winnow/ops/registry.h"

namespace winnow {

// The tokenizer an op instance uses: null when tokenization is false.
Result<std::shared_ptr<const SentencePieceModel>> DjTokenizer(const Params& p);
// Load-time check: the model exists when tokenization is true.
Status ValidateDjTokenizer(const Params& p);
// The params `tokenization`, `lang` and Winnow's `model_dir`.
ParamSpec TokenizationParam();
ParamSpec ModelDirParam();

// The text's pieces, encoded once per sample and model.
const std::vector<std::string>& PiecesOf(TextCache& t, const SentencePieceModel& sp);

template <typename F>
void ForEachDjWord(TextCache& t, const SentencePieceModel* sp, F f) {
  if (!sp) {
    ForEachWord(t.text, f);
    return;
  }
  for (const auto& piece : PiecesOf(t, *sp))
    if (!piece.empty()) f(std::string_view(piece));
}

}  // namespace winnow
