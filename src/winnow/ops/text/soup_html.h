// A document tree built the way BeautifulSoup(text, "html.parser") builds it, for ops whose DJ
// code uses bs4 (extract_tables_from_html_mapper). Not HTML5: Python's html.parser tokenises,
// bs4 nests every start tag in the current one, an end tag closes up to the nearest open tag of
// its name (ignored if none), void elements close at once, whitespace-only strings outside
// <pre>/<textarea> collapse to "\n" or " ", and unclosed tags close at the end. Written for
// DJ parity, because gumbo's HTML5 tree differs (implied <tbody>, auto-closed cells).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace winnow::soup {

enum class NodeType { kElement, kText, kComment, kScript, kCData, kDeclaration };

struct Node {
  NodeType type = NodeType::kElement;
  std::string name;                                        // elements (lower-cased)
  std::vector<std::pair<std::string, std::string>> attrs;  // elements, in source order
  std::string text;                                        // non-elements
  std::vector<int> children;
  int parent = -1;
};

class Document {
 public:
  explicit Document(std::string_view html);
  const Node& node(int i) const { return nodes_[i]; }
  size_t max_depth() const { return max_depth_; }  // deepest element nesting seen
  int root() const { return 0; }
  // Descendant elements named `name`, in document order (find_all(name)).
  std::vector<int> FindAll(int from, std::string_view name) const;
  // Direct children elements whose name is one of `names`.
  std::vector<int> Children(int from, std::initializer_list<std::string_view> names) const;
  // get_text(strip=True): str.strip()ped text pieces (no comments/script/style), joined by "".
  std::string StrippedText(int from) const;
  // str(tag) with bs4's default "minimal" formatter.
  std::string Serialize(int from) const;

 private:
  void Parse(std::string_view html);
  void StartTag(std::string name, std::vector<std::pair<std::string, std::string>> attrs, bool self_closing);
  void EndTag(std::string_view name);
  void FlushText();
  void AddLeaf(NodeType t, std::string text);
  void SerializeInto(int i, std::string* out) const;

  std::vector<Node> nodes_;
  std::vector<int> open_;  // stack of open elements (0 = the document root)
  std::string pending_text_;
  size_t max_depth_ = 0;
};

}  // namespace winnow::soup
