#include "winnow/core/regex.h"

#include "winnow/core/unicode.h"

namespace winnow {

PcreThreadState::PcreThreadState() {
  data = pcre2_match_data_create(256, nullptr);
  stack = pcre2_jit_stack_create(32 * 1024, 8 * 1024 * 1024, nullptr);
  ctx = pcre2_match_context_create(nullptr);
  pcre2_jit_stack_assign(ctx, nullptr, stack);
  // Python's re has no step limit; DJ's default link pattern backtracks heavily on some
  // inputs (a few seconds in Python). Allow ~1e9 steps (well under a second with JIT) before
  // giving up with an error, which quarantines the sample instead of hanging the run.
  pcre2_set_match_limit(ctx, 1000000000u);
}

PcreThreadState::~PcreThreadState() {
  pcre2_match_data_free(data);
  pcre2_match_context_free(ctx);
  pcre2_jit_stack_free(stack);
}

PcreThreadState& PcreThreadState::Get() {
  thread_local PcreThreadState state;
  return state;
}

namespace {

std::string PcreError(int code) {
  PCRE2_UCHAR buf[256];
  pcre2_get_error_message(code, buf, sizeof buf);
  return reinterpret_cast<char*>(buf);
}

// Unicode White_Space, what the `regex` module's \s matches (PCRE2's \s differs on U+0085 and
// U+180E).
constexpr const char* kWhiteSpace =
    R"(\t\n\x0B\f\r\x20\x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000})";

// Rewrites the parts of DJ's Python (`regex` module) syntax whose meaning differs in PCRE2:
// \s / \S become explicit White_Space classes, and [:digit:] inside a class is ASCII 0-9.
// Escapes are copied through, and character classes are tracked so a rewrite fits its context.
std::string ToPcre(std::string_view p) {
  std::string out;
  bool in_class = false;
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c == '\\' && i + 1 < p.size()) {
      char e = p[i + 1];
      if (e == 's') {
        out += in_class ? kWhiteSpace : "[" + std::string(kWhiteSpace) + "]";
      } else if (e == 'S' && !in_class) {
        out += "[^" + std::string(kWhiteSpace) + "]";
      } else {
        out.push_back(c);
        out.push_back(e);
      }
      ++i;
      continue;
    }
    if (!in_class && c == '[') {
      in_class = true;
      out.push_back(c);
      // A ']' right after '[' or '[^' is a literal member.
      if (i + 1 < p.size() && p[i + 1] == '^') out.push_back(p[++i]);
      if (i + 1 < p.size() && p[i + 1] == ']') out.push_back(p[++i]);
      continue;
    }
    if (in_class && p.substr(i, 9) == "[:digit:]") {
      out += "0-9";
      i += 8;
      continue;
    }
    if (in_class && c == '[' && i + 1 < p.size() && p[i + 1] == ':') {  // other POSIX classes as is
      size_t end = p.find(":]", i + 2);
      if (end != std::string_view::npos) {
        out.append(p.substr(i, end + 2 - i));
        i = end + 1;
        continue;
      }
    }
    if (in_class && c == ']') in_class = false;
    out.push_back(c);
  }
  return out;
}

}  // namespace

std::string StripPythonRawQuotes(const std::string& p) {
  if (p.size() > 2 && ((p.rfind("r'", 0) == 0 && p.back() == '\'') ||
                       (p.rfind("r\"", 0) == 0 && p.back() == '"')))
    return p.substr(2, p.size() - 3);
  return p;
}

Result<std::shared_ptr<const Regex>> Regex::Compile(std::string_view pattern, uint32_t flags) {
  int err = 0;
  PCRE2_SIZE off = 0;
  uint32_t opts = PCRE2_UTF | PCRE2_UCP | PCRE2_NO_UTF_CHECK;
  if (flags & kDotAll) opts |= PCRE2_DOTALL;
  if (flags & kMultiline) opts |= PCRE2_MULTILINE;
  if (flags & kIgnoreCase) opts |= PCRE2_CASELESS;
  std::string pcre = ToPcre(pattern);
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pcre.data()), pcre.size(), opts, &err, &off, nullptr);
  if (!code)
    return Status::Error("invalid regular expression at offset " + std::to_string(off) + ": " + PcreError(err));
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  // falls back to the interpreter if JIT is unavailable
  std::shared_ptr<Regex> r(new Regex());
  r->code_ = code;
  pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &r->capture_count_);
  if (r->capture_count_ >= 255) return Status::Error("regular expression has too many groups");
  return std::shared_ptr<const Regex>(std::move(r));
}

