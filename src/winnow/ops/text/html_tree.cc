#include "winnow/ops/text/html_tree.h"

#include <vector>

namespace winnow {

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
