// NLTK 3.8's English word tokenizer, ported: `nltk.word_tokenize(text)`, i.e.
//   [tok for sent in PunktSentenceTokenizer(params).tokenize(text)
//        for tok in NLTKWordTokenizer().tokenize(sent)]
// The trained English Punkt pickle (nltk_data) is not available offline; callers pass Punkt
// parameters trained by Winnow (core/punkt.h, data/punkt/) or nullptr for empty parameters
// (no abbreviations, collocations, sentence starters or orthographic statistics), which takes
// a hand-written fast path. Quality rules from Gopher / C4 / FineWeb (datatrove) count words
// and sentences with these.
//
// Semantics are Python 3's `re` (Unicode \w \s \d, str.isspace(), str.islower()/isupper()), on
// UTF-8; all offsets are byte offsets. Input that is not valid UTF-8 is first repaired (each
// maximal ill-formed subsequence becomes one U+FFFD, as bytes.decode("utf-8", "replace") does),
// so nothing is undefined.
// All functions are thread-safe; regexes are compiled once per process.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "winnow/core/punkt.h"

namespace winnow::nltk {

// Every function takes optional trained Punkt parameters (core/punkt.h); nullptr or empty
// parameters give the untrained behaviour described above.

// nltk.word_tokenize(text) with an untrained Punkt sentence splitter.
std::vector<std::string> WordTokenize(std::string_view text, const PunktParams* params = nullptr);
// PunktSentenceTokenizer().tokenize(text): the sentences, as substrings of text.
std::vector<std::string> SentTokenize(std::string_view text, const PunktParams* params = nullptr);
// NLTKWordTokenizer().tokenize(sentence) on one string (no sentence splitting).
std::vector<std::string> TreebankWords(std::string_view sentence);

// Allocation-friendly forms of the above: results are appended to *out.
void AppendWordTokens(std::string_view text, std::vector<std::string>* out,
                      const PunktParams* params = nullptr);
void AppendTreebankWords(std::string_view sentence, std::vector<std::string>* out);
// PunktSentenceTokenizer().span_tokenize(text): [begin, end) byte spans of the sentences.
// text must be valid UTF-8 (this form does not repair it).
void SentenceSpans(std::string_view text, std::vector<std::pair<size_t, size_t>>* spans,
                   const PunktParams* params = nullptr);

}  // namespace winnow::nltk