Regex::~Regex() { pcre2_code_free(code_); }

Result<bool> Regex::Search(std::string_view text) const {
  PcreThreadState& st = PcreThreadState::Get();
  int rc = pcre2_match(code_, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), 0,
                       PCRE2_NO_UTF_CHECK, st.data, st.ctx);
  if (rc >= 0) return true;
  if (rc == PCRE2_ERROR_NOMATCH) return false;
  return Status::Error("regex match failed: " + PcreError(rc));
}

Result<bool> Regex::Find(std::string_view text, size_t* begin, size_t* end) const {
  PcreThreadState& st = PcreThreadState::Get();
  int rc = pcre2_match(code_, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), 0, PCRE2_NO_UTF_CHECK,
                       st.data, st.ctx);
  if (rc == PCRE2_ERROR_NOMATCH) return false;
  if (rc < 0) return Status::Error("regex match failed: " + PcreError(rc));
  PCRE2_SIZE* ov = pcre2_get_ovector_pointer(st.data);
  *begin = ov[0];
  *end = ov[1];
  return true;
}

Status Regex::ForEachMatch(std::string_view text,
                           const std::function<void(const std::vector<std::string_view>& groups)>& f) const {
  PcreThreadState& st = PcreThreadState::Get();
  const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
  std::vector<std::string_view> groups;
  size_t pos = 0;
  uint32_t extra = 0;
  while (pos <= text.size()) {
    int rc = pcre2_match(code_, subject, text.size(), pos, PCRE2_NO_UTF_CHECK | extra, st.data, st.ctx);
    if (rc == PCRE2_ERROR_NOMATCH) {
      if (!extra || pos >= text.size()) break;
      extra = 0;  // an empty match could not be extended: step one code point
      ++pos;
      while (pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) ++pos;
      continue;
    }
    if (rc < 0) return Status::Error("regex match failed: " + PcreError(rc));
    PCRE2_SIZE* ov = pcre2_get_ovector_pointer(st.data);
    groups.assign(capture_count_ + 1, std::string_view());
    for (int g = 0; g < rc; ++g)
      if (ov[2 * g] != PCRE2_UNSET) groups[g] = text.substr(ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
    f(groups);
    extra = ov[0] == ov[1] ? (PCRE2_NOTEMPTY_ATSTART | PCRE2_ANCHORED) : 0;
    pos = ov[1];
  }
  return Status::Ok();
}

Status Regex::ParseReplacement(std::string_view repl, std::vector<Piece>* pieces) const {
  pieces->clear();
  pieces->emplace_back();
  auto group = [&](int g) -> Status {
    if (g < 0 || static_cast<uint32_t>(g) > capture_count_)
      return Status::Error("invalid group reference " + std::to_string(g) + " in replacement");
    pieces->back().group = g;
    pieces->emplace_back();
    return Status::Ok();
  };
  for (size_t i = 0; i < repl.size(); ++i) {
    char c = repl[i];
    if (c != '\\' || i + 1 >= repl.size()) {
      pieces->back().literal.push_back(c);
      continue;
    }
    char e = repl[++i];
    if (e >= '1' && e <= '9') {
      int g = e - '0';
      if (i + 1 < repl.size() && repl[i + 1] >= '0' && repl[i + 1] <= '9') g = g * 10 + (repl[++i] - '0');
      WINNOW_RETURN_IF_ERROR(group(g));
    } else if (e == 'g' && i + 1 < repl.size() && repl[i + 1] == '<') {
      size_t close = repl.find('>', i + 2);
      if (close == std::string_view::npos) return Status::Error("missing '>' in \\g<...> replacement");
      std::string name(repl.substr(i + 2, close - i - 2));
      i = close;
      bool numeric = !name.empty() && name.find_first_not_of("0123456789") == std::string::npos;
      int g = numeric ? std::stoi(name)
                      : pcre2_substring_number_from_name(code_, reinterpret_cast<PCRE2_SPTR>(name.c_str()));
      if (g < 0) return Status::Error("unknown group name '" + name + "' in replacement");
      WINNOW_RETURN_IF_ERROR(group(g));
    } else {
      switch (e) {
        case 'n': pieces->back().literal.push_back('\n'); break;
        case 't': pieces->back().literal.push_back('\t'); break;
        case 'r': pieces->back().literal.push_back('\r'); break;
        case 'f': pieces->back().literal.push_back('\f'); break;
        case 'v': pieces->back().literal.push_back('\v'); break;
        case 'a': pieces->back().literal.push_back('\a'); break;
        case 'b': pieces->back().literal.push_back('\b'); break;
        case '0': pieces->back().literal.push_back('\0'); break;
        case 'x':
        case 'u':
        case 'U': {  // the `regex` module's \xhh, \uhhhh, \Uhhhhhhhh
          size_t n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
          std::string hex(repl.substr(i + 1, n));
          if (hex.size() != n || hex.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
            return Status::Error(std::string("bad \\") + e + " escape in replacement");
          uint32_t cp = static_cast<uint32_t>(std::stoul(hex, nullptr, 16));
          if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return Status::Error("escape in replacement is not a Unicode scalar value");
          unicode::AppendUtf8(cp, pieces->back().literal);
          i += n;
          break;
        }
        case '\\': pieces->back().literal.push_back('\\'); break;
        default:
          if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z'))
            return Status::Error(std::string("bad escape \\") + e + " in replacement");
          pieces->back().literal.push_back('\\');
          pieces->back().literal.push_back(e);
      }
    }
  }
  return Status::Ok();
}

Status Regex::CheckReplacement(std::string_view repl) const {
  std::vector<Piece> pieces;
  return ParseReplacement(repl, &pieces);
}

Status Regex::Sub(std::string_view text, std::string_view repl, std::string* out, bool* replaced) const {
  return SubWindows(text, Windows{{0, text.size()}}, repl, out, replaced);
}

Status Regex::SubWindows(std::string_view text, const Windows& windows, std::string_view repl, std::string* out,
                         bool* replaced) const {
  thread_local std::vector<Piece> pieces;
  WINNOW_RETURN_IF_ERROR(ParseReplacement(repl, &pieces));
  PcreThreadState& st = PcreThreadState::Get();
  out->clear();
  *replaced = false;
  const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
  size_t copied = 0;
  for (const auto& [wbegin, wend] : windows) {
    size_t pos = wbegin;
    uint32_t extra = 0;  // PCRE2_NOTEMPTY_ATSTART | PCRE2_ANCHORED after an empty match
    while (pos <= wend) {
      // The subject ends at the window's end, so the search cannot run into later text.
      int rc = pcre2_match(code_, subject, wend, pos, PCRE2_NO_UTF_CHECK | extra, st.data, st.ctx);
      if (rc == PCRE2_ERROR_NOMATCH) {
        if (!extra) break;
        // An empty match at pos could not be extended: step one code point and search again.
        extra = 0;
        if (pos >= wend) break;
        ++pos;
        while (pos < wend && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) ++pos;
        continue;
      }
      if (rc < 0) return Status::Error("regex match failed: " + PcreError(rc));
      PCRE2_SIZE* ov = pcre2_get_ovector_pointer(st.data);
      size_t ms = ov[0], me = ov[1];
      if (!*replaced) out->reserve(text.size());
      *replaced = true;
      out->append(text.data() + copied, ms - copied);
      for (const Piece& p : pieces) {
        out->append(p.literal);
        if (p.group >= 0 && p.group < rc && ov[2 * p.group] != PCRE2_UNSET)
          out->append(text.data() + ov[2 * p.group], ov[2 * p.group + 1] - ov[2 * p.group]);
      }
      copied = me;
      pos = me;
      extra = (ms == me) ? (PCRE2_NOTEMPTY_ATSTART | PCRE2_ANCHORED) : 0;
    }
  }
  if (*replaced) out->append(text.data() + copied, text.size() - copied);
  return Status::Ok();
}

}  // namespace winnow
