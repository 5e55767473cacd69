// remove_long_words_mapper: drops words whose length (or length without SPECIAL_CHARACTERS at
// the ends) is outside [min_len, max_len]; re-joins lines/tabs/spaces as DJ does, which also
// collapses repeated separators and drops empty lines.
#include "winnow/core/text_split.h"
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
    thread_local std::string out;
    FilterWordsKeepingLayout(*t, [this](std::string_view w) { return KeepWord(w); }, &out);
    if (out != *t) s.SetText(text_key_, out);
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
