// range_specified_field_selector: keeps samples whose rank by a field lies between the lower and
// upper bounds (percentiles of the dataset size and/or absolute ranks). Output order follows DJ:
// nsmallest(upper) then nlargest(upper - lower) of those, i.e. descending value.
#include <algorithm>
#include <numeric>

#include "winnow/ops/registry.h"
#include "winnow/ops/select/field_selector.h"

namespace winnow {
namespace {

class RangeSpecifiedFieldSelector : public Selector {
 public:
  RangeSpecifiedFieldSelector(const Params& p, const OpEnv& env)
      : Selector("range_specified_field_selector", p, env),
        field_key_(p.String("field_key")),
        lower_percentile_(p.Get("lower_percentile")),
        upper_percentile_(p.Get("upper_percentile")),
        lower_rank_(p.Get("lower_rank")),
        upper_rank_(p.Get("upper_rank")) {}

  Status ComputeKey(Sample& s, GlobalKey* key) const override {
    return FieldNumberKey(s, field_key_, /*reverse=*/true, key);
  }

  Selection Select(const std::vector<GlobalKey>& keys) const override {
    size_t n = keys.size();
    std::vector<uint32_t> all(n);
    std::iota(all.begin(), all.end(), 0);
    Selection sel;
    if (n <= 1 || field_key_.empty() || (lower_percentile_.is_null() && lower_rank_.is_null()) ||
        (upper_percentile_.is_null() && upper_rank_.is_null())) {
      sel.order = all;
      return sel;
    }
    int64_t lower = 0, upper = static_cast<int64_t>(n);
    if (!lower_percentile_.is_null()) lower = static_cast<int64_t>(lower_percentile_.as_number() * n);
    if (!lower_rank_.is_null()) lower = std::max(lower, static_cast<int64_t>(lower_rank_.as_number()));
    if (!upper_percentile_.is_null()) upper = static_cast<int64_t>(upper_percentile_.as_number() * n);
    if (!upper_rank_.is_null()) upper = std::min(upper, static_cast<int64_t>(upper_rank_.as_number()));
    upper = std::max(lower, upper);
    std::vector<uint32_t> smallest = StableOrder(keys, all, /*descending=*/false);
    smallest.resize(std::min<size_t>(n, static_cast<size_t>(upper)));
    sel.order = StableOrder(keys, smallest, /*descending=*/true);
    sel.order.resize(std::min<size_t>(sel.order.size(), static_cast<size_t>(upper - lower)));
    return sel;
  }

 private:
  std::string field_key_;
  json::Value lower_percentile_, upper_percentile_, lower_rank_, upper_rank_;
};

}  // namespace

void RegisterRangeSpecifiedFieldSelector(Registry& r) {
  r.Add({"range_specified_field_selector", OpKind::kSelector,
         "Select samples whose rank by a field lies within [lower, upper) (percentiles and/or ranks).",
         {StringParam("field_key", "", "field to rank by; dots address nested fields"),
          Optional(Range(FloatParam("lower_percentile", 0, "lower bound as a share of the dataset"), 0, 1)),
          Optional(Range(FloatParam("upper_percentile", 0, "upper bound as a share of the dataset"), 0, 1)),
          Optional(Range(IntParam("lower_rank", 0, "lower bound as a rank"), 0, std::nullopt, true)),
          Optional(Range(IntParam("upper_rank", 0, "upper bound as a rank"), 0, std::nullopt, true))},
         {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<RangeSpecifiedFieldSelector>(p, e); }});
}

void RegisterRandomSelector(Registry& r);
void RegisterTopkSpecifiedFieldSelector(Registry& r);
void RegisterFrequencySpecifiedFieldSelector(Registry& r);
void RegisterTagsSpecifiedFieldSelector(Registry& r);

void RegisterSelectOps(Registry& r) {
  RegisterRandomSelector(r);
  RegisterTopkSpecifiedFieldSelector(r);
  RegisterFrequencySpecifiedFieldSelector(r);
  RegisterTagsSpecifiedFieldSelector(r);
  RegisterRangeSpecifiedFieldSelector(r);
}

}  // namespace winnow
