// fastText language identification (lid.176), loaded once per process. Prefers a user-supplied
// lid.176.bin (Data-Juicer's model) in the model directory, else the installed quantized twin
// lid.176.ftz. Predicts with the native FastTextModel (models/fasttext_model.h): the same labels
// and bit-identical scores as Debian's libfasttext, which the unit tests compare it with.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "winnow/core/status.h"

namespace winnow {

class FastTextModel;

struct LanguagePrediction {
  std::string lang;  // label without "__label__"
  double score = 0;  // probability as fastText's float, widened (what DJ stores)
};

class LanguageIdModel {
 public:
  // Loads (or returns the already loaded) model at path; "" = the default model.
  static Result<std::shared_ptr<const LanguageIdModel>> Get(const std::string& path = "");
  ~LanguageIdModel();

  // DJ's language_id_score_filter input: the caller lower-cases and replaces '\n' by ' '.
  // Top-1 label and its probability for one line of text (no '\n' inside).
  LanguagePrediction PredictLine(std::string_view line) const;
  const std::string& path() const { return path_; }

 private:
  LanguageIdModel() = default;
  std::unique_ptr<FastTextModel> model_;
  std::string path_;
};

// The model file Get("") loads: $WINNOW_MODELS_DIR/lid.176.bin if present, else lid.176.ftz.
std::string DefaultLanguageIdModelPath();

}  // namespace winnow
