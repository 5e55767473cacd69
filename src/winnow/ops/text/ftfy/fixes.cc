// ftfy.fixes: the individual str -> str fixers that fix_text applies. Each returns false when
// the text would come back unchanged, so the common case copies nothing.
#include <algorithm>
#include <cstring>

#include "winnow/ops/text/ftfy/ftfy.h"
#include "winnow/ops/text/ftfy/ftfy_internal.h"

namespace winnow::ftfy::internal {
namespace {

// ASCII-only character tests (the <cctype> ones depend on the C locale).
inline bool AsciiDigit(unsigned char c) { return c >= '0' && c <= '9'; }
inline bool AsciiAlpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
inline bool AsciiAlnum(unsigned char c) { return AsciiDigit(c) || AsciiAlpha(c); }
inline bool AsciiHex(unsigned char c) { return AsciiDigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }

// Applies a per-code-point replacement: repl(cp, &r) returns true when cp must become r (maybe
// empty, a deletion) and r differs from cp. With ascii_too false, ASCII bytes are never offered
// (they are skipped eight at a time).
template <typename Repl>
bool Translate(std::string_view text, bool ascii_too, Repl repl, std::string* out) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  std::string r;
  bool started = false;
  size_t copied = 0, i = 0;
  std::string_view rep;
  while (i < n) {
    if (!ascii_too) {
      i = SkipAscii(text, i);
      if (i >= n) break;
    }
    int len;
    uint32_t cp = Decode(p + i, &len);
    if (repl(cp, &rep)) {
      if (!started) {
        r.reserve(n + 16);
        started = true;
      }
      r.append(text.data() + copied, i - copied);
      r.append(rep);
      copied = i + len;
    }
    i += len;
  }
  if (!started) return false;
  r.append(text.data() + copied, n - copied);
  *out = std::move(r);
  return true;
}

// Length of an HTML_ENTITY_RE match (&#?[0-9A-Za-z]{1,24};) at text[i] == '&', or 0.
size_t EntityMatchLength(std::string_view text, size_t i) {
  auto run_then_semicolon = [&](size_t k) -> size_t {
    size_t r = 0;
    while (k + r < text.size() && r <= 24 && AsciiAlnum(static_cast<unsigned char>(text[k + r]))) ++r;
    if (r >= 1 && r <= 24 && k + r < text.size() && text[k + r] == ';') return k + r + 1 - i;
    return 0;
  };
  if (i + 1 < text.size() && text[i + 1] == '#') {
    if (size_t len = run_then_semicolon(i + 2)) return len;
  }
  return run_then_semicolon(i + 1);
}

// fixes._unescape_fixup for a numeric "&#...;" reference missing from HTML_ENTITIES: what
// html.unescape makes of it, unless it leaves a ';' behind (then the text stays as is).
bool AppendNumericReference(std::string_view m, std::string* out) {
  std::string_view body = m.substr(2, m.size() - 3);
  uint64_t num = 0;
  constexpr uint64_t kCap = 0x7FFFFFFF;  // anything above 0x10FFFF decodes the same
  auto all_of = [](std::string_view s, bool (*pred)(unsigned char)) {
    for (char c : s)
      if (!pred(static_cast<unsigned char>(c))) return false;
    return !s.empty();
  };
  if (all_of(body, AsciiDigit)) {
    for (char c : body) num = std::min(kCap, num * 10 + static_cast<uint64_t>(c - '0'));
  } else if ((body[0] == 'x' || body[0] == 'X') && all_of(body.substr(1), AsciiHex)) {
    for (char c : body.substr(1)) {
      int d = AsciiDigit(static_cast<unsigned char>(c)) ? c - '0' : ((c | 0x20) - 'a' + 10);
      num = std::min(kCap, num * 16 + static_cast<uint64_t>(d));
    }
  } else {
    return false;  // html.unescape decodes only a prefix (or nothing): a ';' remains
  }
  std::string decoded;
  AppendCharref(num, &decoded);
  if (decoded.find(';') != std::string::npos) return false;
  out->append(decoded);
  return true;
}

}  // namespace

bool UnescapeHtml(std::string_view text, std::string* out) {
  size_t i = text.find('&');
  if (i == std::string_view::npos) return false;
  std::string r;
  bool changed = false;
  size_t copied = 0;
  while (i != std::string_view::npos && i < text.size()) {
    size_t len = EntityMatchLength(text, i);
    if (len == 0) {
      i = text.find('&', i + 1);
      continue;
    }
    std::string_view m = text.substr(i, len);
    size_t before = r.size();
    r.append(text.data() + copied, i - copied);
    bool replaced = false;
    if (const char* v = LookupEntity(m)) {
      r.append(v);
      replaced = true;
    } else if (m[1] == '#') {
      replaced = AppendNumericReference(m, &r);
    }
    if (!replaced) {
      r.resize(before);  // leave the match (and what precedes it) to be copied later
    } else {
      changed = true;
      copied = i + len;
    }
    i = text.find('&', i + len);
  }
  if (!changed) return false;
  r.append(text.data() + copied, text.size() - copied);
  if (r == text) return false;
  *out = std::move(r);
  return true;
}

