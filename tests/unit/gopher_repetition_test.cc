// gopher_repetition_filter on documents shorter than its longest duplicated n-gram (datatrove's
// dup_n_grams go up to 10 words), run on a thread of their own so that no earlier document has
// grown the per-thread tables: the n-gram spans of such a document must still be hashed within
// the powers computed for it (an out-of-range read here is what ASan would report). The top
// n-gram rules are off: with them, a document of under ten words never reaches the duplicate
// n-gram rules (its most frequent 2-gram alone is over 20% of its characters).
#include <gtest/gtest.h>

#include <thread>

#include "winnow/core/json.h"
#include "winnow/ops/registry.h"
#include "winnow/recipe/recipe.h"

namespace winnow {
namespace {

bool Keeps(const std::string& text) {
  auto cfg = MakeOpConfig("gopher_repetition_filter", *json::Parse(R"({"top_n_grams": []})"));
  EXPECT_TRUE(cfg.ok()) << cfg.status().message();
  auto op = cfg->info->factory(cfg->params, OpEnv{});
  const auto& f = static_cast<const Filter&>(*op);
  const std::string record = json::Value::Object({{"text", json::Value::String(text)}}).ToJson();  // the sample views it
  Sample s;
  EXPECT_TRUE(s.Init(record, RowId{0, 1}, "").ok());
  const Status st = f.ComputeStats(s);
  EXPECT_TRUE(st.ok()) << st.message();
  return f.Keep(s);
}

TEST(GopherRepetition, ShortDocumentsOnAFreshThread) {
  bool short_kept = false, repeated_kept = true, long_kept = false;
  std::thread([&] {
    short_kept = Keeps("Eight plainly different words stand right here alone");
    // 5-grams repeated back to back cover more than 15% of the characters (duplicated_5_n_grams).
    repeated_kept = Keeps("alpha beta gamma delta epsilon alpha beta gamma delta epsilon");
  }).join();
  std::thread([&] {
    std::string text;
    for (int i = 0; i < 400; ++i) text += "word" + std::to_string(i) + (i % 25 == 24 ? ".\n" : " ");
    long_kept = Keeps(text);
  }).join();
  EXPECT_TRUE(short_kept);
  EXPECT_FALSE(repeated_kept);
  EXPECT_TRUE(long_kept);
}

}  // namespace
}  // namespace winnow
