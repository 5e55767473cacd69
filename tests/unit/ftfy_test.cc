// The ftfy port (ops/text/ftfy) against ftfy 6.3.1 itself: tests/data/ftfy_cases.jsonl holds
// hand-picked and seeded-random texts (mojibake in every supported encoding, CESU-8, HTML
// entities, control characters, all four normalization forms, long multi-line documents and
// lines past max_decode_length) with the outputs Python's ftfy gave for them
// (scripts/gen_ftfy_tables.py writes the file).
#include "winnow/ops/text/ftfy/ftfy.h"

#include <gtest/gtest.h>

#include "test_support.h"

#include <fstream>
#include <thread>

#include "winnow/core/json.h"
#include "winnow/ops/text/ftfy/badness_matcher.h"
#include "winnow/ops/text/ftfy/ftfy_internal.h"

namespace winnow::ftfy {
namespace {

struct Case {
  std::string name, fn, normalization, text;
  json::Value expect;  // a string, or a bool for is_bad
  std::string expect_text;
};

// A "text" string, or "<key>_parts": [[piece, count], ...] concatenated.
std::string TextOf(const json::Value& v, const std::string& key) {
  if (const json::Value* t = v.Find(key)) return t->as_string();
  std::string out;
  for (const auto& part : v.Find(key + "_parts")->as_array()) {
    const auto& pc = part.as_array();
    for (int i = 0; i < static_cast<int>(pc[1].as_number()); ++i) out += pc[0].as_string();
  }
  return out;
}

std::vector<Case> LoadCases() {
  std::ifstream f(std::string(WINNOW_SOURCE_DIR) + "/tests/data/ftfy_cases.jsonl");
  EXPECT_TRUE(f.good());
  std::vector<Case> cases;
  std::string line;
  while (std::getline(f, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto v = json::Parse(line);
    EXPECT_TRUE(v.ok()) << line.substr(0, 200);
    if (!v.ok()) continue;
    Case c;
    c.name = v->Find("name")->as_string();
    c.fn = v->Find("fn")->as_string();
    if (const json::Value* n = v->Find("normalization")) c.normalization = n->as_string();
    c.text = TextOf(*v, "text");
    if (const json::Value* e = v->Find("expect")) {
      c.expect = *e;
      if (c.fn != "is_bad") c.expect_text = e->as_string();
    } else {
      c.expect_text = TextOf(*v, "expect");
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

Normalization NormOf(const std::string& s) {
  if (s == "NFD") return Normalization::kNFD;
  if (s == "NFKC") return Normalization::kNFKC;
  if (s == "NFKD") return Normalization::kNFKD;
  return Normalization::kNFC;
}

// Empty if the case passes, else what went wrong.
std::string Check(const Case& c) {
  if (c.fn == "is_bad") {
    bool got = IsBad(c.text);
    return got == c.expect.as_bool() ? "" : std::string("is_bad = ") + (got ? "true" : "false");
  }
  std::string got;
  if (c.fn == "fix_text") {
    got = FixText(c.text, NormOf(c.normalization));
    std::string out;
    bool changed = FixTextChanged(c.text, NormOf(c.normalization), &out);
    if (changed != (c.expect_text != c.text)) return "FixTextChanged disagrees about a change";
    if (changed && out != got) return "FixTextChanged differs from FixText";
  } else if (c.fn == "fix_encoding") {
    got = FixEncoding(c.text);
  } else if (c.fn == "unescape_html") {
    got = UnescapeHtml(c.text);
  } else {
    return "unknown fn " + c.fn;
  }
  if (got == c.expect_text) return "";
  size_t i = 0;
  while (i < got.size() && i < c.expect_text.size() && got[i] == c.expect_text[i]) ++i;
  size_t from = i > 40 ? i - 40 : 0;
  return "differs at byte " + std::to_string(i) + "\n  got:    " + got.substr(from, 120) +
         "\n  expect: " + c.expect_text.substr(from, 120);
}

TEST(Ftfy, MatchesPythonFtfy) {
  std::vector<Case> cases = LoadCases();
  ASSERT_GT(cases.size(), 1000u);
  int failures = 0;
  for (const Case& c : cases) {
    std::string err = Check(c);
    if (!err.empty() && ++failures <= 20) ADD_FAILURE() << c.name << ": " << err;
  }
  EXPECT_EQ(failures, 0) << "of " << cases.size() << " cases";
}

// IsBad searches only windows around clue characters, and in them tries the anchored pattern
// only near non-ASCII characters: it must agree with a plain search of BADNESS_RE over the whole
// text. Random texts from ASCII and from characters the pattern's classes name.
TEST(Ftfy, IsBadEqualsSearchingTheWholeText) {
  const char32_t kPool[] = {
      'a', 'e', 'z', 'A', 'Q', ' ', ' ', '.', ',', '?', '!', '\n', '\t', '1', '-', '(', 0x80, 0x9D, 0xA0,
      0xA2, 0xA9, 0xAD, 0xAE, 0xB0, 0xB2, 0xB7, 0xBB, 0xBF, 0xC2, 0xC3, 0xC4, 0xC9, 0xCE, 0xD0, 0xD7,
      0xD8, 0xD9, 0xDF, 0xE0, 0xE2, 0xE9, 0xEC, 0xF3, 0xF7, 0x152, 0x153, 0x160, 0x178, 0x192, 0x2C6,
      0x2DC, 0x386, 0x392, 0x3B2, 0x3C0, 0x402, 0x412, 0x413, 0x420, 0x432, 0x45E, 0x2013, 0x2014,
      0x2018, 0x2019, 0x201A, 0x201C, 0x201D, 0x2020, 0x2022, 0x2026, 0x2030, 0x203A, 0x20AC, 0x2122,
      0x2202, 0x221A, 0x2248, 0x2260, 0x2264, 0x2502, 0x2550, 0x2591, 0x25CA, 0x3000, 0xFFFD, 0x4E2D};
  const internal::Pattern& re = internal::Pattern::Get(internal::Pattern::kBadness);
  testing::XorShift64 next(88172645463325252ull);
  size_t bad = 0;
  for (int t = 0; t < 200000; ++t) {
    std::string text;
    const size_t len = 1 + next() % 24;
    const size_t ascii_share = next() % 4;  // some texts mostly ASCII, some mostly not
    for (size_t i = 0; i < len; ++i) {
      const size_t n = sizeof(kPool) / sizeof(kPool[0]);
      const char32_t c = next() % 4 < ascii_share ? kPool[next() % 16] : kPool[next() % n];
      if (c < 0x80) {
        text.push_back(static_cast<char>(c));
      } else if (c < 0x800) {
        text.push_back(static_cast<char>(0xC0 | (c >> 6)));
        text.push_back(static_cast<char>(0x80 | (c & 0x3F)));
      } else {
        text.push_back(static_cast<char>(0xE0 | (c >> 12)));
        text.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        text.push_back(static_cast<char>(0x80 | (c & 0x3F)));
      }
    }
    const bool want = re.Search(text);
    bad += want;
    ASSERT_EQ(IsBad(text), want) << text;
  }
  EXPECT_GT(bad, 20000u);  // both outcomes are well covered
  EXPECT_LT(bad, 180000u);
}

// The matcher takes only the regex subset the generated pattern uses, and says why otherwise.
TEST(Ftfy, BadnessMatcherRefusesOtherSyntax) {
  std::string why;
  for (const char* p : {"(?:a)", "(?:[\\x{41}]+)", "(?:\\w)", "(?:[\\x{42}-\\x{41}])", "(?:\\A?)", "(?:|\\x{41})",
                        "(?:\\x{41})x", "[\\x{41}]", "(?:[])", "(?:\\x{110000})"}) {
    why.clear();
    EXPECT_EQ(internal::BadnessMatcher::Parse(p, &why), nullptr) << p;
    EXPECT_FALSE(why.empty()) << p;
  }
  auto m = internal::BadnessMatcher::Parse("(?:\\A\\x{41}|[\\x{61}-\\x{63}][^\\x{A}]?\\x{FFFD})", &why);
  ASSERT_NE(m, nullptr) << why;
  EXPECT_TRUE(m->MatchAt("A", 0, 1));
  EXPECT_FALSE(m->MatchAt("xA", 1, 2));  // \A is the text's start only
  EXPECT_TRUE(m->MatchAt("b\xEF\xBF\xBD", 0, 4));
  EXPECT_TRUE(m->MatchAt("bz\xEF\xBF\xBD", 0, 5));
  EXPECT_FALSE(m->MatchAt("b\n\xEF\xBF\xBD", 0, 5));
  EXPECT_FALSE(m->MatchAt("bz\xEF\xBF\xBD", 0, 4));  // the match must end by `end`
}

TEST(Ftfy, ThreadSafe) {
  std::vector<Case> cases = LoadCases();
  std::vector<int> failures(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = t; i < cases.size(); i += 2)  // every case runs on two threads at once
        if (cases[i].text.size() < 100000 && !Check(cases[i]).empty()) ++failures[t];
    });
  }
  for (auto& th : threads) th.join();
  for (int f : failures) EXPECT_EQ(f, 0);
}

TEST(Ftfy, CleanTextIsNotCopied) {
  std::string out = "untouched";
  EXPECT_FALSE(FixTextChanged("Plain text.\nSecond line, 中文, café, naïve.\n", Normalization::kNFC, &out));
  EXPECT_FALSE(FixTextChanged("", Normalization::kNFKD, &out));
  EXPECT_EQ(out, "untouched");
  EXPECT_TRUE(FixTextChanged("It’s", Normalization::kNFC, &out));
  EXPECT_EQ(out, "It's");
}

TEST(Ftfy, InvalidUtf8IsReadWithReplacementCharacters) {
  // As Python's bytes.decode("utf-8", errors="replace") would, before fix_text runs.
  EXPECT_EQ(FixText("a\xFF" "b", Normalization::kNFC), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(FixText("\xE2\x82" "x \xC3", Normalization::kNFC), "\xEF\xBF\xBDx \xEF\xBF\xBD");
  EXPECT_EQ(FixText("\xED\xA0\x80!", Normalization::kNFC), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD!");
}

}  // namespace
}  // namespace winnow::ftfy