bool DecodeInconsistentUtf8(std::string_view text, std::string* out) {
  std::string r;
  bool any = Pattern::Get(Pattern::kUtf8Detector)
                 .Sub(text,
                      [&](std::string_view m, std::string* o) {
                        // Only shorter pieces, so that this cannot recurse forever.
                        if (m.size() < text.size() && IsBad(m)) {
                          o->append(FixEncoding(m));
                        } else {
                          o->append(m);
                        }
                      },
                      &r);
  if (!any || r == text) return false;
  *out = std::move(r);
  return true;
}

bool FixC1Controls(std::string_view text, std::string* out) {
  // Each C1 control is its latin-1 byte read as sloppy-windows-1252 (five map to themselves).
  static const auto* kUtf8 = [] {
    auto* t = new std::string[32];
    for (uint32_t b = 0x80; b < 0xA0; ++b) Append(SloppyCp1252High(b), &t[b - 0x80]);
    return t;
  }();
  return Translate(
      text, false,
      [](uint32_t cp, std::string_view* rep) {
        if (cp < 0x80 || cp > 0x9F || SloppyCp1252High(cp) == cp) return false;
        *rep = kUtf8[cp - 0x80];
        return true;
      },
      out);
}

namespace {

// fix_c1_controls, fix_latin_ligatures, fix_character_width, uncurl_quotes and the U+0085 /
// U+2028 / U+2029 part of fix_line_breaks, applied in that order to one code point. Each is a
// per-character translation, so composing them per character gives what running them one after
// another over the whole string gives. Returns the number of code points written to out.
int MapCharacter(uint32_t cp, uint32_t out[16]) {
  if (cp >= 0x80 && cp <= 0x9F) cp = SloppyCp1252High(cp);
  int n = 0;
  bool maybe_ligature = (cp >= 0x132 && cp <= 0x1F3) || (cp >= 0xFB00 && cp <= 0xFB06);
  if (const char* lig = maybe_ligature ? LookupLigature(cp) : nullptr) {
    for (const auto* s = reinterpret_cast<const unsigned char*>(lig); *s;) {
      int len;
      out[n++] = Decode(s, &len);
      s += len;
    }
  } else {
    out[n++] = cp;
  }
  uint32_t tmp[16];
  int m = 0;
  for (int k = 0; k < n; ++k) {
    uint32_t c = out[k];
    const char* wide = (c == 0x3000 || (c >= 0xFF01 && c <= 0xFFEF)) ? LookupWidth(c) : nullptr;
    if (!wide) {
      tmp[m++] = c;
      continue;
    }
    for (const auto* s = reinterpret_cast<const unsigned char*>(wide); *s && m < 16;) {
      int len;
      tmp[m++] = Decode(s, &len);
      s += len;
    }
  }
  for (int k = 0; k < m; ++k) {
    uint32_t c = tmp[k];
    if (c == 0x2BC || (c >= 0x2018 && c <= 0x201B)) c = '\'';
    else if (c >= 0x201C && c <= 0x201F) c = '"';
    else if (c == 0x85 || c == 0x2028 || c == 0x2029) c = '\n';
    out[k] = c;
  }
  return m;
}

bool IsRemovedControl(uint32_t cp) {
  if (cp < 0x80) return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\f' && cp != '\r') || cp == 0x7F;
  return cp >= 0x206A && IsControlChar(cp);
}

}  // namespace

