// The HTML ops on hostile input: absurd nesting is quarantined with a reason, quickly, instead
// of exhausting memory or time; the bs4-style tree builds what DJ's code sees.
#include <gtest/gtest.h>

#include "test_support.h"
#include "winnow/ops/text/html_tree.h"
#include "winnow/ops/text/soup_html.h"

namespace winnow::testing {
namespace {

TEST(HtmlNesting, EstimateCountsOnlyNestingTags) {
  EXPECT_EQ(EstimateNestingDepth("<div><div></div><span>x</span></div>"), 2u);
  EXPECT_EQ(EstimateNestingDepth("<p>a<p>b<p>c<br><img src=x>"), 0u);  // implicitly closed / void
  EXPECT_EQ(EstimateNestingDepth("a < b and c<d"), 1u);
  EXPECT_EQ(EstimateNestingDepth(""), 0u);
}

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST(HtmlNesting, DeepDocumentsAreQuarantinedNotFatal) {
  TempDir dir;
  std::string deep = Repeat("<div>", 30000) + "x";
  WriteFile(dir.File("in.jsonl"), "{\"text\": \"" + deep + "\"}\n{\"text\": \"<b>ok</b>\"}\n");
  for (const char* op : {"clean_html_mapper", "extract_tables_from_html_mapper"}) {
    std::string tables = Repeat("<table><tr><td>", 5000);
    if (std::string(op) == "extract_tables_from_html_mapper")
      WriteFile(dir.File("in.jsonl"), "{\"text\": \"" + tables + "\"}\n{\"text\": \"<b>ok</b>\"}\n");
    auto ledger = RunYaml("dataset_path: " + dir.File("in.jsonl") + "\nexport_path: " + dir.File("out/out.jsonl") +
                          "\nprocess:\n  - " + op + ":\n");
    ASSERT_TRUE(ledger.ok()) << ledger.status().message();
    EXPECT_EQ(ledger->quarantined, 1u) << op;
    EXPECT_EQ(ledger->output_records, 1u) << op;
    EXPECT_NE(ReadFile(dir.File("out/quarantine.jsonl")).find("deep"), std::string::npos) << op;
  }
}

TEST(HtmlBodyText, FastPathEqualsTheParser) {
  // Texts without '<', '&', '\r' or NUL skip gumbo; the result must be what gumbo gives.
  const std::string alphabet[] = {"a", "Z", " ", "\t", "\n", "\f", "\v", "\u00a0", "\u3000", "\u00e9", "x y",
                                  ">", "\"", "'", "=", ";", "#", "/", "\U0001F600", "\u2028", "--", "!", "\u0085", "\x01", "\x7f", "\ufdd0", "\uffff"};
  uint64_t state = 42;
  for (int round = 0; round < 3000; ++round) {
    std::string s;
    int len = static_cast<int>(state % 12);
    for (int i = 0; i < len; ++i) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      s += alphabet[(state >> 33) % (sizeof alphabet / sizeof alphabet[0])];
    }
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    ASSERT_EQ(HtmlBodyText(s), HtmlBodyTextParsed(s)) << "input: '" << s << "'";
  }
  EXPECT_EQ(HtmlBodyText("a &amp; b"), "a & b");  // references still go through the parser
}

TEST(SoupDocument, BuildsTheTreeBs4Builds) {
  soup::Document d("<TABLE class='a  b'><tr><td>x &amp; y<td>z</table>tail");
  auto tables = d.FindAll(d.root(), "table");
  ASSERT_EQ(tables.size(), 1u);
  auto rows = d.FindAll(tables[0], "tr");
  ASSERT_EQ(rows.size(), 1u);
  // The unclosed <td> nests the next one (html.parser + bs4), so the row has one direct cell.
  auto cells = d.Children(rows[0], {"td", "th"});
  ASSERT_EQ(cells.size(), 1u);
  EXPECT_EQ(d.StrippedText(cells[0]), "x & yz");
  EXPECT_EQ(d.Serialize(tables[0]), "<table class=\"a b\"><tr><td>x &amp; y<td>z</td></td></tr></table>");
}

}  // namespace
}  // namespace winnow::testing
