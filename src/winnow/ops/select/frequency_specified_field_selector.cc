// frequency_specified_field_selector: groups samples by a field's value and keeps the most (or
// least, reverse: false) frequent values' samples: the top top_ratio share of distinct values,
// capped by topk. Output follows DJ: group by group (largest first, ties in first-seen order),
// each group's samples in input order.
#include <algorithm>
#include <unordered_map>

#include "winnow/ops/registry.h"
#include "winnow/ops/select/field_scalar.h"
#include "winnow/ops/select/field_selector.h"

namespace winnow {
namespace {

class FrequencySpecifiedFieldSelector : public Selector {
 public:
  FrequencySpecifiedFieldSelector(const Params& p, const OpEnv& env)
      : Selector("frequency_specified_field_selector", p, env),
        field_key_(p.String("field_key")),
        top_ratio_(p.Get("top_ratio")),
        topk_(p.Get("topk")),
        reverse_(p.Bool("reverse")) {}

  Status ComputeKey(Sample& s, GlobalKey* key) const override {
    if (field_key_.empty()) return Status::Ok();
    return ScalarFieldKey(s, field_key_, &key->str);
  }

  Selection Select(const std::vector<GlobalKey>& keys) const override {
    Selection sel;
    size_t n = keys.size();
    auto all = [&] {
      for (uint32_t i = 0; i < n; ++i) sel.order.push_back(i);
      return sel;
    };
    if (n <= 1 || field_key_.empty()) return all();
    std::vector<std::vector<uint32_t>> groups;  // in first-seen order
    std::unordered_map<std::string, size_t> index;
    for (uint32_t i = 0; i < n; ++i) {
      auto [it, fresh] = index.emplace(keys[i].str, groups.size());
      if (fresh) groups.emplace_back();
      groups[it->second].push_back(i);
    }
    std::optional<size_t> take = TopCount(top_ratio_, topk_, groups.size());  // of the distinct values
    if (!take) return all();
    std::stable_sort(groups.begin(), groups.end(), [&](const auto& a, const auto& b) {
      return reverse_ ? a.size() > b.size() : a.size() < b.size();
    });
    for (size_t g = 0; g < *take; ++g) sel.order.insert(sel.order.end(), groups[g].begin(), groups[g].end());
    return sel;
  }

 private:
  std::string field_key_;
  json::Value top_ratio_, topk_;
  bool reverse_;
};

}  // namespace

void RegisterFrequencySpecifiedFieldSelector(Registry& r) {
  r.Add({"frequency_specified_field_selector", OpKind::kSelector,
         "Select the samples of the most frequent values of a field (top_ratio of the values, capped by topk).",
         {StringParam("field_key", "", "field to group by; dots address nested fields (meta.domain)"),
          Optional(Range(FloatParam("top_ratio", 0, "share of the distinct values to keep"), 0, 1)),
          Optional(Range(IntParam("topk", 0, "number of distinct values to keep"), 0, std::nullopt, true)),
          BoolParam("reverse", true, "most frequent first (false: least frequent)")},
         {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<FrequencySpecifiedFieldSelector>(p, e); }});
}

}  // namespace winnow
