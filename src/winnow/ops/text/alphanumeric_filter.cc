// alphanumeric_filter: ratio of str.isalnum() code points to all code points.
#include "winnow/core/ascii_simd.h"
#include "winnow/core/unicode.h"
#include "winnow/ops/registry.h"
#include "winnow/ops/text/text_stat_filter.h"

namespace winnow {
namespace {

class AlphanumericFilter : public TextStatFilter {
 public:
  AlphanumericFilter(const Params& p, const OpEnv& env)
      : TextStatFilter("alphanumeric_filter", p, env, "alnum_ratio", "min_ratio", "max_ratio") {}
  void Compute(TextCache& t, Stats& stats) const override {
    size_t total = 0, alnum = 0;
    ascii::CountWhere(
        t.text, [](__m128i v) { return _mm_or_si128(ascii::Letters(v), ascii::Digits(v)); },
        [](uint32_t cp) { return unicode::Is(cp, unicode::kAlnum); }, &total, &alnum);
    stats.SetDouble(stat_key_, Ratio(static_cast<double>(alnum), static_cast<double>(total)));
  }
};

}  // namespace

Status RejectTokenization(const Params& p, const char* why) {
  if (p.Get("tokenization").type() == json::Type::kBool && p.Bool("tokenization"))
    return Status::Error("tokenization: true is not supported yet: it needs " + std::string(why) +
                         ", which Winnow does not load yet; use tokenization: false");
  return Status::Ok();
}

void RegisterAlphanumericFilter(Registry& r) {
  r.Add({"alphanumeric_filter", OpKind::kFilter,
         "Keep samples whose alphanumeric ratio (str.isalnum code points / all code points) is in range.",
         {BoolParam("tokenization", false, "count alphabetic chars per HF token instead (not supported yet)"),
          FloatParam("min_ratio", 0.25, "minimum ratio"),
          FloatParam("max_ratio", kPyMaxSize, "maximum ratio")},
         {"alnum_ratio", "alpha_token_ratio"},
         [](const Params& p, const OpEnv& e) { return std::make_unique<AlphanumericFilter>(p, e); },
         [](const Params& p) { return RejectTokenization(p, "the EleutherAI/pythia-6.9b-deduped tokenizer"); }});
}

}  // namespace winnow
