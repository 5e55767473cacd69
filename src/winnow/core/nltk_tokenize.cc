// A port of NLTK 3.8's NLTKWordTokenizer (nltk/tokenize/destructive.py) and of
// PunktSentenceTokenizer (nltk/tokenize/punkt.py), untrained or with PunktParams. See
// nltk_tokenize.h.
//
// The word tokenizer is a fixed sequence of Python re.sub() rewrites; each one is reproduced
// with PCRE2 (UTF + UCP, which agrees with Python's `re` on \w, \d and \b; \s is spelled out as
// Python's str.isspace() set, and case-insensitive 'i'/'s' get Python's extra case matches).
// Rules are skipped when none of the bytes they need occurs in the text, which is exact: a
// rewrite only ever adds spaces, backquotes and apostrophes.
//
// The two "final period" rules (a period, closing quotes/brackets, whitespace, end of text)
// are written out by hand: they have at most one match, found from the end in linear time,
// where the regex backtracks quadratically over long runs of spaces.
//
// Punkt with empty parameters reduces to a few token-shape rules, which are written out by
// hand too (the regexes it uses are all anchored on ASCII punctuation and whitespace).
#include "winnow/core/nltk_tokenize.h"
#include "winnow/core/nltk_punkt_internal.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

#include "winnow/core/status.h"
#include "winnow/core/regex.h"
#include "winnow/core/unicode.h"

namespace winnow::nltk {
namespace {

constexpr size_t kNpos = std::string_view::npos;

// ---------------------------------------------------------------------------------------------
// Characters, with Python `str` semantics.

inline uint32_t CodePointAt(std::string_view s, size_t i, size_t* len) {
  const char* p = s.data() + i;
  const char* q = p;
  uint32_t cp = unicode::DecodeUtf8(q);
  *len = static_cast<size_t>(q - p);
  return cp;
}

inline size_t SeqLen(char lead) {
  return static_cast<size_t>(unicode::Utf8SeqLen(static_cast<unsigned char>(lead)));
}

// str.isspace() for ASCII: \t \n \v \f \r, the separators \x1c-\x1f and ' '.
constexpr bool IsAsciiSpace(unsigned char c) {
  return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20);
}

// Byte length of the str.isspace() code point that starts at s[i], or 0.
inline size_t SpaceLenAt(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return IsAsciiSpace(c) ? 1 : 0;
  // Non-ASCII whitespace is U+0085, U+00A0, U+1680, U+2000..U+205F and U+3000.
  if (c != 0xC2 && c != 0xE1 && c != 0xE2 && c != 0xE3) return 0;
  size_t len;
  uint32_t cp = CodePointAt(s, i, &len);
  return unicode::Is(cp, unicode::kSpace) ? len : 0;
}

// Python's `re` \w minus \d (the class [^\W\d]): letters, non-decimal numerics and '_'.
inline bool IsWordNonDigit(uint32_t cp) {
  if (cp == '_') return true;
  uint8_t c = unicode::Classes(cp);
  return (c & unicode::kAlnum) && !(c & unicode::kDecimal);
}

// Start of the code point that ends at byte `end` (> 0) of valid UTF-8.
inline size_t PrevCodePoint(std::string_view s, size_t end) {
  size_t b = end - 1;
  while (b > 0 && (static_cast<unsigned char>(s[b]) & 0xC0) == 0x80) --b;
  return b;
}

// Python's str.rstrip(): the length of s without trailing whitespace.
size_t RStripLen(std::string_view s) {
  size_t end = s.size();
  while (end > 0) {
    size_t b = PrevCodePoint(s, end);
    if (!SpaceLenAt(s, b)) break;
    end = b;
  }
  return end;
}


// ---------------------------------------------------------------------------------------------
// PCRE2 plumbing.

// Python's \s (str.isspace()); PCRE2's own \s lacks U+001C..U+001F and has U+180E.
constexpr std::string_view kPySpaceClass =
    R"([\t\n\x0B\f\r\x1C-\x20\x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}])";

// Compiles a Python `re` pattern (with \s only outside character classes). Patterns are
// constants of this file, so a failure is a programming error. Never freed (process lifetime).
pcre2_code* CompilePattern(std::string_view python_pattern) {
  std::string p;
  for (size_t i = 0; i < python_pattern.size(); ++i) {
    if (python_pattern[i] == '\\' && i + 1 < python_pattern.size()) {
      if (python_pattern[i + 1] == 's') {
        p.append(kPySpaceClass);
      } else {
        p.append(python_pattern.substr(i, 2));
      }
      ++i;
    } else {
      p.push_back(python_pattern[i]);
    }
  }
  int err = 0;
  PCRE2_SIZE off = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(p.data()), p.size(),
                                   PCRE2_UTF | PCRE2_UCP, &err, &off, nullptr);
  WINNOW_CHECK(code != nullptr);
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  // the interpreter is used if JIT is unavailable
  return code;
}


