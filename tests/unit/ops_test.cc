// Op-level behaviour not covered by the golden files: whole-dataset selection paths and the
// registry's self-description.
#include <gtest/gtest.h>

#include "winnow/ops/registry.h"
#include "winnow/recipe/recipe.h"

namespace winnow {
namespace {

std::unique_ptr<Op> MakeOp(const std::string& name, const char* params = "{}") {
  auto cfg = MakeOpConfig(name, *json::Parse(params));
  EXPECT_TRUE(cfg.ok()) << cfg.status().message();
  return cfg->info->factory(cfg->params, OpEnv{});
}

TEST(DocumentDeduplicator, WholeDatasetSelectionMatchesStreaming) {
  auto op = MakeOp("document_deduplicator");
  auto* g = static_cast<const GlobalOp*>(op.get());
  std::vector<GlobalKey> keys(5);
  keys[0].h[0] = 1; keys[1].h[0] = 2; keys[2].h[0] = 1; keys[3].h[0] = 3; keys[4].h[0] = 2;
  Selection sel = g->Select(keys);
  EXPECT_EQ(sel.order, (std::vector<uint32_t>{0, 1, 3}));
  EXPECT_EQ(sel.duplicate_of[2], 0u);
  EXPECT_EQ(sel.duplicate_of[4], 1u);
  EXPECT_EQ(sel.duplicate_of[0], Selection::kNone);
  auto decider = g->MakeStreamDecider();
  ASSERT_NE(decider, nullptr);
  RowId first;
  EXPECT_TRUE(decider->Admit(keys[0], RowId{0, 1}, &first));
  EXPECT_FALSE(decider->Admit(keys[2], RowId{0, 3}, &first));
  EXPECT_EQ(first.line, 1u);
}

TEST(Registry, DescribesEveryOpWithDefaultsAndStatKeys) {
  const Registry& reg = Registry::Builtin();
  for (const auto& o : reg.ops()) EXPECT_FALSE(o.doc.empty()) << o.name;
  const OpInfo* f = reg.Find("character_repetition_filter");
  ASSERT_NE(f, nullptr);
  std::string d = DescribeOp(*f);
  EXPECT_NE(d.find("rep_len: int = 10"), std::string::npos) << d;
  EXPECT_NE(d.find("stats: char_rep_ratio"), std::string::npos) << d;
  auto all = Registry::AllParams(*f);
  bool has_reversed = false, has_text_key = false;
  for (const auto* p : all) {
    has_reversed |= p->name == "reversed_range";
    has_text_key |= p->name == "text_key";
  }
  EXPECT_TRUE(has_reversed && has_text_key);
  EXPECT_NE(DescribeOp(*reg.Find("text_length_filter")).find("max_len: int = sys.maxsize"), std::string::npos);
}

TEST(Selectors, RandomSelectorIsDeterministicAndSized) {
  auto op = MakeOp("random_selector", R"({"select_num": 3})");
  auto* g = static_cast<const GlobalOp*>(op.get());
  std::vector<GlobalKey> keys(10);
  Selection a = g->Select(keys), b = g->Select(keys);
  EXPECT_EQ(a.order.size(), 3u);
  EXPECT_EQ(a.order, b.order);
  EXPECT_TRUE(std::is_sorted(a.order.begin(), a.order.end()));
}

}  // namespace
}  // namespace winnow
