// A tokenizer's output for one text: the pieces as views into bytes the list owns, and their
// vocabulary ids. SentencePiece's pieces are substrings of its normalized text, so the native
// encoder writes that text once into `bytes` and each piece costs a view (16 bytes) instead of
// a std::string (32 bytes, plus a copy of the piece).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace winnow {

struct PieceList {
  std::string bytes;                     // what the pieces point into (or static storage)
  std::vector<std::string_view> pieces;
  // The pieces' vocabulary ids when the tokenizer gives them (native SentencePiece): same length
  // as `pieces`, -1 for a piece without one (a merged run of unknown characters, a byte piece);
  // empty otherwise.
  std::vector<int32_t> ids;

  void Clear() {
    bytes.clear();
    pieces.clear();
    ids.clear();
  }
  // Replaces the contents with copies of words (tokenizers that return strings); no ids.
  void AssignStrings(const std::vector<std::string>& words) {
    Clear();
    size_t total = 0;
    for (const auto& w : words) total += w.size();
    bytes.reserve(total);
    for (const auto& w : words) bytes += w;
    pieces.reserve(words.size());
    const char* p = bytes.data();
    for (const auto& w : words) {
      pieces.emplace_back(p, w.size());
      p += w.size();
    }
  }
  std::vector<std::string> Strings() const { return {pieces.begin(), pieces.end()}; }
};

}  // namespace winnow
