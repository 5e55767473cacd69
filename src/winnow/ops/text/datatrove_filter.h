// Base of the datatrove rule-set filters: the stat "<op>_reason" holds "" for a passing
// document, else datatrove's reason (e.g. "gopher_short_doc"), which the dropped-samples file
// and the ledger show. Where datatrove would raise, the sample is quarantined instead.
#pragma once

#include <string>

#include "winnow/core/json.h"
#include "winnow/ops/op.h"
#include "winnow/ops/text/datatrove_text.h"

namespace winnow::datatrove {

class RuleFilter : public Filter {
 public:
  RuleFilter(std::string name, const Params& p, const OpEnv& env)
      : Filter(name, p, env), stat_(name + "_reason"), version_(*ParseVersion(p.String("version"))) {}

  Status ComputeStats(Sample& s) const final {
    if (s.stats().Has(stat_)) return Status::Ok();
    auto t = s.Text(text_key_);
    if (!t.ok()) return t.status();
    Verdict v = Judge(*t, s);
    if (v.error) return Status::Error(v.reason);
    std::string raw;
    json::AppendString(v.reason, &raw);
    s.stats().SetRaw(stat_, std::move(raw));
    return Status::Ok();
  }
  bool Keep(const Sample& s) const final { return Reason(s).empty(); }
  std::string DropReason(const Sample& s) const final { return Reason(s); }

 protected:
  // The verdict for one document. May rewrite the sample's text (c4_quality_filter).
  virtual Verdict Judge(std::string_view text, Sample& s) const = 0;
  Version version() const { return version_; }

 private:
  std::string Reason(const Sample& s) const {
    const StatValue* v = s.stats().Find(stat_);
    if (!v) return "no " + stat_;
    std::string raw, out;
    v->AppendJson(&raw);
    if (json::StringValue(raw, &out)) return out;
    return raw;
  }
  std::string stat_;
  Version version_;
};

// Load-time check shared by the five ops: the version, and that the English Punkt parameters
// (data/punkt/en.punkt) the tokenizer uses load.
inline Status ValidateVersion(const Params& p) {
  auto v = ParseVersion(p.String("version"));
  if (!v.ok()) return v.status();
  return EnglishPunktStatus();
}

}  // namespace winnow::datatrove
