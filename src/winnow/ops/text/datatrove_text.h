// Text primitives of huggingface/datatrove's quality filters (Gopher, C4, FineWeb), with
// Python str semantics (code points, Unicode whitespace), and the pinned rule-set versions:
//   "2024-05": datatrove a8d21e2b, the code that built FineWeb v1;
//   "2025-01": datatrove a649de7 (HEAD, 0.10.0).
// Both versions tokenise with NLTK's word tokenizer (core/nltk_tokenize.h) and Punkt with
// Winnow's trained English parameters (data/punkt/en.punkt): datatrove 2024-05 used
// nltk.word_tokenize with NLTK's trained English Punkt model, HEAD uses spaCy's English
// tokenizer; neither model ships offline. docs/parity.md states the effect.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "winnow/core/punkt.h"
#include "winnow/core/status.h"
#include "winnow/ops/params.h"

namespace winnow::datatrove {

enum class Version { k2024_05, k2025_01 };
Result<Version> ParseVersion(const std::string& v);
ParamSpec VersionParam();

// PUNCTUATION_SET: datatrove's PUNCTUATION (plus, from 2025-01, TERMINAL_PUNCTUATION).
bool IsPunctuation(uint32_t cp, Version v);
bool IsTerminalPunctuation(uint32_t cp);

// NLTK's English Punkt stand-in: Winnow's trained data/punkt/en.punkt (core/punkt.h), shared.
// Word tokens (nltk word_tokenize, Punkt with the trained English parameters).
std::vector<std::string> Words(std::string_view text);
// Whether the English Punkt parameters load (ops report this at load time), and the shared
// parameters (nullptr, i.e. untrained, only if they did not load).
Status EnglishPunktStatus();
const nltk::PunktParams* EnglishPunkt();
// Number of sentences datatrove counts for a C4 line: len(sent_tokenize(line)) in 2024-05,
// len(split_into_sentences(line)) in 2025-01 (which is at least 1).
size_t SentenceCount(std::string_view line, Version v);

size_t Len(std::string_view s);                       // len(s): code points
std::string_view Strip(std::string_view s);           // str.strip()
std::string_view LStrip(std::string_view s);          // str.lstrip()
std::string_view RStrip(std::string_view s);          // str.rstrip()
void Split(std::string_view s, std::vector<std::string_view>* out);  // str.split()
size_t Count(std::string_view s, std::string_view sub);              // str.count(sub)
bool Contains(std::string_view s, std::string_view sub);
std::string Lower(std::string_view s);                                // str.lower()

// find_duplicates: (number of repeated elements, their total length in code points).
std::pair<size_t, size_t> FindDuplicates(const std::vector<std::string_view>& xs);

// A filter's verdict: "" when the document passes, else datatrove's reason.
struct Verdict {
  std::string reason;
  bool error = false;  // datatrove itself would raise (e.g. ZeroDivisionError): quarantine
};

// Python truthiness of an optional numeric param (None and 0 disable a rule).
inline bool Enabled(const Params& p, const char* name) { return !p.IsNull(name) && p.Number(name) != 0; }

}  // namespace winnow::datatrove
