// gopher_repetition_filter: Gopher's repetition rules as datatrove's GopherRepetitionFilter
// applies them: duplicated paragraphs and lines (count and characters), the most frequent
// 2..4-gram's character share, and the characters in repeated 5..10-grams.
#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#define XXH_INLINE_ALL
#include "winnow/core/xxhash_include.h"

#include "winnow/core/prefetch.h"
#include "winnow/core/rolling_hash.h"
#include "winnow/ops/registry.h"
#include "winnow/ops/text/datatrove_filter.h"

namespace winnow {
namespace {

using namespace datatrove;

// re.split(pattern_of_min_newlines, s): pieces between runs of >= min_run '\n'.
std::vector<std::string_view> SplitOnNewlineRuns(std::string_view s, size_t min_run) {
  std::vector<std::string_view> out;
  size_t start = 0, i = 0;
  while (i < s.size()) {
    if (s[i] != '\n') { ++i; continue; }
    size_t j = i;
    while (j < s.size() && s[j] == '\n') ++j;
    if (j - i >= min_run) {
      out.push_back(s.substr(start, i - start));
      start = j;
    }
    i = j;
  }
  out.push_back(s.substr(start));
  return out;
}

// Per-document n-gram table reused across documents (cleared by bumping a generation tag):
// key -> (count, first index). Keys are 61-bit hashes, never 0 after the +1.
class NGramTable {
 public:
  void Reset(size_t n) {
    size_t want = 16;
    while (want < 2 * n) want <<= 1;
    if (slots_.size() < want) slots_.assign(want, Slot{});
    if (++gen_ == 0) { slots_.assign(slots_.size(), Slot{}); gen_ = 1; }
    mask_ = slots_.size() - 1;
  }
  // Long documents make tables far larger than the cache: the n-gram a few positions on is
  // prefetched while this one is counted (without it, waiting for these slots was ~60% of the op).
  void Prefetch(uint64_t key) const { PrefetchRead(&slots_[Index(key)]); }
  // Returns the slot for key, inserting (count 0, first) if new.
  std::pair<uint32_t, uint32_t>& At(uint64_t key, uint32_t first) {
    size_t i = Index(key);
    while (slots_[i].gen == gen_ && slots_[i].key != key) i = (i + 1) & mask_;
    if (slots_[i].gen != gen_) slots_[i] = Slot{key, {0, first}, gen_};
    return slots_[i].value;
  }

 private:
  size_t Index(uint64_t key) const { return (key * 0x9E3779B97F4A7C15ull) >> 20 & mask_; }
  struct Slot { uint64_t key = 0; std::pair<uint32_t, uint32_t> value; uint32_t gen = 0; };
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  uint32_t gen_ = 0;
};

std::vector<std::pair<size_t, double>> NGramParams(const json::Value& v) {
  std::vector<std::pair<size_t, double>> out;
  for (const auto& pair : v.as_array())
    out.emplace_back(static_cast<size_t>(pair.as_array()[0].as_number()), pair.as_array()[1].as_number());
  return out;
}

class GopherRepetitionFilter : public RuleFilter {
 public:
  GopherRepetitionFilter(const Params& p, const OpEnv& env)
      : RuleFilter("gopher_repetition_filter", p, env),
        p_(p),
        top_(NGramParams(p.Get("top_n_grams"))),
        dup_(NGramParams(p.Get("dup_n_grams"))) {}