// True if `code` matches s at or after `start`; the match is in PcreThreadState::Get().data.
inline bool MatchAt(const pcre2_code* code, std::string_view s, size_t start,
                    uint32_t options = 0) {
  PcreThreadState& ms = PcreThreadState::Get();
  int rc = pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(s.data()), s.size(), start,
                       options | PCRE2_NO_UTF_CHECK, ms.data, ms.ctx);
  return rc > 0;  // rc < 0: no match, or a resource limit (treated as no match)
}

// ---------------------------------------------------------------------------------------------
// NLTKWordTokenizer.

// A set of byte values.
struct ByteSet {
  uint64_t bits[4] = {0, 0, 0, 0};
  void Add(unsigned char c) { bits[c >> 6] |= uint64_t{1} << (c & 63); }
  bool Intersects(const ByteSet& o) const {
    return ((bits[0] & o.bits[0]) | (bits[1] & o.bits[1]) | (bits[2] & o.bits[2]) |
            (bits[3] & o.bits[3])) != 0;
  }
  void AddAll(const ByteSet& o) {
    for (int k = 0; k < 4; ++k) bits[k] |= o.bits[k];
  }
};

// The closing characters that nltk's two final-period rules let follow the period.
bool IsFinalPeriodCloser(uint32_t cp, bool with_space_and_curly) {
  switch (cp) {
    case ']':
    case ')':
    case '}':
    case '>':
    case '"':
    case '\'':
      return true;
    case ' ':
    case 0xBB /* » */:
    case 0x201D /* ” */:
    case 0x2019 /* ’ */:
      return with_space_and_curly;
    default:
      return false;
  }
}

// re.sub of nltk's final-period rules,
//   r'([^\.])(\.)([\]\)}>"\'»”’ ]*)\s*$' -> r"\1 \2 \3 "   (spaced = true)
//   r'([^\.])(\.)([\]\)}>"\']*)\s*$'     -> r"\1 \2\3 "    (spaced = false)
// in linear time (the regex backtracks quadratically over long runs of spaces). A match must
// reach the end, so the text ends with closers* whitespace*; the period must sit right before
// the longest run of closers that precedes the trailing whitespace, since closers and
// whitespace contain no period and nothing else may follow it. There is at most one match.
bool SubFinalPeriod(const std::string& in, bool spaced, std::string* out) {
  const std::string_view s = in;
  size_t trailing_ws = RStripLen(s);
  size_t closers = trailing_ws;  // start of the closers run that ends at trailing_ws
  while (closers > 0) {
    size_t b = PrevCodePoint(s, closers), len;
    if (!IsFinalPeriodCloser(CodePointAt(s, b, &len), spaced)) break;
    closers = b;
  }
  // The period at closers - 1, after a character that is not a period ('.' is ASCII, so the
  // byte before it is '.' exactly when the preceding code point is).
  if (closers < 2 || s[closers - 1] != '.' || s[closers - 2] == '.') return false;
  size_t group_end = closers;  // greedy: the closers run, plus any spaces of the trailing run
  while (group_end < s.size()) {
    size_t len;
    if (!IsFinalPeriodCloser(CodePointAt(s, group_end, &len), spaced)) break;
    group_end += len;
  }
  out->assign(s.data(), closers - 1);
  out->append(spaced ? " . " : " .");
  out->append(s.substr(closers, group_end - closers));
  out->push_back(' ');
  return true;
}

// One `text = regexp.sub(substitution, text)` step.
struct SubRule {
  struct Piece {  // `literal`, then group `group` if it is >= 0
    std::string literal;
    int group = -1;
  };
  enum class Kind { kRegex, kFinalPeriodSpaced, kFinalPeriodTight };
  Kind kind = Kind::kRegex;
  pcre2_code* code = nullptr;
  std::vector<Piece> repl;
  ByteSet trigger;    // the pattern cannot match unless one of these bytes occurs
  ByteSet introduce;  // bytes the replacement's literal text writes

