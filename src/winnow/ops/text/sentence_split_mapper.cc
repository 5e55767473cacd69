// sentence_split_mapper: one sentence per line: DJ joins the Punkt sentence tokenizer's
// sentences with '\n'. DJ loads NLTK's trained Punkt model for the language (en, fr, pt, es),
// which is not available offline; Winnow runs the Punkt algorithm with empty parameters (no
// learned abbreviations), so it also breaks after abbreviations such as "Dr." (docs/parity.md).
#include "winnow/core/nltk_tokenize.h"
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

class SentenceSplitMapper : public Mapper {
 public:
  using Mapper::Mapper;
  Status Map(Sample& s) const override {
    auto t = s.Text(text_key_);
    if (!t.ok()) return t.status();
    std::string_view text = *t;
    std::vector<std::pair<size_t, size_t>> spans;
    nltk::SentenceSpans(text, &spans);
    std::string out;
    for (size_t i = 0; i < spans.size(); ++i) {
      if (i) out.push_back('\n');
      out.append(text.substr(spans[i].first, spans[i].second - spans[i].first));
    }
    if (out != text) s.SetText(text_key_, std::move(out));
    return Status::Ok();
  }
};

Status Validate(const Params& p) {
  const std::string& lang = p.String("lang");
  if (lang == "en" || lang == "fr" || lang == "pt" || lang == "es") return Status::Ok();
  return Status::Error("lang '" + lang + "' is not one of en, fr, pt, es (the languages of DJ's Punkt models)");
}

}  // namespace

void RegisterSentenceSplitMapper(Registry& r) {
  r.Add({"sentence_split_mapper", OpKind::kMapper,
         "Put each sentence on its own line (Punkt sentence boundaries, untrained parameters).",
         {StringParam("lang", "en", "language: en, fr, pt or es")},
         {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<SentenceSplitMapper>("sentence_split_mapper", p, e); },
         Validate});
}

}  // namespace winnow