 protected:
  Verdict Judge(std::string_view text, Sample&) const override {
    const double len_text = static_cast<double>(Len(text));
    auto on = [&](const char* name) { return Enabled(p_, name); };
    auto num = [&](const char* name) { return p_.Number(name); };
    auto empty = [] { return Verdict{"datatrove divides by the text length, which is 0 here", true}; };

    auto paragraphs = SplitOnNewlineRuns(Strip(text), 2);
    auto [pd, pc] = FindDuplicates(paragraphs);
    if (on("dup_para_frac") && pd / static_cast<double>(paragraphs.size()) > num("dup_para_frac"))
      return {"dup_para_frac"};
    if (on("dup_para_char_frac")) {
      if (len_text == 0) return empty();
      if (pc / len_text > num("dup_para_char_frac")) return {"dup_para_char_frac"};
    }
    auto lines = SplitOnNewlineRuns(text, 1);
    auto [ld, lc] = FindDuplicates(lines);
    if (on("dup_line_frac") && ld / static_cast<double>(lines.size()) > num("dup_line_frac")) return {"dup_line_frac"};
    if (on("dup_line_char_frac")) {
      if (len_text == 0) return empty();
      if (lc / len_text > num("dup_line_char_frac")) return {"dup_line_char_frac"};
    }

    std::vector<std::string> words = Words(text);
    const size_t nw = words.size();
    // Word n-grams are identified by hashes (61-bit polynomial, collision chance <= n / 2^61):
    // "top" n-grams are joined with ' ' (tokens never contain whitespace, so the word sequence
    // identifies the joined string); "duplicated" n-grams are joined with nothing, so their
    // identity is the concatenated bytes: hashed as substrings of all words concatenated.
    thread_local std::vector<uint64_t> word_hash, hashes, prefix;
    thread_local std::vector<size_t> cp_prefix, byte_off;
    thread_local NGramTable table;
    constexpr size_t kAhead = 16;  // n-grams between a slot's prefetch and its use
    word_hash.resize(nw);
    cp_prefix.assign(nw + 1, 0);
    byte_off.assign(nw + 1, 0);
    for (size_t i = 0; i < nw; ++i) {
      word_hash[i] = XXH3_64bits(words[i].data(), words[i].size());
      cp_prefix[i + 1] = cp_prefix[i] + Len(words[i]);
      byte_off[i + 1] = byte_off[i] + words[i].size();
    }
    for (auto [n, frac] : top_) {
      if (n == 0 || nw < n) continue;
      // Counter(...).most_common(1): the highest count, ties to the first n-gram inserted.
      hashes.resize(nw - n + 1);
      RollingHash::AllWindows(word_hash.data(), nw, n, hashes.data());
      table.Reset(hashes.size());
      size_t best_count = 0, best_first = 0;
      for (uint32_t i = 0; i < hashes.size(); ++i) {
        if (i + kAhead < hashes.size()) table.Prefetch(hashes[i + kAhead] + 1);
        auto& e = table.At(hashes[i] + 1, i);
        ++e.first;
        if (e.first > best_count || (e.first == best_count && e.second < best_first)) {
          best_count = e.first;
          best_first = e.second;
        }
      }
      size_t best_len = cp_prefix[best_first + n] - cp_prefix[best_first] + (n - 1);
      if (len_text == 0) return empty();
      if (static_cast<double>(best_len * best_count) / len_text > frac) return {"top_" + std::to_string(n) + "_gram"};
    }
    // Prefix hashes of the concatenation of all words, at the word boundaries only (the
    // duplicated n-grams start and end there): prefix[i + 1] = prefix[i] * B^len(word i) +
    // hash(word i). Each word's own hash is independent of the others, so only one multiply per
    // word is on the dependent chain (byte by byte, two chains of multiplies per byte were ~20%
    // of this op). B's powers are kept per thread and grown as longer spans need them.
    thread_local std::vector<uint64_t> power_of{1};
    auto power_at = [&](size_t k) {
      while (power_of.size() <= k) power_of.push_back(RollingHash::MulMod(power_of.back(), RollingHash::kBase));
      return power_of[k];
    };
    prefix.resize(nw + 1);
    prefix[0] = 0;
    for (size_t i = 0; i < nw; ++i) {
      uint64_t h = 0;
      for (unsigned char c : words[i]) h = RollingHash::AddMod(RollingHash::MulMod(h, RollingHash::kBase), uint64_t{c} + 1);
      prefix[i + 1] = RollingHash::AddMod(RollingHash::MulMod(prefix[i], power_at(words[i].size())), h);
    }
    // Words [a, b) as a string: its hash, with its byte length folded in as well.
    auto substring_hash = [&](size_t a, size_t b) {
      const size_t bytes = byte_off[b] - byte_off[a];
      uint64_t h = RollingHash::AddMod(prefix[b], RollingHash::kMod - RollingHash::MulMod(prefix[a], power_at(bytes)));
      return h ^ (static_cast<uint64_t>(bytes) * 0x9E3779B97F4A7C15ull);
    };
    for (auto [n, frac] : dup_) {
      // find_all_duplicate: a repeat adds its length and skips its n words.
      table.Reset(nw);
      size_t repeated = 0;
      for (size_t i = 0; n > 0 && i + n <= nw;) {
        if (i + kAhead + n <= nw) table.Prefetch(substring_hash(i + kAhead, i + kAhead + n) | 1);
        uint64_t h = substring_hash(i, i + n) | 1;
        if (table.At(h, 0).first++ > 0) {
          repeated += cp_prefix[i + n] - cp_prefix[i];
          i += n;
        } else {
          ++i;
        }
      }
      if (len_text == 0) return empty();
      if (repeated / len_text > frac) return {"duplicated_" + std::to_string(n) + "_n_grams"};
    }
    return {};
  }

