// remove_non_chinese_character_mapper: removes every character that is not a CJK ideograph
// (U+4E00..U+9FA5), optionally keeping ASCII letters, digits and DJ's punctuation list. DJ does
// it with re.sub over a negated character class; Winnow scans the code points directly (same
// result: every character outside the class goes, whether matched one by one or in runs).
#include "winnow/core/unicode.h"
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

class RemoveNonChineseCharacterMapper : public Mapper {
 public:
  RemoveNonChineseCharacterMapper(const Params& p, const OpEnv& env)
      : Mapper("remove_non_chinese_character_mapper", p, env),
        alphabet_(p.Bool("keep_alphabet")),
        number_(p.Bool("keep_number")),
        punc_(p.Bool("keep_punc")) {
    for (unsigned c = 0; c < 128; ++c) {
      bool keep = (alphabet_ && (c | 0x20) - 'a' < 26u) || (number_ && c - '0' < 10u) ||
                  (punc_ && std::string_view(".,- %*/&()+!").find(static_cast<char>(c)) != std::string_view::npos);
      keep_ascii_[c] = keep ? 1 : 0;
    }
  }

  Status Map(Sample& s) const override {
    auto t = s.Text(text_key_);
    if (!t.ok()) return t.status();
    std::string_view text = *t;
    std::string out(text.size(), '\0');
    char* o = out.data();
    const char* end = text.data() + text.size();
    for (const char* p = text.data(); p < end;) {
      unsigned char b = static_cast<unsigned char>(*p);
      if (b < 0x80) {
        *o = static_cast<char>(b);
        o += keep_ascii_[b];
        ++p;
        continue;
      }
      const char* start = p;
      uint32_t cp = unicode::DecodeUtf8(p);
      if ((cp >= 0x4E00 && cp <= 0x9FA5) || (punc_ && IsPunc(cp)))
        for (const char* q = start; q < p; ++q) *o++ = *q;
    }
    out.resize(o - out.data());
    if (out.size() != text.size()) s.SetText(text_key_, std::move(out));
    return Status::Ok();
  }

 private:
  // DJ's list: .， ,-。%《*》/•、&＆(—)（+）：？!！“”· (the non-ASCII ones here)
  static bool IsPunc(uint32_t cp) {
    static constexpr char32_t kPunc[] = {U'，', U'。', U'《', U'》', U'•', U'、', U'＆', U'—',
                                         U'（', U'）', U'：', U'？', U'！', U'“', U'”', U'·'};
    for (char32_t c : kPunc) if (cp == c) return true;
    return false;
  }

  bool alphabet_, number_, punc_;
  uint8_t keep_ascii_[128];
};

}  // namespace

void RegisterRemoveNonChineseCharacterMapper(Registry& r) {
  r.Add({"remove_non_chinese_character_mapper", OpKind::kMapper,
         "Remove non-Chinese characters, optionally keeping letters, digits and punctuation.",
         {BoolParam("keep_alphabet", true, "keep A-Z and a-z"), BoolParam("keep_number", true, "keep 0-9"),
          BoolParam("keep_punc", true, "keep DJ's list of punctuation (and spaces)")},
         {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<RemoveNonChineseCharacterMapper>(p, e); }});
}

}  // namespace winnow
