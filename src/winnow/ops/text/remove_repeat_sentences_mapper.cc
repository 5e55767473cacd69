// remove_repeat_sentences_mapper: removes sentences seen earlier in the same document. Lines
// are split into sentences with DJ's four punctuation rules; a sentence is compared after
// strip(), optional lower(), and (by default) removing all but ASCII letters/digits, CJK
// ideographs, '\n', '\t' and ' '; short ones (< min_repeat_sentence_length) are always kept.
#include <unordered_set>

#include "winnow/core/unicode.h"
#include "winnow/ops/text/regex_mapper.h"

namespace winnow {
namespace {

class RemoveRepeatSentencesMapper : public Mapper {
 public:
  RemoveRepeatSentencesMapper(const Params& p, const OpEnv& env)
      : Mapper("remove_repeat_sentences_mapper", p, env),
        lowercase_(p.Bool("lowercase")),
        ignore_special_(p.Bool("ignore_special_character")),
        min_len_(p.Number("min_repeat_sentence_length")) {
    for (const char* pat : {R"(([.。！!？\?])([^’”]))", R"((\.{6})([^’”]))", R"((\…{2})([^’”]))",
                            R"(([.。!！？\?\.{6}\…{2}][’”])([^’”]))"})
      splitters_.push_back(CompileConstant(pat, Regex::kNone));
  }

  Status Map(Sample& s) const override {
    auto t = s.Text(text_key_);
    if (!t.ok()) return t.status();
    std::string_view text = *t;
    std::string out, line_buf, tmp;
    std::unordered_set<std::string> seen;
    size_t pos = 0;
    bool first_line = true;
    for (;;) {
      size_t nl = text.find('\n', pos);
      std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
      if (!first_line) out.push_back('\n');
      first_line = false;
      if (!line.empty()) {
        // split_sentence(): mark sentence ends with '\n', then split on it.
        line_buf.assign(line);
        for (const auto& re : splitters_) {
          bool replaced = false;
          WINNOW_RETURN_IF_ERROR(re->Sub(line_buf, "\\1\n\\2", &tmp, &replaced));
          if (replaced) line_buf.swap(tmp);
        }
        size_t sp = 0;
        for (;;) {
          size_t e = line_buf.find('\n', sp);
          std::string_view sentence(line_buf.data() + sp, (e == std::string::npos ? line_buf.size() : e) - sp);
          std::string key = Normalize(sentence);
          if (static_cast<double>(unicode::CountCodePoints(key)) < min_len_) out.append(sentence);
          else if (seen.insert(std::move(key)).second) out.append(sentence);
          if (e == std::string::npos) break;
          sp = e + 1;
        }
      }
      if (nl == std::string_view::npos) break;
      pos = nl + 1;
    }
    if (out != text) s.SetText(text_key_, std::move(out));
    return Status::Ok();
  }

 private:
  std::string Normalize(std::string_view sentence) const {
    std::string key(unicode::PyStrip(sentence));
    if (lowercase_) key = unicode::PyLower(key);
    if (!ignore_special_) return key;
    std::string kept;  // [^a-zA-Z0-9\u4e00-\u9fa5\n\t ] removed
    for (const char* p = key.data(); p < key.data() + key.size();) {
      const char* start = p;
      uint32_t cp = unicode::DecodeUtf8(p);
      bool keep = (cp < 0x80 && (std::isalnum(static_cast<int>(cp)) || cp == '\n' || cp == '\t' || cp == ' ')) ||
                  (cp >= 0x4E00 && cp <= 0x9FA5);
      if (keep) kept.append(start, p);
    }
    return kept;
  }

  bool lowercase_, ignore_special_;
  double min_len_;
  std::vector<std::shared_ptr<const Regex>> splitters_;
};

}  // namespace

void RegisterRemoveRepeatSentencesMapper(Registry& r) {
  r.Add({"remove_repeat_sentences_mapper", OpKind::kMapper, "Remove sentences repeated within a document.",
         {BoolParam("lowercase", false, "compare sentences case-insensitively"),
          BoolParam("ignore_special_character", true, "compare sentences on letters, digits and CJK only"),
          IntParam("min_repeat_sentence_length", 2, "shorter (normalised) sentences are always kept")},
         {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<RemoveRepeatSentencesMapper>(p, e); }});
}

}  // namespace winnow
