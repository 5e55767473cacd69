// gopher_quality_filter: Gopher's quality heuristics (Rae et al. 2021) exactly as datatrove's
// GopherQualityFilter applies them, rule by rule in order; the first failing rule is the reason.
#include <cmath>
#include <unordered_set>

#include "winnow/core/text_split.h"
#include "winnow/core/unicode.h"
#include "winnow/ops/registry.h"
#include "winnow/ops/text/datatrove_filter.h"

namespace winnow {
namespace {

using namespace datatrove;

class GopherQualityFilter : public RuleFilter {
 public:
  GopherQualityFilter(const Params& p, const OpEnv& env) : RuleFilter("gopher_quality_filter", p, env), p_(p) {
    if (p.IsNull("stop_words")) {
      stop_words_ = {"the", "be", "to", "of", "and", "that", "have", "with"};
    } else {
      for (const auto& w : p.Get("stop_words").as_array()) stop_words_.insert(w.as_string());
    }
  }

 protected:
  Verdict Judge(std::string_view text, Sample&) const override {
    const Version v = version();
    std::vector<std::string> words = Words(text);
    const double n_words = static_cast<double>(words.size());
    size_t n_ns = 0, ns_len = 0, alpha_words = 0;
    for (const auto& w : words) {
      bool non_symbol = false, alpha = false;
      size_t len = 0;
      for (const char* p = w.data(); p < w.data() + w.size(); ++len) {
        uint32_t cp = unicode::DecodeUtf8(p);
        non_symbol = non_symbol || !IsPunctuation(cp, v);
        alpha = alpha || unicode::Is(cp, unicode::kAlpha);
      }
      if (non_symbol) { ++n_ns; ns_len += len; }
      alpha_words += alpha;
    }
    auto on = [&](const char* name) { return Enabled(p_, name); };
    auto num = [&](const char* name) { return p_.Number(name); };
    if (on("min_doc_words") && n_ns < num("min_doc_words")) return {"gopher_short_doc"};
    if (on("max_doc_words") && n_ns > num("max_doc_words")) return {"gopher_long_doc"};
    // np.mean of an empty list is nan, and comparisons with nan are false.
    if (n_ns > 0) {
      double avg = static_cast<double>(ns_len) / static_cast<double>(n_ns);
      if (on("min_avg_word_length") && avg < num("min_avg_word_length")) return {"gopher_below_avg_threshold"};
      if (on("max_avg_word_length") && avg > num("max_avg_word_length")) return {"gopher_above_avg_threshold"};
    }
    auto zero_words = [] { return Verdict{"datatrove divides by the number of words, which is 0 here", true}; };
    if (on("max_symbol_word_ratio")) {
      if (n_words == 0) return zero_words();
      if (Count(text, "#") / n_words > num("max_symbol_word_ratio")) return {"gopher_too_many_hashes"};
      if ((Count(text, "...") + Count(text, "\u2026")) / n_words > num("max_symbol_word_ratio"))
        return {"gopher_too_many_ellipsis"};
    }
    std::vector<std::string_view> lines;
    SplitLines(text, &lines);
    auto zero_lines = [] { return Verdict{"datatrove divides by the number of lines, which is 0 here", true}; };
    if (on("max_bullet_lines_ratio")) {
      if (lines.empty()) return zero_lines();
      size_t bullets = 0;
      for (auto l : lines) {
        std::string_view s = LStrip(l);
        bullets += s.starts_with("\u2022") || s.starts_with("-");
      }
      if (bullets / static_cast<double>(lines.size()) > num("max_bullet_lines_ratio")) return {"gopher_too_many_bullets"};
    }
    if (on("max_ellipsis_lines_ratio")) {
      if (lines.empty()) return zero_lines();
      size_t ell = 0;
      for (auto l : lines) {
        std::string_view s = RStrip(l);
        ell += s.ends_with("...") || s.ends_with("\u2026");
      }
      if (ell / static_cast<double>(lines.size()) > num("max_ellipsis_lines_ratio"))
        return {"gopher_too_many_end_ellipsis"};
    }
    if (on("max_non_alpha_words_ratio")) {
      if (n_words == 0) return zero_words();
      if (alpha_words / n_words < num("max_non_alpha_words_ratio")) return {"gopher_below_alpha_threshold"};
    }
    if (on("min_stop_words")) {
      size_t stops = 0;
      if (v == Version::k2024_05) {  // occurrences
        for (const auto& w : words) stops += stop_words_.count(w);
      } else {  // distinct stop words present
        std::unordered_set<std::string> present;
        for (const auto& w : words) if (stop_words_.count(w)) present.insert(w);
        stops = present.size();
      }
      if (stops < num("min_stop_words")) return {"gopher_enough_stop_words"};
    }
    return {};
  }

 private:
  Params p_;
  std::unordered_set<std::string> stop_words_;
};

ParamSpec Num(const char* name, double def, bool is_int, const char* doc) {
  ParamSpec s = is_int ? IntParam(name, def, doc) : FloatParam(name, def, doc);
  return Nullable(s);
}

}  // namespace

void RegisterGopherQualityFilter(Registry& r) {
  r.Add({"gopher_quality_filter", OpKind::kFilter,
         "Gopher quality rules as in datatrove's GopherQualityFilter (word counts, word length, symbols, "
         "bullets, ellipses, alphabetic words, stop words); a null or 0 threshold disables its rule.",
         {datatrove::VersionParam(),
          Num("min_doc_words", 50, true, "minimum number of non-symbol words"),
          Num("max_doc_words", 100000, true, "maximum number of non-symbol words"),
          Num("min_avg_word_length", 3, true, "minimum mean length of non-symbol words"),
          Num("max_avg_word_length", 10, true, "maximum mean length of non-symbol words"),
          Num("max_symbol_word_ratio", 0.1, false, "maximum '#' per word and '...'/'…' per word"),
          Num("max_bullet_lines_ratio", 0.9, false, "maximum share of lines starting with • or -"),
          Num("max_ellipsis_lines_ratio", 0.3, false, "maximum share of lines ending with ... or …"),
          Num("max_non_alpha_words_ratio", 0.8, false, "MINIMUM share of words with a letter (datatrove's name)"),
          Num("min_stop_words", 2, true, "minimum stop words (occurrences in 2024-05, distinct in 2025-01)"),
          Optional(ParamSpec{"stop_words", ParamType::kList, json::Value::Null(),
                             "stop words; null = the, be, to, of, and, that, have, with"})},
         {"gopher_quality_filter_reason"},
         [](const Params& p, const OpEnv& e) { return std::make_unique<GopherQualityFilter>(p, e); },
         datatrove::ValidateVersion});
}

}  // namespace winnow