  // A final-period rule (see SubFinalPeriod).
  explicit SubRule(Kind final_period) : kind(final_period) {
    trigger.Add('.');
    introduce.Add(' ');
  }
  SubRule(std::string_view pattern, std::string_view replacement, std::string_view trigger_bytes) {
    code = CompilePattern(pattern);
    for (unsigned char c : trigger_bytes) trigger.Add(c);
    // Python replacement syntax, as used by nltk: \N and \g<N>.
    repl.emplace_back();
    for (size_t i = 0; i < replacement.size(); ++i) {
      char c = replacement[i];
      int group = -1;
      if (c == '\\' && i + 1 < replacement.size() && replacement[i + 1] >= '0' &&
          replacement[i + 1] <= '9') {
        group = replacement[++i] - '0';
      } else if (c == '\\' && replacement.substr(i, 3) == "\\g<") {
        size_t close = replacement.find('>', i);
        WINNOW_CHECK(close != std::string_view::npos);
        group = std::stoi(std::string(replacement.substr(i + 3, close - i - 3)));
        i = close;
      }
      if (group >= 0) {
        repl.back().group = group;
        repl.emplace_back();
      } else {
        repl.back().literal.push_back(c);
        introduce.Add(static_cast<unsigned char>(c));
      }
    }
  }

  // re.sub over `in` into *out. Returns false (out untouched) if nothing matched.
  bool Apply(const std::string& in, std::string* out) const {
    if (kind != Kind::kRegex) return SubFinalPeriod(in, kind == Kind::kFinalPeriodSpaced, out);
    PcreThreadState& ms = PcreThreadState::Get();
    const auto* subject = reinterpret_cast<PCRE2_SPTR>(in.data());
    size_t pos = 0, copied = 0;
    bool any = false;
    while (pos <= in.size()) {
      int rc = pcre2_match(code, subject, in.size(), pos, PCRE2_NO_UTF_CHECK, ms.data, ms.ctx);
      if (rc <= 0) break;
      const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(ms.data);
      if (!any) {
        out->clear();
        any = true;
      }
      out->append(in, copied, ov[0] - copied);
      for (const Piece& piece : repl) {
        out->append(piece.literal);
        if (piece.group >= 0 && ov[2 * piece.group] != PCRE2_UNSET)
          out->append(in, ov[2 * piece.group], ov[2 * piece.group + 1] - ov[2 * piece.group]);
      }
      copied = ov[1];
      pos = ov[1];
      if (ov[0] == ov[1]) {  // unreachable for nltk's patterns (none matches ""); keeps progress
        if (pos >= in.size()) break;
        pos += SeqLen(in[pos]);
        out->append(in, copied, pos - copied);
        copied = pos;
      }
    }
    if (!any) return false;
    out->append(in, copied, std::string::npos);
    return true;
  }
};

// NLTKWordTokenizer's regexes in the order tokenize() applies them. In the (?i) patterns the
// letters i and s are widened to what Python's case-insensitive matching also accepts
// (dotless i, dotted capital I, long s).
struct TreebankRules {
  std::vector<SubRule> starting_quotes;
  std::vector<SubRule> punctuation;
  std::vector<SubRule> brackets_and_dashes;
  std::vector<SubRule> ending_quotes;
  std::vector<SubRule> contractions;
  pcre2_code* contraction_filter;  // matches wherever any contraction rule could

