// clean_links_mapper: removes (or replaces) URLs and other links.
#include "winnow/ops/text/regex_mapper.h"

namespace winnow {
namespace {
// DJ's default pattern, verbatim (case-insensitive; `\w` is Unicode-aware).
const std::string kDefaultPattern =
    R"((?i)\b()"
    R"((?:[a-z][\w-]+:(?:\/{1,3}|)"
    R"([a-z0-9%])|www\d{0,3}[.]|)"
    R"([a-z0-9.\-]+[.][a-z]{2,4}\/))"
    R"((?:[^\s()<>]+|\(([^\s()<>]+|)"
    R"((\([^\s()<>]+\)))*\)))"
    R"(+(?:\(([^\s()<>]+|(\([^\s()<>]+\)))*\)|)"
    R"([^\s`!()\[\]{};:\'\".,<>?«»“”‘’]))"
    R"())";
// A cheap necessary condition for a match inside a whitespace-free token (no branch of the
// pattern matches whitespace). Every match contains one of:
//   "<word char>:" followed by '/', [a-z0-9%]   (scheme:  [a-z][\w-]+:(?:/{1,3}|[a-z0-9%]))
//   "www"                                       (www\d{0,3}[.])
//   '.' + 2..4 letters + '/'                    ([a-z0-9.\-]+[.][a-z]{2,4}/)
// case-insensitively. Non-ASCII bytes are treated as possible word characters and letters
// (Unicode \w, and (?i) matching e.g. U+212A KELVIN SIGN for 'k'), which keeps it conservative.
bool IsWordByte(unsigned char c) {
  return c >= 0x80 || c == '_' || c == '-' || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}
bool IsLetterByte(unsigned char c) { return c >= 0x80 || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'); }

bool MayHoldLink(std::string_view token) {
  const auto* t = reinterpret_cast<const unsigned char*>(token.data());
  size_t n = token.size();
  for (size_t j = 0; j < n; ++j) {
    unsigned char c = t[j];
    if (c == ':') {
      if (j > 0 && IsWordByte(t[j - 1]) && j + 1 < n &&
          (t[j + 1] == '/' || t[j + 1] == '%' || IsWordByte(t[j + 1])))
        return true;
    } else if ((c | 0x20) == 'w') {
      if (j + 2 < n && (t[j + 1] | 0x20) == 'w' && (t[j + 2] | 0x20) == 'w') return true;
    } else if (c == '.') {
      size_t k = j + 1;
      while (k < n && k - j <= 12 && IsLetterByte(t[k])) ++k;
      if (k - j - 1 >= 2 && k < n && t[k] == '/') return true;
    }
  }
  return false;
}
// DJ's pattern with the ambiguous `(?:X+|...)+` runs written as `(?:X|...)+`: the same
// language and, for a backtracking matcher, the same first-found span (end positions are tried
// in the same decreasing order), without the exponential re-partitioning of long runs that
// makes the original take seconds on some inputs (it agrees on every document of the benchmark
// corpus). Inner capture groups may differ, so it is used only when repl references none.
const std::string kFastPattern =
    R"((?i)\b()"
    R"((?:[a-z][\w-]+:(?:\/{1,3}|)"
    R"([a-z0-9%])|www\d{0,3}[.]|)"
    R"([a-z0-9.\-]+[.][a-z]{2,4}\/))"
    R"((?:[^\s()<>]|\(([^\s()<>]|)"
    R"((\([^\s()<>]+\)))*\)))"
    R"(+(?:\(([^\s()<>]|(\([^\s()<>]+\)))*\)|)"
    R"([^\s`!()\[\]{};:\'\".,<>?«»“”‘’]))"
    R"())";
}  // namespace

const std::string& CleanLinksDefaultPattern() { return kDefaultPattern; }
const std::string& CleanLinksFastPattern() { return kFastPattern; }

void RegisterCleanLinksMapper(Registry& r) {
  r.Add({"clean_links_mapper", OpKind::kMapper, "Remove or replace links (URLs) in the text.",
         RegexMapper::Specs("links"), {},
         [](const Params& p, const OpEnv& e) {
           // Tokens are looked at only around ':', '/' or "www" (any case): each of MayHoldLink's
           // three conditions holds one of them. ('.' was an anchor too, so every sentence's end had
           // its token cut out and checked: 0.052 -> 0.028 s on the bench corpus without it.)
           return std::make_unique<RegexMapper>("clean_links_mapper", p, e, kDefaultPattern, TokenPrefilter{":/", MayHoldLink, 'w'},
                                                 &kFastPattern);
         },
         [](const Params& p) { return RegexMapper::Validate(p, kDefaultPattern); }});
}

}  // namespace winnow
