// remove_repeat_sentences_mapper: removes sentences seen earlier in the same document. Lines
// are split into sentences with DJ's four punctuation rules; a sentence is compared after
// strip(), optional lower(), and (by default) removing all but ASCII letters/digits, CJK
// ideographs, '\n', '\t' and ' '; short ones (< min_repeat_sentence_length) are always kept.
#include "winnow/core/xxhash_include.h"

#include <unordered_set>

#include "winnow/core/unicode.h"
#include "winnow/ops/text/regex_mapper.h"

namespace winnow {
namespace {

struct PairHash {
  size_t operator()(const std::pair<uint64_t, uint64_t>& p) const { return p.first ^ (p.second * 0x9E3779B97F4A7C15ull); }
};

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
    out.reserve(text.size());
    // Normalised sentences seen so far, by their 128-bit hash (no copies kept).
    std::unordered_set<std::pair<uint64_t, uint64_t>, PairHash> seen;
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
        for (size_t r = 0; r < splitters_.size(); ++r) {
          // Each pattern needs certain characters; most lines lack them, so skip the regex.
          if (!MayMatch(r, line_buf)) continue;
          const auto& re = splitters_[r];
          bool replaced = false;
          WINNOW_RETURN_IF_ERROR(re->Sub(line_buf, "\\1\n\\2", &tmp, &replaced));
          if (replaced) line_buf.swap(tmp);
        }
        size_t sp = 0;
        for (;;) {
          size_t e = line_buf.find('\n', sp);
          std::string_view sentence(line_buf.data() + sp, (e == std::string::npos ? line_buf.size() : e) - sp);
          std::string_view key = Normalize(sentence);
          // len(key) >= bytes / 4, so long keys need no counting.
          if (static_cast<double>(key.size()) < 4 * min_len_ &&
              static_cast<double>(unicode::CountCodePoints(key)) < min_len_) {
            out.append(sentence);
          } else {
            XXH128_hash_t h = XXH3_128bits(key.data(), key.size());
            if (seen.emplace(h.high64, h.low64).second) out.append(sentence);
          }
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
  static bool MayMatch(size_t pattern, std::string_view s) {
    auto has = [&](std::string_view sub) { return s.find(sub) != std::string_view::npos; };
    switch (pattern) {
      case 0:  // one pass for . ! ? and the lead bytes of 。(E3) ！？(EF)
        for (char c : s)
          if (c == '.' || c == '!' || c == '?' || c == '\xE3' || c == '\xEF') return true;
        return false;
      case 1: return has("......");
      case 2: return has("\u2026\u2026");
      default: return has("\u2019") || has("\u201d");
    }
  }

  // The comparison key of a sentence, in a reused buffer.
  std::string_view Normalize(std::string_view sentence) const {
    thread_local std::string lowered, kept;
    std::string_view key = unicode::PyStrip(sentence);
    if (lowercase_) {
      unicode::PyLowerInto(key, &lowered);
      key = lowered;
    }
    if (!ignore_special_) return key;
    kept.clear();  // [^a-zA-Z0-9\u4e00-\u9fa5\n\t ] removed
    const char* end = key.data() + key.size();
    for (const char* p = key.data(); p < end;) {
      unsigned char b = static_cast<unsigned char>(*p);
      if (b < 0x80) {  // ASCII: letters, digits, '\n', '\t', ' '
        if (static_cast<unsigned>((b | 0x20) - 'a') < 26u || static_cast<unsigned>(b - '0') < 10u || b == '\n' || b == '\t' || b == ' ') kept.push_back(static_cast<char>(b));
        ++p;
        continue;
      }
      const char* start = p;
      uint32_t cp = unicode::DecodeUtf8(p);
      if (cp >= 0x4E00 && cp <= 0x9FA5) kept.append(start, p);
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
