#include "winnow/ops/text/soup_html.h"

#include <algorithm>
#include <cstring>

#include "winnow/core/unicode.h"

namespace winnow::soup {
namespace {

bool IsAsciiSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool IsAlpha(char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
std::string Lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return r;
}

bool IsVoid(std::string_view n) {
  static const char* const kVoid[] = {"area", "base", "br", "col", "embed", "hr", "img", "input", "keygen",
                                      "link", "menuitem", "meta", "param", "source", "track", "wbr", "basefont",
                                      "bgsound", "command", "frame", "image", "isindex", "nextid", "spacer"};
  for (const char* v : kVoid) if (n == v) return true;
  return false;
}

// The named references used in practice (HTML 4 + apos). An unknown name stays literal.
const char* NamedEntity(std::string_view name) {
  static const std::pair<const char*, const char*> kNames[] = {
      {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", "\u00a0"},
      {"copy", "\u00a9"}, {"reg", "\u00ae"}, {"trade", "\u2122"}, {"hellip", "\u2026"}, {"mdash", "\u2014"},
      {"ndash", "\u2013"}, {"lsquo", "\u2018"}, {"rsquo", "\u2019"}, {"ldquo", "\u201c"}, {"rdquo", "\u201d"},
      {"laquo", "\u00ab"}, {"raquo", "\u00bb"}, {"middot", "\u00b7"}, {"bull", "\u2022"}, {"euro", "\u20ac"},
      {"pound", "\u00a3"}, {"yen", "\u00a5"}, {"cent", "\u00a2"}, {"sect", "\u00a7"}, {"deg", "\u00b0"},
      {"plusmn", "\u00b1"}, {"times", "\u00d7"}, {"divide", "\u00f7"}, {"frac12", "\u00bd"},
      {"frac14", "\u00bc"}, {"frac34", "\u00be"}, {"ensp", "\u2002"}, {"emsp", "\u2003"}, {"thinsp", "\u2009"},
      {"shy", "\u00ad"}, {"iexcl", "\u00a1"}, {"iquest", "\u00bf"}, {"para", "\u00b6"}, {"micro", "\u00b5"}};
  for (const auto& [n, v] : kNames) if (name == n) return v;
  return nullptr;
}

// Decodes character references in s (html.unescape-style for the common cases).
std::string Unescape(std::string_view s) {
  if (s.find('&') == std::string_view::npos) return std::string(s);
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] != '&') { out.push_back(s[i++]); continue; }
    size_t j = i + 1;
    if (j < s.size() && s[j] == '#') {
      ++j;
      bool hex = j < s.size() && (s[j] == 'x' || s[j] == 'X');
      if (hex) ++j;
      size_t k = j;
      uint32_t cp = 0;
      while (k < s.size() && (hex ? std::isxdigit(static_cast<unsigned char>(s[k])) : std::isdigit(static_cast<unsigned char>(s[k])))) {
        cp = std::min<uint32_t>(cp * (hex ? 16 : 10) + (std::isdigit(static_cast<unsigned char>(s[k])) ? s[k] - '0' : (s[k] | 0x20) - 'a' + 10), 0x110000);
        ++k;
      }
      if (k > j) {
        if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
        unicode::AppendUtf8(cp, out);
        i = (k < s.size() && s[k] == ';') ? k + 1 : k;
        continue;
      }
    } else {
      size_t k = j;
      while (k < s.size() && std::isalnum(static_cast<unsigned char>(s[k]))) ++k;
      if (const char* v = NamedEntity(s.substr(j, k - j)); v && k > j) {
        out += v;
        i = (k < s.size() && s[k] == ';') ? k + 1 : k;
        continue;
      }
    }
    out.push_back(s[i++]);
  }
  return out;
}

bool IsMultiValued(std::string_view attr) {
  return attr == "class" || attr == "rel" || attr == "rev" || attr == "accept-charset" || attr == "headers" ||
         attr == "accesskey" || attr == "dropzone";
}

}  // namespace

Document::Document(std::string_view html) {
  nodes_.emplace_back();  // the root ("[document]")
  open_.push_back(0);
  Parse(html);
  FlushText();
}

void Document::AddLeaf(NodeType t, std::string text) {
  Node n;
  n.type = t;
  n.text = std::move(text);
  n.parent = open_.back();
  nodes_.push_back(std::move(n));
  nodes_[open_.back()].children.push_back(static_cast<int>(nodes_.size() - 1));
}

void Document::FlushText() {
  if (pending_text_.empty()) return;
  std::string t = std::move(pending_text_);
  pending_text_.clear();
  bool preserve = false;
  for (int i : open_) preserve = preserve || nodes_[i].name == "pre" || nodes_[i].name == "textarea";
  if (!preserve && std::all_of(t.begin(), t.end(), IsAsciiSpace)) t = t.find('\n') != std::string::npos ? "\n" : " ";
  const std::string& parent = nodes_[open_.back()].name;
  AddLeaf(parent == "script" || parent == "style" ? NodeType::kScript : NodeType::kText, std::move(t));
}

