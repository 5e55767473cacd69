// Base for text filters whose decision is one numeric stat of the text within [min, max]
// (most of DJ's text filters). Honours DJ's stats cache: an existing stat is not recomputed.
#pragma once

#include <string>

#include "winnow/core/text_split.h"
#include "winnow/ops/op.h"

namespace winnow {

class TextStatFilter : public Filter {
 public:
  TextStatFilter(std::string name, const Params& p, const OpEnv& env, std::string stat_key,
                 const char* min_param, const char* max_param)
      : Filter(std::move(name), p, env),
        stat_key_(std::move(stat_key)),
        min_(p.Number(min_param)),
        max_(p.Number(max_param)) {}

  Status ComputeStats(Sample& s) const final {
    if (s.stats().Has(stat_key_)) return Status::Ok();
    auto t = s.TextContext(text_key_);
    if (!t.ok()) return t.status();
    Compute(**t, s.stats());
    return Status::Ok();
  }
  bool Keep(const Sample& s) const final {
    const StatValue* v = s.stats().Find(stat_key_);
    return v && KeepValue(v->AsDouble(), min_, max_);
  }
  std::string DropReason(const Sample& s) const final { return RangeReason(s, stat_key_, min_, max_); }

 protected:
  virtual void Compute(TextCache& t, Stats& stats) const = 0;
  // DJ writes 0.0 for an empty text's ratio.
  static double Ratio(double num, double den) { return den != 0 ? num / den : 0.0; }

  std::string stat_key_;
  double min_, max_;
};

// Status for DJ modes that need a model Winnow does not have yet (tokenization: true).
Status RejectTokenization(const Params& p, const char* why);

}  // namespace winnow
