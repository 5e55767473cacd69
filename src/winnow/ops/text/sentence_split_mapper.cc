// sentence_split_mapper: one sentence per line: DJ joins the Punkt sentence tokenizer's
// sentences with '\n'. DJ loads NLTK's trained Punkt model for the language (en, fr, pt, es);
// nltk_data is not available offline, so Winnow trains its own Punkt parameters with a port of
// NLTK's PunktTrainer on Debian's documentation (data/punkt/<lang>.punkt, see
// data/punkt/README.md) and runs the Punkt tokenizer with them. `punkt: untrained` keeps the
// previous behaviour (empty parameters: no known abbreviations, "Dr." ends a sentence).
#include "winnow/core/nltk_tokenize.h"
#include "winnow/core/punkt.h"
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

const nltk::PunktParams* ParamsFor(const Params& p) {
  if (p.String("punkt") == "untrained") return nullptr;
  auto r = nltk::TrainedPunkt(p.String("lang"));
  return r.ok() ? *r : nullptr;  // Validate() has already reported a load error
}

class SentenceSplitMapper : public Mapper {
 public:
  SentenceSplitMapper(const Params& p, const OpEnv& e)
      : Mapper("sentence_split_mapper", p, e), punkt_(ParamsFor(p)) {}
  Status Map(Sample& s) const override {
    auto t = s.Text(text_key_);
    if (!t.ok()) return t.status();
    std::string_view text = *t;
    std::vector<std::pair<size_t, size_t>> spans;
    nltk::SentenceSpans(text, &spans, punkt_);
    std::string out;
    for (size_t i = 0; i < spans.size(); ++i) {
      if (i) out.push_back('\n');
      out.append(text.substr(spans[i].first, spans[i].second - spans[i].first));
    }
    if (out != text) s.SetText(text_key_, std::move(out));
    return Status::Ok();
  }

 private:
  const nltk::PunktParams* punkt_;  // shared, read-only; nullptr = untrained
};

Status Validate(const Params& p) {
  const std::string& lang = p.String("lang");
  if (lang != "en" && lang != "fr" && lang != "pt" && lang != "es")
    return Status::Error("lang '" + lang + "' is not one of en, fr, pt, es (the languages of DJ's Punkt models)");
  const std::string& punkt = p.String("punkt");
  if (punkt == "untrained") return Status::Ok();
  if (punkt != "trained") return Status::Error("punkt must be 'trained' or 'untrained', got '" + punkt + "'");
  auto r = nltk::TrainedPunkt(lang);
  return r.ok() ? Status::Ok() : r.status();
}

}  // namespace

void RegisterSentenceSplitMapper(Registry& r) {
  r.Add({"sentence_split_mapper", OpKind::kMapper,
         "Put each sentence on its own line (Punkt sentence boundaries with Winnow-trained parameters).",
         {StringParam("lang", "en", "language: en, fr, pt or es"),
          StringParam("punkt", "trained",
                      "Winnow param: 'trained' (data/punkt/<lang>.punkt) or 'untrained' (empty Punkt parameters)")},
         {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<SentenceSplitMapper>(p, e); },
         Validate});
}

}  // namespace winnow
