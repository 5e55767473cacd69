// The one-pass body-text extractor against gumbo (HtmlBodyTextParsed): whenever it answers,
// the answer must be byte-identical; hand-written cases also check that it does answer.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <set>

#include "winnow/core/json.h"
#include "winnow/ops/text/html_fast_text.h"
#include "winnow/ops/text/html_tree.h"

namespace winnow::testing {
namespace {

// Returns whether the fast path answered; fails the test if its answer differs from gumbo's.
bool Agrees(const std::string& html) {
  auto fast = HtmlBodyTextFast(html);
  if (!fast) return false;
  std::string parsed = HtmlBodyTextParsed(html);
  EXPECT_EQ(*fast, parsed) << "input: '" << html << "'";
  return *fast == parsed;
}

TEST(HtmlFastText, HandledCasesMatchGumbo) {
  const char* handled[] = {
      "<p>a</p>b",
      "  \n <p> x </p>\n",
      "<html><head><title>T &amp; t</title><meta charset=utf-8><style>p{}</style></head>  <body> hi </body></html>",
      "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0//EN\" \"x>y\"><p>a</p>",
      "<!doctype html>\n<html>\n<head>\n</head>\n<body>\nText\n</body>\n</html>\n",
      "<title>t</title> x",
      "<meta>  x",
      "<link rel=x>\n<script>var a = '<b>';</script>\ntext",
      "</head>  \n x",
      "<head></head><script>s</script> y",
      "</br> a",
      "</body>  a",
      "</p>  a",
      "<div>a<!-- c -->b<!---->c<!-- a - b -- c --->d</div>",
      "a <? pi ?> b <!x> c </1> d </> e",
      "a < b <3 <= 4 a<-b",
      "x &amp; &lt; &gt; &quot; &apos; &nbsp; &copy; &#65; &#x41; &#X263a; &#128512; y",
      "R&D a & b; a &= b; &1; &#x41;",
      "<pre></>&#10;x</pre><pre><!---->\nx</pre><textarea>&#10;y</textarea>",
      "<a href=\"?a=1&b=2\">q?a=1&id=2&page=3</a>",
      "<a href='x>y' title=\"p>q\" data=z>link</a>",
      "<div a=b c = \"d\" e f=g/ h='i'/>x</div>",
      "<DIV CLASS=a>Upper</DIV>",
      "<pre>\nline</pre><pre>\n\nl2</pre><listing>\nx</listing><pre>y\n</pre>",
      "<textarea>\n&lt;b&gt;</textarea><textarea>a\n</textarea>",
      "<title>a<b>c</b></title>",
      "<style>a<b>c</b></style><xmp><i>&amp;</xmp><iframe><p>x</iframe><noembed>&lt;</noembed>",
      "<script>if (a</b) {}</script ><script>x</SCRIPT>",
      "<p>a</body>b</html>c",
      "<body><p>a</p></body></html>\n\n<p>after</p>",
      "<table><tr><td>a</td><td>b</td></tr></table>",
      "<table>\n <tr>\n  <td>a<td>b\n <tr><th>c</table>d",
      "<table><thead><tr><th>h</th></tr></thead><tbody><tr><td>1</td></tr></tbody><tfoot><tr><td>f</td></tr></tfoot></table>",
      "<table><caption>cap</caption><colgroup><col><col></colgroup><tr><td>x</table>",
      "<table><col><tr><td>x</td></tr></table>",
      "<table><tr><td><table><tr><td>in</td></tr></table>out</td></tr></table>after",
      "<table><td>a</td></table>",
      "<table><tr><td>a</table>b",
      "<table> <script>s</script> <style>t</style> <tr><td>x</td></tr></table>",
      "<table><tr><td><div>a</td><td><p>b</div>c</table>",
      "<b>1<p>2</b>3</p>",
      "<a>1<a>2</a>3",
      "<ul><li>a<li>b</ul><dl><dt>x<dd>y</dl>",
      "<p>&#10;&#9;&#12;</p>",
      "<td>x</td> <tr>y",
      "<body><td>x</td>",
      "<h1>a</h1><H2>b</h2><br/>c<hr>d<img src=x alt=y>e",
      "<option>a</option><form>b</form><input type=text>c",
      "&nbsp; x", "&#32; &#9;x", "<head> &#32; </head> x", "<title>t</title>&#10;y", "</head><title>a</title> <style>b</style>c",
      "<a b=\"c\"d e='f'g=h>x</a><p/>y<p =a>z<p a=>w", "<p>\u00e9<\u00e9>x</\u00e9></p>", "<br/ >a<br / x>b",
      "<table><tr><td>a</td></tr> <!-- c --> </table>", "<table><caption>c<table><tr><td>x</table>d</caption></table>",
      "<table><colgroup> <col> </colgroup> <tbody> </tbody></table>", "<table><tr><td>x</body>y</td></tr></table>z",
      "<pre><</pre><pre>&amp;\n</pre><pre></p>\nx</pre>",
      // EOF inside markup: the unfinished token is dropped; raw text runs to EOF.
      "a <b c", "a </b c", "a <b c='d", "x <b/", "<p>x <b", "x<!doctype html", "x <!-- y", "x <!-- y --",
      "x <? y", "x <", "x </", "x <!x", "x<b c=\"d\" ", "<table><tr><td>x <b", "<title>a <b", "<table>  <b",
      "x <b><script>y", "<textarea>a &amp;", "<xmp>a</xmp x",
  };
  for (const char* h : handled) EXPECT_TRUE(Agrees(h)) << "declined: '" << h << "'";
}

TEST(HtmlFastText, DeclinedCasesFallBack) {
  // Inputs the extractor refuses; HtmlBodyText still gives gumbo's answer.
  const char* declined[] = {
      "a\r\nb<p>",
      "a\0b<p>",
      "<p>\x01</p>",
      "<p>\xc2\x80</p>",
      "\xEF\xBB\xBF<p>x</p>",
      "<p>\xff</p>",
      "<table>text</table>",
      "<table><tr><td>a</tbody>b</td></tr></table>",
      "<table><tr><td>a</tr>b</table>",
      "R&D; x",
      "<table><tr>x<td>y</table>",
      "<table><div>x</div></table>",
      "<table><tr><td>a</td></tr></div></table>",
      "<select><option>a</select>",
      "<svg><![CDATA[x]]></svg>",
      "<math>x</math>",
      "<plaintext>a<b>",
      "<noscript><p>x</p></noscript>",
      "<template>x</template>y",
      "<frameset></frameset>",
      "<!-->a",
      "<!--->a",
      "<!-- a --!>b",
      "<!-- a --!",
      "<style>a</styl",
      "x<style>y</style",
      "&copyright; &amp",
      "&notin &foo; &AMP;",
      "&#0; &#x80; &#xD800; &#x110000; &#1;",
      "&#65",
      "<script><!--</script>--></script>",
      "<isindex>",
  };
  for (const char* h : declined) {
    std::string s(h);
    if (s.find("a\0") == 0) s = std::string("a\0b<p>", 6);
    EXPECT_FALSE(HtmlBodyTextFast(s).has_value()) << "accepted: '" << s << "'";
    EXPECT_EQ(HtmlBodyText(s), HtmlBodyTextParsed(s));
  }
}

TEST(HtmlFastText, EveryDecodedReferenceMatchesGumbo) {
  const char* names[] = {"amp", "lt", "gt", "quot", "apos", "nbsp", "copy", "reg", "trade", "mdash", "ndash",
                         "hellip", "lsquo", "rsquo", "ldquo", "rdquo", "laquo", "raquo", "middot", "bull", "times",
                         "deg", "euro", "pound", "yen", "cent", "sect", "para", "eacute", "egrave", "aacute",
                         "agrave", "ouml", "uuml", "auml", "szlig", "ccedil", "iacute", "oacute", "uacute",
                         "ntilde", "rarr", "larr", "ensp", "emsp", "thinsp", "zwnj", "zwj", "shy", "frac12"};
  for (const char* n : names) {
    std::string h = std::string("<p>x&") + n + ";y</p>";
    EXPECT_TRUE(Agrees(h)) << h;
  }
  for (uint32_t c : {9u, 10u, 12u, 32u, 65u, 126u, 0xA0u, 0xFFu, 0x100u, 0x7FFu, 0x800u, 0xD7FFu, 0xE000u, 0xFDCFu,
                     0xFDF0u, 0xFFFDu, 0x10000u, 0x1F600u, 0x10FFFDu}) {
    EXPECT_TRUE(Agrees("<p>&#" + std::to_string(c) + ";</p>")) << c;
    char hex[16];
    snprintf(hex, sizeof hex, "%x", c);
    EXPECT_TRUE(Agrees(std::string("<p>&#x") + hex + ";</p>")) << c;
  }
}

// A seeded generator of tag soup over the constructs the extractor models or refuses.
// Pieces the extractor always or often refuses; `hostile` documents use them.
bool Refused(const std::string& p) {
  static const std::set<std::string> kRefused = {
      "<!-->", "<!--x--!>", "<", "&copy", "&copyx", "&foo;", "&#0;", "&#128;", "&#", "&#x;", "\r\n",
      "<select>", "<svg>", "<math>", "<noscript>", "<template>", "<frameset>", "<plaintext>", "<input type=hidden>"};
  return kRefused.count(p) > 0;
}

std::string RandomHtml(std::mt19937_64& rng) {
  static const std::vector<std::string> kPieces = {
      "<p>", "</p>", "<div>", "</div>", "<b>", "</b>", "<i>", "</i>", "<a href=\"x?a=1&b=2\">", "</a>", "<br>",
      "<br/>", "</br>", "<span class=x>", "</span>", "<ul>", "<li>", "</li>", "</ul>", "<h1>", "</h1>", "<img src=a>",
      "<html>", "</html>", "<head>", "</head>", "<body>", "</body>", "<title>", "</title>", "<meta a=b>", "<link>",
      "<style>", "</style>", "<script>", "</script>", "<noframes>", "</noframes>", "<textarea>", "</textarea>",
      "<pre>", "</pre>", "<listing>", "<xmp>", "</xmp>", "<iframe>", "</iframe>", "<table>", "</table>", "<tr>",
      "</tr>", "<td>", "</td>", "<th>", "</th>", "<tbody>", "</tbody>", "<thead>", "</thead>", "<tfoot>",
      "</tfoot>", "<caption>", "</caption>", "<colgroup>", "</colgroup>", "<col>", "</col>", "<!-- c -->",
      "<!---->", "<!-->", "<!-- a -- b -->", "<!--x--!>", "<!DOCTYPE html>", "<?x?>", "<!-- unterminated", "<p class='unterminated", "</sty", "</title", "<!x>", "</1>", "</>", "<",
      "< ", "<3", "&", "&amp;", "&lt;", "&gt;", "&nbsp;", "&copy;", "&copy", "&copyx", "&foo;", "&foo=1", "&#65;",
      "&#x263a;", "&#0;", "&#128;", "&#10;", "&#32;", "&#", "&#x;", " ", "  ", "\n", "\t", "\f", "\r\n", "x", "yz",
      "hello world", "\u00e9", "\u00a0", "\u3000", "=", "\"", "'", "/", ">", "<P CLASS='a>b'>", "<DIV>", "</TD>",
      "<td class=\"c\">", "<tr/>", "<table border=1>", "<select>", "<option>", "<svg>", "<math>", "<noscript>",
      "<template>", "<frameset>", "<plaintext>", "<input type=hidden>", "<form>", "</form>", "<nobr>",
      "<button>", "<dd>", "<dt>", "<hr>", "<center>", "<font size=2>", "</font>", "<em>", "</em>",
  };
  std::string s;
  int len = static_cast<int>(rng() % 24);
  bool hostile = rng() % 4 == 0;
  for (int k = 0; k < len; ++k) {
    const std::string& p = kPieces[rng() % kPieces.size()];
    if (hostile || !Refused(p)) s += p;
  }
  return s;
}

TEST(HtmlFastText, RandomTagSoupMatchesGumbo) {
  std::mt19937_64 rng(20261126);
  size_t accepted = 0, total = 300000;
  for (size_t k = 0; k < total; ++k) {
    std::string h = RandomHtml(rng);
    if (Agrees(h)) ++accepted;
    if (::testing::Test::HasFailure()) break;  // one counterexample is enough to read
  }
  std::printf("random tag soup: fast path answered %zu of %zu\n", accepted, total);
  EXPECT_GT(accepted, total / 20);
}

// Character-level soup: exercises the tokenizer states (tag names, attributes, quotes,
// comments, end tags of raw-text elements) with pieces too small to be well-formed.
TEST(HtmlFastText, RandomTokenizerSoupMatchesGumbo) {
  static const std::vector<std::string> kBits = {
      "<", ">", "/", "!", "-", "--", "?", "=", "\"", "'", " ", "\n", "\t", "a", "p", "b", "&", "#", ";", "amp",
      "lt", "x", "1", "A", "script", "title", "pre", "table", "td", "tr", "style", "textarea", "head", "body",
      "<!--", "-->", "</", "\u00e9"};
  std::mt19937_64 rng(7);
  size_t accepted = 0, total = 200000;
  for (size_t k = 0; k < total; ++k) {
    std::string h;
    int len = static_cast<int>(rng() % 30);
    for (int i = 0; i < len; ++i) h += kBits[rng() % kBits.size()];
    if (Agrees(h)) ++accepted;
    if (::testing::Test::HasFailure()) break;
  }
  std::printf("tokenizer soup: fast path answered %zu of %zu\n", accepted, total);
  EXPECT_GT(accepted, total / 4);
}

TEST(HtmlFastText, BenchCorpusMatchesGumbo) {
  const char* env = std::getenv("WINNOW_HTML_CORPUS");  // another checkout's corpus
  std::ifstream in(env ? std::string(env) : std::string(WINNOW_SOURCE_DIR) + "/bench/corpus/corpus.jsonl");
  if (!in) GTEST_SKIP() << "bench/corpus/corpus.jsonl is absent (bench/make_corpus.sh creates it)";
  std::string line;
  std::mt19937_64 rng(11);
  size_t markup = 0, accepted = 0, markup_bytes = 0, accepted_bytes = 0;
  while (std::getline(in, line)) {
    auto v = json::Parse(line);
    if (!v.ok()) continue;
    const json::Value* t = v->Find("text");
    if (!t || t->type() != json::Type::kString) continue;
    const std::string& h = t->as_string();
    if (h.find_first_of("<&") == std::string::npos || EstimateNestingDepth(h) > kMaxHtmlNesting) continue;
    // Pieces of the document too: they start and end inside tags, comments and tables.
    for (int cut = 0; cut < 3; ++cut) {
      size_t b = rng() % h.size(), e = std::min(h.size(), b + 1 + rng() % 3000);
      while (b > 0 && (h[b] & 0xC0) == 0x80) --b;
      while (e < h.size() && (h[e] & 0xC0) == 0x80) ++e;
      Agrees(h.substr(b, e - b));
    }
    ++markup;
    markup_bytes += h.size();
    if (Agrees(h)) {
      ++accepted;
      accepted_bytes += h.size();
    } else if (std::getenv("WINNOW_HTML_SHOW_DECLINED")) {
      std::printf("declined (%zu bytes): %s\n", h.size(), h.substr(0, 300).c_str());
    }
    if (::testing::Test::HasFailure()) break;
  }
  std::printf("bench corpus: fast path answered %zu of %zu documents with markup (%.1f%%), %zu of %zu bytes\n",
              accepted, markup, markup ? 100.0 * accepted / markup : 0.0, accepted_bytes, markup_bytes);
}

}  // namespace
}  // namespace winnow::testing
