// c4_quality_filter: C4's line and document rules as datatrove's C4QualityFilter applies them.
// Lines failing a line rule are removed from the text (it is rewritten as the kept lines
// joined); lorem ipsum, a curly bracket or too few sentences drop the whole document.
#include "winnow/core/text_split.h"
#include "winnow/core/unicode.h"
#include "winnow/core/nltk_tokenize.h"
#include "winnow/ops/registry.h"
#include "winnow/ops/text/datatrove_filter.h"

namespace winnow {
namespace {

using namespace datatrove;

// CITATION_REGEX.sub("", line): r"\[\d*]|\[edit]|\[citation needed]" (\d = Unicode decimal).
std::string RemoveCitations(std::string_view line) {
  std::string out;
  size_t i = 0;
  while (i < line.size()) {
    if (line[i] == '[') {
      size_t j = i + 1;
      while (j < line.size()) {
        const char* p = line.data() + j;
        uint32_t cp = unicode::DecodeUtf8(p);
        if (!unicode::Is(cp, unicode::kDecimal)) break;
        j = p - line.data();
      }
      if (j < line.size() && line[j] == ']') { i = j + 1; continue; }
      std::string_view rest = line.substr(i);
      if (rest.starts_with("[edit]")) { i += 6; continue; }
      if (rest.starts_with("[citation needed]")) { i += 17; continue; }
    }
    out.push_back(line[i++]);
  }
  return out;
}

bool EndsWithAny(std::string_view s, std::initializer_list<std::string_view> ends) {
  for (auto e : ends) if (s.ends_with(e)) return true;
  return false;
}

class C4QualityFilter : public RuleFilter {
 public:
  C4QualityFilter(const Params& p, const OpEnv& env) : RuleFilter("c4_quality_filter", p, env), p_(p) {}

 protected:
  Verdict Judge(std::string_view text, Sample& s) const override {
    const bool split_paragraph = p_.Bool("split_paragraph");
    const double max_word_length = p_.Number("max_word_length");
    const double min_words = p_.Number("min_words_per_line");
    const double min_sentences = p_.Number("min_num_sentences");
    std::vector<std::string_view> lines;
    if (split_paragraph) {
      SplitLines(text, &lines);
    } else {
      std::vector<std::pair<size_t, size_t>> spans;
      nltk::SentenceSpans(text, &spans, EnglishPunkt());
      if (version() == Version::k2024_05) {
        for (auto [b, e] : spans) lines.push_back(text.substr(b, e - b));
      } else {  // split_into_sentences: cut at the span ends, whitespace included
        size_t prev = 0;
        for (size_t i = 0; i + 1 < spans.size(); ++i) {
          lines.push_back(text.substr(prev, spans[i].second - prev));
          prev = spans[i].second;
        }
        lines.push_back(text.substr(prev));
      }
    }
    size_t num_sentences = 0;
    std::vector<std::string> kept;
    std::vector<std::string_view> words;
    for (std::string_view raw : lines) {
      std::string_view stripped = Strip(raw);
      Split(stripped, &words);
      if (max_word_length != -1) {
        bool too_long = false;
        for (auto w : words) too_long = too_long || Len(w) > max_word_length;
        if (too_long) continue;
      }
      std::string line = p_.Bool("remove_citations") ? RemoveCitations(stripped) : std::string(stripped);
      if (p_.Bool("filter_no_terminal_punct") &&
          (!EndsWithAny(line, {".", "?", "!", "\"", "'"}) || line.ends_with("...")))
        continue;
      if (words.size() < min_words) continue;
      std::string lower = Lower(line);
      if (p_.Bool("filter_lorem_ipsum") && Contains(lower, "lorem ipsum")) return {"lorem_ipsum"};
      if (p_.Bool("filter_javascript") && Contains(lower, "javascript")) continue;
      if (p_.Bool("filter_curly_bracket") && Contains(line, "{")) return {"curly_bracket"};
      if (p_.Bool("filter_policy")) {
        bool policy = false;
        for (std::string_view sub : {"terms of use", "privacy policy", "cookie policy", "uses cookies",
                                     "use of cookies", "use cookies"})
          policy = policy || Contains(lower, sub);
        if (policy) continue;
      }
      if (version() == Version::k2024_05 || min_sentences != -1)
        num_sentences += split_paragraph ? SentenceCount(line, version()) : 1;
      kept.push_back(std::move(line));
    }
    if (num_sentences < min_sentences) return {"too_few_sentences"};
    std::string out;
    for (size_t i = 0; i < kept.size(); ++i) {
      if (i) out += split_paragraph ? "\n" : " ";
      out += kept[i];
    }
    std::string_view result = Strip(out);
    if (result != text) s.SetText(text_key_, std::string(result));
    return {};
  }

 private:
  Params p_;
};

}  // namespace

void RegisterC4QualityFilter(Registry& r) {
  r.Add({"c4_quality_filter", OpKind::kFilter,
         "C4's rules as in datatrove's C4QualityFilter: drops lines (no terminal punctuation, too few words, "
         "too long words, javascript, policy text), rewrites the text as the kept lines, and drops documents "
         "with lorem ipsum, a curly bracket or too few sentences.",
         {datatrove::VersionParam(),
          BoolParam("split_paragraph", true, "rules apply to lines (true) or to sentences (false)"),
          BoolParam("remove_citations", true, "remove [1], [edit], [citation needed]"),
          BoolParam("filter_no_terminal_punct", true, "drop lines not ending in . ? ! \" ' (or ending in ...)"),
          IntParam("min_num_sentences", 5, "minimum sentences left in the document; -1 disables"),
          IntParam("min_words_per_line", 3, "drop lines with fewer words; -1 disables"),
          IntParam("max_word_length", 1000, "drop lines with a longer word; -1 disables"),
          BoolParam("filter_lorem_ipsum", true, "drop documents containing 'lorem ipsum'"),
          BoolParam("filter_javascript", true, "drop lines mentioning javascript"),
          BoolParam("filter_curly_bracket", true, "drop documents containing '{'"),
          BoolParam("filter_policy", true, "drop lines about terms of use, privacy or cookies")},
         {"c4_quality_filter_reason"},
         [](const Params& p, const OpEnv& e) { return std::make_unique<C4QualityFilter>(p, e); },
         datatrove::ValidateVersion});
}

}  // namespace winnow
