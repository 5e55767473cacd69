// fineweb_quality_filter: FineWeb's own rules as datatrove's FineWebQualityFilter applies them:
// share of lines ending in terminal punctuation, share of short lines, characters in
// duplicated lines, newlines per word. 2024-05 counts every line (empty ones too) with
// inclusive thresholds and five stop characters; 2025-01 counts non-empty lines only, with
// strict thresholds and datatrove's TERMINAL_PUNCTUATION (or stop_chars).
#include "winnow/core/unicode.h"
#include "winnow/ops/registry.h"
#include "winnow/ops/text/datatrove_filter.h"

namespace winnow {
namespace {

using namespace datatrove;

class FineWebQualityFilter : public RuleFilter {
 public:
  FineWebQualityFilter(const Params& p, const OpEnv& env) : RuleFilter("fineweb_quality_filter", p, env), p_(p) {
    if (version() == Version::k2024_05) {
      stop_chars_ = {".", "'", "\"", "!", "?"};
    } else if (!p.IsNull("stop_chars")) {
      for (const auto& c : p.Get("stop_chars").as_array()) stop_chars_.push_back(c.as_string());
    }
  }

 protected:
  Verdict Judge(std::string_view text, Sample&) const override {
    const bool v1 = version() == Version::k2024_05;
    std::vector<std::string_view> lines, non_empty;
    size_t start = 0;
    for (size_t nl; (nl = text.find('\n', start)) != std::string_view::npos; start = nl + 1)
      lines.push_back(text.substr(start, nl - start));
    lines.push_back(text.substr(start));
    for (auto l : lines) if (!Strip(l).empty()) non_empty.push_back(l);
    const auto& counted = v1 ? lines : non_empty;
    if (!v1 && counted.empty()) return {"empty"};
    const double n = static_cast<double>(counted.size());

    size_t punct = 0;
    for (auto l : counted) punct += EndsWithStopChar(l);
    double ratio = punct / n;
    double thr = p_.Number("line_punct_thr");
    bool exclude_zero = ratio == 0 && p_.Bool("line_punct_exclude_zero");
    if ((v1 ? ratio <= thr : ratio < thr) && !exclude_zero) return {"line_punct_ratio"};

    size_t short_lines = 0;
    for (auto l : counted) short_lines += Len(l) <= p_.Number("short_line_length");
    ratio = short_lines / n;
    double short_thr = p_.Number("short_line_thr");
    if (v1 ? ratio >= short_thr : ratio > short_thr) return {"short_line_ratio"};

    size_t chars_without_newlines = Len(text) - Count(text, "\n");
    if (chars_without_newlines == 0) return {"datatrove divides by the text's length without newlines, which is 0", true};
    ratio = FindDuplicates(non_empty).second / static_cast<double>(chars_without_newlines);
    double dup_thr = p_.Number("char_duplicates_ratio");
    if (v1 ? ratio >= dup_thr : ratio > dup_thr) return {"char_dup_ratio"};

    size_t words = Words(text).size();
    if (words == 0) return {"datatrove divides by the number of words, which is 0 here", true};
    if (Count(text, "\n") / static_cast<double>(words) > p_.Number("new_line_ratio")) return {"list_ratio"};
    return {};
  }

 private:
  bool EndsWithStopChar(std::string_view line) const {
    if (stop_chars_.empty()) {  // TERMINAL_PUNCTUATION
      if (line.empty()) return false;
      size_t b = line.size() - 1;
      while (b > 0 && (static_cast<unsigned char>(line[b]) & 0xC0) == 0x80) --b;
      const char* p = line.data() + b;
      return IsTerminalPunctuation(unicode::DecodeUtf8(p));
    }
    for (const auto& c : stop_chars_) if (line.ends_with(c)) return true;
    return false;
  }

  Params p_;
  std::vector<std::string> stop_chars_;  // empty = TERMINAL_PUNCTUATION
};

}  // namespace

void RegisterFineWebQualityFilter(Registry& r) {
  r.Add({"fineweb_quality_filter", OpKind::kFilter,
         "FineWeb's rules as in datatrove's FineWebQualityFilter: terminal-punctuation lines, short lines, "
         "duplicated-line characters, newlines per word.",
         {datatrove::VersionParam(),
          FloatParam("line_punct_thr", 0.12, "minimum share of lines ending in a stop character"),
          BoolParam("line_punct_exclude_zero", false, "do not drop documents where that share is 0"),
          Optional(ParamSpec{"stop_chars", ParamType::kList, json::Value::Null(),
                             "2025-01: line endings counted as punctuation; null = TERMINAL_PUNCTUATION"}),
          FloatParam("short_line_thr", 0.67, "maximum share of short lines"),
          IntParam("short_line_length", 30, "a line of at most this many characters is short"),
          FloatParam("char_duplicates_ratio", 0.01, "maximum share of characters in duplicated lines"),
          FloatParam("new_line_ratio", 0.3, "maximum newlines per word")},
         {"fineweb_quality_filter_reason"},
         [](const Params& p, const OpEnv& e) { return std::make_unique<FineWebQualityFilter>(p, e); },
         datatrove::ValidateVersion});
}

}  // namespace winnow