void Document::StartTag(std::string name, std::vector<std::pair<std::string, std::string>> attrs, bool self_closing) {
  FlushText();
  Node n;
  n.name = std::move(name);
  n.attrs = std::move(attrs);
  n.parent = open_.back();
  nodes_.push_back(std::move(n));
  int id = static_cast<int>(nodes_.size() - 1);
  nodes_[open_.back()].children.push_back(id);
  open_.push_back(id);
  max_depth_ = std::max(max_depth_, open_.size());
  if (self_closing || IsVoid(nodes_[id].name)) open_.pop_back();
}

void Document::EndTag(std::string_view name) {
  FlushText();
  for (size_t i = open_.size(); i-- > 1;) {
    if (nodes_[open_[i]].name == name) {
      open_.resize(i);
      return;
    }
  }
}

void Document::Parse(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  auto text_until = [&](size_t end) {
    pending_text_ += Unescape(s.substr(i, end - i));
    i = end;
  };
  while (i < n) {
    size_t lt = s.find('<', i);
    if (lt == std::string_view::npos) { text_until(n); break; }
    text_until(lt);
    if (i + 1 >= n) { pending_text_.push_back('<'); ++i; break; }
    char c = s[i + 1];
    if (s.compare(i, 4, "<!--") == 0) {
      size_t end = s.find("-->", i + 4);
      if (end == std::string_view::npos) { pending_text_ += s.substr(i); break; }  // html.parser: rest is text
      FlushText();
      AddLeaf(NodeType::kComment, std::string(s.substr(i + 4, end - i - 4)));
      i = end + 3;
    } else if (s.compare(i, 9, "<![CDATA[") == 0) {
      size_t end = s.find("]]>", i + 9);
      if (end == std::string_view::npos) end = n;
      FlushText();
      AddLeaf(NodeType::kCData, std::string(s.substr(i + 9, end - i - 9)));
      i = std::min(n, end + 3);
    } else if (c == '!' || c == '?') {
      size_t end = s.find('>', i + 2);
      if (end == std::string_view::npos) { pending_text_ += s.substr(i); break; }
      FlushText();
      AddLeaf(NodeType::kDeclaration, std::string(s.substr(i + 2, end - i - 2)));
      i = end + 1;
    } else if (c == '/' && i + 2 < n && IsAlpha(s[i + 2])) {
      size_t j = i + 2;
      while (j < n && !IsAsciiSpace(s[j]) && s[j] != '>' && s[j] != '/') ++j;
      std::string name = Lower(s.substr(i + 2, j - i - 2));
      size_t end = s.find('>', j);
      i = end == std::string_view::npos ? n : end + 1;
      EndTag(name);
    } else if (IsAlpha(c)) {
      size_t j = i + 1;
      while (j < n && !IsAsciiSpace(s[j]) && s[j] != '>' && s[j] != '/' && s[j] != '\0') ++j;
      std::string name = Lower(s.substr(i + 1, j - i - 1));
      std::vector<std::pair<std::string, std::string>> attrs;
      bool self_closing = false, closed = false;
      while (j < n) {
        while (j < n && (IsAsciiSpace(s[j]) || (s[j] == '/' && j + 1 < n && s[j + 1] != '>'))) ++j;
        if (j >= n) break;
        if (s[j] == '>') { closed = true; ++j; break; }
        if (s[j] == '/' && j + 1 < n && s[j + 1] == '>') { self_closing = closed = true; j += 2; break; }
        size_t a = j;
        while (j < n && !IsAsciiSpace(s[j]) && s[j] != '/' && s[j] != '=' && s[j] != '>') ++j;
        if (j == a) ++j;  // a lone '=' or similar: skip it
        std::string key = Lower(s.substr(a, j - a));
        std::string value;
        size_t k = j;
        while (k < n && IsAsciiSpace(s[k])) ++k;
        if (k < n && s[k] == '=') {
          while (k < n && s[k] == '=') ++k;
          while (k < n && IsAsciiSpace(s[k])) ++k;
          if (k < n && (s[k] == '"' || s[k] == '\'')) {
            size_t q = s.find(s[k], k + 1);
            if (q == std::string_view::npos) q = n;
            value = Unescape(s.substr(k + 1, q - k - 1));
            j = std::min(n, q + 1);
          } else {
            size_t v = k;
            while (v < n && !IsAsciiSpace(s[v]) && s[v] != '>') ++v;
            value = Unescape(s.substr(k, v - k));
            j = v;
          }
        }
        if (!key.empty()) attrs.emplace_back(std::move(key), std::move(value));
      }
      if (!closed) {  // html.parser leaves an unterminated tag as text
        pending_text_ += s.substr(i);
        break;
      }
      i = j;
      bool raw = name == "script" || name == "style";
      StartTag(name, std::move(attrs), self_closing);
      if (raw && !self_closing) {
        // CDATA content: everything up to the matching end tag.
        std::string close = "</" + name;
        size_t end = i;
        for (;;) {
          end = s.find("</", end);
          if (end == std::string_view::npos || Lower(s.substr(end, close.size())) == close) break;
          end += 2;
        }
        if (end == std::string_view::npos) end = n;
        pending_text_ += s.substr(i, end - i);
        i = end;
      }
    } else {
      pending_text_.push_back('<');
      ++i;
    }
  }
}

