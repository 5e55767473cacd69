// perplexity_filter: perplexity of the text under the language's n-gram model, on SentencePiece
// pieces (CCNet / DJ). Models: {lang}.sp.model + {lang}.arpa (ARPA text) or DJ's {lang}.arpa.bin
// (KenLM binary) in model_dir (default: the model directory; `winnow lm train` makes both).
#include "winnow/models/perplexity_model.h"
#include "winnow/ops/registry.h"
#include "winnow/ops/text/dj_words.h"

namespace winnow {
namespace {

constexpr const char* kStat = "perplexity";

class PerplexityFilter : public Filter {
 public:
  PerplexityFilter(const Params& p, const OpEnv& env)
      : Filter("perplexity_filter", p, env), min_(p.Number("min_ppl")), max_(p.Number("max_ppl")) {
    auto m = PerplexityModel::Get(p.String("model_dir"), p.String("lang"));
    WINNOW_CHECK(m.ok());  // loaded by the load-time check
    model_ = *m;
  }
  Status ComputeStats(Sample& s) const override {
    if (s.stats().Has(kStat)) return Status::Ok();
    auto t = s.TextContext(text_key_);
    if (!t.ok()) return t.status();
    const PieceList& pieces = PiecesOf(**t, model_->sp());
    s.stats().SetDouble(kStat, model_->PerplexityOfPieces(pieces.pieces, pieces.ids));
    return Status::Ok();
  }
  bool Keep(const Sample& s) const override {
    const StatValue* v = s.stats().Find(kStat);
    return v && KeepValue(v->AsDouble(), min_, max_);
  }
  std::string DropReason(const Sample& s) const override { return RangeReason(s, kStat, min_, max_); }

 private:
  double min_, max_;
  std::shared_ptr<const PerplexityModel> model_;
};

}  // namespace

void RegisterPerplexityFilter(Registry& r) {
  r.Add({"perplexity_filter", OpKind::kFilter,
         "Keep samples whose perplexity under the language's SentencePiece + n-gram model is in range.",
         {StringParam("lang", "en", "language: selects {lang}.sp.model and {lang}.arpa (or the KenLM binary {lang}.arpa.bin)"),
          FloatParam("min_ppl", 0, "minimum perplexity"),
          FloatParam("max_ppl", 1500, "maximum perplexity"),
          StringParam("model_dir", "", "Winnow: directory of the models; empty = the model directory")},
         {kStat},
         [](const Params& p, const OpEnv& e) { return std::make_unique<PerplexityFilter>(p, e); },
         [](const Params& p) {
           auto m = PerplexityModel::Get(p.String("model_dir"), p.String("lang"));
           return m.ok() ? Status::Ok() : m.status();
         }});
}

}  // namespace winnow
