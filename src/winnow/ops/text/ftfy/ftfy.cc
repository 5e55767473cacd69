// ftfy.fix_text and the parts of ftfy's top level it needs: fix_and_explain's loop to a fixed
// point, fix_encoding's single steps (re-encoding mojibake in a single-byte encoding and decoding
// it as UTF-8), badness.is_bad, and Unicode normalization (utf8proc).
//
// Speed: most text needs no fix. The text is read once, segment by segment (16 ASCII bytes at a
// time, one table lookup per other code point; runs of common CJK in bulk), noting anything a
// step could act on: an '&' while HTML unescaping is on, a character some fixer changes, a
// character that is not already in the normalization form on its own, or one of the few hundred
// characters BADNESS_RE needs to match. A segment with none of these is returned as is; one with
// only the last kind is checked with is_bad, which runs the regex only near those characters.
// Within fix_and_explain's rounds, a step runs only if the round's scan shows something for it or
// an earlier step of the round changed the text, which gives the same result as running them all.
//
// Known limits (no effect on valid UTF-8 input): Python strings can hold lone surrogates and UTF-8
// cannot (see FixSurrogates); invalid UTF-8 input is read as Python's decode(errors="replace").
#include "winnow/ops/text/ftfy/ftfy.h"

#include "winnow/core/unicode.h"

#include <emmintrin.h>
#include <utf8proc.h>

#include <cstdlib>
#include <cstring>

#include "winnow/ops/text/ftfy/badness_matcher.h"
#include "winnow/ops/text/ftfy/ftfy_internal.h"

namespace winnow::ftfy {

using namespace internal;  // NOLINT: this file is the port's top level

namespace {

constexpr size_t kMaxDecodeLength = 1000000;  // TextFixerConfig.max_decode_length (code points)

uint8_t SafeFlag(Normalization n) {
  switch (n) {
    case Normalization::kNFC: return kNfcSafe;
    case Normalization::kNFD: return kNfdSafe;
    case Normalization::kNFKC: return kNfkcSafe;
    case Normalization::kNFKD: return kNfkdSafe;
  }
  return kNfcSafe;
}

// Moves back / forward k code points from byte offset i.
size_t StepBack(std::string_view s, size_t i, int k) {
  while (k-- > 0 && i > 0) {
    --i;
    while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  }
  return i;
}
size_t StepForward(std::string_view s, size_t i, int k) {
  while (k-- > 0 && i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  }
  return std::min(i, s.size());
}

// ---- scanning for work ----

// What one segment contains that some step could act on.
struct Scan {
  bool lt = false;      // '<': HTML unescaping goes off from this segment on
  bool amp = false;     // '&': unescape_html may act
  bool cr = false;      // '\r'
  bool ascii_fix = false;  // an ASCII control character that is removed (incl. ESC)
  uint8_t any = 0;      // OR of the Flags() of its non-ASCII code points
  uint8_t all = 0xFF;   // AND of them

