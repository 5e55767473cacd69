// naive_grouper: the whole dataset becomes one batched sample ({field: [all values]}).
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

class NaiveGrouper : public Grouper {
 public:
  using Grouper::Grouper;
  Status ComputeKey(Sample&, GlobalKey*) const override { return Status::Ok(); }
  std::vector<std::vector<uint32_t>> Group(const std::vector<GlobalKey>& keys) const override {
    if (keys.empty()) return {};
    std::vector<uint32_t> all(keys.size());
    for (uint32_t i = 0; i < all.size(); ++i) all[i] = i;
    return {std::move(all)};
  }
};

}  // namespace

void RegisterNaiveGrouper(Registry& r) {
  r.Add({"naive_grouper", OpKind::kGrouper, "Group all samples into one batched sample.", {}, {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<NaiveGrouper>("naive_grouper", p, e); }});
}

}  // namespace winnow
