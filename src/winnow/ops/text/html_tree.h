// A parsed HTML document (gumbo, the HTML5 parsing algorithm), shared by the HTML ops.
#pragma once

#include <gumbo.h>

#include <string>
#include <string_view>

namespace winnow {

class HtmlDocument {
 public:
  explicit HtmlDocument(std::string_view html)
      : out_(gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size())) {}
  ~HtmlDocument() { gumbo_destroy_output(&kGumboDefaultOptions, out_); }
  HtmlDocument(const HtmlDocument&) = delete;
  HtmlDocument& operator=(const HtmlDocument&) = delete;
  const GumboNode* root() const { return out_->document; }
  // The <body> element (HTML5 parsing always creates one unless a <frameset> replaces it).
  const GumboNode* body() const;

 private:
  GumboOutput* out_;
};

// Every text node's text under `node`, in document order (script and style content included,
// comments excluded), appended to *out.
void AppendAllText(const GumboNode* node, std::string* out);

}  // namespace winnow
