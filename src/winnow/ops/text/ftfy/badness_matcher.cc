#include "winnow/ops/text/ftfy/badness_matcher.h"

#include <algorithm>
#include <utility>

#include "winnow/core/status.h"
#include "winnow/ops/text/ftfy/ftfy_internal.h"

namespace winnow::ftfy::internal {
namespace {

using Ranges = std::vector<std::pair<uint32_t, uint32_t>>;  // inclusive

// A recursive-descent reader of the accepted subset; fails with a reason on anything else.
class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}
  bool Eat(std::string_view t) {
    if (s_.substr(i_, t.size()) != t) return false;
    i_ += t.size();
    return true;
  }
  bool AtEnd() const { return i_ == s_.size(); }
  char Peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  size_t pos() const { return i_; }
  // \x{HEX}
  bool CodePoint(uint32_t* cp) {
    if (!Eat("\\x{")) return false;
    uint64_t v = 0;
    size_t digits = 0;
    for (; i_ < s_.size() && s_[i_] != '}'; ++i_, ++digits) {
      const char c = s_[i_];
      int d = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      if (d < 0 || digits >= 6) return false;
      v = v * 16 + static_cast<uint64_t>(d);
    }
    if (digits == 0 || !Eat("}") || v > 0x10FFFF) return false;
    *cp = static_cast<uint32_t>(v);
    return true;
  }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace

std::unique_ptr<BadnessMatcher> BadnessMatcher::Parse(std::string_view pattern, std::string* why) {
  std::unique_ptr<BadnessMatcher> m(new BadnessMatcher());
  std::vector<Ranges> classes;
  auto class_index = [&](Ranges r) {
    std::sort(r.begin(), r.end());
    for (size_t i = 0; i < classes.size(); ++i)
      if (classes[i] == r) return static_cast<int>(i);
    classes.push_back(std::move(r));
    return static_cast<int>(classes.size() - 1);
  };
  Reader rd(pattern);
  auto fail = [&](const char* what) {
    *why = std::string(what) + " at offset " + std::to_string(rd.pos());
    return nullptr;
  };
  if (!rd.Eat("(?:")) return fail("expected (?:");
  m->alts_.emplace_back();
  while (true) {
    std::vector<Item>& alt = m->alts_.back();
    Item item;
    uint32_t cp;
    if (rd.Eat(")")) {
      if (!rd.AtEnd()) return fail("text after the alternation");
      break;
    } else if (rd.Eat("|")) {
      if (alt.empty()) return fail("empty alternative");
      m->alts_.emplace_back();
      continue;
    } else if (rd.Eat("\\A")) {
      item.cls = -1;
    } else if (rd.Peek() == '\\') {
      if (!rd.CodePoint(&cp)) return fail("unsupported escape");
      item.cls = class_index({{cp, cp}});
    } else if (rd.Eat("[")) {
      item.negated = rd.Eat("^");
      Ranges r;
      while (!rd.Eat("]")) {
        uint32_t lo, hi;
        if (!rd.CodePoint(&lo)) return fail("unsupported class member");
        hi = lo;
        if (rd.Eat("-") && (!rd.CodePoint(&hi) || hi < lo)) return fail("bad class range");
        r.push_back({lo, hi});
      }
      if (r.empty()) return fail("empty class");
      item.cls = class_index(std::move(r));
    } else {
      return fail("unsupported syntax");
    }
    if (rd.Eat("?")) {
      if (item.cls < 0) return fail("optional \\A");
      item.optional = true;
    }
    if (static_cast<int>(classes.size()) > kMaxClasses) return fail("too many distinct classes");
    alt.push_back(item);
    if (static_cast<int>(alt.size()) > kMaxItems) return fail("alternative too long");
    m->max_items_ = std::max(m->max_items_, static_cast<int>(alt.size()));
  }
  if (m->alts_.back().empty()) return fail("empty alternative");
  // Membership: ASCII directly; above it, the intervals between all range boundaries.
  if (m->alts_.size() > 64) return fail("more than 64 alternatives");
  // Intervals: each ASCII code point, then the spans between all range boundaries above ASCII.
  std::vector<uint32_t> cuts{128};
  for (const auto& cls : classes)
    for (const auto& [lo, hi] : cls) {
      if (lo > 128) cuts.push_back(lo);
      if (hi + 1 > 128 && hi < 0x10FFFF) cuts.push_back(hi + 1);
    }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  m->bounds_ = cuts;
  std::vector<uint32_t> firsts;  // a code point of each interval
  for (uint32_t c = 0; c < 128; ++c) firsts.push_back(c);
  firsts.insert(firsts.end(), cuts.begin(), cuts.end());
  for (uint32_t cp : firsts) {
    uint64_t mask[kWords] = {};
    for (size_t k = 0; k < classes.size(); ++k)
      for (const auto& [lo, hi] : classes[k])
        if (cp >= lo && cp <= hi) mask[k >> 6] |= uint64_t{1} << (k & 63);
    m->masks_.insert(m->masks_.end(), mask, mask + kWords);
    uint64_t first = 0;
    for (size_t a = 0; a < m->alts_.size(); ++a) {
      const Item& it = m->alts_[a][0];
      if (it.cls >= 0 && !it.optional && (((mask[it.cls >> 6] >> (it.cls & 63)) & 1) != 0) != it.negated)
        first |= uint64_t{1} << a;
    }
    m->first_.push_back(first);
  }
  for (size_t a = 0; a < m->alts_.size(); ++a) {
    const Item& it = m->alts_[a][0];
    if (it.cls < 0) m->at_start_ |= uint64_t{1} << a;
    if (it.optional) m->always_ |= uint64_t{1} << a;
  }
  m->low_interval_.resize(kLowTable);
  for (uint32_t cp = 0; cp < kLowTable; ++cp) {
    const uint32_t iv = cp < 128 ? cp
                                 : 128 + static_cast<uint32_t>(std::upper_bound(cuts.begin(), cuts.end(), cp) -
                                                               cuts.begin()) - 1;
    if (iv > UINT16_MAX) return fail("too many intervals");
    m->low_interval_[cp] = static_cast<uint16_t>(iv);
  }
  return m;
}

const BadnessMatcher& BadnessMatcher::Get() {
  static const std::unique_ptr<BadnessMatcher> m = [] {
    std::string why;
    auto p = Parse(BadnessPattern(), &why);
    WINNOW_CHECK(p != nullptr);  // the generated pattern is in the subset (ftfy_test checks it)
    return p;
  }();
  return *m;
}

uint32_t BadnessMatcher::Interval(uint32_t cp) const {
  if (cp < kLowTable) return low_interval_[cp];
  return 128 + static_cast<uint32_t>(std::upper_bound(bounds_.begin(), bounds_.end(), cp) - bounds_.begin()) - 1;
}

// Item i onwards at code point k of the n decoded ones; "?" tries with the character first, as
// PCRE2 does (only existence matters here, so the order does not change the answer).
bool BadnessMatcher::Match(const std::vector<Item>& alt, size_t i, int k, const uint64_t* const* masks, int n,
                           bool at_text_start) const {
  if (i == alt.size()) return true;
  const Item& it = alt[i];
  if (it.cls < 0) return at_text_start && k == 0 && Match(alt, i + 1, k, masks, n, at_text_start);
  const bool here = k < n && (((masks[k][it.cls >> 6] >> (it.cls & 63)) & 1) != 0) != it.negated;
  if (here && Match(alt, i + 1, k + 1, masks, n, at_text_start)) return true;
  return it.optional && Match(alt, i + 1, k, masks, n, at_text_start);
}

bool BadnessMatcher::MatchAt(std::string_view text, size_t start, size_t end) const {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  uint64_t cand = always_ | (start == 0 ? at_start_ : 0);
  const uint64_t* masks[kMaxItems];
  int n = 0;
  size_t i = start;
  if (i < end) {
    int len;
    const uint32_t cp = Decode(p + i, &len);
    if (i + static_cast<size_t>(len) <= end) {  // a character cut by `end` is not in the subject
      const uint32_t iv = Interval(cp);
      cand |= first_[iv];
      masks[n++] = Mask(iv);
      i += static_cast<size_t>(len);
    }
  }
  if (!cand) return false;
  while (n < max_items_ && i < end) {
    int len;
    const uint32_t cp = Decode(p + i, &len);
    if (i + static_cast<size_t>(len) > end) break;
    masks[n++] = Mask(Interval(cp));
    i += static_cast<size_t>(len);
  }
  for (; cand; cand &= cand - 1)
    if (Match(alts_[static_cast<size_t>(__builtin_ctzll(cand))], 0, 0, masks, n, start == 0)) return true;
  return false;
}

}  // namespace winnow::ftfy::internal
