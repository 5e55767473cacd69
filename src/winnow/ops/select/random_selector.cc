// random_selector: keeps a random subset of select_num samples (or select_ratio of them, capped
// by select_num). DJ's subset comes from HF datasets' shuffle(seed=42); Winnow draws its own
// deterministic subset (seed 42, a portable generator) and keeps it in input order, so the count
// matches DJ but not the exact members. As in DJ, a count of 0 keeps everything and a count
// above the dataset size repeats samples.
#include <algorithm>

#include "winnow/core/seeded_sample.h"
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

class RandomSelector : public Selector {
 public:
  RandomSelector(const Params& p, const OpEnv& env)
      : Selector("random_selector", p, env), ratio_(p.Get("select_ratio")), num_(p.Get("select_num")) {}

  Status ComputeKey(Sample&, GlobalKey*) const override { return Status::Ok(); }

  Selection Select(const std::vector<GlobalKey>& keys) const override {
    size_t n = keys.size();
    Selection sel;
    std::vector<uint32_t> all = SeededSample(n, n, 42);
    if (n <= 1 || (ratio_.is_null() && num_.is_null())) {
      sel.order = std::move(all);
      return sel;
    }
    size_t want;
    if (ratio_.is_null() || ratio_.as_number() == 0) {
      want = static_cast<size_t>(num_.as_number());
    } else {
      want = static_cast<size_t>(ratio_.as_number() * static_cast<double>(n));
      if (!num_.is_null() && num_.as_number() < static_cast<double>(want)) want = static_cast<size_t>(num_.as_number());
    }
    // DJ's random_sample(): 0 means "everything"; more than n repeats whole copies, then a subset.
    if (want == 0 || want == n) {
      sel.order = std::move(all);
      return sel;
    }
    size_t repeats = (want + n - 1) / n - 1;
    for (size_t r = 0; r < repeats; ++r) sel.order.insert(sel.order.end(), all.begin(), all.end());
    std::vector<uint32_t> rest = SeededSample(n, want - repeats * n, 42);
    sel.order.insert(sel.order.end(), rest.begin(), rest.end());
    return sel;
  }

 private:
  json::Value ratio_, num_;
};

}  // namespace

void RegisterRandomSelector(Registry& r) {
  r.Add({"random_selector", OpKind::kSelector,
         "Randomly select select_num samples, or select_ratio of the dataset (capped by select_num).",
         {Optional(Range(FloatParam("select_ratio", 0, "ratio of samples to keep"), 0, 1)),
          Optional(Range(IntParam("select_num", 0, "number of samples to keep"), 0, std::nullopt, true))},
         {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<RandomSelector>(p, e); }});
}

}  // namespace winnow
