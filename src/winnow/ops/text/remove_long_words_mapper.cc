// remove_long_words_mapper: drops words whose length (or length without SPECIAL_CHARACTERS at
// the ends) is outside [min_len, max_len]; re-joins lines/tabs/spaces as DJ does, which also
// collapses repeated separators and drops empty lines.
#include <cstring>

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
    // DJ: sentences = split('\n'), subsentences = split('\t'), words = split(' ') minus empties;
    // keep the words that fit; re-join with ' ', '\t', '\n', dropping empty groups at each level.
    // Written straight into `out`, rolling back a group that ends up empty.
    thread_local std::string out;
    out.clear();
    bool any_sentence = false;
    size_t pos = 0;
    for (;;) {
      size_t nl = text.find('\n', pos);
      size_t sent_end = nl == std::string_view::npos ? text.size() : nl;
      size_t sentence_mark = out.size();
      if (any_sentence) out.push_back('\n');
      bool any_sub = false;
      size_t sp = pos;
      for (;;) {
        const void* tab_p = std::memchr(text.data() + sp, '\t', sent_end - sp);
        size_t sub_end = tab_p ? static_cast<const char*>(tab_p) - text.data() : sent_end;
        size_t sub_mark = out.size();
        if (any_sub) out.push_back('\t');
        bool any_word = false;
        size_t wp = sp;
        while (wp < sub_end) {
          const void* space_p = std::memchr(text.data() + wp, ' ', sub_end - wp);
          size_t we = space_p ? static_cast<const char*>(space_p) - text.data() : sub_end;
          if (we > wp) {
            std::string_view w = text.substr(wp, we - wp);
            if (KeepWord(w)) {
              if (any_word) out.push_back(' ');
              out.append(w);
              any_word = true;
            }
          }
          wp = we + 1;
        }
        if (any_word) any_sub = true;
        else out.resize(sub_mark);
        if (!tab_p) break;
        sp = sub_end + 1;
      }
      if (any_sub) any_sentence = true;
      else out.resize(sentence_mark);
      if (nl == std::string_view::npos) break;
      pos = nl + 1;
    }
    if (out != text) s.SetText(text_key_, out);
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