  bool clue() const { return any & kBadnessClue; }
  bool fixer() const { return cr || ascii_fix || (any & kFixer); }
  // Only '\r' needs fixing, and nothing fix_line_breaks makes of it can wake up another step.
  bool only_cr(bool unescape_html, Normalization n) const {
    return cr && !ascii_fix && !(any & (kFixer | kBadnessClue)) && !(unescape_html && amp) && !denorm(n);
  }
  bool denorm(Normalization n) const { return !(all & SafeFlag(n)); }
};

// Scans text[i, end) 16 bytes at a time: ASCII letters, digits, spaces and most punctuation are
// skipped in bulk; everything else updates *scan. With stop_at_newline, returns just after the
// first '\n' (or end); otherwise at end.
size_t ScanRange(const unsigned char* p, size_t i, size_t end, bool stop_at_newline, Scan* scan) {
  const __m128i k20 = _mm_set1_epi8(0x20);
  const __m128i tab = _mm_set1_epi8('\t'), ff = _mm_set1_epi8('\f');
  const __m128i nl = stop_at_newline ? tab : _mm_set1_epi8('\n');  // '\n' ends a segment
  auto handle = [&](size_t j) -> size_t {  // one interesting byte (or non-ASCII run) at j
    unsigned char c = p[j];
    if (c >= 0x80) {
      while (j < end && p[j] >= 0x80) {
        if (IsCjkLead(p[j])) {  // runs of common CJK: one flag update for the run
          do j += 3;
          while (j < end && IsCjkLead(p[j]));
          scan->any |= kCjkFlags;
          scan->all &= kCjkFlags;
          continue;
        }
        int len;
        uint8_t f = Flags(Decode(p + j, &len));
        scan->any |= f;
        scan->all &= f;
        j += len;
      }
      return j;
    }
    if (c == '&') scan->amp = true;
    else if (c == '<') scan->lt = true;
    else if (c == '\r') scan->cr = true;
    else if (c != '\n' && c != '\t' && c != '\f' && (c < 0x20 || c == 0x7F)) scan->ascii_fix = true;
    return j + 1;
  };
  while (i < end) {
    if (i + 16 <= end) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      __m128i benign = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, tab), _mm_cmpeq_epi8(v, ff)),
                                    _mm_cmpeq_epi8(v, nl));
      __m128i m = _mm_andnot_si128(benign, _mm_cmplt_epi8(v, k20));  // controls and bytes >= 0x80
      m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8('&')));
      m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8('<')));
      m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F)));
      unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(m));
      if (!mask) {
        i += 16;
        continue;
      }
      i += __builtin_ctz(mask);
    }
    if (stop_at_newline && p[i] == '\n') return i + 1;
    i = handle(i);
  }
  return end;
}

Scan ScanText(std::string_view s) {
  Scan r;
  ScanRange(reinterpret_cast<const unsigned char*>(s.data()), 0, s.size(), false, &r);
  return r;
}

// ---- fix_encoding ----

// One _fix_encoding_one_step_and_explain. Returns false when the text is left as it is.
bool FixEncodingOneStep(std::string_view text, std::string* out) {
  if (text.empty() || SkipAscii(text, 0) == text.size() || !IsBad(text)) return false;

  uint16_t possible = (1u << kNumCharmaps) - 1;
  bool has_c1 = false;
  for (size_t i = SkipAscii(text, 0); i < text.size(); i = SkipAscii(text, i)) {
    int len;
    uint32_t cp = Decode(reinterpret_cast<const unsigned char*>(text.data()) + i, &len);
    possible &= CharmapMask(cp);
    has_c1 = has_c1 || (cp >= 0x80 && cp <= 0x9F);
    i += len;
  }
  if (text.find('\x1A') != std::string_view::npos) possible &= CharmapMask(0x1A);

  // Mojibake of UTF-8 read in a single-byte encoding: re-encode it and decode as UTF-8.
  for (int enc = 0; enc < kNumCharmaps; ++enc) {
    if (!(possible & (1u << enc))) continue;
    std::string bytes = EncodeCharmap(text, enc);
    if (enc != kMacRoman && Pattern::Get(Pattern::kAlteredUtf8).Search(bytes)) bytes = RestoreByteA0(bytes);
    if (CharmapIsSloppy(enc)) bytes = ReplaceLossySequences(bytes);
    if (bytes.find('\xED') != std::string::npos || bytes.find('\xC0') != std::string::npos) {
      if (DecodeUtf8Variants(bytes, out)) return true;
    } else if (IsValidUtf8(bytes)) {
      *out = std::move(bytes);
      return true;
    }
  }

  // Sequences that look like UTF-8 mojibake, fixed one by one.
  if (Pattern::Get(Pattern::kUtf8Detector).Search(text) && DecodeInconsistentUtf8(text, out)) return true;

  // Latin-1 that was meant as windows-1252. (ftfy checks for "windows-1252" among the possible
  // encodings, which only ever lists "sloppy-windows-1252", so this branch always tries the
  // strict decode; it fails on the five bytes windows-1252 leaves undefined.)
  if ((possible & (1u << kLatin1)) && has_c1) {
    std::string r;
    r.reserve(text.size());
    bool ok = true;
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    for (size_t i = 0; i < text.size() && ok;) {
      int len;
      uint32_t cp = Decode(p + i, &len);
      if (cp >= 0x80 && cp <= 0x9F) {
        uint32_t to = Cp1252High(cp);
        if (to == 0) ok = false;
        Append(to, &r);
      } else {
        r.append(text.data() + i, len);
      }
      i += len;
    }
    if (ok) {
      *out = std::move(r);
      return true;
    }
  }

  // Remaining C1 controls, individually.
  if (has_c1) return FixC1Controls(text, out);
  return false;
}

