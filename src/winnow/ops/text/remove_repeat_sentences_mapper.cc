// remove_repeat_sentences_mapper: removes sentences seen earlier in the same document. Lines
// are split into sentences with DJ's four punctuation rules; a sentence is compared after
// strip(), optional lower(), and (by default) removing all but ASCII letters/digits, CJK
// ideographs, '\n', '\t' and ' '; short ones (< min_repeat_sentence_length) are always kept.
#include "winnow/core/xxhash_include.h"

#include <algorithm>
#include <vector>

#include "winnow/core/ascii_simd.h"
#include "winnow/core/unicode.h"
#include "winnow/ops/text/regex_mapper.h"

namespace winnow {
namespace {

// The 128-bit hashes of a document's normalised sentences: open addressing, reused across
// documents by one thread (a std::unordered_set per document spent its time in malloc).
class SeenSentences {
 public:
  void Reset() {
    if (used_.size() > 4096) {  // do not keep clearing a table one long document grew
      used_.assign(64, 0);
      keys_.assign(64, {});
    } else if (used_.empty()) {
      used_.assign(64, 0);
      keys_.resize(64);
    } else if (count_) {
      std::fill(used_.begin(), used_.end(), 0);
    }
    count_ = 0;
  }
  // True when (a, b) was not in the set (and is now).
  bool Insert(uint64_t a, uint64_t b) {
    if ((count_ + 1) * 2 > used_.size()) Grow();
    const size_t mask = used_.size() - 1;
    for (size_t i = a & mask;; i = (i + 1) & mask) {
      if (!used_[i]) {
        used_[i] = 1;
        keys_[i] = {a, b};
        ++count_;
        return true;
      }
      if (keys_[i].first == a && keys_[i].second == b) return false;
    }
  }

 private:
  void Grow() {
    std::vector<std::pair<uint64_t, uint64_t>> old_keys = std::move(keys_);
    std::vector<uint8_t> old_used = std::move(used_);
    used_.assign(old_used.size() * 2, 0);
    keys_.assign(old_used.size() * 2, {});
    count_ = 0;
    for (size_t i = 0; i < old_used.size(); ++i)
      if (old_used[i]) Insert(old_keys[i].first, old_keys[i].second);
  }
  std::vector<std::pair<uint64_t, uint64_t>> keys_;
  std::vector<uint8_t> used_;
  size_t count_ = 0;
};

#ifdef WINNOW_ASCII_COMPRESS
// Of 32 ASCII bytes, the ones the comparison key keeps: [a-zA-Z0-9\n\t ].
inline __mmask32 KeptAscii32(__m256i x) {
  const __m256i letter = _mm256_sub_epi8(_mm256_or_si256(x, _mm256_set1_epi8(0x20)), _mm256_set1_epi8('a'));
  const __m256i digit = _mm256_sub_epi8(x, _mm256_set1_epi8('0'));
  return _mm256_cmplt_epu8_mask(letter, _mm256_set1_epi8(26)) | _mm256_cmplt_epu8_mask(digit, _mm256_set1_epi8(10)) |
         _mm256_cmpeq_epi8_mask(x, _mm256_set1_epi8(' ')) | _mm256_cmpeq_epi8_mask(x, _mm256_set1_epi8('\n')) |
         _mm256_cmpeq_epi8_mask(x, _mm256_set1_epi8('\t'));
}
#endif

class RemoveRepeatSentencesMapper : public Mapper {
 public:
  RemoveRepeatSentencesMapper(const Params& p, const OpEnv& env)
      : Mapper("remove_repeat_sentences_mapper", p, env),
        lowercase_(p.Bool("lowercase")),
        ignore_special_(p.Bool("ignore_special_character")),
        min_len_(p.Number("min_repeat_sentence_length")) {
    for (const char* pat : {R"(([.。！!？\?])([^’”]))", R"((\.{6})([^’”]))", R"((\…{2})([^’”]))",
                            R"(([.。!！？\?\.{6}\…{2}][’”])([^’”]))"})
      splitters_.push_back(CompileConstant(pat, Regex::kNone));
  }

