// The PunktTrainer port and the parameter file format. Expected values come from python3-nltk
// 3.8 (the oracle), run on the same text:
//   t = PunktTrainer(); t.train(kCorpus * 8, finalize=False); t.finalize_training()
//   sorted(t.get_params().abbrev_types), ..., PunktSentenceTokenizer(params).tokenize(...)
// The full-size checks (identical parameter sets on the Debian-documentation corpora, identical
// sentence splits with those parameters) are bench/punkt/compare_nltk.py.
#include "winnow/core/punkt.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "winnow/core/nltk_tokenize.h"

namespace winnow::nltk {
namespace {

constexpr const char* kCorpus =
    "Dr. Smith met Mr. Jones at the bank. They talked about the weather etc. and left.\n"
    "Prof. Brown arrived late. He was tired. Mr. Jones said hello. Dr. Smith smiled.\n"
    "The U.S. economy grew by 3 per cent. In Jan. the results came in. J. Bach wrote music.\n"
    "\n"
    "Mr. Jones went home. Dr. Brown did too. They met again in Feb. and talked.\n";

std::vector<std::string> Sorted(const std::unordered_set<std::string>& s) {
  std::vector<std::string> v(s.begin(), s.end());
  std::sort(v.begin(), v.end());
  return v;
}

PunktParams TrainSmall() {
  std::string text;
  for (int i = 0; i < 8; ++i) text += kCorpus;
  PunktTrainer t;
  t.Train(text);
  t.Finalize();
  return t.params();
}

TEST(PunktTrainer, MatchesNltkOnSmallCorpus) {
  PunktParams p = TrainSmall();
  EXPECT_EQ(Sorted(p.abbrev_types),
            (std::vector<std::string>{"dr", "etc", "feb", "j", "jan", "mr", "too", "u.s"}));
  EXPECT_TRUE(p.collocations.empty());
  EXPECT_TRUE(p.sent_starters.empty());
  // A few of nltk's ortho_context values (32 = MID_LC, 8 = UNK_UC, 10 = BEG_UC|UNK_UC).
  EXPECT_EQ(p.Ortho("about"), 32);
  EXPECT_EQ(p.Ortho("and"), 64);
  EXPECT_EQ(p.Ortho("bach"), 8);
  EXPECT_EQ(p.Ortho("brown"), 10);
}

TEST(PunktTrainer, TrainedParamsChangeSentenceSplits) {
  PunktParams p = TrainSmall();
  std::string text = "Dr. Smith arrived. Mr. Jones left etc. and more. He went.";
  EXPECT_EQ(SentTokenize(text, &p),
            (std::vector<std::string>{"Dr. Smith arrived.", "Mr. Jones left etc. and more.", "He went."}));
  // Untrained Punkt breaks after every abbreviation.
  EXPECT_EQ(SentTokenize(text).size(), 6u);
}

TEST(PunktParams, SerializeParseRoundTrip) {
  PunktParams p = TrainSmall();
  p.collocations.insert("s\tbach");
  p.sent_starters.insert("however");
  std::string text = p.Serialize("lang: xx");
  auto back = PunktParams::Parse(text, "mem");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(Sorted(back->abbrev_types), Sorted(p.abbrev_types));
  EXPECT_EQ(Sorted(back->collocations), Sorted(p.collocations));
  EXPECT_EQ(Sorted(back->sent_starters), Sorted(p.sent_starters));
  EXPECT_EQ(back->ortho_context, p.ortho_context);
  EXPECT_EQ(back->Serialize("lang: xx"), text);  // deterministic
}

TEST(PunktParams, BadFilesAreClearErrors) {
  auto r = PunktParams::Parse("abbrev\tdr\northo\tthe\tx\n", "en.punkt");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("en.punkt:2"), std::string::npos) << r.status().message();
  EXPECT_FALSE(PunktParams::Parse("colloc\tonly-one\n", "f").ok());
  EXPECT_FALSE(PunktParams::Parse("abbrev\t\n", "f").ok());
  EXPECT_FALSE(PunktParams::Parse("abbrev\t\xff\n", "f").ok());
  auto missing = PunktParams::Load("/nonexistent/zz.punkt");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("/nonexistent/zz.punkt"), std::string::npos);
}

TEST(PunktParams, ShippedModelsLoad) {
  for (const char* lang : {"en", "fr", "pt", "es"}) {
    auto p = TrainedPunkt(lang);
    ASSERT_TRUE(p.ok()) << p.status().message();
    EXPECT_FALSE((*p)->abbrev_types.empty()) << lang;
    EXPECT_GT((*p)->ortho_context.size(), 1000u) << lang;
  }
  auto none = TrainedPunkt("zz");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("zz.punkt"), std::string::npos);
}

}  // namespace
}  // namespace winnow::nltk
