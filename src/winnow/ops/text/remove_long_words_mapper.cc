// remove_long_words_mapper: drops words whose length (or length without SPECIAL_CHARACTERS at
// the ends) is outside [min_len, max_len]; re-joins lines/tabs/spaces as DJ does, which also
// collapses repeated separators and drops empty lines.
#include "winnow/core/unicode.h"
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

class RemoveLongWordsMapper : public Mapper {
 public:
  RemoveLongWordsMapper(const Params& p, const OpEnv& env)
      : Mapper("remove_long_words_mapper", p, env), min_(p.Number("min_len")), max_(p.Number("max_len")) {}

  bool KeepWord(std::string_view w) const {
    double n = static_cast<double>(unicode::CountCodePoints(w));
    if (min_ <= n && n <= max_) return true;
    double m = static_cast<double>(unicode::CountCodePoints(unicode::StripClass(w, unicode::kDjSpecial)));
    return min_ <= m && m <= max_;
  }

  Status Map(Sample& s) const override {
    auto t = s.Text(text_key_);
    if (!t.ok()) return t.status();
    std::string_view text = *t;
    std::string out;
    out.reserve(text.size());
    bool any_sentence = false;
    size_t pos = 0;
    // sentences = text.split('\n'); subsentences = sentence.split('\t'); words split on ' '.
    while (true) {
      size_t nl = text.find('\n', pos);
      std::string_view sentence = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
      std::string joined_sentence;
      bool any_sub = false;
      size_t sp = 0;
      while (true) {
        size_t tab = sentence.find('\t', sp);
        std::string_view sub = sentence.substr(sp, tab == std::string_view::npos ? std::string_view::npos : tab - sp);
        // DJ keeps a subsentence only if some of its words survive the filter.
        std::string joined_sub;
        size_t wp = 0;
        while (wp <= sub.size()) {
          size_t space = sub.find(' ', wp);
          size_t we = space == std::string_view::npos ? sub.size() : space;
          if (we > wp) {
            std::string_view w = sub.substr(wp, we - wp);
            if (KeepWord(w)) {
              if (!joined_sub.empty()) joined_sub.push_back(' ');
              joined_sub.append(w);
            }
          }
          if (space == std::string_view::npos) break;
          wp = space + 1;
        }
        if (!joined_sub.empty()) {
          if (any_sub) joined_sentence.push_back('\t');
          joined_sentence.append(joined_sub);
          any_sub = true;
        }
        if (tab == std::string_view::npos) break;
        sp = tab + 1;
      }
      if (any_sub) {
        if (any_sentence) out.push_back('\n');
        out.append(joined_sentence);
        any_sentence = true;
      }
      if (nl == std::string_view::npos) break;
      pos = nl + 1;
    }
    if (out != text) s.SetText(text_key_, std::move(out));
    return Status::Ok();
  }

 private:
  double min_, max_;
};

}  // namespace

void RegisterRemoveLongWordsMapper(Registry& r) {
  r.Add({"remove_long_words_mapper", OpKind::kMapper,
         "Remove words whose length is outside [min_len, max_len] (also tried without surrounding special characters).",
         {IntParam("min_len", 1, "shortest word to keep"), IntParam("max_len", kPyMaxSize, "longest word to keep")},
         {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<RemoveLongWordsMapper>(p, e); }});
}

}  // namespace winnow
