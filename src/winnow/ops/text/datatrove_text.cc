#include "winnow/ops/text/datatrove_text.h"

#include <algorithm>
#include <unordered_set>

#include "winnow/core/nltk_tokenize.h"
#include "winnow/core/unicode.h"
#include "winnow/ops/registry.h"

namespace winnow::datatrove {
namespace {
#include "winnow/ops/text/datatrove_punctuation.inc"

bool IsSpace(uint32_t cp) { return unicode::Is(cp, unicode::kSpace); }

// Decodes the code point ending just before byte `end` (valid UTF-8).
uint32_t PrevCodePoint(std::string_view s, size_t end, size_t* begin) {
  size_t b = end - 1;
  while (b > 0 && (static_cast<unsigned char>(s[b]) & 0xC0) == 0x80) --b;
  const char* p = s.data() + b;
  *begin = b;
  return unicode::DecodeUtf8(p);
}

}  // namespace

Result<Version> ParseVersion(const std::string& v) {
  if (v == "2024-05") return Version::k2024_05;
  if (v == "2025-01") return Version::k2025_01;
  return Status::Error("version '" + v + "' is not one of 2024-05 (datatrove a8d21e2b, FineWeb v1), "
                       "2025-01 (datatrove a649de7)");
}

ParamSpec VersionParam() {
  return StringParam("version", "2024-05",
                     "rule-set version: 2024-05 (datatrove a8d21e2b, FineWeb v1) or 2025-01 (datatrove a649de7)");
}

bool IsPunctuation(uint32_t cp, Version v) {
  if (std::binary_search(std::begin(kDatatrovePunctuation), std::end(kDatatrovePunctuation), cp)) return true;
  return v == Version::k2025_01 && IsTerminalPunctuation(cp);
}

bool IsTerminalPunctuation(uint32_t cp) {
  return std::binary_search(std::begin(kDatatroveTerminalPunctuation), std::end(kDatatroveTerminalPunctuation), cp);
}

const nltk::PunktParams* EnglishPunkt() {
  // Loaded once; ops check EnglishPunktStatus() at load time, so a failure here means "untrained".
  static const nltk::PunktParams* params = [] {
    auto r = nltk::TrainedPunkt("en");
    return r.ok() ? *r : nullptr;
  }();
  return params;
}

Status EnglishPunktStatus() {
  auto r = nltk::TrainedPunkt("en");
  return r.ok() ? Status::Ok() : r.status();
}

std::vector<std::string> Words(std::string_view text) { return nltk::WordTokenize(text, EnglishPunkt()); }

size_t SentenceCount(std::string_view line, Version v) {
  std::vector<std::pair<size_t, size_t>> spans;
  nltk::SentenceSpans(line, &spans, EnglishPunkt());
  return v == Version::k2025_01 ? std::max<size_t>(1, spans.size()) : spans.size();
}

size_t Len(std::string_view s) { return unicode::CountCodePoints(s); }

std::string_view LStrip(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const char* p = s.data() + i;
    uint32_t cp = unicode::DecodeUtf8(p);
    if (!IsSpace(cp)) break;
    i = p - s.data();
  }
  return s.substr(i);
}

std::string_view RStrip(std::string_view s) {
  size_t end = s.size();
  while (end > 0) {
    size_t b;
    uint32_t cp = PrevCodePoint(s, end, &b);
    if (!IsSpace(cp)) break;
    end = b;
  }
  return s.substr(0, end);
}

std::string_view Strip(std::string_view s) { return RStrip(LStrip(s)); }

void Split(std::string_view s, std::vector<std::string_view>* out) {
  out->clear();
  size_t i = 0, word = std::string_view::npos;
  while (i < s.size()) {
    const char* p = s.data() + i;
    uint32_t cp = unicode::DecodeUtf8(p);
    size_t next = p - s.data();
    if (IsSpace(cp)) {
      if (word != std::string_view::npos) out->push_back(s.substr(word, i - word));
      word = std::string_view::npos;
    } else if (word == std::string_view::npos) {
      word = i;
    }
    i = next;
  }
  if (word != std::string_view::npos) out->push_back(s.substr(word));
}

size_t Count(std::string_view s, std::string_view sub) {
  size_t n = 0;
  for (size_t at = s.find(sub); at != std::string_view::npos; at = s.find(sub, at + sub.size())) ++n;
  return n;
}

bool Contains(std::string_view s, std::string_view sub) { return s.find(sub) != std::string_view::npos; }

std::string Lower(std::string_view s) { return unicode::PyLower(s); }

std::pair<size_t, size_t> FindDuplicates(const std::vector<std::string_view>& xs) {
  std::unordered_set<std::string_view> seen;
  size_t dup = 0, chars = 0;
  for (auto x : xs) {
    if (!seen.insert(x).second) {
      ++dup;
      chars += Len(x);
    }
  }
  return {dup, chars};
}

}  // namespace winnow::datatrove
