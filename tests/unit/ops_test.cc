// Op-level behaviour not covered by the golden files: whole-dataset selection paths and the
// registry's self-description.
#include <gtest/gtest.h>

#include "winnow/core/json.h"
#include "winnow/core/sample.h"
#include "winnow/core/unicode.h"
#include "winnow/ops/registry.h"
#include "winnow/ops/text/regex_mapper.h"
#include "winnow/recipe/recipe.h"

namespace winnow {
namespace {

std::unique_ptr<Op> MakeOp(const std::string& name, const char* params = "{}") {
  auto cfg = MakeOpConfig(name, *json::Parse(params));
  EXPECT_TRUE(cfg.ok()) << cfg.status().message();
  return cfg->info->factory(cfg->params, OpEnv{});
}

// A mapper's output text for a record {"text": t} ("<error: ...>" if it fails).
std::string MapText(const Op& op, const std::string& t) {
  Sample s;
  std::string record = "{\"text\": ";
  json::AppendString(t, &record);
  record += "}";
  if (Status st = s.Init(record, RowId{0, 1}, ""); !st.ok()) return "<error: " + st.message() + ">";
  if (Status st = static_cast<const Mapper&>(op).Map(s); !st.ok()) return "<error: " + st.message() + ">";
  auto got = s.Text("text");
  return got.ok() ? std::string(*got) : "<error: " + got.status().message() + ">";
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

// whitespace_normalization_mapper skips text 16 bytes at a time to the next '\t' or lead byte
// C2, E2, E3 or EF: the set's other members must start with one of those.
TEST(WhitespaceNormalization, SetMembersStartWithTheScannedBytes) {
  for (uint32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (!unicode::Is(cp, unicode::kDjWhitespace)) continue;
    char b[4];
    unicode::WriteUtf8(cp, b);
    const auto lead = static_cast<unsigned char>(b[0]);
    EXPECT_TRUE(lead == '\t' || lead == ' ' || lead == 0xC2 || lead == 0xE2 || lead == 0xE3 || lead == 0xEF) << cp;
  }
}

// Long texts of Cyrillic, CJK, curly quotes and ASCII with each member of the set at every offset
// of the scan's steps, against the replacement written out plainly.
TEST(WhitespaceNormalization, LongMixedTextsMatchAPlainReplacement) {
  auto op = MakeOp("whitespace_normalization_mapper");
  auto reference = [](const std::string& t) {
    const std::string_view stripped = unicode::PyStrip(t);
    std::string out;
    for (const char* p = stripped.data(); p < stripped.data() + stripped.size();) {
      const char* start = p;
      const uint32_t cp = unicode::DecodeUtf8(p);
      if (unicode::Is(cp, unicode::kDjWhitespace)) out.push_back(' ');
      else out.append(start, p);
    }
    return out;
  };
  const std::vector<std::string> members = {"\t", "\u00a0", "\u0084", "\u2002", "\u200b", "\u202f", "\u2060",
                                            "\u3000", "\ufffc"};
  const std::vector<std::string> fillers = {"\u0439\u0446", "\u4e2d\u6587", "\u201cq\u201d", "abc", "\u00e9"};
  size_t changed = 0;
  for (size_t m = 0; m < members.size(); ++m)
    for (size_t offset = 0; offset < 80; ++offset) {
      std::string t = "x";
      for (size_t i = 0; t.size() < offset / 2; ++i) t += fillers[(i + m) % fillers.size()];
      t += members[m];
      // Every other text ends right after the member: the scan's last 16-byte step may have
      // stopped inside a character before it.
      if (offset % 2 == 0)
        for (size_t i = 0; i < 6; ++i) t += fillers[(i + offset) % fillers.size()];
      t += "y";
      const std::string got = MapText(*op, t);
      ASSERT_EQ(got, reference(t)) << "member " << m << " offset " << offset;
      changed += got != t;
    }
  EXPECT_EQ(changed, members.size() * 80);  // every text held a member
  // Two- and three-byte characters right before a member at the end, at every alignment.
  for (const std::string& member : members)
    for (const std::string wide : {"\u0439", "\u4e2d"})
      for (size_t k = 0; k < 18; ++k)
        for (size_t n = 0; n < 21; ++n) {
          std::string t = "x" + std::string(k, 'a');
          for (size_t i = 0; i < n; ++i) t += wide;
          t += member + "y";
          ASSERT_EQ(MapText(*op, t), reference(t)) << k << " " << n << " " << wide;
        }
}

// punctuation_normalization_mapper's 16-byte scan: mapped characters (and unmapped ones with the
// same lead bytes) among Cyrillic, CJK and ASCII, at every alignment, against a plain replacement.
TEST(PunctuationNormalization, LongMixedTextsMatchAPlainReplacement) {
  auto op = MakeOp("punctuation_normalization_mapper");
  const std::vector<std::pair<std::string, std::string>> mapped = {
      {"\u201c", "\""}, {"\u201d", "\""}, {"\u2019", "'"}, {"\u3002", "."}, {"\uff0c", ","},
      {"\u2026", "..."}, {"\u00ab", "\""}, {"\u2014", " - "}, {"\u25ba", "-"}};
  const std::vector<std::string> unmapped = {"\u00a9", "\u2022", "\u3042", "\uff21", "\u0439", "\u4e2d", "ab"};
  auto reference = [&](std::string t) {
    for (const auto& [from, to] : mapped)
      for (size_t at = t.find(from); at != std::string::npos; at = t.find(from, at + to.size())) t.replace(at, from.size(), to);
    return t;
  };
  size_t checked = 0;
  for (size_t m = 0; m < mapped.size(); ++m)
    for (size_t k = 0; k < 18; ++k)
      for (size_t n = 0; n < 12; ++n) {
        std::string t = std::string(k, 'a');
        for (size_t i = 0; i < n; ++i) t += unmapped[(i + m + k) % unmapped.size()];
        t += mapped[m].first;
        if (n % 2) t += unmapped[n % unmapped.size()] + mapped[(m + 1) % mapped.size()].first + "z";
        if (k % 2) t += std::string(20, 'z');  // the mapped characters then sit inside a 16-byte step
        ASSERT_EQ(MapText(*op, t), reference(t)) << m << " " << k << " " << n;
        ++checked;
      }
  EXPECT_EQ(checked, mapped.size() * 18 * 12);
}

// clean_links_mapper looks for links only in tokens around ':', '/' or "www" (any case). Given
// DJ's pattern explicitly, the op runs the regex over the whole text instead: both must remove
// the same spans, for links of every kind, at the start, middle and end of short and long texts.
TEST(CleanLinks, TokenAnchorsFindWhatTheWholeTextRegexFinds) {
  auto fast = MakeOp("clean_links_mapper");
  std::string with_pattern = "{\"pattern\": ";
  json::AppendString(CleanLinksDefaultPattern(), &with_pattern);
  with_pattern += "}";
  auto full = MakeOp("clean_links_mapper", with_pattern.c_str());
  const std::vector<std::string> links = {"https://example.com/a?b=1", "WWW.Example.org", "www3.test.net/x",
                                          "ftp:files", "mailto:someone", "example.co/path", "sub.domain.info/",
                                          "Wwwfoo.com/", "no.link.here", "a:b", "x/y", "end.", "http://[bad",
                                          "\u4e2d\u6587.com/\u4e2d"};
  const std::vector<std::string> fillers = {"Some text, with words.", "\u4e2d\u6587\u5b57", "(paren)", "k\u212a"};
  size_t removed = 0;
  for (size_t l = 0; l < links.size(); ++l)
    for (size_t form = 0; form < 6; ++form) {
      std::string t;
      if (form & 1) t += fillers[l % fillers.size()] + " " + fillers[(l + 1) % fillers.size()] + " ";
      t += links[l];
      if (form & 2) t += " " + fillers[(l + 2) % fillers.size()] + " " + links[(l + 3) % links.size()];
      if (form & 4) t += "\n" + std::string(40, 'z') + " " + fillers[(l + 3) % fillers.size()];
      const std::string want = MapText(*full, t);
      ASSERT_EQ(MapText(*fast, t), want) << t;
      removed += want != t;
    }
  EXPECT_GT(removed, links.size() * 3);  // most texts held a link
}

}  // namespace
}  // namespace winnow