  TreebankRules() {
    // Trigger bytes: "\xC2\xE2" start «“‘„»”’ in UTF-8.
    starting_quotes.emplace_back("([«“‘„]|[`]+)", R"( \1 )", "`\xC2\xE2");
    starting_quotes.emplace_back(R"(^\")", "``", "\"");
    starting_quotes.emplace_back("(``)", R"( \1 )", "`");
    starting_quotes.emplace_back(R"(([ \(\[{<])(\"|\'{2}))", R"(\1 `` )", "\"'");
    starting_quotes.emplace_back(R"((?i)(\')(?!re|ve|ll|m|t|[sſ]|d|n)(\w)\b)", R"(\1 \2)", "'");

    // r'([^\.])(\.)([\]\)}>"\'»”’ ]*)\s*$' -> r"\1 \2 \3 "
    punctuation.emplace_back(SubRule::Kind::kFinalPeriodSpaced);
    punctuation.emplace_back(R"(([:,])([^\d]))", R"( \1 \2)", ":,");
    punctuation.emplace_back(R"(([:,])$)", R"( \1 )", ":,");
    punctuation.emplace_back(R"(\.{2,})", R"( \g<0> )", ".");
    punctuation.emplace_back(R"([;@#$%&])", R"( \g<0> )", ";@#$%&");
    // r'([^\.])(\.)([\]\)}>"\']*)\s*$' -> r"\1 \2\3 "
    punctuation.emplace_back(SubRule::Kind::kFinalPeriodTight);
    punctuation.emplace_back(R"([?!])", R"( \g<0> )", "?!");
    punctuation.emplace_back(R"(([^'])' )", R"(\1 ' )", "'");
    punctuation.emplace_back(R"([*])", R"( \g<0> )", "*");

    brackets_and_dashes.emplace_back(R"([\]\[\(\)\{\}\<\>])", R"( \g<0> )", "[](){}<>");
    brackets_and_dashes.emplace_back("--", " -- ", "-");

    ending_quotes.emplace_back("([»”’])", R"( \1 )", "\xC2\xE2");
    ending_quotes.emplace_back("''", " '' ", "'");
    ending_quotes.emplace_back("\"", " '' ", "\"");
    ending_quotes.emplace_back(R"(([^' ])('[sS]|'[mM]|'[dD]|') )", R"(\1 \2 )", "'");
    ending_quotes.emplace_back(R"(([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) )", R"(\1 \2 )", "'");

    // MacIntyre's contractions; any letter can trigger them, so they sit behind one filter.
    constexpr std::string_view kContractions[] = {
        R"((?i)\b(can)(?#X)(not)\b)",     R"((?i)\b(d)(?#X)('ye)\b)",
        R"((?i)\b(g[iıİ]m)(?#X)(me)\b)",  R"((?i)\b(gon)(?#X)(na)\b)",
        R"((?i)\b(got)(?#X)(ta)\b)",      R"((?i)\b(lem)(?#X)(me)\b)",
        R"((?i)\b(more)(?#X)('n)\b)",     R"((?i)\b(wan)(?#X)(na)(?=\s))",
        R"((?i) ('t)(?#X)([iıİ][sſ])\b)", R"((?i) ('t)(?#X)(wa[sſ])\b)",
    };
    for (std::string_view p : kContractions) contractions.emplace_back(p, R"( \1 \2 )", "");
    contraction_filter = CompilePattern(
        R"((?i)(?:cannot|d'ye|g[iıİ]mme|gonna|gotta|lemme|more'n|wanna|'t[iıİ][sſ]|'twa[sſ]))");
  }
};

const TreebankRules& Rules() {
  static const TreebankRules* rules = new TreebankRules();  // never destroyed
  return *rules;
}

// Appends text.split() (Python, no arguments) to *out.
void AppendPySplit(std::string_view text, std::vector<std::string>* out) {
  size_t i = 0, n = text.size();
  while (i < n) {
    size_t w;
    while (i < n && (w = SpaceLenAt(text, i)) > 0) i += w;
    if (i >= n) break;
    size_t start = i;
    while (i < n) {
      unsigned char c = static_cast<unsigned char>(text[i]);
      if (c > 0x20 && c < 0x80) {  // printable ASCII: never a space
        ++i;
      } else if (SpaceLenAt(text, i) == 0) {
        i += SeqLen(text[i]);
      } else {
        break;
      }
    }
    out->emplace_back(text.substr(start, i - start));
  }
}

// NLTKWordTokenizer().tokenize(sentence); sentence is valid UTF-8.
void TreebankWordsValid(std::string_view sentence, std::vector<std::string>* out) {
  const TreebankRules& rules = Rules();
  thread_local std::string text, scratch;
  // Which byte values occur in the text. Rewrites only add what their replacements write.
  ByteSet present;
  for (unsigned char c : sentence) present.Add(c);
  text.assign(sentence.data(), sentence.size());

  auto apply = [&](const SubRule& rule) {
    if (!rule.trigger.Intersects(present)) return;
    if (!rule.Apply(text, &scratch)) return;
    text.swap(scratch);
    present.AddAll(rule.introduce);
  };

  for (const SubRule& r : rules.starting_quotes) apply(r);
  for (const SubRule& r : rules.punctuation) apply(r);
  for (const SubRule& r : rules.brackets_and_dashes) apply(r);
  // "add extra space to make things easier"
  text.insert(text.begin(), ' ');
  text.push_back(' ');
  present.Add(' ');
  for (const SubRule& r : rules.ending_quotes) apply(r);
  if (MatchAt(rules.contraction_filter, text, 0)) {
    for (const SubRule& r : rules.contractions) {
      if (r.Apply(text, &scratch)) text.swap(scratch);
    }
  }
  AppendPySplit(text, out);
  if (text.capacity() > (size_t{1} << 22)) {  // do not keep a huge sentence's buffers per thread
    std::string().swap(text);
    std::string().swap(scratch);
  }
}

// ---------------------------------------------------------------------------------------------
// PunktSentenceTokenizer with the default PunktLanguageVars; empty PunktParameters have a fast
// path (BreaksAfter), trained ones run both annotation passes (BreaksAfterTrained).

// PunktLanguageVars._re_non_word_chars: )";}]*:@'({[ and the sentence enders other than '.'.
constexpr bool IsNonWordChar(char c) {
  switch (c) {
    case ')':
    case '"':
    case ';':
    case '}':
    case ']':
    case '*':
    case ':':
    case '@':
    case '\'':
    case '(':
    case '{':
    case '[':
    case '!':
    case '?':
      return true;
    default:
      return false;
  }
}