std::string FixEncodingImpl(std::string text) {
  std::string next;
  while (FixEncodingOneStep(text, &next) && next != text) text.swap(next);
  return text;
}

// ---- normalization ----

bool Normalize(std::string_view text, Normalization n, std::string* out) {
  const uint8_t safe = SafeFlag(n);
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  bool needed = false, unassigned = false;
  for (size_t i = SkipAscii(text, 0); i < text.size(); i = SkipAscii(text, i)) {
    int len;
    uint8_t f = Flags(Decode(p + i, &len));
    needed = needed || !(f & safe);
    unassigned = unassigned || (f & kUnassigned);
    i += len;
  }
  if (!needed) return false;
  utf8proc_option_t opts = UTF8PROC_STABLE;
  switch (n) {
    case Normalization::kNFC: opts = utf8proc_option_t(opts | UTF8PROC_COMPOSE); break;
    case Normalization::kNFD: opts = utf8proc_option_t(opts | UTF8PROC_DECOMPOSE); break;
    case Normalization::kNFKC: opts = utf8proc_option_t(opts | UTF8PROC_COMPOSE | UTF8PROC_COMPAT); break;
    case Normalization::kNFKD: opts = utf8proc_option_t(opts | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT); break;
  }
  std::string r;
  r.reserve(text.size() + text.size() / 4);
  auto normalize_run = [&](std::string_view run) {
    if (run.empty()) return;
    utf8proc_uint8_t* dst = nullptr;
    utf8proc_ssize_t len = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(run.data()),
                                        static_cast<utf8proc_ssize_t>(run.size()), &dst, opts);
    if (len < 0) {  // cannot happen on valid UTF-8; keep the text rather than lose it
      r.append(run);
    } else {
      r.append(reinterpret_cast<const char*>(dst), static_cast<size_t>(len));
    }
    std::free(dst);
  };
  if (!unassigned) {
    normalize_run(text);
  } else {
    // Characters unassigned in Python's Unicode 14 are inert there (starters that never
    // decompose or compose); utf8proc's newer Unicode may know some of them. Splitting the text
    // at them and passing them through keeps Python's result exactly.
    size_t run = 0;
    for (size_t i = 0; i < text.size();) {
      int len;
      uint32_t cp = Decode(p + i, &len);
      if (cp >= 0x80 && (Flags(cp) & kUnassigned)) {
        normalize_run(text.substr(run, i - run));
        r.append(text.data() + i, len);
        run = i + len;
      }
      i += len;
    }
    normalize_run(text.substr(run));
  }
  if (r == text) return false;
  *out = std::move(r);
  return true;
}

// ---- fix_and_explain ----

