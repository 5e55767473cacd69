// c4_badwords_filter: C4's bad-words rule as datatrove's C4BadWordsFilter applies it: drop a
// document whose lower-cased text contains a word of its language's LDNOOBW list, as a whole
// word (between non-word characters or the text's ends; ja, th and zh: anywhere). Lists: the
// installed naughty-words package (or flagged_words files in DJ's format in badwords_dir).
#include "winnow/core/xxhash_include.h"

#include <map>

#include "winnow/core/unicode.h"
#include "winnow/ops/registry.h"
#include "winnow/ops/text/datatrove_filter.h"
#include "winnow/ops/text/word_lists.h"

namespace winnow {
namespace {

using namespace datatrove;

// A byte trie of one language's words: from a start position, every word that begins there.
class WordTrie {
 public:
  void Add(std::string_view w) {
    int node = 0;
    for (unsigned char c : w) {
      auto it = nodes_[node].next.find(c);
      if (it == nodes_[node].next.end()) {
        nodes_.emplace_back();
        it = nodes_[node].next.emplace(c, static_cast<int>(nodes_.size() - 1)).first;
      }
      node = it->second;
    }
    nodes_[node].terminal = true;
  }
  // Calls ends(end) for the end offset of every word starting at `at`; stops when it returns true.
  template <typename F>
  bool Walk(std::string_view s, size_t at, F ends) const {
    int node = 0;
    if (nodes_[0].terminal && ends(at)) return true;
    for (size_t i = at; i < s.size(); ++i) {
      auto it = nodes_[node].next.find(static_cast<unsigned char>(s[i]));
      if (it == nodes_[node].next.end()) return false;
      node = it->second;
      if (nodes_[node].terminal && ends(i + 1)) return true;
    }
    return false;
  }

 private:
  struct Node { std::map<unsigned char, int> next; bool terminal = false; };
  std::vector<Node> nodes_{Node{}};
};

// Python re's \w on str: alphanumeric (str.isalnum) or '_'.
bool IsWordChar(uint32_t cp) { return cp == '_' || unicode::Is(cp, unicode::kAlnum); }

class C4BadWordsFilter : public RuleFilter {
 public:
  C4BadWordsFilter(const Params& p, const OpEnv& env)
      : RuleFilter("c4_badwords_filter", p, env),
        keep_fraction_(p.Number("keep_fraction")),
        fail_on_missing_(p.Bool("fail_on_missing_language")),
        default_lang_(p.String("default_language")),
        lang_field_(p.String("lang_field")),
        seed_(p.IsNull("seed") ? 0 : static_cast<uint64_t>(p.Number("seed"))) {
    auto lists = LoadWordLists(p.String("badwords_dir"), "flagged_words");
    WINNOW_CHECK(lists.ok());
    // datatrove removes every language's allowlist from every list.
    static const char* const kAllow[] = {"sm", "\u30b0\u30ed", "\u5973\u306e\u5b50", "\u6027"};
    for (const auto& [lang, set] : (*lists)->by_lang) {
      if (lang == "all") continue;
      WordTrie& trie = tries_[lang];
      set.ForEach([&](std::string_view entry) {
        std::string_view w = Strip(entry);  // datatrove reads the list with line.strip()
        for (const char* a : kAllow) if (w == a) return;
        trie.Add(w);
      });
    }
  }

 protected:
  Verdict Judge(std::string_view text, Sample& s) const override {
    std::string lang = default_lang_;
    if (!lang_field_.empty()) {
      std::string raw, v;
      if (s.FieldRaw(lang_field_, &raw) && json::StringValue(raw, &v))
        lang = v;
    }
    auto it = tries_.find(lang);
    if (it == tries_.end()) {
      if (fail_on_missing_)
        return {"there is no badwords list for language '" + lang + "' (set fail_on_missing_language: false)", true};
      return {};
    }
    std::string lower = Lower(text);
    // datatrove 2024-05 reused the name `lang` for its allowlist loop, which always ends on
    // "zh", so every language was matched without word boundaries; 2025-01 fixed that.
    bool bounded = version() == Version::k2025_01 && !(lang == "ja" || lang == "th" || lang == "zh");
    if (!Found(it->second, lower, bounded)) return {};
    if (keep_fraction_ > 0) {
      // datatrove draws from one RNG stream; Winnow draws per sample from (seed, row) so the
      // decision does not depend on thread count or order.
      uint64_t key[2] = {seed_, (static_cast<uint64_t>(s.row().file) << 40) ^ s.row().line};
      double u = static_cast<double>(XXH3_64bits(key, sizeof key) >> 11) * 0x1.0p-53;
      if (u < keep_fraction_) return {};
    }
    return {"document_removed_with_badwords"};
  }

 private:
  static bool Found(const WordTrie& trie, std::string_view s, bool bounded) {
    auto boundary_after = [&](size_t end) {
      if (!bounded || end == s.size()) return true;
      const char* p = s.data() + end;
      return !IsWordChar(unicode::DecodeUtf8(p));
    };
    bool prev_is_boundary = true;  // position 0: '^'
    for (size_t i = 0; i <= s.size();) {
      if ((!bounded || prev_is_boundary) && trie.Walk(s, i, boundary_after)) return true;
      if (i == s.size()) break;
      const char* p = s.data() + i;
      uint32_t cp = unicode::DecodeUtf8(p);
      prev_is_boundary = !IsWordChar(cp);
      i = p - s.data();
    }
    return false;
  }

  double keep_fraction_;
  bool fail_on_missing_;
  std::string default_lang_, lang_field_;
  uint64_t seed_;
  std::map<std::string, WordTrie> tries_;
};

Status Validate(const Params& p) {
  WINNOW_RETURN_IF_ERROR(ValidateVersion(p));
  auto lists = LoadWordLists(p.String("badwords_dir"), "flagged_words");
  if (!lists.ok()) return Status::Error("badwords_dir: " + lists.status().message());
  double f = p.Number("keep_fraction");
  if (f < 0 || f > 1) return Status::Error("keep_fraction must be within [0, 1]");
  return Status::Ok();
}

}  // namespace

void RegisterC4BadWordsFilter(Registry& r) {
  r.Add({"c4_badwords_filter", OpKind::kFilter,
         "C4's bad-words rule as in datatrove's C4BadWordsFilter: drop documents containing a word of their "
         "language's LDNOOBW list.",
         {datatrove::VersionParam(),
          FloatParam("keep_fraction", 0.0, "share of documents with bad words to keep anyway (seeded per sample)"),
          BoolParam("fail_on_missing_language", true, "quarantine documents whose language has no list"),
          Optional(IntParam("seed", 0, "seed of the keep_fraction draw")),
          StringParam("default_language", "en", "language of documents without lang_field"),
          StringParam("lang_field", "", "Winnow: dotted field holding the document's language; empty = default_language"),
          StringParam("badwords_dir", "", "Winnow: directory of flagged_words*.json lists; empty = the installed LDNOOBW lists")},
         {"c4_badwords_filter_reason"},
         [](const Params& p, const OpEnv& e) { return std::make_unique<C4BadWordsFilter>(p, e); },
         Validate});
}

}  // namespace winnow
