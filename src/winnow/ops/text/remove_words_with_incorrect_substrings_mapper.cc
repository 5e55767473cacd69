// remove_words_with_incorrect_substrings_mapper: drops words that contain any of the given
// substrings once SPECIAL_CHARACTERS are stripped from their ends; re-joins lines/tabs/spaces
// as DJ does (repeated separators collapse, empty lines vanish).
#include "winnow/core/text_split.h"
#include "winnow/core/unicode.h"
#include "winnow/ops/registry.h"
#include "winnow/ops/text/text_stat_filter.h"

namespace winnow {
namespace {

class RemoveWordsWithIncorrectSubstringsMapper : public Mapper {
 public:
  RemoveWordsWithIncorrectSubstringsMapper(const Params& p, const OpEnv& env)
      : Mapper("remove_words_with_incorrect_substrings_mapper", p, env) {
    if (p.IsNull("substrings")) substrings_ = {"http", "www", ".com", "href", "//"};
    else for (const auto& v : p.Get("substrings").as_array()) substrings_.push_back(v.as_string());
  }

  Status Map(Sample& s) const override {
    auto t = s.Text(text_key_);
    if (!t.ok()) return t.status();
    thread_local std::string out;
    FilterWordsKeepingLayout(
        *t,
        [this](std::string_view w) {
          std::string_view core = unicode::StripClass(w, unicode::kDjSpecial);
          for (const auto& sub : substrings_)
            if (core.find(sub) != std::string_view::npos) return false;
          return true;
        },
        &out);
    if (out != *t) s.SetText(text_key_, out);
    return Status::Ok();
  }

 private:
  std::vector<std::string> substrings_;
};

}  // namespace

void RegisterRemoveWordsWithIncorrectSubstringsMapper(Registry& r) {
  r.Add({"remove_words_with_incorrect_substrings_mapper", OpKind::kMapper,
         "Remove words containing any of the given substrings (default: URL fragments).",
         {StringParam("lang", "en", "language (used with tokenization)"),
          BoolParam("tokenization", false, "split words with a SentencePiece model (not supported yet)"),
          Optional(ParamSpec{"substrings", ParamType::kList, json::Value::Null(),
                             "substrings that disqualify a word (default http, www, .com, href, //)"})},
         {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<RemoveWordsWithIncorrectSubstringsMapper>(p, e); },
         [](const Params& p) { return RejectTokenization(p, "a SentencePiece model"); }});
}

}  // namespace winnow
