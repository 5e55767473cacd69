// Punkt sentence-boundary parameters (NLTK 3.8's PunktParameters) and an unsupervised trainer
// ported from NLTK 3.8's PunktTrainer (nltk/tokenize/punkt.py, Kiss & Strunk 2006).
//
// Trained parameters are stored as UTF-8 text, one entry per line, fields separated by a tab
// (Punkt types never contain whitespace); '#' starts a comment line:
//   abbrev   TYPE          a known abbreviation, lower case, without its final period
//   colloc   TYPE1 TYPE2   a collocation whose first word ends in a period ("s." "bach")
//   starter  TYPE          a frequent sentence starter
//   ortho    TYPE FLAGS    orthographic contexts of TYPE (decimal; NLTK's _ORTHO_* bits)
// Entries are written sorted (byte order), so the file is deterministic. Zero ortho flags are
// not written (NLTK's defaultdict reads them as 0 anyway).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "winnow/core/status.h"

namespace winnow::nltk {

// NLTK's orthographic context flags: beginning / middle / unknown position, upper / lower case.
enum : int {
  kOrthoBegUc = 1 << 1,
  kOrthoMidUc = 1 << 2,
  kOrthoUnkUc = 1 << 3,
  kOrthoBegLc = 1 << 4,
  kOrthoMidLc = 1 << 5,
  kOrthoUnkLc = 1 << 6,
  kOrthoUc = kOrthoBegUc | kOrthoMidUc | kOrthoUnkUc,
  kOrthoLc = kOrthoBegLc | kOrthoMidLc | kOrthoUnkLc,
};

struct PunktParams {
  std::unordered_set<std::string> abbrev_types;
  std::unordered_set<std::string> collocations;  // "type1\ttype2"
  std::unordered_set<std::string> sent_starters;
  std::unordered_map<std::string, int> ortho_context;

  bool empty() const {
    return abbrev_types.empty() && collocations.empty() && sent_starters.empty() &&
           ortho_context.empty();
  }
  int Ortho(const std::string& type) const {
    auto it = ortho_context.find(type);
    return it == ortho_context.end() ? 0 : it->second;
  }
  bool IsCollocation(std::string_view t1, std::string_view t2) const;

  std::string Serialize(std::string_view header_comment = {}) const;
  // Parses the text format; `source` names the file in error messages.
  static Result<PunktParams> Parse(std::string_view text, const std::string& source);
  static Result<PunktParams> Load(const std::string& path);
};

// PunktTrainer with NLTK's default settings (ABBREV 0.3, ABBREV_BACKOFF 5, COLLOCATION 7.88,
// SENT_STARTER 30, only initials/ordinals as collocation candidates, MIN_COLLOC_FREQ 1).
// Train(text) is PunktTrainer.train(text, finalize=False): each call tokenizes one text and
// updates the counts; Finalize() is finalize_training(). Not thread-safe.
class PunktTrainer {
 public:
  PunktTrainer();
  ~PunktTrainer();
  PunktTrainer(const PunktTrainer&) = delete;
  PunktTrainer& operator=(const PunktTrainer&) = delete;

  void Train(std::string_view text);  // text must be valid UTF-8
  void Finalize();
  const PunktParams& params() const { return params_; }
  size_t tokens_seen() const { return n_tokens_; }

 private:
  struct Impl;
  PunktParams params_;
  Impl* impl_;
  size_t n_tokens_ = 0;
};

// The trained parameters shipped for `lang` (data/punkt/<lang>.punkt, or $WINNOW_PUNKT_DIR),
// loaded once per process and shared read-only. An error names the missing or corrupt file.
Result<const PunktParams*> TrainedPunkt(const std::string& lang);

}  // namespace winnow::nltk
