// topk_specified_field_selector: the top_ratio share (or topk, whichever is smaller) of samples
// ranked by a field's value, output in rank order as DJ does (heapq.nlargest / nsmallest, ties
// in input order).
#include <algorithm>
#include <numeric>

#include "winnow/ops/registry.h"
#include "winnow/ops/select/field_selector.h"

namespace winnow {

std::vector<uint32_t> StableOrder(const std::vector<GlobalKey>& keys, const std::vector<uint32_t>& subset,
                                  bool descending) {
  std::vector<uint32_t> order = subset;
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return descending ? keys[a].number > keys[b].number : keys[a].number < keys[b].number;
  });
  return order;
}

namespace {

class TopkSpecifiedFieldSelector : public Selector {
 public:
  TopkSpecifiedFieldSelector(const Params& p, const OpEnv& env)
      : Selector("topk_specified_field_selector", p, env),
        field_key_(p.String("field_key")),
        top_ratio_(p.Get("top_ratio")),
        topk_(p.Get("topk")),
        reverse_(p.Bool("reverse")) {}

  Status ComputeKey(Sample& s, GlobalKey* key) const override {
    // DJ compares a one-level field's raw values (strings compare as strings); dotted fields
    // go through stats_to_number.
    if (field_key_.find('.') == std::string::npos) {
      std::string raw;
      if (s.FieldRaw(field_key_, &raw) && json::TypeOf(raw) == json::Type::kString) {
        key->has_str = json::DecodeString(raw, &key->str).ok();
      }
    }
    return FieldNumberKey(s, field_key_, reverse_, key);
  }

  Selection Select(const std::vector<GlobalKey>& keys) const override {
    size_t n = keys.size();
    std::vector<uint32_t> all(n);
    std::iota(all.begin(), all.end(), 0);
    Selection sel;
    std::optional<size_t> count = TopCount(top_ratio_, topk_, n);
    if (n <= 1 || field_key_.empty() || !count) {
      sel.order = all;
      return sel;
    }
    size_t k = *count;
    bool all_strings = std::all_of(keys.begin(), keys.end(), [](const GlobalKey& g) { return g.has_str; });
    if (all_strings) {
      sel.order = all;
      std::stable_sort(sel.order.begin(), sel.order.end(), [&](uint32_t a, uint32_t b) {
        return reverse_ ? keys[a].str > keys[b].str : keys[a].str < keys[b].str;  // UTF-8 order = code point order
      });
    } else {
      sel.order = StableOrder(keys, all, reverse_);
    }
    sel.order.resize(k);
    return sel;
  }

 private:
  std::string field_key_;
  json::Value top_ratio_, topk_;
  bool reverse_;
};

}  // namespace

void RegisterTopkSpecifiedFieldSelector(Registry& r) {
  r.Add({"topk_specified_field_selector", OpKind::kSelector,
         "Select the top samples ranked by a field (top_ratio of the dataset, capped by topk).",
         {StringParam("field_key", "", "field to rank by; dots address nested fields (__dj__stats__.text_len)"),
          Optional(Range(FloatParam("top_ratio", 0, "share of samples to keep"), 0, 1)),
          Optional(Range(IntParam("topk", 0, "number of samples to keep"), 0, std::nullopt, true)),
          BoolParam("reverse", true, "rank descending (largest first)")},
         {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<TopkSpecifiedFieldSelector>(p, e); }});
}

}  // namespace winnow
