// whitespace_normalization_mapper: str.strip(), then every code point in DJ's
// VARIOUS_WHITESPACES becomes a plain space.
#include "winnow/core/ascii_simd.h"
#include "winnow/core/unicode.h"
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

class WhitespaceNormalizationMapper : public Mapper {
 public:
  WhitespaceNormalizationMapper(const Params& p, const OpEnv& env)
      : Mapper("whitespace_normalization_mapper", p, env) {}

  Status Map(Sample& s) const override {
    auto t = s.Text(text_key_);
    if (!t.ok()) return t.status();
    std::string_view text = unicode::PyStrip(*t);
    // Fast check: does anything need replacing? (ASCII: only '\t' is in the set besides ' '.)
    const char* p = text.data();
    const char* end = p + text.size();
    const char* first = nullptr;
    while (p < end) {
      // To the next byte that can start a member of the set: '\t', or the lead bytes of its other
      // members (C2: U+0084, U+00A0; E2: U+2000-U+200D, U+202F, U+205F, U+2060; E3: U+3000; EF:
      // U+FFFC; tests/unit check the set has no others). (Only ASCII was skipped in bulk before:
      // Cyrillic or CJK text went a character at a time.)
      static constexpr char kStarts[] = {'\t', '\xC2', '\xE2', '\xE3', '\xEF'};
      p = ascii::SkipToAnyOf(p, end, kStarts);
      if (p >= end) break;
      unsigned char c = static_cast<unsigned char>(*p);
      if (c < 0x80 || (c & 0xC0) == 0x80) {
        if (c == '\t') { first = p; break; }
        ++p;
        continue;
      }
      const char* start = p;
      if (unicode::Is(unicode::DecodeUtf8(p), unicode::kDjWhitespace)) { first = start; break; }
    }
    if (!first) {
      if (text.size() != t->size()) s.SetText(text_key_, std::string(text));
      return Status::Ok();
    }
    std::string out(text.data(), first);
    p = first;
    while (p < end) {
      unsigned char c = static_cast<unsigned char>(*p);
      if (c < 0x80) {
        out.push_back(c == '\t' ? ' ' : static_cast<char>(c));
        ++p;
        continue;
      }
      const char* start = p;
      if (unicode::Is(unicode::DecodeUtf8(p), unicode::kDjWhitespace)) out.push_back(' ');
      else out.append(start, p);
    }
    s.SetText(text_key_, std::move(out));
    return Status::Ok();
  }
};

}  // namespace

void RegisterWhitespaceNormalizationMapper(Registry& r) {
  r.Add({"whitespace_normalization_mapper", OpKind::kMapper,
         "Strip the text and normalise the various Unicode whitespaces to a plain space.",
         {}, {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<WhitespaceNormalizationMapper>(p, e); }});
}

}  // namespace winnow
