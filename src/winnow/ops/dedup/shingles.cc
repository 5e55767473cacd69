#include "winnow/ops/dedup/shingles.h"

#include <algorithm>
#include <memory>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__AVX512BW__)
#include <immintrin.h>
#endif

#include "winnow/core/sha1.h"
#include "winnow/core/unicode.h"

namespace winnow {

Shingler::Shingler(const Params& p)
    : tokenization_(p.String("tokenization")),
      window_(static_cast<size_t>(p.Number("window_size"))),
      lowercase_(p.Bool("lowercase")) {
  if (!p.IsNull("ignore_pattern") && !p.String("ignore_pattern").empty()) {
    ignore_ = *Regex::Compile(p.String("ignore_pattern"), 0);
    ignore_punct_ = p.String("ignore_pattern") == "\\p{P}";  // simhash's default, done natively
  }
  punct_ = *Regex::Compile("\\p{P}", 0);
  if (tokenization_ == "sentencepiece") sp_ = *SentencePieceModel::Shared(p.String("tokenizer_model"));
}

Status Shingler::Validate(const Params& p, bool allow_sentencepiece) {
  const std::string& t = p.String("tokenization");
  bool sp = allow_sentencepiece && t == "sentencepiece";
  if (t != "space" && t != "punctuation" && t != "character" && !sp)
    return Status::Error("tokenization '" + t + "' is not one of space, punctuation, character" +
                         (allow_sentencepiece ? ", sentencepiece" : ""));
  if (sp) {
    if (p.IsNull("tokenizer_model") || p.String("tokenizer_model").empty())
      return Status::Error("tokenization: sentencepiece needs tokenizer_model (a SentencePiece .model file)");
    auto m = SentencePieceModel::Shared(p.String("tokenizer_model"));
    if (!m.ok()) return m.status();
  }
  if (!p.IsNull("ignore_pattern") && !p.String("ignore_pattern").empty()) {
    auto re = Regex::Compile(p.String("ignore_pattern"), 0);
    if (!re.ok()) return Status::Error("ignore_pattern: " + re.status().message());
  }
  return Status::Ok();
}

namespace {

// re.split(" ", text) with the empty pieces dropped. With AVX-512 the tokens' first and last
// bytes are found as bit masks 64 bytes at a time and paired off in order (no per-byte or
// per-separator branch); else spaces are found sixteen bytes at a time (a memchr call per word
// cost more than the split itself).
void SplitOnSpaces(std::string_view text, std::vector<std::string_view>* tokens) {
  const char* p = text.data();
  const size_t n = text.size();
#if defined(__AVX512BW__)
  const __m512i space = _mm512_set1_epi8(' ');
  uint64_t prev_word = 0;  // whether the byte before this chunk is a token byte (bit 0)
  const char* begin = nullptr;  // of the token that runs across a chunk boundary
  for (size_t i = 0; i < n; i += 64) {
    const __mmask64 valid = n - i >= 64 ? ~__mmask64{0} : (__mmask64{1} << (n - i)) - 1;
    const uint64_t word = ~_mm512_mask_cmpeq_epi8_mask(valid, _mm512_maskz_loadu_epi8(valid, p + i), space) & valid;
    uint64_t first = word & ~((word << 1) | prev_word);
    // Token bytes whose next byte is not one (the chunk's last byte counts when the text ends
    // there or the next chunk starts with a space: decided by the next chunk's first bit).
    uint64_t last = word & ~(word >> 1);
    const bool open_end = (word >> 63) & 1;  // bit 63 is a token byte: maybe continued
    if (open_end) last &= ~(uint64_t{1} << 63);
    if (begin && !(word & 1)) {  // the open token ended at the previous chunk's end
      tokens->emplace_back(begin, static_cast<size_t>(p + i - begin));
      begin = nullptr;
    }
    while (last) {
      const char* e = p + i + static_cast<size_t>(__builtin_ctzll(last)) + 1;
      last &= last - 1;
      const char* b = begin;
      if (!b) {
        b = p + i + static_cast<size_t>(__builtin_ctzll(first));
        first &= first - 1;
      }
      begin = nullptr;
      tokens->emplace_back(b, static_cast<size_t>(e - b));
    }
    if (first) begin = p + i + static_cast<size_t>(__builtin_ctzll(first));  // the open token's start
    prev_word = open_end;
  }
  if (begin) tokens->emplace_back(begin, static_cast<size_t>(p + n - begin));
#else
  size_t start = 0, i = 0;
  auto emit = [&](size_t end) {
    if (end > start) tokens->emplace_back(p + start, end - start);
    start = end + 1;
  };
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(' ');
  for (; i + 16 <= n; i += 16) {
    unsigned mask = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i)), space)));
    for (; mask; mask &= mask - 1) emit(i + static_cast<size_t>(__builtin_ctz(mask)));
  }
