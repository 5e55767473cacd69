// DJ's get_words_from_document for ops with `tokenization`: without it, the text split on
// ' ', '\n', '\t'; with it, the pieces of the language's SentencePiece model ({lang}.sp.model
// in model_dir, default the model directory) — DJ's prepare_model("sentencepiece", lang).
// For lang zh without zh.sp.model (DJ downloads it; it is not obtainable here) Winnow falls
// back to jieba's accurate-mode words (python3-jieba's dictionary), so counts differ from DJ's.
#pragma once

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>

#include "winnow/core/text_split.h"
#include "winnow/core/unicode.h"
#include "winnow/models/jieba_segmenter.h"
#include "winnow/models/perplexity_model.h"
#include "winnow/models/spm_normalizer.h"
#include "winnow/ops/params.h"
#include "winnow/ops/registry.h"

namespace winnow {

// What `tokenization: true` splits a document with: a SentencePiece model, or jieba.
class DjWordTokenizer {
 public:
  DjWordTokenizer(std::shared_ptr<const SentencePieceModel> sp, std::shared_ptr<const JiebaSegmenter> jieba)
      : sp_(std::move(sp)), jieba_(std::move(jieba)) {}
  // The words into *words (reusing its capacity), with the pieces' ids where the model gives
  // them (see PieceList::ids).
  void WordsInto(std::string_view text, PieceList* words) const {
    if (sp_) return sp_->PiecesInto(text, words);
    words->AssignStrings(jieba_->Cut(text));
  }
  // The model behind it: samples cache the words per model (shared with perplexity_filter's pieces).
  const void* model() const { return sp_ ? static_cast<const void*>(sp_.get()) : jieba_.get(); }
  const SentencePieceModel* sp() const { return sp_.get(); }

 private:
  std::shared_ptr<const SentencePieceModel> sp_;
  std::shared_ptr<const JiebaSegmenter> jieba_;
};

// The tokenizer an op instance uses: null when tokenization is false.
Result<std::shared_ptr<const DjWordTokenizer>> DjTokenizer(const Params& p);
// Load-time check: the model exists when tokenization is true.
Status ValidateDjTokenizer(const Params& p);
// The params `tokenization`, `lang` and Winnow's `model_dir`.
ParamSpec TokenizationParam();
ParamSpec ModelDirParam();

// The text's pieces, encoded once per sample and model.
const PieceList& PiecesOf(TextCache& t, const SentencePieceModel& sp);
const PieceList& PiecesOf(TextCache& t, const DjWordTokenizer& tok);

// Whether SentencePiece's whitespace mark U+2581 is one of DJ's SPECIAL_CHARACTERS.
bool SpaceMarkIsDjSpecial();

// Whether w starts with U+2581 and U+2581 is not special: stripping then stops at the mark, so
// the refined word keeps it (and is not empty).
inline bool StartsWithKeptSpaceMark(std::string_view w) {
  static const bool mark_special = SpaceMarkIsDjSpecial();
  return !mark_special && w.substr(0, kSpmSpaceMark.size()) == kSpmSpaceMark;
}

// DJ's refinement of one word (words_refinement with lower_case and strip_chars): lower-cased
// (Python str.lower()), then SPECIAL_CHARACTERS stripped from both ends; the result is in w or
// *buf. Pure-ASCII words, and SentencePiece pieces that are U+2581 + ASCII (U+2581 is not a
// special character, so only the end is stripped), take a fast path.
inline std::string_view RefineDjWord(std::string_view w, std::string* buf) {
  constexpr std::string_view kMark = kSpmSpaceMark;
  const bool marked = w.size() > kMark.size() && StartsWithKeptSpaceMark(w);
  const size_t skip = marked ? kMark.size() : 0;
  if (w.empty()) return w;
  if (buf->size() < w.size()) buf->resize(std::max<size_t>(w.size(), 256));
  char* o = buf->data();
  unsigned acc = 0;
  for (size_t i = skip; i < w.size(); ++i) {  // lower-case ASCII while checking for non-ASCII
    unsigned c = static_cast<unsigned char>(w[i]);
    acc |= c;
    o[i] = static_cast<char>(c | ((c - 'A' < 26u) << 5));
  }
  if (acc < 0x80) {
    auto letter = [](char c) { return c >= 'a' && c <= 'z'; };
    if (marked) {
      std::memcpy(o, kMark.data(), kMark.size());
      std::string_view r(o, w.size());
      if (letter(r.back())) return r;
      while (r.size() > kMark.size() && (unicode::Classes(static_cast<unsigned char>(r.back())) & unicode::kDjSpecial))
        r.remove_suffix(1);
      return r;
    }
    std::string_view r(o, w.size());
    return letter(r.front()) && letter(r.back()) ? r : unicode::StripClass(r, unicode::kDjSpecial);
  }
  unicode::PyLowerInto(w, buf);
  return unicode::StripClass(*buf, unicode::kDjSpecial);
}

// f(piece's text) for each vocabulary id of the tokenizer's model: a piece's text, and so
// whatever an op computes from it alone, is fixed by its id. Empty when the tokenizer gives no
// ids (jieba, a SentencePiece model the library encodes).
template <typename F>
auto PerPieceId(const DjWordTokenizer& tok, F f) {
  std::vector<decltype(f(std::string_view()))> out;
  if (const SentencePieceModel* sp = tok.sp())
    for (size_t id = 0; id < sp->NumPieces(); ++id) out.push_back(f(sp->PieceText(static_cast<int32_t>(id))));
  return out;
}

// use(value) for each non-empty piece of the text: by_id[id] where the piece has an id that
// by_id covers (by_id = PerPieceId(tok, compute)), else compute(piece) (merged unknown
// characters, byte pieces, jieba's words).
template <typename T, typename Compute, typename Use>
void ForEachDjPiece(TextCache& t, const DjWordTokenizer& tok, const std::vector<T>& by_id, Compute compute, Use use) {
  const PieceList& list = PiecesOf(t, tok);
  const size_t n = list.pieces.size();
  const bool have_ids = list.ids.size() == n;
  for (size_t i = 0; i < n; ++i) {
    const int32_t id = have_ids ? list.ids[i] : -1;
    if (id >= 0 && static_cast<size_t>(id) < by_id.size()) {
      use(by_id[static_cast<size_t>(id)]);
    } else if (!list.pieces[i].empty()) {
      use(compute(list.pieces[i]));
    }
  }
}

template <typename F>
void ForEachDjWord(TextCache& t, const DjWordTokenizer* sp, F f) {
  if (!sp) {
    ForEachWord(t.text, f);
    return;
  }
  for (std::string_view piece : PiecesOf(t, *sp).pieces)
    if (!piece.empty()) f(piece);
}

}  // namespace winnow