 private:
  Params p_;
  std::vector<std::pair<size_t, double>> top_, dup_;
};

ParamSpec Frac(const char* name, double def, const char* doc) { return Nullable(FloatParam(name, def, doc)); }

json::Value Pairs(std::initializer_list<std::pair<int, double>> xs) {
  std::vector<json::Value> out;
  for (auto [n, f] : xs)
    out.push_back(json::Value::Array({json::Value::Number(n, true), json::Value::Number(f, false)}));
  return json::Value::Array(std::move(out));
}

Status Validate(const Params& p) {
  WINNOW_RETURN_IF_ERROR(ValidateVersion(p));
  for (const char* name : {"top_n_grams", "dup_n_grams"}) {
    for (const auto& pair : p.Get(name).as_array()) {
      bool ok = pair.type() == json::Type::kArray && pair.as_array().size() == 2 &&
                pair.as_array()[0].type() == json::Type::kNumber && pair.as_array()[0].is_int() &&
                pair.as_array()[0].as_number() >= 1 && pair.as_array()[1].type() == json::Type::kNumber;
      if (!ok) return Status::Error(std::string(name) + " must be a list of [n, fraction] pairs with n >= 1");
    }
  }
  return Status::Ok();
}

}  // namespace

void RegisterGopherRepetitionFilter(Registry& r) {
  r.Add({"gopher_repetition_filter", OpKind::kFilter,
         "Gopher repetition rules as in datatrove's GopherRepetitionFilter (duplicate paragraphs/lines, top "
         "n-gram share, repeated n-gram characters); a null or 0 fraction disables its rule.",
         {datatrove::VersionParam(),
          Frac("dup_line_frac", 0.3, "maximum share of duplicated lines"),
          Frac("dup_para_frac", 0.3, "maximum share of duplicated paragraphs"),
          Frac("dup_line_char_frac", 0.2, "maximum share of characters in duplicated lines"),
          Frac("dup_para_char_frac", 0.2, "maximum share of characters in duplicated paragraphs"),
          ParamSpec{"top_n_grams", ParamType::kList, Pairs({{2, 0.2}, {3, 0.18}, {4, 0.16}}),
                    "[n, max share of characters in the most frequent n-gram] pairs"},
          ParamSpec{"dup_n_grams", ParamType::kList,
                    Pairs({{5, 0.15}, {6, 0.14}, {7, 0.13}, {8, 0.12}, {9, 0.11}, {10, 0.10}}),
                    "[n, max share of characters in repeated n-grams] pairs"}},
         {"gopher_repetition_filter_reason"},
         [](const Params& p, const OpEnv& e) { return std::make_unique<GopherRepetitionFilter>(p, e); },
         Validate});
}

}  // namespace winnow
