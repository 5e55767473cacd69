// A parsed HTML document (gumbo, the HTML5 parsing algorithm), shared by the HTML ops.
#pragma once

#include <gumbo.h>

#include <string>
#include <string_view>

namespace winnow {

class HtmlDocument {
 public:
  explicit HtmlDocument(std::string_view html)
      : out_(gumbo_parse_with_options(&Options(), html.data(), html.size())) {}
  ~HtmlDocument() { gumbo_destroy_output(&Options(), out_); }
  HtmlDocument(const HtmlDocument&) = delete;
  HtmlDocument& operator=(const HtmlDocument&) = delete;
  const GumboNode* root() const { return out_->document; }
  // The <body> element (HTML5 parsing always creates one unless a <frameset> replaces it).
  const GumboNode* body() const;

 private:
  // Parse errors are not recorded: gumbo copies the open-element stack into every error, which
  // is quadratic in memory on deeply nested input (20k nested <div>s took 3 GB).
  static const GumboOptions& Options() {
    static const GumboOptions opts = [] {
      GumboOptions o = kGumboDefaultOptions;
      o.max_errors = 0;
      return o;
    }();
    return opts;
  }
  GumboOutput* out_;
};

// An upper bound on how deep `html` nests elements (start tags minus end tags, ignoring tags
// that close themselves or are closed implicitly). Gumbo's tree construction is quadratic in
// nesting depth (200k nested <div>s take minutes), so callers refuse absurdly deep input.
size_t EstimateNestingDepth(std::string_view html);
inline constexpr size_t kMaxHtmlNesting = 20000;

// The text of every text node under <body> of the HTML5 parse of `html` (selectolax's text()).
// Input goes through HtmlBodyTextFast (one pass, no tree; plain text is its own text minus
// the leading ASCII whitespace the tree builder drops before <body>) and only what it
// declines is parsed with gumbo.
std::string HtmlBodyText(std::string_view html);
std::string HtmlBodyTextParsed(std::string_view html);  // always parses (tests compare the two)

// Every text node's text under `node`, in document order (script and style content included,
// comments excluded), appended to *out.
void AppendAllText(const GumboNode* node, std::string* out);

}  // namespace winnow