#endif
  for (; i < n; ++i)
    if (p[i] == ' ') emit(i);
  if (n > start) tokens->emplace_back(p + start, n - start);
#endif
}

// in without its leading and trailing spaces and with each run of spaces cut to one, into out
// (room for in.size() + 64 bytes); returns the length. That is the join of SplitOnSpaces' tokens
// by single spaces, made in one pass (a memcpy per token cost ~25 cycles a word).
size_t CollapseSpaces(std::string_view in, char* out) {
  const char* p = in.data();
  const size_t n = in.size();
  size_t o = 0, i = 0;
  bool prev_space = true;  // drops leading spaces
#if defined(__AVX512VBMI2__) && defined(__AVX512BW__)
  // 64 bytes at a time: a space is dropped when the byte before it is a space too.
  const __m512i space = _mm512_set1_epi8(' ');
  uint64_t carry = 1;
  for (; i + 64 <= n; i += 64) {
    const __m512i x = _mm512_loadu_si512(p + i);
    const uint64_t m = _mm512_cmpeq_epi8_mask(x, space);
    const uint64_t keep = ~(m & ((m << 1) | carry));
    _mm512_storeu_si512(out + o, _mm512_maskz_compress_epi8(keep, x));
    o += static_cast<size_t>(__builtin_popcountll(keep));
    carry = m >> 63;
  }
  prev_space = carry != 0;
#endif
  for (; i < n; ++i) {
    const bool sp = p[i] == ' ';
    out[o] = p[i];
    o += !(sp && prev_space);
    prev_space = sp;
  }
  if (o > 0 && out[o - 1] == ' ') --o;
  return o;
}

// Per-thread buffers reused across documents.
// Bump allocator for the joined shingles of one batch: chunks never move, so views into them
// stay valid until Reset(), and their memory is reused from batch to batch.
class ShingleArena {
 public:
  std::string_view Join(const std::vector<std::string_view>& tokens, size_t from, size_t count, std::string_view sep) {
    size_t len = sep.size() * (count ? count - 1 : 0);
    for (size_t k = 0; k < count; ++k) len += tokens[from + k].size();
    char* out = Allocate(len);
    char* o = out;
    for (size_t k = 0; k < count; ++k) {
      if (k) o = std::copy(sep.begin(), sep.end(), o);
      o = std::copy(tokens[from + k].begin(), tokens[from + k].end(), o);
    }
    return std::string_view(out, len);
  }
  void Reset() {
    chunk_ = 0;
    used_ = 0;
  }

 private:
  static constexpr size_t kChunk = 64 * 1024;
  char* Allocate(size_t len) {
    while (chunk_ < chunks_.size() && used_ + len > sizes_[chunk_]) ++chunk_, used_ = 0;
    if (chunk_ == chunks_.size()) {
      sizes_.push_back(std::max(kChunk, len));
      chunks_.push_back(std::make_unique<char[]>(sizes_.back()));
      used_ = 0;
    }
    char* p = chunks_[chunk_].get() + used_;
    used_ += len;
    return p;
  }
  std::vector<std::unique_ptr<char[]>> chunks_;
  std::vector<size_t> sizes_;
  size_t chunk_ = 0, used_ = 0;
};

struct ShingleScratch {
  std::string text, replaced, joined;
  ShingleArena built;  // joined shingles of the current batch
  std::vector<std::string_view> tokens, batch;
  std::vector<size_t> starts;
  std::vector<std::string> pieces;
};

constexpr size_t kBatch = 256;

}  // namespace

Status Shingler::ForEach(std::string_view raw_text, const std::function<void(std::string_view)>& f) const {
  return ForEachBatch(raw_text, [&](const std::string_view* sh, size_t n) {
    for (size_t i = 0; i < n; ++i) f(sh[i]);
  });
}

