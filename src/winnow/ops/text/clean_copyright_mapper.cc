// clean_copyright_mapper: removes the first /* ... */ block if it mentions "copyright";
// otherwise (no such block at all) drops leading lines that are empty or start with //, # or --.
#include <cctype>

#include "winnow/core/unicode.h"
#include "winnow/ops/text/regex_mapper.h"

namespace winnow {
namespace {

class CleanCopyrightMapper : public Mapper {
 public:
  CleanCopyrightMapper(const Params& p, const OpEnv& env)
      : Mapper("clean_copyright_mapper", p, env),
        block_(CompileConstant(R"(/\*[^*]*\*+(?:[^/*][^*]*\*+)*/)", Regex::kNone)) {}

  Status Map(Sample& s) const override {
    auto t = s.Text(text_key_);
    if (!t.ok()) return t.status();
    std::string_view text = *t;
    size_t b = 0, e = 0;
    auto found = block_->Find(text, &b, &e);
    if (!found.ok()) return found.status();
    if (*found) {
      if (MentionsCopyright(text.substr(b, e - b))) s.SetText(text_key_, std::string(text.substr(0, b)) + std::string(text.substr(e)));
      return Status::Ok();
    }
    // Skip leading comment/empty lines (split on '\n' as Python does).
    size_t pos = 0, skip = 0;
    for (;;) {
      size_t nl = text.find('\n', pos);
      std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
      bool comment = line.empty() || line.rfind("//", 0) == 0 || line.rfind("#", 0) == 0 || line.rfind("--", 0) == 0;
      if (!comment) break;
      ++skip;
      if (nl == std::string_view::npos) {
        pos = text.size();
        break;
      }
      pos = nl + 1;
    }
    if (skip) s.SetText(text_key_, std::string(text.substr(std::min(pos, text.size()))));
    return Status::Ok();
  }

 private:
  // DJ: re.search('copyright', block, re.IGNORECASE) with the `regex` module's simple case
  // folding, under which U+0130 (İ) also matches 'i'.
  static bool MentionsCopyright(std::string_view block) {
    std::string folded;
    for (const char* p = block.data(); p < block.data() + block.size();) {
      const char* start = p;
      uint32_t cp = unicode::DecodeUtf8(p);
      if (cp < 0x80) folded.push_back(static_cast<char>(std::tolower(static_cast<int>(cp))));
      else if (cp == 0x130) folded.push_back('i');
      else folded.append(start, p);
    }
    return folded.find("copyright") != std::string::npos;
  }

  std::shared_ptr<const Regex> block_;
};

}  // namespace

void RegisterCleanCopyrightMapper(Registry& r) {
  r.Add({"clean_copyright_mapper", OpKind::kMapper, "Remove copyright notices at the start of code files.", {}, {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<CleanCopyrightMapper>(p, e); }});
}

}  // namespace winnow