// Characters that _re_word_start excludes from starting a word token.
constexpr bool IsWordStartExcluded(char c) {
  switch (c) {
    case '(':
    case '"':
    case '`':
    case '{':
    case '[':
    case ':':
    case ';':
    case '&':
    case '#':
    case '*':
    case '@':
    case ')':
    case '}':
    case ']':
    case '-':
    case ',':
      return true;
    default:
      return false;
  }
}

// Length of a _re_multi_char_punct match at s[i] ("--+", "..+" or ". . ." with single
// whitespace characters between the periods), or 0.
size_t MultiCharLen(std::string_view s, size_t i) {
  size_t n = s.size();
  if (i + 1 < n && (s[i] == '-' || s[i] == '.') && s[i + 1] == s[i]) {
    size_t j = i + 2;
    while (j < n && s[j] == s[i]) ++j;
    return j - i;
  }
  // (?:\.\s){2,}\.  -- greedy pairs, giving back one pair if no period follows the last.
  size_t j = i, last_pair = kNpos;
  int pairs = 0;
  while (j < n && s[j] == '.') {
    size_t w = j + 1 < n ? SpaceLenAt(s, j + 1) : 0;
    if (w == 0) break;
    last_pair = j;
    j += 1 + w;
    ++pairs;
  }
  if (pairs >= 2 && j < n && s[j] == '.') return j + 1 - i;
  if (pairs >= 3) return last_pair + 1 - i;
  return 0;
}

// The lookahead that ends a word token in _word_tokenize_fmt: whitespace, end of line, a
// non-word character, multi-character punctuation, or a comma followed by one of those.
bool WordEndsAt(std::string_view line, size_t j) {
  size_t n = line.size();
  if (j >= n || SpaceLenAt(line, j) || IsNonWordChar(line[j]) || MultiCharLen(line, j)) return true;
  if (line[j] != ',') return false;
  ++j;
  return j >= n || SpaceLenAt(line, j) || IsNonWordChar(line[j]) || MultiCharLen(line, j);
}

// PunktLanguageVars.word_tokenize(line): re.findall of _word_tokenize_fmt. `line` has no '\n'.
void PunktWords(std::string_view line, std::vector<std::string_view>* tokens) {
  size_t i = 0, n = line.size();
  while (i < n) {
    if (size_t m = MultiCharLen(line, i)) {
      tokens->push_back(line.substr(i, m));
      i += m;
      continue;
    }
    if (size_t w = SpaceLenAt(line, i)) {  // no alternative matches at whitespace
      i += w;
      continue;
    }
    size_t j = i + SeqLen(line[i]);
    if (!IsWordStartExcluded(line[i])) {  // (?=WordStart)\S+? up to the word-end lookahead
      while (!WordEndsAt(line, j)) j += SeqLen(line[j]);
    }  // else: the \S alternative, one character
    tokens->push_back(line.substr(i, j - i));
    i = j;
  }
}

// PunktToken.is_initial: one [^\W\d] character and a period.
bool IsInitial(std::string_view tok) {
  if (tok.size() < 2 || tok.back() != '.') return false;
  size_t len;
  uint32_t cp = CodePointAt(tok, 0, &len);
  return len + 1 == tok.size() && IsWordNonDigit(cp);
}

