// Python-`re`-compatible regular expressions on PCRE2 (UTF + Unicode properties, JIT).
// DJ's patterns are Python regexes: `\w`, `\s`, `\d`, `\b` are Unicode-aware (PCRE2_UCP),
// `(?P<name>...)` works as is, and re.sub's replacement syntax (\1, \g<name>) is translated.
#pragma once

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/status.h"

namespace winnow {

// Per-thread PCRE2 match state (match data, a context with its own JIT stack, and a match-step
// limit): PCRE2 match data cannot be shared between threads. One per thread for all patterns.
struct PcreThreadState {
  pcre2_match_data* data = nullptr;     // room for 256 capture groups
  pcre2_match_context* ctx = nullptr;
  pcre2_jit_stack* stack = nullptr;
  PcreThreadState();
  ~PcreThreadState();
  PcreThreadState(const PcreThreadState&) = delete;
  PcreThreadState& operator=(const PcreThreadState&) = delete;
  static PcreThreadState& Get();  // this thread's
};

class Regex {
 public:
  // Python's re flags that DJ's ops use.
  enum Flags : uint32_t { kNone = 0, kDotAll = 1, kMultiline = 2, kIgnoreCase = 4 };
  static Result<std::shared_ptr<const Regex>> Compile(std::string_view pattern, uint32_t flags);
  ~Regex();

  // True if the pattern matches anywhere in `text` (re.search).
  Result<bool> Search(std::string_view text) const;
  // Python re.sub(pattern, repl, text) with all matches replaced. `replaced` tells whether any
  // match was found; `out` is only filled when it is. `repl` uses Python's replacement syntax.
  Status Sub(std::string_view text, std::string_view repl, std::string* out, bool* replaced) const;

  // Byte ranges [first, second) of the text, sorted and disjoint.
  using Windows = std::vector<std::pair<size_t, size_t>>;
  // Like Sub, but only searches inside `windows`. Valid only when no match can start outside a
  // window or cross its end (the caller's guarantee, e.g. a pattern that never matches
  // whitespace, searched within whitespace-separated tokens). Lookbehind still sees the text
  // before a window.
  Status SubWindows(std::string_view text, const Windows& windows, std::string_view repl, std::string* out,
                    bool* replaced) const;

  // The first match (re.search): its [begin, end) byte span. False if none.
  Result<bool> Find(std::string_view text, size_t* begin, size_t* end) const;
  // re.finditer: calls f(groups) for each non-overlapping match; groups[0] is the whole match,
  // an unmatched group is empty.
  Status ForEachMatch(std::string_view text,
                      const std::function<void(const std::vector<std::string_view>& groups)>& f) const;

  // Validates Python replacement syntax against this pattern's groups (recipe load time).
  Status CheckReplacement(std::string_view repl) const;

 private:
  Regex() = default;
  struct Piece {
    std::string literal;
    int group = -1;  // >= 0: insert this group's match
  };
  Status ParseReplacement(std::string_view repl, std::vector<Piece>* pieces) const;

  pcre2_code* code_ = nullptr;
  uint32_t capture_count_ = 0;
};

// DJ strips a Python raw-string wrapper from user patterns: r'...' or r"..." -> ...
std::string StripPythonRawQuotes(const std::string& pattern);

}  // namespace winnow