// fix_and_explain: the steps, repeated until the text stops changing. `scan` is ScanText of the
// segment; a step runs only if the scan shows something it could act on or an earlier step of
// the same round changed the text.
std::string FixSegment(std::string_view segment, Scan scan, bool unescape_html, Normalization n) {
  std::string text(segment), orig, tmp;
  bool scan_valid = true;
  while (true) {
    orig = text;
    if (!scan_valid) scan = ScanText(text);
    bool dirty = false;
    auto apply = [&](bool (*step)(std::string_view, std::string*)) {
      if (step(text, &tmp)) {
        text.swap(tmp);
        dirty = true;
      }
    };
    if (unescape_html && scan.amp) apply(internal::UnescapeHtml);
    if (dirty || scan.clue()) {
      std::string fixed = FixEncodingImpl(text);
      if (fixed != text) {
        text.swap(fixed);
        dirty = true;
      }
    }
    if (dirty || scan.fixer()) apply(FixCharacters);
    if (dirty) scan = ScanText(text);  // for normalize, and for the next round if nothing else changes
    scan_valid = true;
    if (scan.denorm(n) && Normalize(text, n, &tmp)) {
      text.swap(tmp);
      dirty = true;
      scan_valid = false;
    }
    if (!dirty || text == orig) return text;
  }
}

// Whether BADNESS_RE matches within text[b, e) (a match starting at or after b that ends by e).
// Every match starts at most BadnessMaxAsciiLead() code points before a non-ASCII character
// (scripts/gen_ftfy_tables.py derives the bound from the pattern), so a match is tried only at
// those starts, by BadnessMatcher (PCRE2's search of the pattern cost ~100 ns per byte
// searched, most of fix_unicode_mapper's time).
bool BadMatchIn(std::string_view text, size_t b, size_t e) {
  const BadnessMatcher& re = BadnessMatcher::Get();
  const int lead = BadnessMaxAsciiLead();
  size_t tried = b;  // every start below this was tried
  for (size_t i = std::min(SkipAscii(text, b), e); i < e; i = std::min(SkipAscii(text, i), e)) {
    for (size_t s = std::max(StepBack(text, i, lead), tried); s <= i; s = StepForward(text, s, 1))
      if (re.MatchAt(text, s, e)) return true;
    i = StepForward(text, i, 1);
    tried = i;
  }
  return false;
}

}  // namespace

bool IsBad(std::string_view text) {
  // Every BADNESS_RE match is at most W code points long and contains a clue character, so it
  // lies within W-1 code points of one: search only those windows (merged when they touch).
  // The pattern has no lookahead or end anchor, so cutting the subject after a window is exact.
  // Moreover, only a few clues (kLoneClue) can be a match's one non-ASCII character; any other
  // clue needs a second non-ASCII character within W-1 code points, or it is in no match.
  const int w = BadnessMaxWidth();
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  size_t win_b = std::string_view::npos, win_e = 0;
  auto window = [&](size_t i) {  // true if a match was found in a finished window
    size_t wb = StepBack(text, i, w - 1), we = StepForward(text, i, w);
    if (win_b != std::string_view::npos && wb <= win_e) {
      win_e = std::max(win_e, we);
      return false;
    }
    bool found = win_b != std::string_view::npos && BadMatchIn(text, win_b, win_e);
    win_b = wb;
    win_e = we;
    return found;
  };
  // The previous non-ASCII character: its byte offset, code point index, and whether it is a
  // clue still waiting to learn whether a non-ASCII character follows it closely.
  size_t last_pos = 0, last_cpi = 0, cpi = 0, i = 0;
  bool have_last = false, last_pending = false;
  while (true) {
    size_t next = SkipAscii(text, i);
    cpi += next - i;
    i = next;
    if (i >= text.size()) break;
    int len;
    uint8_t f = Flags(Decode(p + i, &len));
    bool near = have_last && cpi - last_cpi < static_cast<size_t>(w);
    if (last_pending && near && window(last_pos)) return true;
    last_pending = false;
    if (f & kBadnessClue) {
      if ((f & kLoneClue) || near) {
        if (window(i)) return true;
      } else {
        last_pending = true;
      }
    }
    have_last = true;
    last_pos = i;
    last_cpi = cpi;
    i += len;
    ++cpi;
  }
  return win_b != std::string_view::npos && BadMatchIn(text, win_b, win_e);
}

