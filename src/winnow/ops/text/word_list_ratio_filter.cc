#include "winnow/ops/text/word_list_ratio_filter.h"

#include <algorithm>

#include "winnow/core/text_split.h"
#include "winnow/core/unicode.h"
#include "winnow/ops/text/text_stat_filter.h"

namespace winnow {

WordListRatioFilter::WordListRatioFilter(std::string name, const Params& p, const OpEnv& env,
                                         const char* words_type, const char* dir_param, std::string stat_key)
    : Filter(std::move(name), p, env),
      stat_key_(std::move(stat_key)),
      min_(p.Number("min_ratio")),
      max_(p.Number("max_ratio")),
      use_aug_(p.Bool("use_words_aug")),
      aug_join_(p.String("words_aug_join_char")),
      sp_(*DjTokenizer(p)) {
  // Validate() ran at load time, so the lists load (from the process-wide cache) and have lang.
  auto lists = LoadWordLists(p.String(dir_param), words_type);
  WINNOW_CHECK(lists.ok());
  lists_ = *lists;
  words_ = &lists_->by_lang.at(p.String("lang"));
  for (const auto& g : p.Get("words_aug_group_sizes").as_array()) aug_sizes_.push_back(static_cast<size_t>(g.as_number()));
  if (sp_ && !use_aug_) {
    by_id_ = PerPieceId(*sp_, [this](std::string_view piece) { return CountPiece(piece); });
  }
}

// Calls f(refined word) for each of DJ's refined words of the text.
template <typename F>
void WordListRatioFilter::ForEachRefinedWord(TextCache& t, F f) const {
  std::string_view text = t.text;
  thread_local std::string lower;
  if (sp_) {  // pieces of the original text, each refined
    ForEachDjWord(t, sp_.get(), [&](std::string_view w) {
      std::string_view r = RefineDjWord(w, &lower);
      if (!r.empty()) f(r);
    });
    return;
  }
  // Lower-casing the whole text at once equals lower-casing each word: it never creates or
  // removes ' ', '\n', '\t', and those end the context of Greek final sigma.
  unicode::PyLowerInto(text, &lower);
  ForEachWord(lower, [&](std::string_view w) {
    auto letter = [](char c) { return c >= 'a' && c <= 'z'; };
    std::string_view r = letter(w.front()) && letter(w.back()) ? w : unicode::StripClass(w, unicode::kDjSpecial);
    if (!r.empty()) f(r);
  });
}

WordListRatioFilter::PieceCount WordListRatioFilter::CountPiece(std::string_view piece) const {
  thread_local std::string buf;
  const std::string_view r = RefineDjWord(piece, &buf);
  return PieceCount{!r.empty(), !r.empty() && words_->Contains(r)};
}

double WordListRatioFilter::Ratio(TextCache& text) const {
  size_t words = 0, hits = 0;
  if (!use_aug_ && sp_) {
    ForEachDjPiece(
        text, *sp_, by_id_, [this](std::string_view piece) { return CountPiece(piece); },
        [&](PieceCount c) {
          words += c.word;
          hits += c.hit;
        });
  } else if (!use_aug_) {
    ForEachRefinedWord(text, [&](std::string_view r) {
      ++words;
      hits += words_->Contains(r);
    });
  } else {
    thread_local std::string arena, joined;
    thread_local std::vector<std::pair<size_t, size_t>> spans;
    arena.clear();
    spans.clear();
    ForEachRefinedWord(text, [&](std::string_view r) {
      spans.emplace_back(arena.size(), r.size());
      arena.append(r);
    });
    auto word = [&](size_t i) { return std::string_view(arena).substr(spans[i].first, spans[i].second); };
    for (size_t i = 0; i < spans.size(); ++i) hits += words_->Contains(word(i));
    words = spans.size();
    // words_augmentation: every run of g adjacent words joined by words_aug_join_char.
    for (size_t g : aug_sizes_) {
      if (g == 0 || g > spans.size()) continue;
      for (size_t i = 0; i + g <= spans.size(); ++i) {
        joined.assign(word(i));
        for (size_t k = 1; k < g; ++k) joined.append(aug_join_).append(word(i + k));
        hits += words_->Contains(joined);
        ++words;
      }
    }
  }
  if (words == 0) return 0.0;
  double r = static_cast<double>(hits) / static_cast<double>(words);
  return r > 1.0 ? 1.0 : r;
}

Status WordListRatioFilter::ComputeStats(Sample& s) const {
  if (s.stats().Has(stat_key_)) return Status::Ok();
  auto t = s.TextContext(text_key_);
  if (!t.ok()) return t.status();
  s.stats().SetDouble(stat_key_, Ratio(**t));
  return Status::Ok();
}

bool WordListRatioFilter::Keep(const Sample& s) const {
  const StatValue* v = s.stats().Find(stat_key_);
  return v && KeepValue(v->AsDouble(), min_, max_);
}

std::string WordListRatioFilter::DropReason(const Sample& s) const { return RangeReason(s, stat_key_, min_, max_); }

std::vector<ParamSpec> WordListRatioFilter::SharedParams(const char* dir_param, double min_ratio, double max_ratio) {
  ParamSpec sizes{"words_aug_group_sizes", ParamType::kList, json::Value::Array({json::Value::Number(2, true)}),
                  "sizes of the adjacent-word groups joined by words_aug (positive integers)"};
  return {StringParam("lang", "en", "which list to use; 'all' = every language's list merged"),
          TokenizationParam(), ModelDirParam(),
          FloatParam("min_ratio", min_ratio, "minimum ratio"),
          FloatParam("max_ratio", max_ratio, "maximum ratio"),
          StringParam(dir_param, "",
                      "directory of *.json word lists in DJ's {lang: [words]} format; empty = the installed lists"),
          BoolParam("use_words_aug", false, "also count joined runs of adjacent words (Chinese, Vietnamese)"),
          sizes,
          StringParam("words_aug_join_char", "", "string placed between the joined words")};
}

Status WordListRatioFilter::Validate(const Params& p, const char* words_type, const char* dir_param) {
  WINNOW_RETURN_IF_ERROR(ValidateDjTokenizer(p));
  for (const auto& g : p.Get("words_aug_group_sizes").as_array())
    if (g.type() != json::Type::kNumber || !g.is_int() || g.as_number() < 1)
      return Status::Error("words_aug_group_sizes must be a list of positive integers");
  auto lists = LoadWordLists(p.String(dir_param), words_type);
  if (!lists.ok()) return Status::Error(dir_param + std::string(": ") + lists.status().message());
  const std::string& lang = p.String("lang");
  if (!(*lists)->by_lang.count(lang))
    return Status::Error("lang '" + lang + "' has no " + words_type + " list in '" + (*lists)->dir +
                         "' (available: " + (*lists)->Languages() + ")");
  return Status::Ok();
}

}  // namespace winnow