// PunktToken.type_no_period == "##number##": the token matches _RE_NUMERIC
// (^-?[\.,]?\d[\d,\.-]*\.?$), or is literally "##number##." in any case.
bool IsNumeric(std::string_view tok);
bool IsNumberType(std::string_view tok) {
  static constexpr std::string_view kNumberType = "##number##.";
  if (tok.size() == kNumberType.size()) {
    bool same = true;
    for (size_t k = 0; k < tok.size() && same; ++k) {
      char c = tok[k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      same = c == kNumberType[k];
    }
    if (same) return true;
  }
  return IsNumeric(tok);
}

// _RE_NUMERIC: ^-?[\.,]?\d[\d,\.-]*\.?$
bool IsNumeric(std::string_view tok) {
  size_t i = 0, n = tok.size(), len;
  if (i < n && tok[i] == '-') ++i;
  if (i < n && (tok[i] == '.' || tok[i] == ',')) ++i;
  if (i >= n || !unicode::Is(CodePointAt(tok, i, &len), unicode::kDecimal)) return false;
  for (i += len; i < n; i += len) {
    char c = tok[i];
    len = 1;
    if (c == ',' || c == '.' || c == '-') continue;
    if (!unicode::Is(CodePointAt(tok, i, &len), unicode::kDecimal)) return false;
  }
  return true;
}

// str.islower() / str.isupper() of the first character of a (non-empty) token.
bool FirstIsLower(std::string_view tok) {
  unsigned char c = static_cast<unsigned char>(tok[0]);
  if (c < 0x80) return c >= 'a' && c <= 'z';
  static const pcre2_code* lower = CompilePattern(R"(\p{Lowercase})");
  size_t len;
  CodePointAt(tok, 0, &len);
  return MatchAt(lower, tok.substr(0, len), 0, PCRE2_ANCHORED);
}
bool FirstIsUpper(std::string_view tok) {
  unsigned char c = static_cast<unsigned char>(tok[0]);
  if (c < 0x80) return c >= 'A' && c <= 'Z';
  static const pcre2_code* upper = CompilePattern(R"(\p{Uppercase})");
  size_t len;
  CodePointAt(tok, 0, &len);
  return MatchAt(upper, tok.substr(0, len), 0, PCRE2_ANCHORED);
}

// Whether `tok`, followed by `next`, is annotated as a sentence break by Punkt's two passes.
// First pass: '?', '!' and tokens ending in a single period (never an abbreviation here) are
// breaks; "..", "a.." etc. are not. Second pass: an initial or a number followed by
// punctuation or a lower-case word is not a break, nor is an initial followed by an upper-case
// word (the orthographic context is empty, so nothing else can change).
bool BreaksAfter(std::string_view tok, std::string_view next) {
  if (tok == "?" || tok == "!") return true;
  if (tok.back() != '.') return false;
  if (tok.size() >= 2 && tok[tok.size() - 2] == '.') return false;
  bool initial = IsInitial(tok);
  if (!initial && !IsNumberType(tok)) return true;
  if (next.size() == 1 && next[0] != '\0' && std::strchr(";:,.!?", next[0]) != nullptr) return false;
  if (FirstIsLower(next)) return false;
  if (initial && FirstIsUpper(next)) return false;
  return true;
}

// Both passes of Punkt's annotation with trained parameters: whether `t1`, followed by `t2`
// (after its first pass only, as in nltk's pairwise generator), ends a sentence.
// PunktSentenceTokenizer._second_pass_annotation.
bool BreaksAfterTrained(const internal::AnnotatedToken& t1, const internal::AnnotatedToken& t2,
                        const PunktParams& p) {
  if (!t1.period_final) return t1.sentbreak;
  std::string_view typ = t1.TypeNoPeriod(), next_typ = t2.TypeNoSentPeriod();
  bool initial = IsInitial(t1.tok);
  if (p.IsCollocation(typ, next_typ)) return false;  // collocation heuristic
  if ((t1.abbr || t1.ellipsis) && !initial) {
    if (internal::OrthoHeuristic(t2, p) == 1) return true;
    if (FirstIsUpper(t2.tok) && p.sent_starters.count(std::string(next_typ))) return true;
  }
  if (initial || typ == "##number##") {
    int h = internal::OrthoHeuristic(t2, p);
    if (h == 0) return false;
    // "J. Bach": unknown context, and the next word is never seen in lower case.
    if (h == -1 && initial && FirstIsUpper(t2.tok) &&
        !(p.Ortho(std::string(next_typ)) & kOrthoLc))
      return false;
  }
  return t1.sentbreak;
}

// PunktSentenceTokenizer.text_contains_sentbreak: a break on any token but the last. Empty
// parameters take the shortcut of BreaksAfter.
bool ContextHasSentBreak(std::string_view context, const PunktParams* params) {
  thread_local std::vector<std::string_view> tokens;
  tokens.clear();
  size_t start = 0;
  while (start <= context.size()) {
    size_t nl = context.find('\n', start);
    if (nl == kNpos) nl = context.size();
    PunktWords(context.substr(start, nl - start), &tokens);
    start = nl + 1;
  }
  if (params == nullptr || params->empty()) {
    for (size_t k = 0; k + 1 < tokens.size(); ++k)
      if (BreaksAfter(tokens[k], tokens[k + 1])) return true;
    return false;
  }
  if (tokens.size() < 2) return false;
  thread_local internal::AnnotatedToken cur, next;
  internal::FirstPass(tokens[0], *params, &cur);
  for (size_t k = 0; k + 1 < tokens.size(); ++k) {
    internal::FirstPass(tokens[k + 1], *params, &next);
    if (BreaksAfterTrained(cur, next, *params)) return true;
    std::swap(cur, next);
  }
  return false;
}

// string.whitespace (ASCII only), as PunktSentenceTokenizer._get_last_whitespace_index uses.
constexpr bool IsStringWhitespace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\x0b' || c == '\x0c';
}

