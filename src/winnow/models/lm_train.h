// `winnow lm train`: builds the two models perplexity_filter loads for a language, from a
// corpus (CCNet's recipe): a SentencePiece unigram model ({lang}.sp.model) and a modified
// Kneser-Ney n-gram model over its pieces ({lang}.arpa).
#pragma once

#include <string>
#include <vector>

#include "winnow/core/status.h"

namespace winnow {

struct LmTrainOptions {
  std::vector<std::string> inputs;  // .txt (one document per line) or .jsonl[.gz|.zst]
  std::string text_key = "text";
  std::string output_dir;
  std::string lang = "en";
  int order = 5;
  int vocab_size = 8000;
  std::string sp_model;  // use this SentencePiece model instead of training one
};

struct LmTrainReport {
  size_t documents = 0, sentences = 0;
  std::string sp_model_path, arpa_path;
};

Result<LmTrainReport> TrainLanguageModel(const LmTrainOptions& opt);

}  // namespace winnow