std::string FixEncoding(std::string_view text) { return FixEncodingImpl(std::string(text)); }

std::string UnescapeHtml(std::string_view text) {
  std::string out;
  return internal::UnescapeHtml(text, &out) ? out : std::string(text);
}

namespace {

// fix_text's per-segment state: HTML unescaping is "auto", i.e. on until a segment has a '<'.
class SegmentFixer {
 public:
  SegmentFixer(std::string_view text, Normalization n) : text_(text), n_(n) {}

  // Segment text[b, e) with its scan: fixes it (fix_and_explain) when some step could act.
  void Segment(size_t b, size_t e, const Scan& scan) {
    if (scan.lt) unescape_html_ = false;
    std::string_view seg = text_.substr(b, e - b);
    if (scan.only_cr(unescape_html_, n_)) {  // e.g. Windows line ends: \r\n -> \n, \r -> \n
      Start(b);
      for (size_t i = 0; i < seg.size(); ++i) {
        if (seg[i] != '\r') {
          out_.push_back(seg[i]);
        } else if (i + 1 == seg.size() || seg[i + 1] != '\n') {
          out_.push_back('\n');
        }
      }
      copied_ = e;
      return;
    }
    bool work = (unescape_html_ && scan.amp) || scan.fixer() || scan.denorm(n_) || (scan.clue() && IsBad(seg));
    if (!work) return;
    std::string fixed = FixSegment(seg, scan, unescape_html_, n_);
    if (fixed == seg) return;
    Start(b);
    out_.append(fixed);
    copied_ = e;
  }

  // A line longer than max_decode_length bytes: fix_text cuts it every 1,000,000 code points.
  void LongLine(size_t b, size_t e) {
    const auto* p = reinterpret_cast<const unsigned char*>(text_.data());
    while (b < e) {
      size_t cut = e;
      if (e - b > kMaxDecodeLength) {
        cut = b;
        for (size_t count = 0; cut < e && count < kMaxDecodeLength; ++count) cut = StepForward(text_, cut, 1);
      }
      Scan scan;
      ScanRange(p, b, cut, false, &scan);
      Segment(b, cut, scan);
      b = cut;
    }
  }

  // Output up to text[0, b) before the first change is written.
  void Start(size_t b) {
    if (!changed_) out_.reserve(text_.size() + 16);
    changed_ = true;
    out_.append(text_.data() + copied_, b - copied_);
  }

  bool Finish(std::string* out) {
    if (!changed_) return false;
    out_.append(text_.data() + copied_, text_.size() - copied_);
    *out = std::move(out_);
    return true;
  }

 private:
  std::string_view text_;
  Normalization n_;
  bool unescape_html_ = true;
  bool changed_ = false;
  size_t copied_ = 0;
  std::string out_;
};

}  // namespace

bool FixTextChanged(std::string_view input, Normalization n, std::string* out) {
  std::string sanitized;
  std::string_view text = input;
  if (SkipAscii(input, 0) < input.size() && !IsValidUtf8(input)) {
    sanitized = unicode::PyReplaceInvalidUtf8(input);
    text = sanitized;
  }
  // Segments end just after each '\n'; the scan stops there, so clean text is read once.
  SegmentFixer fixer(text, n);
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  for (size_t pos = 0; pos < text.size();) {
    Scan scan;
    size_t end = ScanRange(p, pos, text.size(), true, &scan);
    if (end - pos > kMaxDecodeLength) {
      fixer.LongLine(pos, end);
    } else {
      fixer.Segment(pos, end, scan);
    }
    pos = end;
  }
  if (fixer.Finish(out)) return true;
  if (sanitized.empty()) return false;
  *out = std::move(sanitized);  // only invalid UTF-8 was replaced
  return true;
}

std::string FixText(std::string_view text, Normalization n) {
  std::string out;
  return FixTextChanged(text, n, &out) ? out : std::string(text);
}

}  // namespace winnow::ftfy