std::vector<int> Document::FindAll(int from, std::string_view name) const {
  std::vector<int> out, stack(nodes_[from].children.rbegin(), nodes_[from].children.rend());
  while (!stack.empty()) {
    int i = stack.back();
    stack.pop_back();
    const Node& nd = nodes_[i];
    if (nd.type != NodeType::kElement) continue;
    if (nd.name == name) out.push_back(i);
    for (auto it = nd.children.rbegin(); it != nd.children.rend(); ++it) stack.push_back(*it);
  }
  return out;
}

std::vector<int> Document::Children(int from, std::initializer_list<std::string_view> names) const {
  std::vector<int> out;
  for (int c : nodes_[from].children) {
    const Node& nd = nodes_[c];
    if (nd.type == NodeType::kElement && std::find(names.begin(), names.end(), nd.name) != names.end()) out.push_back(c);
  }
  return out;
}

std::string Document::StrippedText(int from) const {
  std::string out;
  std::vector<int> stack(nodes_[from].children.rbegin(), nodes_[from].children.rend());
  while (!stack.empty()) {
    const Node& nd = nodes_[stack.back()];
    stack.pop_back();
    if (nd.type == NodeType::kText || nd.type == NodeType::kCData) {
      out += unicode::PyStrip(nd.text);
    } else if (nd.type == NodeType::kElement) {
      for (auto it = nd.children.rbegin(); it != nd.children.rend(); ++it) stack.push_back(*it);
    }
  }
  return out;
}

static void AppendEscaped(std::string_view s, bool attr, std::string* out) {
  for (char c : s) {
    if (c == '&') *out += "&amp;";
    else if (c == '<') *out += "&lt;";
    else if (c == '>') *out += "&gt;";
    else if (attr && c == '"') *out += "&quot;";
    else out->push_back(c);
  }
}

void Document::SerializeInto(int i, std::string* out) const {
  const Node& nd = nodes_[i];
  switch (nd.type) {
    case NodeType::kText: AppendEscaped(nd.text, false, out); return;
    case NodeType::kScript: *out += nd.text; return;
    case NodeType::kComment: *out += "<!--" + nd.text + "-->"; return;
    case NodeType::kCData: *out += "<![CDATA[" + nd.text + "]]>"; return;
    case NodeType::kDeclaration: *out += "<!" + nd.text + ">"; return;
    case NodeType::kElement: break;
  }
  *out += "<" + nd.name;
  auto attrs = nd.attrs;
  // bs4 keeps the last of duplicate attributes, and its formatter sorts them by name.
  std::vector<std::pair<std::string, std::string>> uniq;
  for (auto& a : attrs) {
    auto it = std::find_if(uniq.begin(), uniq.end(), [&](const auto& u) { return u.first == a.first; });
    if (it != uniq.end()) it->second = a.second;
    else uniq.push_back(a);
  }
  std::stable_sort(uniq.begin(), uniq.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [k, v] : uniq) {
    std::string value = v;
    if (IsMultiValued(k)) {  // split on whitespace, re-joined with single spaces
      std::string joined;
      size_t p = 0;
      while (p < v.size()) {
        while (p < v.size() && IsAsciiSpace(v[p])) ++p;
        size_t q = p;
        while (q < v.size() && !IsAsciiSpace(v[q])) ++q;
        if (q > p) joined += (joined.empty() ? "" : " ") + v.substr(p, q - p);
        p = q;
      }
      value = joined;
    }
    *out += " " + k + "=";
    bool has_dq = value.find('"') != std::string::npos, has_sq = value.find('\'') != std::string::npos;
    if (has_dq && !has_sq) {
      *out += "'";
      AppendEscaped(value, false, out);
      *out += "'";
    } else {
      *out += "\"";
      AppendEscaped(value, has_dq, out);
      *out += "\"";
    }
  }
  if (IsVoid(nd.name) && nd.children.empty()) {
    *out += "/>";
    return;
  }
  *out += ">";
  for (int c : nd.children) SerializeInto(c, out);
  *out += "</" + nd.name + ">";
}

std::string Document::Serialize(int from) const {
  std::string out;
  SerializeInto(from, &out);
  return out;
}

}  // namespace winnow::soup
