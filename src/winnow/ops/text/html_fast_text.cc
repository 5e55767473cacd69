// The body text of an HTML5 document in one pass, without gumbo (see html_fast_text.h).
//
// Written from the WHATWG tokenizer and tree-construction rules (as gumbo implements them).
// Every `return false` below is a bail-out: the caller then parses with gumbo. The comments
// say which rule we chose not to reproduce.
#include "winnow/ops/text/html_fast_text.h"

#include "winnow/core/unicode.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

namespace winnow {
namespace {

inline bool IsWs(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f'; }
inline bool IsAlpha(char c) { return static_cast<unsigned char>((c | 0x20) - 'a') < 26; }
inline bool IsDigit(char c) { return static_cast<unsigned char>(c - '0') < 10; }
inline bool IsAlnum(char c) { return IsAlpha(c) || IsDigit(c); }

// Whole-input checks: input preprocessing (CR/CRLF normalisation), NUL handling, invalid UTF-8
// and the code points gumbo replaces by U+FFFD all change text in ways we do not reproduce.
bool PreprocessingIsIdentity(std::string_view s) {
  if (s.size() >= 3 && s.compare(0, 3, "\xEF\xBB\xBF") == 0) return false;  // a BOM may be dropped
  // 0 = fine, 1 = refuse (ASCII controls other than \t \n \f, and DEL), 2 = decode and check.
  static const auto kClass = [] {
    std::array<uint8_t, 256> t{};
    for (int c = 0; c < 0x20; ++c) t[c] = 1;
    t['\t'] = t['\n'] = t['\f'] = 0;
    t[0x7F] = 1;
    t[0xC2] = t[0xEF] = 2;
    for (int c = 0xF0; c <= 0xF4; ++c) t[c] = 2;
    return t;
  }();
  if (!unicode::IsValidUtf8(s)) return false;  // gumbo replaces invalid sequences
  const auto* u = reinterpret_cast<const unsigned char*>(s.data());
  for (size_t i = 0; i < s.size(); ++i) {
    // Eight printable ASCII bytes (0x20..0x7E) at a time: no byte below 0x20, none at or above 0x7F.
    while (i + 8 <= s.size()) {
      uint64_t w;
      std::memcpy(&w, u + i, 8);
      constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
      uint64_t below_space = (w - 0x20 * kOnes) & ~w & kHigh;
      uint64_t del_or_high = ((w + 0x01 * kOnes) | w) & kHigh;  // 0x7F + 1 sets the high bit
      if (below_space | del_or_high) break;
      i += 8;
    }
    if (i >= s.size()) break;
    uint8_t k = kClass[u[i]];
    if (k == 0) continue;
    if (k == 1) return false;
    const char* p = s.data() + i;
    uint32_t c = unicode::DecodeUtf8(p);
    // C1 controls (U+0080..9F) and noncharacters.
    if ((c >= 0x80 && c <= 0x9F) || (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE) return false;
  }
  return true;
}

enum class Tag : uint8_t {
  kOther, kHtml, kHead, kBody, kHeadVoid, kTitle, kStyle, kNoframes, kScript, kTextarea, kXmp, kIframe,
  kNoembed, kPre, kListing, kBr, kTable, kCaption, kColgroup, kCol, kTbody, kThead, kTfoot, kTr, kTd, kTh,
  kRefuse,  // elements whose parsing we do not model (see TagOf)
};

Tag TagOf(std::string_view name) {
  struct Entry {
    std::string_view name;
    Tag tag;
  };
  // kRefuse: plaintext (rest of input is text), noscript (the "in head noscript" mode), template
  // (its own insertion modes), frameset/frame sets (no body), svg/math (foreign content, CDATA),
  // select (tags inside are dropped or reprocessed), isindex (gumbo inserts prompt text),
  // image (renamed to img).
  static const Entry kTags[] = {
      {"html", Tag::kHtml}, {"head", Tag::kHead}, {"body", Tag::kBody}, {"base", Tag::kHeadVoid},
      {"basefont", Tag::kHeadVoid}, {"bgsound", Tag::kHeadVoid}, {"link", Tag::kHeadVoid},
      {"meta", Tag::kHeadVoid}, {"title", Tag::kTitle}, {"style", Tag::kStyle}, {"noframes", Tag::kNoframes},
      {"script", Tag::kScript}, {"textarea", Tag::kTextarea}, {"xmp", Tag::kXmp}, {"iframe", Tag::kIframe},
      {"noembed", Tag::kNoembed}, {"pre", Tag::kPre}, {"listing", Tag::kListing}, {"br", Tag::kBr},
      {"table", Tag::kTable}, {"caption", Tag::kCaption}, {"colgroup", Tag::kColgroup}, {"col", Tag::kCol},
      {"tbody", Tag::kTbody}, {"thead", Tag::kThead}, {"tfoot", Tag::kTfoot}, {"tr", Tag::kTr},
      {"td", Tag::kTd}, {"th", Tag::kTh}, {"plaintext", Tag::kRefuse}, {"noscript", Tag::kRefuse},
      {"template", Tag::kRefuse}, {"frameset", Tag::kRefuse}, {"frame", Tag::kRefuse}, {"svg", Tag::kRefuse},
      {"math", Tag::kRefuse}, {"select", Tag::kRefuse}, {"isindex", Tag::kRefuse}, {"image", Tag::kRefuse},
  };
  if (name.size() > 9) return Tag::kOther;
  for (const auto& e : kTags)
    if (e.name == name) return e.tag;
  return Tag::kOther;
}

bool IsTableStructure(Tag t) {
  return t == Tag::kCaption || t == Tag::kColgroup || t == Tag::kCol || t == Tag::kTbody || t == Tag::kThead ||
         t == Tag::kTfoot || t == Tag::kTr || t == Tag::kTd || t == Tag::kTh;
}
bool IsSection(Tag t) { return t == Tag::kTbody || t == Tag::kThead || t == Tag::kTfoot; }

// Named references we decode (they must end in ';'). Anything else named is refused.
struct Named {
  std::string_view name;
  uint32_t cp;
};
const Named kNamed[] = {
    {"amp", '&'},       {"lt", '<'},        {"gt", '>'},        {"quot", '"'},      {"apos", '\''},
    {"nbsp", 0xA0},     {"copy", 0xA9},     {"reg", 0xAE},      {"trade", 0x2122},  {"mdash", 0x2014},
    {"ndash", 0x2013},  {"hellip", 0x2026}, {"lsquo", 0x2018},  {"rsquo", 0x2019},  {"ldquo", 0x201C},
    {"rdquo", 0x201D},  {"laquo", 0xAB},    {"raquo", 0xBB},    {"middot", 0xB7},   {"bull", 0x2022},
    {"times", 0xD7},    {"deg", 0xB0},      {"euro", 0x20AC},   {"pound", 0xA3},    {"yen", 0xA5},
    {"cent", 0xA2},     {"sect", 0xA7},     {"para", 0xB6},     {"eacute", 0xE9},   {"egrave", 0xE8},
    {"aacute", 0xE1},   {"agrave", 0xE0},   {"ouml", 0xF6},     {"uuml", 0xFC},     {"auml", 0xE4},
    {"szlig", 0xDF},    {"ccedil", 0xE7},   {"iacute", 0xED},   {"oacute", 0xF3},   {"uacute", 0xFA},
    {"ntilde", 0xF1},   {"rarr", 0x2192},   {"larr", 0x2190},   {"ensp", 0x2002},   {"emsp", 0x2003},
    {"thinsp", 0x2009}, {"zwnj", 0x200C},   {"zwj", 0x200D},    {"shy", 0xAD},      {"frac12", 0xBD},
};

// Names the spec also matches without ';' (the legacy entities): "&copyright" decodes "&copy".
const std::string_view kLegacy[] = {
    "AElig", "AMP", "Aacute", "Acirc", "Agrave", "Aring", "Atilde", "Auml", "COPY", "Ccedil", "ETH", "Eacute",
    "Ecirc", "Egrave", "Euml", "GT", "Iacute", "Icirc", "Igrave", "Iuml", "LT", "Ntilde", "Oacute", "Ocirc",
    "Ograve", "Oslash", "Otilde", "Ouml", "QUOT", "REG", "THORN", "Uacute", "Ucirc", "Ugrave", "Uuml", "Yacute",
    "aacute", "acirc", "acute", "aelig", "agrave", "amp", "aring", "atilde", "auml", "brvbar", "ccedil", "cedil",
    "cent", "copy", "curren", "deg", "divide", "eacute", "ecirc", "egrave", "eth", "euml", "frac12", "frac14",
    "frac34", "gt", "iacute", "icirc", "iexcl", "igrave", "iquest", "iuml", "laquo", "lt", "macr", "micro",
    "middot", "nbsp", "not", "ntilde", "oacute", "ocirc", "ograve", "ordf", "ordm", "oslash", "otilde", "ouml",
    "para", "plusmn", "pound", "quot", "raquo", "reg", "sect", "shy", "sup1", "sup2", "sup3", "szlig", "thorn",
    "times", "uacute", "ucirc", "ugrave", "uml", "uuml", "yacute", "yen", "yuml",
};

// Numeric references whose value the spec (or gumbo) maps or flags: NUL, controls, C1 (mapped
// through windows-1252), surrogates, noncharacters, out of range. Only plain values are kept.
bool PlainNumeric(uint64_t c) {
  if (c == '\t' || c == '\n' || c == '\f') return true;
  if (c < 0x20 || (c >= 0x7F && c < 0xA0)) return false;
  if (c >= 0xD800 && c <= 0xDFFF) return false;
  if (c >= 0xFDD0 && c <= 0xFDEF) return false;
  if ((c & 0xFFFE) == 0xFFFE) return false;
  return c <= 0x10FFFF;
}

class Extractor {
 public:
  explicit Extractor(std::string_view in) : in_(in) { out_.reserve(in.size() / 2); }

  bool Run() {
    const size_t n = in_.size();
    size_t next_lt = 0, next_amp = 0;  // cached memchr results (npos-like n when none)
    auto find_from = [&](char c, size_t from) {
      const void* p = from < n ? std::memchr(in_.data() + from, c, n - from) : nullptr;
      return p ? static_cast<size_t>(static_cast<const char*>(p) - in_.data()) : n;
    };
    next_lt = find_from('<', 0);
    next_amp = find_from('&', 0);
    while (i_ < n) {
      if (next_lt < i_) next_lt = find_from('<', i_);
      if (next_amp < i_) next_amp = find_from('&', i_);
      size_t j = std::min(next_lt, next_amp);
      if (j > i_ && !Emit(i_, j)) return false;
      i_ = j;
      if (i_ >= n) break;
      if (in_[i_] == '&') {
        if (!CharRef()) return false;
      } else if (!Markup()) {
        return false;
      }
    }
    return true;
  }

  std::string& out() { return out_; }

 private:
  // Where text goes: before <body> (head or nowhere), or the body; inside a table the mode
  // says whether text would be foster-parented.
  enum class Phase : uint8_t { kPreHead, kInHead, kAfterHead, kBody };
  enum class Mode : uint8_t { kTable, kColGroup, kSection, kRow, kCell, kCaption };
  struct Frame {
    Mode mode;
    Tag section = Tag::kTbody;
    Tag cell = Tag::kTd;
  };

  // Character tokens: input bytes [b, e), or decoded reference text.
  bool Emit(size_t b, size_t e) { return EmitBytes(in_.data() + b, in_.data() + e); }
  bool EmitBytes(const char* b, const char* e) {
    if (drop_lf_ && b < e) {
      // The token right after <pre>, <listing>, <textarea>: a newline there is dropped.
      drop_lf_ = false;
      if (*b == '\n') ++b;
    }
    if (phase_ != Phase::kBody) {
      // Whitespace before the body goes into <head> or <html>; other text opens the body.
      while (b < e && IsWs(*b)) ++b;
      if (b == e) return true;
      phase_ = Phase::kBody;
    }
    if (!in_raw_element_ && TableLike()) {
      // Non-whitespace text directly in a table is foster-parented (moved before the table).
      for (const char* p = b; p < e; ++p)
        if (!IsWs(*p)) return false;
    }
    out_.append(b, e - b);
    return true;
  }

  bool TableLike() const {
    if (tables_.empty()) return false;
    Mode m = tables_.back().mode;
    return m != Mode::kCell && m != Mode::kCaption;
  }

  // At '&' in data or RCDATA.
  bool CharRef() {
    const size_t n = in_.size();
    size_t j = i_ + 1;
    if (j < n && in_[j] == '#') {
      ++j;
      bool hex = j < n && (in_[j] == 'x' || in_[j] == 'X');
      if (hex) ++j;
      size_t start = j;
      uint64_t v = 0;
      while (j < n && j - start < 9) {
        char c = in_[j];
        int d = IsDigit(c) ? c - '0' : hex && IsAlpha(c) && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
        if (d < 0) break;
        v = v * (hex ? 16 : 10) + d;
        ++j;
      }
      // No digits ("&#x"), too many digits, or no ';' (decoded anyway, with a parse error): refuse.
      if (j == start || j - start >= 9 || j >= n || in_[j] != ';' || !PlainNumeric(v)) return false;
      std::string tmp;
      unicode::AppendUtf8(static_cast<uint32_t>(v), tmp);
      i_ = j + 1;
      return EmitBytes(tmp.data(), tmp.data() + tmp.size());
    }
    if (j >= n || !IsAlpha(in_[j])) return EmitLiteral(1);  // not a reference: a literal '&'
    size_t k = j;
    while (k < n && IsAlnum(in_[k])) ++k;
    std::string_view name = in_.substr(j, k - j);
    if (k < n && in_[k] == ';') {
      for (const auto& e : kNamed) {
        if (e.name != name) continue;
        std::string tmp;
        unicode::AppendUtf8(e.cp, tmp);
        i_ = k + 1;
        return EmitBytes(tmp.data(), tmp.data() + tmp.size());
      }
      return false;  // another (or no) entity: the full table decides
    }
    // Without ';' only a legacy name can match, as a prefix ("&notit" is "¬it"): refuse those.
    for (auto l : kLegacy)
      if (name.substr(0, l.size()) == l) return false;
    return EmitLiteral(1);
  }

  bool EmitLiteral(size_t len) {
    size_t b = i_;
    i_ += len;
    return Emit(b, i_);
  }

  // At '<' in the data state.
  bool Markup() {
    const size_t n = in_.size();
    if (i_ + 1 >= n) return EmitLiteral(1);  // "<" at EOF is text
    char c = in_[i_ + 1];
    // Every token but a literal '<' (emitted as text) and "</>" (no token) ends the chance
    // to drop a newline after <pre>.
    if (c == '/' && i_ + 2 < n && in_[i_ + 2] == '>') {
      i_ += 3;
      return true;
    }
    if (IsAlpha(c) || c == '/' || c == '!' || c == '?') drop_lf_ = false;
    if (IsAlpha(c)) return TagToken(i_ + 1, /*end=*/false);
    if (c == '/') {
      if (i_ + 2 >= n) return EmitLiteral(2);  // so is "</"
      char d = in_[i_ + 2];
      if (IsAlpha(d)) return TagToken(i_ + 2, /*end=*/true);
      return BogusComment(i_ + 2);
    }
    if (c == '!') {
      if (in_.compare(i_, 4, "<!--") == 0) return Comment();
      if (i_ + 9 <= n) {
        bool doctype = true;
        for (int k = 0; k < 7; ++k) doctype = doctype && (in_[i_ + 2 + k] | 0x20) == "doctype"[k];
        // A DOCTYPE ends at the first '>', quoted identifiers included; it never adds text.
        if (doctype) return BogusComment(i_ + 9);
      }
      return BogusComment(i_ + 2);
    }
    if (c == '?') return BogusComment(i_ + 1);
    return EmitLiteral(1);  // '<' not starting markup is text
  }

  bool BogusComment(size_t from) {
    size_t e = in_.find('>', from);
    i_ = e == std::string_view::npos ? in_.size() : e + 1;  // EOF ends the comment (no text)
    return true;
  }

  bool Comment() {
    const size_t n = in_.size();
    size_t j = i_ + 4;
    // "<!-->" and "<!--->" are (abrupt) empty comments; "--!>" also closes one: refuse them.
    if (j < n && in_[j] == '>') return false;
    if (j + 1 < n && in_[j] == '-' && in_[j + 1] == '>') return false;
    for (;;) {
      size_t p = in_.find("--", j);
      size_t k = p == std::string_view::npos ? n : p + 2;
      while (k < n && in_[k] == '-') ++k;
      if (k >= n) {  // EOF in a comment emits the comment: no text
        i_ = n;
        return true;
      }
      if (in_[k] == '!') return false;
      if (in_[k] == '>') {
        i_ = k + 1;
        return true;
      }
      j = k;
    }
  }

  // Skips a tag's attributes from `j` (just after the name) to after its '>'; npos at EOF.
  size_t SkipAttributes(size_t j) const {
    const size_t n = in_.size();
    enum { kBeforeName, kName, kAfterName, kBeforeValue, kAfterQuoted } st = kBeforeName;
    while (j < n) {
      char c = in_[j];
      if (c == '/' && st != kBeforeValue) {  // self-closing start tag state
        if (++j >= n) return std::string_view::npos;
        if (in_[j] == '>') return j + 1;
        st = kBeforeName;
        continue;
      }
      switch (st) {
        case kBeforeName:
          if (c == '>') return j + 1;
          st = IsWs(c) ? kBeforeName : kName;
          ++j;
          break;
        case kName:
        case kAfterName:
          if (c == '>') return j + 1;
          if (c == '=') st = kBeforeValue;
          else if (IsWs(c)) st = kAfterName;
          else st = kName;
          ++j;
          break;
        case kBeforeValue:
          if (IsWs(c)) {
            ++j;
          } else if (c == '"' || c == '\'') {
            size_t q = in_.find(c, j + 1);
            if (q == std::string_view::npos) return q;
            j = q + 1;
            st = kAfterQuoted;
          } else if (c == '>') {
            return j + 1;
          } else {  // unquoted value: ends at whitespace or '>'
            while (j < n && !IsWs(in_[j]) && in_[j] != '>') ++j;
            if (j < n && in_[j] == '>') return j + 1;
            st = kBeforeName;
          }
          break;
        case kAfterQuoted:
          if (c == '>') return j + 1;
          if (IsWs(c)) ++j;
          st = kBeforeName;  // otherwise reconsumed as the next attribute's name
          break;
      }
    }
    return std::string_view::npos;
  }

  // A start or end tag whose name starts at `name_at`.
  bool TagToken(size_t name_at, bool end) {
    const size_t n = in_.size();
    size_t j = name_at;
    char lower[10];
    size_t len = 0;
    while (j < n && !IsWs(in_[j]) && in_[j] != '/' && in_[j] != '>') {
      if (len < sizeof lower) lower[len] = static_cast<char>(in_[j] >= 'A' && in_[j] <= 'Z' ? in_[j] | 0x20 : in_[j]);
      ++len;
      ++j;
    }
    Tag tag = len <= sizeof lower ? TagOf(std::string_view(lower, len)) : Tag::kOther;
    size_t after = SkipAttributes(j);
    if (after == std::string_view::npos) {  // EOF in a tag drops the tag, and that is the end
      i_ = n;
      return true;
    }
    i_ = after;
    // Only the raw-text elements (names of at most 8 letters) use the name.
    return end ? EndTag(tag) : StartTag(tag, std::string_view(lower, std::min(len, sizeof lower)));
  }

  // Raw text (RAWTEXT, RCDATA, script data) of the element just opened, up to its end tag.
  bool RawText(std::string_view name, bool rcdata, bool script, bool drop_lf) {
    const size_t n = in_.size();
    size_t e = i_;
    for (;;) {
      e = in_.find("</", e);
      if (e == std::string_view::npos) {
        // EOF: the content so far is text, unless the input ends inside what may be the start
        // of the end tag ("</tit"), which the end-tag-name states emit in their own way.
        size_t last = in_.rfind("</");
        if (last != std::string_view::npos && last >= i_) {
          bool letters = true;
          for (size_t k = last + 2; k < n; ++k) letters = letters && IsAlpha(in_[k]);
          if (letters) return false;
        }
        e = n;
        break;
      }
      size_t k = e + 2;
      bool match = k + name.size() < n;
      for (size_t m = 0; match && m < name.size(); ++m) match = (in_[k + m] | 0x20) == name[m];
      if (match && (IsWs(in_[k + name.size()]) || in_[k + name.size()] == '/' || in_[k + name.size()] == '>')) break;
      e += 2;
    }
    // "<!--" in a script starts the script-data escape states, which can hide "</script>".
    if (script && in_.substr(i_, e - i_).find("<!--") != std::string_view::npos) return false;
    size_t b = i_;
    // EOF inside the end tag drops it; the content before it is still text.
    size_t after = e == n ? n : SkipAttributes(e + 2 + name.size());
    if (after == std::string_view::npos) after = n;
    drop_lf_ = drop_lf;  // "&#10;" as the first token is dropped too, so decode first
    in_raw_element_ = true;  // the text is inside this element, never foster-parented
    if (phase_ == Phase::kBody) {
      if (!rcdata) {
        if (!Emit(b, e)) return false;
      } else {
        for (i_ = b; i_ < e;) {
          size_t amp = in_.find('&', i_);
          if (amp == std::string_view::npos || amp > e) amp = e;
          if (!Emit(i_, amp)) return false;
          i_ = amp;
          // A reference running into the end tag cannot happen: names stop at '<'.
          if (i_ < e && !CharRef()) return false;
        }
      }
    }
    in_raw_element_ = false;
    drop_lf_ = false;
    i_ = after;
    return true;
  }

  bool InBodyStart(Tag tag, std::string_view name) {
    switch (tag) {
      case Tag::kRefuse:
        return false;
      case Tag::kTable:
        tables_.push_back({Mode::kTable});
        return true;
      case Tag::kTitle:
        return RawText(name, true, false, false);
      case Tag::kTextarea:
        return RawText(name, true, false, true);
      case Tag::kStyle:
      case Tag::kXmp:
      case Tag::kIframe:
      case Tag::kNoembed:
      case Tag::kNoframes:
        return RawText(name, false, false, false);
      case Tag::kScript:
        return RawText(name, false, true, false);
      case Tag::kPre:
      case Tag::kListing:
        // A newline token right after <pre> or <listing> is dropped by the tree builder.
        drop_lf_ = true;
        return true;
      default:
        return true;  // table parts outside a table are ignored; the rest do not move text
    }
  }

  bool StartTag(Tag tag, std::string_view name) {
    if (phase_ != Phase::kBody) {
      switch (tag) {
        case Tag::kHtml:
          return true;
        case Tag::kHead:
        case Tag::kHeadVoid:
          if (phase_ == Phase::kPreHead) phase_ = Phase::kInHead;
          return true;
        case Tag::kTitle:
        case Tag::kStyle:
        case Tag::kNoframes:
        case Tag::kScript:
          if (phase_ == Phase::kPreHead) phase_ = Phase::kInHead;
          // Their text goes into <head>; RawText only emits in the body.
          return RawText(name, tag == Tag::kTitle, tag == Tag::kScript, false);
        case Tag::kRefuse:
          return false;
        case Tag::kBody:
          phase_ = Phase::kBody;
          return true;
        default:
          phase_ = Phase::kBody;  // any other start tag opens the body implicitly
          break;
      }
    }
    for (;;) {
      if (tables_.empty()) return InBodyStart(tag, name);
      Frame& f = tables_.back();
      switch (f.mode) {
        case Mode::kCell:
        case Mode::kCaption:
          if (!IsTableStructure(tag)) return InBodyStart(tag, name);
          f.mode = f.mode == Mode::kCell ? Mode::kRow : Mode::kTable;  // closes the cell/caption
          continue;
        case Mode::kTable:
          switch (tag) {
            case Tag::kCaption: f.mode = Mode::kCaption; return true;
            case Tag::kColgroup:
            case Tag::kCol: f.mode = Mode::kColGroup; return true;
            case Tag::kTbody:
            case Tag::kThead:
            case Tag::kTfoot: f.mode = Mode::kSection; f.section = tag; return true;
            case Tag::kTd:
            case Tag::kTh:
            case Tag::kTr: f.mode = Mode::kSection; f.section = Tag::kTbody; continue;
            case Tag::kTable: PopTable(); continue;  // closes this table, opens a new one
            default: return TableOther(tag, name);
          }
        case Mode::kColGroup:
          if (tag == Tag::kCol) return true;
          if (tag == Tag::kHtml) return false;
          f.mode = Mode::kTable;
          continue;
        case Mode::kSection:
          if (tag == Tag::kTr) { f.mode = Mode::kRow; return true; }
          if (tag == Tag::kTd || tag == Tag::kTh) { f.mode = Mode::kRow; continue; }
          if (IsTableStructure(tag)) { f.mode = Mode::kTable; continue; }
          return TableOther(tag, name);
        case Mode::kRow:
          if (tag == Tag::kTd || tag == Tag::kTh) { f.mode = Mode::kCell; f.cell = tag; return true; }
          if (IsTableStructure(tag)) { f.mode = Mode::kSection; continue; }
          return TableOther(tag, name);
      }
    }
  }

  // A start tag in table context that is not table structure: only script and style are
  // inserted in place; anything else is foster-parented (refused).
  bool TableOther(Tag tag, std::string_view name) {
    if (tag == Tag::kScript || tag == Tag::kStyle) return InBodyStart(tag, name);
    return false;
  }

  void PopTable() { tables_.pop_back(); }  // the parent frame (if any) is in a cell or caption

  static bool IgnoredInTable(Tag t) {
    return t == Tag::kBody || t == Tag::kCaption || t == Tag::kCol || t == Tag::kColgroup || t == Tag::kHtml ||
           t == Tag::kTbody || t == Tag::kTd || t == Tag::kTfoot || t == Tag::kTh || t == Tag::kThead ||
           t == Tag::kTr;
  }

  bool EndTag(Tag tag) {
    if (phase_ != Phase::kBody) {
      if (tag == Tag::kHead) {
        phase_ = Phase::kAfterHead;
        return true;
      }
      // </body>, </html> and </br> imply the head and the body; </br> then acts as <br>.
      if (tag == Tag::kBody || tag == Tag::kHtml || tag == Tag::kBr) phase_ = Phase::kBody;
      return true;  // other end tags before the body are ignored
    }
    for (;;) {
      if (tables_.empty()) return true;  // outside tables end tags do not move text
      Frame& f = tables_.back();
      switch (f.mode) {
        case Mode::kCell:
          if (tag == Tag::kTd || tag == Tag::kTh) {
            if (tag == f.cell) f.mode = Mode::kRow;
            return true;
          }
          if (tag == Tag::kTable || tag == Tag::kTr || (IsSection(tag) && tag == f.section)) {
            f.mode = Mode::kRow;
            continue;
          }
          return true;  // ignored, or an in-body end tag that stops at the cell
        case Mode::kCaption:
          if (tag == Tag::kCaption) { f.mode = Mode::kTable; return true; }
          if (tag == Tag::kTable) { f.mode = Mode::kTable; continue; }
          return true;
        case Mode::kTable:
          if (tag == Tag::kTable) { PopTable(); return true; }
          if (IgnoredInTable(tag)) return true;
          return false;  // would be processed with foster parenting
        case Mode::kColGroup:
          if (tag == Tag::kCol) return true;
          f.mode = Mode::kTable;
          if (tag == Tag::kColgroup) return true;
          continue;
        case Mode::kSection:
          if (IsSection(tag)) {
            if (tag == f.section) f.mode = Mode::kTable;
            return true;
          }
          if (tag == Tag::kTable) { f.mode = Mode::kTable; continue; }
          if (IgnoredInTable(tag)) return true;
          return false;
        case Mode::kRow:
          if (tag == Tag::kTr) { f.mode = Mode::kSection; return true; }
          if (tag == Tag::kTable || (IsSection(tag) && tag == f.section)) { f.mode = Mode::kSection; continue; }
          if (IsSection(tag)) return true;
          if (IgnoredInTable(tag)) return true;
          return false;
      }
    }
  }

  std::string_view in_;
  size_t i_ = 0;
  std::string out_;
  Phase phase_ = Phase::kPreHead;
  std::vector<Frame> tables_;
  bool drop_lf_ = false;         // the next character token is dropped if it is a newline
  bool in_raw_element_ = false;  // emitting the content of script/style/title/...
};

}  // namespace

std::optional<std::string> HtmlBodyTextFast(std::string_view html) {
  if (!PreprocessingIsIdentity(html)) return std::nullopt;
  Extractor x(html);
  if (!x.Run()) return std::nullopt;
  return std::move(x.out());
}

}  // namespace winnow
