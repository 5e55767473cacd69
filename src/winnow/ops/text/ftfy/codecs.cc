// ftfy's codecs: encoding text in a single-byte CHARMAP_ENCODING (including ftfy's "sloppy"
// windows-125x codecs, which pass unassigned bytes through as latin-1 and encode U+FFFD as
// 0x1A), the "utf-8-variants" decoder (CESU-8 surrogate pairs and Java's C0 80 null), and the two
// byte-level transcoders fix_encoding applies before decoding as UTF-8.
#include "winnow/ops/text/ftfy/ftfy_internal.h"

namespace winnow::ftfy::internal {

std::string EncodeCharmap(std::string_view text, int enc) {
  std::string out;
  out.reserve(text.size());
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    if (*p < 0x80) {
      out.push_back(static_cast<char>(*p++));
      continue;
    }
    int len;
    uint32_t cp = Decode(p, &len);
    p += len;
    out.push_back(static_cast<char>(CharmapByte(cp, enc)));
  }
  return out;
}

namespace {

inline bool Cont(unsigned char b) { return (b & 0xC0) == 0x80; }

// Length of the strictly valid UTF-8 sequence at s[i] (Python's "utf-8": no overlongs, no
// surrogates, nothing above U+10FFFF), or 0 if there is none.
size_t StrictSeqLen(const unsigned char* s, size_t i, size_t n) {
  unsigned char c = s[i];
  if (c < 0x80) return 1;
  auto at = [&](size_t k) -> int { return i + k < n ? s[i + k] : -1; };
  if (c >= 0xC2 && c <= 0xDF) return at(1) >= 0 && Cont(at(1)) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    int b1 = at(1), b2 = at(2);
    if (b1 < 0 || b2 < 0 || !Cont(b1) || !Cont(b2)) return 0;
    if (c == 0xE0 && b1 < 0xA0) return 0;
    if (c == 0xED && b1 >= 0xA0) return 0;
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    int b1 = at(1), b2 = at(2), b3 = at(3);
    if (b1 < 0 || b2 < 0 || b3 < 0 || !Cont(b1) || !Cont(b2) || !Cont(b3)) return 0;
    if (c == 0xF0 && b1 < 0x90) return 0;
    if (c == 0xF4 && b1 >= 0x90) return 0;
    return 4;
  }
  return 0;
}

}  // namespace

// ftfy's decoder searches for its special sequences and hands everything between them to
// Python's strict UTF-8 decoder, so it succeeds exactly when the bytes are valid UTF-8 apart
// from (a) C0 80, decoded as U+0000, and (b) six-byte CESU-8 surrogate pairs
// ED A0-AF 80-BF ED B0-BF 80-BF, decoded as one supplementary code point. A lone surrogate is an
// error. Its patterns use Python's `$`, which also matches before a final b"\n"; the decoder
// then still consumes a fixed number of bytes, so "C0 \n" and "ED A0-AF xx ED B0-BF \n" at the
// very end decode (swallowing the newline). That is reproduced here.
bool DecodeUtf8Variants(std::string_view bytes, std::string* out) {
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  std::string r;
  r.reserve(n);
  size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      r.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    if (c == 0xC0) {
      if (i + 1 >= n) return false;
      if (s[i + 1] == 0x80 || (i + 2 == n && s[i + 1] == '\n')) {
        r.push_back('\0');
        i += 2;
        continue;
      }
      return false;
    }
    if (c == 0xED && i + 1 < n && s[i + 1] >= 0xA0 && s[i + 1] <= 0xBF) {
      if (n - i < 6) return false;
      if (s[i + 1] <= 0xAF && Cont(s[i + 2]) && s[i + 3] == 0xED && s[i + 4] >= 0xB0 && s[i + 4] <= 0xBF &&
          (Cont(s[i + 5]) || (i + 6 == n && s[i + 5] == '\n'))) {
        uint32_t cp = ((s[i + 1] & 0x0Fu) << 16) + ((s[i + 2] & 0x3Fu) << 10) + ((s[i + 4] & 0x0Fu) << 6) +
                      (s[i + 5] & 0x3Fu) + 0x10000;
        Append(cp, &r);
        i += 6;
        continue;
      }
      return false;
    }
    size_t len = StrictSeqLen(s, i, n);
    if (len == 0) return false;
    r.append(bytes.data() + i, len);
    i += len;
  }
  *out = std::move(r);
  return true;
}

std::string RestoreByteA0(std::string_view bytes) {
  // "Ã " standing alone is "à" whose A0 byte became a space: keep the space, restore the byte
  // (fixes.A_GRAVE_WORD_RE), then turn the space inside each ALTERED_UTF8_RE match back into A0.
  std::string step1, step2;
  if (!Pattern::Get(Pattern::kAGraveWord)
           .Sub(bytes, [](std::string_view, std::string* o) { o->append("\xC3\xA0 "); }, &step1))
    step1.assign(bytes);
  if (!Pattern::Get(Pattern::kAlteredUtf8)
           .Sub(step1,
                [](std::string_view m, std::string* o) {
                  for (char ch : m) o->push_back(ch == ' ' ? '\xA0' : ch);
                },
                &step2))
    return step1;
  return step2;
}

std::string ReplaceLossySequences(std::string_view bytes) {
  std::string out;
  if (!Pattern::Get(Pattern::kLossyUtf8)
           .Sub(bytes, [](std::string_view, std::string* o) { o->append("\xEF\xBF\xBD"); }, &out))
    return std::string(bytes);
  return out;
}

}  // namespace winnow::ftfy::internal
