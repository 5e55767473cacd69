#include "winnow/ops/text/html_tree.h"

#include "winnow/ops/text/html_fast_text.h"

#include <algorithm>
#include <vector>

namespace winnow {

size_t EstimateNestingDepth(std::string_view html) {
  auto is_alpha = [](char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; };
  auto lower_eq = [&](size_t at, std::string_view name) {
    if (at + name.size() > html.size()) return false;
    for (size_t i = 0; i < name.size(); ++i)
      if ((html[at + i] | 0x20) != name[i]) return false;
    size_t end = at + name.size();
    return end == html.size() || !is_alpha(html[end]);
  };
  static const std::string_view kSelfClosing[] = {"area", "base", "br", "col", "embed", "hr", "img", "input",
                                                  "link", "meta", "param", "source", "track", "wbr", "p",
                                                  "li", "td", "th", "tr", "option", "dd", "dt"};
  size_t depth = 0, max_depth = 0;
  for (size_t i = html.find('<'); i != std::string_view::npos && i + 1 < html.size(); i = html.find('<', i + 1)) {
    if (html[i + 1] == '/') {
      if (depth > 0) --depth;
      continue;
    }
    if (!is_alpha(html[i + 1])) continue;
    bool implicit = false;
    for (auto n : kSelfClosing) implicit = implicit || lower_eq(i + 1, n);
    if (!implicit) max_depth = std::max(max_depth, ++depth);
  }
  return max_depth;
}

std::string HtmlBodyTextParsed(std::string_view html) {
  HtmlDocument doc(html);
  std::string out;
  if (const GumboNode* body = doc.body()) AppendAllText(body, &out);
  return out;
}

std::string HtmlBodyText(std::string_view html) {
  // The one-pass extractor answers for plain text and most markup; it declines what it does
  // not model exactly, and gumbo parses that.
  if (auto fast = HtmlBodyTextFast(html)) return std::move(*fast);
  return HtmlBodyTextParsed(html);
}

const GumboNode* HtmlDocument::body() const {
  const GumboNode* html = out_->root;
  if (!html || html->type != GUMBO_NODE_ELEMENT) return nullptr;
  const GumboVector& kids = html->v.element.children;
  for (unsigned i = 0; i < kids.length; ++i) {
    const auto* n = static_cast<const GumboNode*>(kids.data[i]);
    if (n->type == GUMBO_NODE_ELEMENT && n->v.element.tag == GUMBO_TAG_BODY) return n;
  }
  return nullptr;
}

void AppendAllText(const GumboNode* node, std::string* out) {
  // Iterative walk: hostile input can nest elements deeply.
  std::vector<std::pair<const GumboNode*, unsigned>> stack{{node, 0}};
  while (!stack.empty()) {
    auto& [n, next] = stack.back();
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE || n->type == GUMBO_NODE_CDATA) {
      out->append(n->v.text.text);
      stack.pop_back();
      continue;
    }
    const GumboVector* kids = nullptr;
    if (n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE) kids = &n->v.element.children;
    else if (n->type == GUMBO_NODE_DOCUMENT) kids = &n->v.document.children;
    if (!kids || next >= kids->length) {
      stack.pop_back();
      continue;
    }
    const GumboNode* child = static_cast<const GumboNode*>(kids->data[next++]);
    stack.emplace_back(child, 0);
  }
}

}  // namespace winnow