// A match of period_context_re: a sentence-end character at `pos`, then either a non-word
// character or whitespace and a token (next_tok).
struct EndContext {
  size_t pos;
  size_t after_end;  // end of the after_tok group
  size_t next_tok;   // start of next_tok, or kNpos
};

bool MatchEndContext(std::string_view text, size_t pos, EndContext* m) {
  size_t n = text.size();
  if (pos + 1 >= n) return false;
  m->pos = pos;
  if (IsNonWordChar(text[pos + 1])) {
    m->after_end = pos + 2;
    m->next_tok = kNpos;
    return true;
  }
  size_t j = pos + 1, w;
  while (j < n && (w = SpaceLenAt(text, j)) > 0) j += w;
  if (j == pos + 1 || j >= n) return false;
  m->next_tok = j;
  while (j < n && SpaceLenAt(text, j) == 0) j += SeqLen(text[j]);
  m->after_end = j;
  return true;
}

void AppendWordTokensValid(std::string_view text, std::vector<std::string>* out,
                           const PunktParams* params) {
  thread_local std::vector<std::pair<size_t, size_t>> spans;
  spans.clear();
  SentenceSpans(text, &spans, params);
  for (const auto& [b, e] : spans) TreebankWordsValid(text.substr(b, e - b), out);
}

}  // namespace

void SentenceSpans(std::string_view text, std::vector<std::pair<size_t, size_t>>* spans,
                   const PunktParams* params) {
  const size_t n = text.size();
  // _slices_from_text over _match_potential_end_contexts.
  std::vector<std::pair<size_t, size_t>> slices;
  size_t last_break = 0;
  auto decide = [&](const EndContext& m, size_t context_start) {
    if (!ContextHasSentBreak(text.substr(context_start, m.after_end - context_start), params))
      return;
    slices.emplace_back(last_break, m.pos + 1);
    last_break = m.next_tok != kNpos ? m.next_tok : m.pos + 1;
  };
  EndContext prev{};
  bool have_prev = false;
  size_t prev_start = 0, prev_stop = 0;  // previous_slice: the word before the previous match
  const char* const data = text.data();
  for (size_t pos = 0; pos < n; ++pos) {
    char c = data[pos];
    if (c != '.' && c != '?' && c != '!') continue;
    EndContext m;
    if (!MatchEndContext(text, pos, &m)) continue;
    // The previous word starts after the last ASCII whitespace in text[prev_stop:pos]; nltk
    // treats whitespace at offset 0 of that range like no whitespace (then it reuses the
    // previous word's start).
    size_t start = prev_start;
    for (size_t k = pos; k > prev_stop; --k) {
      if (IsStringWhitespace(text[k - 1])) {
        if (k - 1 > prev_stop) start = k;
        break;
      }
    }
    if (have_prev && prev_stop <= start) decide(prev, prev_start);
    prev = m;
    have_prev = true;
    prev_start = start;
    prev_stop = pos;
  }
  if (have_prev) decide(prev, prev_start);
  slices.emplace_back(last_break, RStripLen(text));

  // _realign_boundaries: closing quotes/brackets after a break move to the earlier sentence.
  auto non_empty = [&](size_t b, size_t e) { return b < e && b < n; };
  size_t realign = 0;
  for (size_t k = 0; k < slices.size(); ++k) {
    size_t s1_begin = slices[k].first + realign, s1_end = slices[k].second;
    if (k + 1 == slices.size()) {
      if (non_empty(s1_begin, s1_end)) spans->emplace_back(s1_begin, std::min(s1_end, n));
      continue;
    }
    // re_boundary_realignment.match(text[s2]): ["')\]}]+?(?:\s+|(?=--)|$), MULTILINE.
    size_t b2 = std::min(slices[k + 1].first, n);
    size_t e2 = std::max(b2, std::min(slices[k + 1].second, n));
    std::string_view s2 = text.substr(b2, e2 - b2);
    size_t closers = 0;
    while (closers < s2.size() && std::strchr("\"')]}", s2[closers]) != nullptr &&
           s2[closers] != '\0')
      ++closers;
    size_t match_end = kNpos;
    if (closers > 0) {
      if (closers == s2.size() || s2.substr(closers, 2) == "--") {
        match_end = closers;
      } else if (SpaceLenAt(s2, closers)) {
        size_t j = closers, w;
        while (j < s2.size() && (w = SpaceLenAt(s2, j)) > 0) j += w;
        match_end = j;
      }
    }
    if (match_end != kNpos) {
      spans->emplace_back(s1_begin, std::min(b2 + closers, n));
      realign = match_end;
    } else {
      realign = 0;
      if (non_empty(s1_begin, s1_end)) spans->emplace_back(s1_begin, std::min(s1_end, n));
    }
  }
}

