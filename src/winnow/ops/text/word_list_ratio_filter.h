// Base of stopwords_filter and flagged_words_filter: the share of a sample's refined words
// (split on ' ', '\n', '\t'; lower-cased; SPECIAL_CHARACTERS stripped from both ends; empties
// dropped) that are in a word list, optionally with DJ's words_aug (joined runs of adjacent
// words, counted as extra words). The ratio is 0.0 for a text without words.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "winnow/ops/op.h"
#include "winnow/ops/registry.h"
#include "winnow/ops/text/dj_words.h"
#include "winnow/ops/text/word_lists.h"

namespace winnow {

class WordListRatioFilter : public Filter {
 public:
  WordListRatioFilter(std::string name, const Params& p, const OpEnv& env, const char* words_type,
                      const char* dir_param, std::string stat_key);
  Status ComputeStats(Sample& s) const final;
  bool Keep(const Sample& s) const final;
  std::string DropReason(const Sample& s) const final;

  // The ratio for one text (exposed for tests and benchmarks).
  double Ratio(TextCache& text) const;

  // The params both ops share, and the load-time check (lists exist, lang present).
  static std::vector<ParamSpec> SharedParams(const char* dir_param, double min_ratio, double max_ratio);
  static Status Validate(const Params& p, const char* words_type, const char* dir_param);

 private:
  template <typename F>
  void ForEachRefinedWord(TextCache& t, F f) const;

  std::string stat_key_;
  double min_, max_;
  std::shared_ptr<const WordLists> lists_;
  const WordSet* words_ = nullptr;
  bool use_aug_ = false;
  std::vector<size_t> aug_sizes_;
  std::string aug_join_;
  std::shared_ptr<const DjWordTokenizer> sp_;
  // Without words_aug, what each vocabulary piece contributes: whether it is a word once
  // refined, and whether that word is in the list.
  struct PieceCount {
    uint8_t word, hit;
  };
  PieceCount CountPiece(std::string_view piece) const;
  std::vector<PieceCount> by_id_;
};

}  // namespace winnow
