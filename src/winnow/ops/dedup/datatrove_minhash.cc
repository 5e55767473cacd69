#include "winnow/ops/dedup/datatrove_minhash.h"

#include <utf8proc.h>
#define XXH_INLINE_ALL
#include "winnow/core/xxhash_include.h"

#include <cstdlib>

#include "winnow/core/regex.h"
#include "winnow/core/unicode.h"
#include "winnow/ops/text/datatrove_text.h"

namespace winnow::datatrove {
namespace {

constexpr uint64_t kMersenne = (uint64_t{1} << 61) - 1;

const Regex& Numbers() {
  // datatrove's NUMBERS_PATTERN (the `regex` module, Unicode digits).
  static const std::shared_ptr<const Regex> re =
      *Regex::Compile("\\p{Nd}+([.,\u060C\u066B\u2396\u2397\u2398]{1}\\p{Nd}+)?", Regex::kNone);
  return *re;
}

}  // namespace

Result<std::string> SimplifyText(std::string_view text) {
  std::string s = unicode::PyLower(text);
  std::string numbered;
  bool replaced = false;
  WINNOW_RETURN_IF_ERROR(Numbers().Sub(s, "0", &numbered, &replaced));
  if (replaced) s.swap(numbered);
  // Punctuation to spaces, then whitespace runs to one space (strip first, as datatrove does).
  std::string spaced;
  spaced.reserve(s.size());
  const char* p = s.data();
  const char* end = p + s.size();
  while (p < end) {
    const char* start = p;
    uint32_t cp = unicode::DecodeUtf8(p);
    if (IsPunctuation(cp, Version::k2025_01)) spaced.push_back(' ');
    else spaced.append(start, p);
  }
  std::string_view stripped = unicode::PyStrip(spaced);
  std::string collapsed;
  collapsed.reserve(stripped.size());
  p = stripped.data();
  end = p + stripped.size();
  bool in_space = false;
  while (p < end) {
    const char* start = p;
    uint32_t cp = unicode::DecodeUtf8(p);
    if (unicode::Is(cp, unicode::kSpace)) {
      if (!in_space) collapsed.push_back(' ');
      in_space = true;
    } else {
      collapsed.append(start, p);
      in_space = false;
    }
  }
  // NFD, dropping nonspacing marks (diacritics).
  utf8proc_uint8_t* nfd = nullptr;
  utf8proc_ssize_t len = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(collapsed.data()),
                                      static_cast<utf8proc_ssize_t>(collapsed.size()), &nfd,
                                      utf8proc_option_t(UTF8PROC_DECOMPOSE | UTF8PROC_STABLE));
  if (len < 0) return Status::Error(std::string("Unicode normalization failed: ") + utf8proc_errmsg(len));
  std::string out;
  out.reserve(static_cast<size_t>(len));
  const char* q = reinterpret_cast<const char*>(nfd);
  const char* qend = q + len;
  while (q < qend) {
    const char* start = q;
    uint32_t cp = unicode::DecodeUtf8(q);
    if (utf8proc_category(static_cast<utf8proc_int32_t>(cp)) != UTF8PROC_CATEGORY_MN) out.append(start, q);
  }
  std::free(nfd);
  return std::string(unicode::PyStrip(out));
}

Status ShingleHashes(std::string_view text, size_t n, std::vector<uint64_t>* out) {
  out->clear();
  auto simple = SimplifyText(text);
  if (!simple.ok()) return simple.status();
  std::vector<std::string> words = Words(*simple);
  if (n == 0 || words.size() < n) return Status::Ok();
  std::string gram;
  for (size_t i = 0; i + n <= words.size(); ++i) {
    gram.clear();
    for (size_t k = 0; k < n; ++k) {
      if (k) gram.push_back(' ');
      gram += words[i + k];
    }
    out->push_back(XXH64(gram.data(), gram.size(), 0));
  }
  return Status::Ok();
}

void Signature64(const std::vector<uint64_t>& hashes, const std::vector<uint64_t>& a, const std::vector<uint64_t>& b,
                 std::vector<uint64_t>* mins) {
  mins->assign(a.size(), UINT64_MAX);
  for (uint64_t h : hashes)
    for (size_t j = 0; j < a.size(); ++j) {
      uint64_t v = (h * a[j] + b[j]) % kMersenne;  // numpy uint64 arithmetic wraps mod 2^64
      if (v < (*mins)[j]) (*mins)[j] = v;
    }
}

}  // namespace winnow::datatrove