  Status Map(Sample& s) const override {
    auto t = s.Text(text_key_);
    if (!t.ok()) return t.status();
    std::string_view text = *t;
    std::string out, line_buf, tmp;
    out.reserve(text.size());
    // Normalised sentences seen so far, by their 128-bit hash (no copies kept).
    thread_local SeenSentences seen;
    seen.Reset();
    size_t pos = 0;
    bool first_line = true;
    for (;;) {
      size_t nl = text.find('\n', pos);
      std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
      if (!first_line) out.push_back('\n');
      first_line = false;
      if (!line.empty()) {
        // split_sentence(): mark sentence ends with '\n', then split on it.
        line_buf.assign(line);
        for (size_t r = 0; r < splitters_.size(); ++r) {
          // Each pattern needs certain characters; most lines lack them, so skip the regex.
          if (!MayMatch(r, line_buf)) continue;
          const auto& re = splitters_[r];
          bool replaced = false;
          WINNOW_RETURN_IF_ERROR(re->Sub(line_buf, "\\1\n\\2", &tmp, &replaced));
          if (replaced) line_buf.swap(tmp);
        }
        size_t sp = 0;
        for (;;) {
          size_t e = line_buf.find('\n', sp);
          std::string_view sentence(line_buf.data() + sp, (e == std::string::npos ? line_buf.size() : e) - sp);
          std::string_view key = Normalize(sentence);
          // len(key) >= bytes / 4, so long keys need no counting.
          if (static_cast<double>(key.size()) < 4 * min_len_ &&
              static_cast<double>(unicode::CountCodePoints(key)) < min_len_) {
            out.append(sentence);
          } else {
            XXH128_hash_t h = XXH3_128bits(key.data(), key.size());
            if (seen.Insert(h.high64, h.low64)) out.append(sentence);
          }
          if (e == std::string::npos) break;
          sp = e + 1;
        }
      }
      if (nl == std::string_view::npos) break;
      pos = nl + 1;
    }
    if (out != text) s.SetText(text_key_, std::move(out));
    return Status::Ok();
  }

 private:
  static bool MayMatch(size_t pattern, std::string_view s) {
    auto has = [&](std::string_view sub) { return s.find(sub) != std::string_view::npos; };
    switch (pattern) {
      case 0: {  // one pass for . ! ? and the lead bytes of 。(E3) ！？(EF)
        size_t i = 0;
#ifdef WINNOW_ASCII_COMPRESS
        for (; i + 32 <= s.size(); i += 32) {
          const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s.data() + i));
          if (_mm256_cmpeq_epi8_mask(x, _mm256_set1_epi8('.')) | _mm256_cmpeq_epi8_mask(x, _mm256_set1_epi8('!')) |
              _mm256_cmpeq_epi8_mask(x, _mm256_set1_epi8('?')) | _mm256_cmpeq_epi8_mask(x, _mm256_set1_epi8('\xE3')) |
              _mm256_cmpeq_epi8_mask(x, _mm256_set1_epi8('\xEF')))
            return true;
        }
#endif
        for (; i < s.size(); ++i) {
          const char c = s[i];
          if (c == '.' || c == '!' || c == '?' || c == '\xE3' || c == '\xEF') return true;
        }
        return false;
      }
      case 1: return has("......");
      case 2: return has("\u2026\u2026");
      default: return has("\u2019") || has("\u201d");
    }
  }

  // The comparison key of a sentence, in a reused buffer.
  std::string_view Normalize(std::string_view sentence) const {
    thread_local std::string lowered, kept;
    std::string_view key = unicode::PyStrip(sentence);
    if (lowercase_) {
      unicode::PyLowerInto(key, &lowered);
      key = lowered;
    }
    if (!ignore_special_) return key;
    // [^a-zA-Z0-9\u4e00-\u9fa5\n\t ] removed, written through a pointer (the key never grows);
    // the buffer only grows, so a sentence does not pay for zero-filling it again.
    if (kept.size() < key.size() + 32) kept.resize(key.size() + 32);
    char* o = kept.data();
    const char* end = key.data() + key.size();
    for (const char* p = key.data(); p < end;) {
#ifdef WINNOW_ASCII_COMPRESS
      // 32 bytes at a time: the ASCII run before the first non-ASCII byte, compressed to the
      // kept bytes in one step (o never runs ahead of p, and kept has 32 bytes of slack).
      if (end - p >= 32) {
        const ascii::AsciiRunStep step = ascii::CompressAsciiRun32(p, o, KeptAscii32);
        o += step.written;
        p += step.read;
        if (step.read == 32) continue;
      }
#endif
      unsigned char b = static_cast<unsigned char>(*p);
      if (b < 0x80) {  // ASCII: letters, digits, '\n', '\t', ' '
        *o = static_cast<char>(b);
        o += static_cast<unsigned>((b | 0x20) - 'a') < 26u || static_cast<unsigned>(b - '0') < 10u || b == '\n' ||
             b == '\t' || b == ' ';
        ++p;
        continue;
      }
      const char* start = p;
      uint32_t cp = unicode::DecodeUtf8(p);
      if (cp >= 0x4E00 && cp <= 0x9FA5) o = std::copy(start, p, o);
    }
    return std::string_view(kept.data(), static_cast<size_t>(o - kept.data()));
  }

  bool lowercase_, ignore_special_;
  double min_len_;
  std::vector<std::shared_ptr<const Regex>> splitters_;
};

}  // namespace

void RegisterRemoveRepeatSentencesMapper(Registry& r) {
  r.Add({"remove_repeat_sentences_mapper", OpKind::kMapper, "Remove sentences repeated within a document.",
         {BoolParam("lowercase", false, "compare sentences case-insensitively"),
          BoolParam("ignore_special_character", true, "compare sentences on letters, digits and CJK only"),
          IntParam("min_repeat_sentence_length", 2, "shorter (normalised) sentences are always kept")},
         {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<RemoveRepeatSentencesMapper>(p, e); }});
}

}  // namespace winnow
