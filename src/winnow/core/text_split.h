// Data-Juicer's text segmentations with Python semantics: str.splitlines(), DJ's
// split_on_whitespace (words), words_refinement (strip SPECIAL_CHARACTERS, optional lower).
#pragma once

#include <string_view>
#include <vector>

#include "winnow/core/sample.h"

namespace winnow {

// Python str.splitlines() (no keepends): \n \r \r\n \v \f \x1c-\x1e \x85 \u2028 \u2029.
void SplitLines(std::string_view text, std::vector<std::string_view>* out);
// DJ split_on_whitespace(new_line=True, tab=True): split on ' ', '\n', '\t'; drop empties.
void SplitWords(std::string_view text, std::vector<std::string_view>* out);
// DJ words_refinement(strip_chars=SPECIAL_CHARACTERS): strip both ends, drop empties.
void RefineWords(const std::vector<std::string_view>& words, std::vector<std::string_view>* out);

// Cached accessors on a sample's text context.
const std::vector<std::string_view>& Lines(TextCache& t);
const std::vector<std::string_view>& Words(TextCache& t);
const std::vector<std::string_view>& RefinedWords(TextCache& t);
const std::vector<std::string_view>& LowerRefinedWords(TextCache& t);

}  // namespace winnow
