// ftfy's BADNESS_RE matched without PCRE2. The generated pattern (ftfy_tables.inc) is an
// alternation of short sequences of character classes, some optional ("?"), one anchored at the
// text's start ("\A"). PCRE2 tests such a class as a list of ranges (hundreds in some), which cost
// ~2 us per start position tried and made the regex most of fix_unicode_mapper's time. Here the
// pattern is parsed once into its classes, and each code point's classes are one table lookup
// (a bit set), so trying a start costs a few dozen bit tests.
//
// Only that subset of regex syntax is accepted: (?:A|B|...) where each alternative is a sequence
// of [...] / [^...] classes of \x{HEX} code points and ranges, single \x{HEX} code points and
// \A, each optionally followed by "?". tests/unit/ftfy_test.cc checks IsBad against PCRE2's
// search of the same pattern.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace winnow::ftfy::internal {

class BadnessMatcher {
 public:
  // The matcher for `pattern`, or nullptr with the reason when it is outside the subset.
  static std::unique_ptr<BadnessMatcher> Parse(std::string_view pattern, std::string* why);
  // The matcher of the generated BADNESS_RE (built on first use).
  static const BadnessMatcher& Get();

  // Whether a match starts at byte offset `start` of `text` (valid UTF-8) and ends by `end`.
  bool MatchAt(std::string_view text, size_t start, size_t end) const;

 private:
  struct Item {
    int cls = -1;  // class index (-1: \A)
    bool negated = false;
    bool optional = false;
  };
  static constexpr int kWords = 2, kMaxClasses = 64 * kWords;
  static constexpr int kMaxItems = 16;
  // The interval of code point cp: ASCII ones are their own (0-127), others 128 + an index
  // into bounds_.
  uint32_t Interval(uint32_t cp) const;
  // The classes holding the code points of an interval, as kWords 64-bit words.
  const uint64_t* Mask(uint32_t interval) const { return &masks_[interval * kWords]; }
  bool Match(const std::vector<Item>& alt, size_t i, int k, const uint64_t* const* masks, int n,
             bool at_text_start) const;

  std::vector<std::vector<Item>> alts_;
  int max_items_ = 0;
  std::vector<uint32_t> bounds_;  // sorted interval starts above ASCII: [bounds_[i], bounds_[i+1])
  std::vector<uint16_t> low_interval_;  // Interval() of the code points below kLowTable
  static constexpr uint32_t kLowTable = 0x3000;  // Latin to box drawing; CJK and above search
  std::vector<uint64_t> masks_;   // kWords words per interval: the classes holding its code points
  // Per interval: the alternatives whose first item matches its code points (at most 64
  // alternatives); always_: those that can start without consuming one (an optional first item),
  // at_start_: those starting with \A. Most starts are ruled out by these alone.
  std::vector<uint64_t> first_;
  uint64_t always_ = 0, at_start_ = 0;
};

}  // namespace winnow::ftfy::internal
