// clean_html_mapper: DJ's _clean_html: "<li>" and "<ol>" become "\n*", "</li>" and "</ol>" go,
// then the document is parsed as HTML5 and replaced by the text of all text nodes under <body>
// (DJ: selectolax's HTMLParser(html).text(), which reads the body, separator '' and no strip;
// Winnow parses with gumbo, which implements the same HTML5 tree construction). Text before
// the body (leading whitespace, <head> content such as <title>) is therefore not kept.
#include "winnow/ops/registry.h"
#include "winnow/ops/text/html_tree.h"

namespace winnow {
namespace {

// Applies the four literal replacements in DJ's order, each over the whole text.
std::string PreReplace(std::string_view text) {
  std::string s(text);
  auto replace_all = [&s](std::string_view from, std::string_view to) {
    if (s.find(from) == std::string::npos) return;
    std::string out;
    size_t pos = 0;
    for (size_t at; (at = s.find(from, pos)) != std::string::npos; pos = at + from.size())
      out.append(s, pos, at - pos).append(to);
    out.append(s, pos);
    s.swap(out);
  };
  replace_all("<li>", "\n*");
  replace_all("</li>", "");
  replace_all("<ol>", "\n*");
  replace_all("</ol>", "");
  return s;
}

// Whether any of PreReplace's patterns occurs: if none does, no step changes the text, so
// PreReplace is the identity. One pass over the '<'s instead of four searches and a copy.
bool HasListTag(std::string_view s) {
  for (size_t i = s.find('<'); i != std::string_view::npos; i = s.find('<', i + 1)) {
    std::string_view r = s.substr(i + 1, 4);
    if (r.starts_with("li>") || r.starts_with("ol>") || r == "/li>" || r == "/ol>") return true;
  }
  return false;
}

class CleanHtmlMapper : public Mapper {
 public:
  using Mapper::Mapper;
  Status Map(Sample& s) const override {
    auto t = s.Text(text_key_);
    if (!t.ok()) return t.status();
    std::string replaced;
    std::string_view html = *t;
    if (HasListTag(html)) html = replaced = PreReplace(html);
    // A start tag takes two bytes ("<x"), so shorter input cannot nest deeper than the limit.
    if (html.size() > 2 * kMaxHtmlNesting && EstimateNestingDepth(html) > kMaxHtmlNesting)
      return Status::Error("HTML nests more than " + std::to_string(kMaxHtmlNesting) +
                           " elements deep; refusing to parse it (the HTML5 tree builder is quadratic in depth)");
    std::string out = HtmlBodyText(html);
    if (out != *t) s.SetText(text_key_, std::move(out));
    return Status::Ok();
  }
};

}  // namespace

void RegisterCleanHtmlMapper(Registry& r) {
  r.Add({"clean_html_mapper", OpKind::kMapper,
         "Replace HTML by its text (list items become '\\n*' bullets), parsed with an HTML5 parser.",
         {},
         {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<CleanHtmlMapper>("clean_html_mapper", p, e); }});
}

}  // namespace winnow