Status Shingler::ForEachBatch(std::string_view raw_text,
                              const std::function<void(const std::string_view*, size_t)>& f) const {
  thread_local ShingleScratch s;
  std::string& text = s.text;
  if (lowercase_) {
    unicode::PyLowerInto(raw_text, &text);
  } else {
    text.assign(raw_text);
  }
  if (ignore_) {
    bool replaced = false;
    s.replaced.clear();
    if (ignore_punct_) replaced = unicode::RemovePunct(text, &s.replaced);
    else WINNOW_RETURN_IF_ERROR(ignore_->Sub(text, "", &s.replaced, &replaced));
    if (replaced) text.swap(s.replaced);
  }
  std::vector<std::string_view>& batch = s.batch;
  batch.clear();
  s.built.Reset();
  auto emit = [&](std::string_view sh) {
    batch.push_back(sh);
    if (batch.size() == kBatch) {
      f(batch.data(), batch.size());
      batch.clear();
      s.built.Reset();
    }
  };
  if (tokenization_ == "character") {
    std::vector<size_t>& starts = s.starts;  // byte offset of each code point
    starts.clear();
    for (size_t i = 0; i < text.size(); i += unicode::Utf8SeqLen(static_cast<unsigned char>(text[i])))
      starts.push_back(i);
    starts.push_back(text.size());
    for (size_t i = 0; i + window_ < starts.size(); ++i)
      emit(std::string_view(text).substr(starts[i], starts[i + window_] - starts[i]));
    if (!batch.empty()) f(batch.data(), batch.size());
    return Status::Ok();
  }
  std::vector<std::string_view>& tokens = s.tokens;
  tokens.clear();
  std::string_view sep = " ";
  if (tokenization_ == "space") {
    SplitOnSpaces(text, &tokens);
    // Where tokens are not all one space apart (runs of spaces), re-lay them out one space
    // apart in s.joined, so that every shingle is a view (the join of re.split's tokens).
    bool single_spaced = true;
    for (size_t j = 0; j + 1 < tokens.size() && single_spaced; ++j)
      single_spaced = tokens[j + 1].data() == tokens[j].data() + tokens[j].size() + 1;
    if (!single_spaced) {
      s.joined.resize(text.size() + 64);
      const size_t len = CollapseSpaces(text, s.joined.data());
      tokens.clear();
      SplitOnSpaces(std::string_view(s.joined.data(), len), &tokens);
    }
  } else if (tokenization_ == "punctuation") {  // regex split on \p{P}, empty pieces kept
    size_t pos = 0;
    WINNOW_RETURN_IF_ERROR(punct_->ForEachMatch(text, [&](const std::vector<std::string_view>& g) {
      size_t b = g[0].data() - text.data();
      tokens.push_back(std::string_view(text).substr(pos, b - pos));
      pos = b + g[0].size();
    }));
    tokens.push_back(std::string_view(text).substr(pos));
  } else {  // sentencepiece
    s.pieces = sp_->Pieces(text);
    for (const auto& piece : s.pieces) tokens.push_back(piece);
    sep = "";
  }
  const bool space = tokenization_ == "space";
  if (space && window_ > 0) {
    // The tokens are one space apart now (re-laid out above where they were not), so every
    // shingle is the text from its first token's start to its last token's end: batches of
    // views, no per-window bookkeeping.
    const size_t w = window_;
    for (size_t i = 0; i + w <= tokens.size();) {
      const size_t m = std::min(kBatch, tokens.size() - w + 1 - i);
      batch.resize(m);
      for (size_t k = 0; k < m; ++k) {
        const char* b = tokens[i + k].data();
        const std::string_view& last = tokens[i + k + w - 1];
        batch[k] = std::string_view(b, static_cast<size_t>(last.data() + last.size() - b));
      }
      f(batch.data(), m);
      i += m;
    }
    return Status::Ok();
  }
  // Punctuation and SentencePiece tokens (and window 0): joined in the batch's arena, valid
  // until the batch is handed over.
  for (size_t i = 0; i + window_ <= tokens.size(); ++i) emit(s.built.Join(tokens, i, window_, sep));
  if (!batch.empty()) f(batch.data(), batch.size());
  return Status::Ok();
}

void Sha1Prefix32Many(const std::string_view* s, size_t n, uint32_t* out) {
  Sha1FirstWords(s, n, out);
  for (size_t i = 0; i < n; ++i) out[i] = __builtin_bswap32(out[i]);  // digest bytes 0-3, little-endian
}

}  // namespace winnow