bool FixCharacters(std::string_view text, std::string* out) {
  // Pass 1: the per-character fixers and fix_line_breaks (\r\n and \r -> \n; no earlier fixer
  // produces or removes \r or \n, so looking at the raw next byte is exact).
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  std::string r;
  bool changed = false, controls = false;
  size_t copied = 0;
  auto start_change = [&](size_t at) {
    if (!changed) r.reserve(n + 16);
    changed = true;
    r.append(text.data() + copied, at - copied);
  };
  for (size_t i = 0; i < n;) {
    if (p[i] < 0x80) {
      i = SkipPlainAscii(p, i, n);
      if (i >= n) break;
    }
    unsigned char c = p[i];
    if (c < 0x80) {
      if (c == '\r') {
        start_change(i);
        r.push_back('\n');
        i += (i + 1 < n && p[i + 1] == '\n') ? 2 : 1;
        copied = i;
        continue;
      }
      controls = controls || IsRemovedControl(c);
      ++i;
      continue;
    }
    if (IsCjkLead(c) && !(kCjkFlags & kFixer)) {
      i += 3;
      continue;
    }
    int len;
    uint32_t cp = Decode(p + i, &len);
    if (Flags(cp) & kFixer) {
      uint32_t mapped[16];
      int m = MapCharacter(cp, mapped);
      if (m != 1 || mapped[0] != cp) {
        start_change(i);
        for (int k = 0; k < m; ++k) {
          Append(mapped[k], &r);
          controls = controls || IsRemovedControl(mapped[k]);
        }
        copied = i + len;
      } else {
        controls = controls || IsRemovedControl(cp);
      }
    }
    i += len;
  }
  if (changed) r.append(text.data() + copied, n - copied);
  // Pass 2: fix_surrogates, remove_terminal_escapes, remove_control_chars (ESC is a control
  // character, so neither of the last two can act without one).
  std::string_view cur = changed ? std::string_view(r) : text;
  std::string tmp;
  bool more = false;
  if (FixSurrogates(cur, &tmp)) {
    r.swap(tmp);
    cur = r;
    more = true;
  }
  if (controls || more) {
    if (RemoveTerminalEscapes(cur, &tmp)) {
      r.swap(tmp);
      cur = r;
      more = true;
    }
    if (RemoveControlChars(cur, &tmp)) {
      r.swap(tmp);
      more = true;
    }
  }
  if (!changed && !more) return false;
  *out = std::move(r);
  return true;
}

// Python strings can hold lone UTF-16 surrogates; UTF-8 cannot, and no ftfy step creates one
// from valid UTF-8 (utf-8-variants pairs them up or fails). Surrogates can therefore only appear
// here in generalized UTF-8 (ED A0-BF xx), which this handles the way fix_surrogates would:
// a high + low pair becomes its code point, any other surrogate U+FFFD.
bool FixSurrogates(std::string_view text, std::string* out) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  auto surrogate_at = [&](size_t i) -> uint32_t {
    if (i + 2 < n && p[i] == 0xED && p[i + 1] >= 0xA0 && p[i + 1] <= 0xBF)
      return 0xD000 | ((p[i + 1] & 0x3Fu) << 6) | (p[i + 2] & 0x3Fu);
    return 0;
  };
  size_t first = 0;
  while ((first = text.find('\xED', first)) != std::string_view::npos && !surrogate_at(first)) ++first;
  if (first == std::string_view::npos) return false;
  std::string r(text.substr(0, first));
  for (size_t i = first; i < n;) {
    uint32_t s = surrogate_at(i);
    if (!s) {
      r.push_back(static_cast<char>(p[i++]));
      continue;
    }
    uint32_t t = surrogate_at(i + 3);
    if (s < 0xDC00 && t >= 0xDC00) {
      Append(0x10000 + ((s - 0xD800) << 10) + (t - 0xDC00), &r);
      i += 6;
    } else {
      r.append("\xEF\xBF\xBD");
      i += 3;
    }
  }
  *out = std::move(r);
  return true;
}

bool RemoveTerminalEscapes(std::string_view text, std::string* out) {
  // ANSI_RE: ESC '[' (\d | ';')* [a-zA-Z], with Python's Unicode \d.
  size_t i = text.find('\x1B');
  if (i == std::string_view::npos) return false;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  std::string r;
  bool changed = false;
  size_t copied = 0;
  while (i != std::string_view::npos) {
    size_t j = i + 1;
    size_t end = 0;
    if (j < text.size() && p[j] == '[') {
      ++j;
      while (j < text.size()) {
        if (p[j] == ';') {
          ++j;
          continue;
        }
        int len;
        uint32_t cp = Decode(p + j, &len);
        if (!IsDecimalDigit(cp)) break;
        j += len;
      }
      if (j < text.size() && AsciiAlpha(p[j])) end = j + 1;
    }
    if (end) {
      r.append(text.data() + copied, i - copied);
      copied = end;
      changed = true;
      i = text.find('\x1B', end);
    } else {
      i = text.find('\x1B', i + 1);
    }
  }
  if (!changed) return false;
  r.append(text.data() + copied, text.size() - copied);
  *out = std::move(r);
  return true;
}

bool RemoveControlChars(std::string_view text, std::string* out) {
  return Translate(
      text, true,
      [](uint32_t cp, std::string_view* rep) {
        static const auto* kAscii = [] {
          auto* t = new bool[128];
          for (uint32_t c = 0; c < 128; ++c) t[c] = IsControlChar(c);
          return t;
        }();
        if (cp < 0x80 ? !kAscii[cp] : (cp < 0x206A || !IsControlChar(cp))) return false;
        *rep = std::string_view();
        return true;
      },
      out);
}

}  // namespace winnow::ftfy::internal
