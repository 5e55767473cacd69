// A C++ port of ftfy 6.3.1's fix_text ("fixes text for you"), which Data-Juicer's
// fix_unicode_mapper runs: it undoes mojibake (UTF-8 read as windows-1252, latin-1, MacRoman,
// ...), decodes HTML entities, and normalizes quotes, widths, ligatures, line breaks, control
// characters and the Unicode normalization form. The result matches Python's
// ftfy.fix_text(text, normalization=...) with every other option at its default, code point for
// code point (Python 3.11 / Unicode 14 semantics; see ftfy.cc for the few documented limits).
#pragma once

#include <string>
#include <string_view>

namespace winnow::ftfy {

enum class Normalization { kNFC, kNFD, kNFKC, kNFKD };

// ftfy.fix_text(text, normalization=n). `text` should be valid UTF-8; invalid byte sequences are
// first replaced by U+FFFD, as Python's decode(errors="replace") would.
std::string FixText(std::string_view text, Normalization n);

// The same, but returns false (leaving *out alone) when the text comes back unchanged, which is
// the common case and costs no copy.
bool FixTextChanged(std::string_view text, Normalization n, std::string* out);

// Lower-level pieces under their ftfy names, exposed for tests. Inputs must be valid UTF-8.
bool IsBad(std::string_view text);                 // ftfy.badness.is_bad
std::string FixEncoding(std::string_view text);    // ftfy.fix_encoding
std::string UnescapeHtml(std::string_view text);   // ftfy.fixes.unescape_html

}  // namespace winnow::ftfy
