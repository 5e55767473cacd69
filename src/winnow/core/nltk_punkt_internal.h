// Token-level pieces of the Punkt port (nltk_tokenize.cc) that the trainer (punkt.cc) shares.
// Not a public API. Tokens are valid UTF-8.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/punkt.h"

namespace winnow::nltk::internal {

// PunktLanguageVars.word_tokenize(line) for a line without '\n'.
void PunktWords(std::string_view line, std::vector<std::string_view>* tokens);
// PunktToken's type: tok.lower(), or "##number##" if that matches _RE_NUMERIC.
std::string PunktType(std::string_view tok);
bool IsInitial(std::string_view tok);         // _RE_INITIAL: one [^\W\d] character and '.'
bool IsAlpha(std::string_view tok);           // _RE_ALPHA: only [^\W\d] characters
bool HasNonPunct(std::string_view type);      // _re_non_punct.search: some [^\W\d] character
bool FirstIsLower(std::string_view tok);      // tok[0].islower()
bool FirstIsUpper(std::string_view tok);      // tok[0].isupper()

// A token after Punkt's first pass (PunktBaseClass._first_pass_annotation).
struct AnnotatedToken {
  std::string_view tok;
  std::string type;
  bool period_final = false;
  bool sentbreak = false;
  bool abbr = false;
  bool ellipsis = false;
  bool parastart = false;
  bool linestart = false;

  std::string_view TypeNoPeriod() const {
    std::string_view t = type;
    return t.size() > 1 && t.back() == '.' ? t.substr(0, t.size() - 1) : t;
  }
  std::string_view TypeNoSentPeriod() const { return sentbreak ? TypeNoPeriod() : type; }
  bool IsNumber() const { return type.compare(0, 10, "##number##") == 0; }
};

// Builds the token and runs the first pass with `params`' abbreviations.
void FirstPass(std::string_view tok, const PunktParams& params, AnnotatedToken* out);

// PunktSentenceTokenizer._ortho_heuristic: 1 (sentence starter), 0 (not), -1 ("unknown").
int OrthoHeuristic(const AnnotatedToken& tok, const PunktParams& params);

}  // namespace winnow::nltk::internal