void AppendTreebankWords(std::string_view sentence, std::vector<std::string>* out) {
  if (unicode::IsValidUtf8(sentence)) {
    TreebankWordsValid(sentence, out);
  } else {
    TreebankWordsValid(unicode::PyReplaceInvalidUtf8(sentence), out);
  }
}

void AppendWordTokens(std::string_view text, std::vector<std::string>* out,
                      const PunktParams* params) {
  if (unicode::IsValidUtf8(text)) {
    AppendWordTokensValid(text, out, params);
  } else {
    AppendWordTokensValid(unicode::PyReplaceInvalidUtf8(text), out, params);
  }
}

std::vector<std::string> WordTokenize(std::string_view text, const PunktParams* params) {
  std::vector<std::string> out;
  AppendWordTokens(text, &out, params);
  return out;
}

std::vector<std::string> TreebankWords(std::string_view sentence) {
  std::vector<std::string> out;
  AppendTreebankWords(sentence, &out);
  return out;
}

std::vector<std::string> SentTokenize(std::string_view text, const PunktParams* params) {
  std::string repaired;
  if (!unicode::IsValidUtf8(text)) {
    repaired = unicode::PyReplaceInvalidUtf8(text);
    text = repaired;
  }
  std::vector<std::pair<size_t, size_t>> spans;
  SentenceSpans(text, &spans, params);
  std::vector<std::string> out;
  out.reserve(spans.size());
  for (const auto& [b, e] : spans) out.emplace_back(text.substr(b, e - b));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Pieces shared with the trainer.
namespace internal {

void PunktWords(std::string_view line, std::vector<std::string_view>* tokens) {
  nltk::PunktWords(line, tokens);
}
std::string PunktType(std::string_view tok) {
  std::string lower = unicode::PyLower(tok);
  if (IsNumeric(lower)) return "##number##";
  return lower;
}
bool IsInitial(std::string_view tok) { return nltk::IsInitial(tok); }
bool IsAlpha(std::string_view tok) {
  if (tok.empty()) return false;
  for (size_t i = 0, len; i < tok.size(); i += len)
    if (!IsWordNonDigit(CodePointAt(tok, i, &len))) return false;
  return true;
}
bool HasNonPunct(std::string_view type) {
  for (size_t i = 0, len; i < type.size(); i += len)
    if (IsWordNonDigit(CodePointAt(type, i, &len))) return true;
  return false;
}
bool FirstIsLower(std::string_view tok) { return !tok.empty() && nltk::FirstIsLower(tok); }
bool FirstIsUpper(std::string_view tok) { return !tok.empty() && nltk::FirstIsUpper(tok); }

void FirstPass(std::string_view tok, const PunktParams& params, AnnotatedToken* out) {
  out->tok = tok;
  out->type = PunktType(tok);
  out->period_final = !tok.empty() && tok.back() == '.';
  out->sentbreak = out->abbr = out->ellipsis = false;
  out->parastart = out->linestart = false;
  if (tok == "." || tok == "?" || tok == "!") {
    out->sentbreak = true;
  } else if (tok.size() >= 2 && tok.find_first_not_of('.') == kNpos) {
    out->ellipsis = true;
  } else if (out->period_final && !(tok.size() >= 2 && tok[tok.size() - 2] == '.')) {
    // tok[:-1].lower() or its last '-'-separated part is a known abbreviation.
    thread_local std::string lower;
    unicode::PyLowerInto(tok.substr(0, tok.size() - 1), &lower);
    size_t dash = lower.rfind('-');
    bool known = params.abbrev_types.count(lower) ||
                 (dash != std::string::npos && params.abbrev_types.count(lower.substr(dash + 1)));
    (known ? out->abbr : out->sentbreak) = true;
  }
}

int OrthoHeuristic(const AnnotatedToken& tok, const PunktParams& params) {
  if (tok.tok.size() == 1 && std::strchr(";:,.!?", tok.tok[0]) != nullptr && tok.tok[0] != '\0')
    return 0;  // sentences do not start with punctuation
  int ortho = params.Ortho(std::string(tok.TypeNoSentPeriod()));
  if (FirstIsUpper(tok.tok) && (ortho & kOrthoLc) && !(ortho & kOrthoMidUc)) return 1;
  if (FirstIsLower(tok.tok) && ((ortho & kOrthoUc) || !(ortho & kOrthoBegLc))) return 0;
  return -1;
}

}  // namespace internal
}  // namespace winnow::nltk
