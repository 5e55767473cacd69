#include "winnow/ops/dedup/shingles.h"

#include <openssl/evp.h>

#include "winnow/core/sha1.h"
#include "winnow/core/unicode.h"

namespace winnow {

Shingler::Shingler(const Params& p)
    : tokenization_(p.String("tokenization")),
      window_(static_cast<size_t>(p.Number("window_size"))),
      lowercase_(p.Bool("lowercase")) {
  if (!p.IsNull("ignore_pattern") && !p.String("ignore_pattern").empty())
    ignore_ = *Regex::Compile(p.String("ignore_pattern"), 0);
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

Status Shingler::ForEach(std::string_view raw_text, const std::function<void(std::string_view)>& f) const {
  std::string text = lowercase_ ? unicode::PyLower(raw_text) : std::string(raw_text);
  if (ignore_) {
    std::string out;
    bool replaced = false;
    WINNOW_RETURN_IF_ERROR(ignore_->Sub(text, "", &out, &replaced));
    if (replaced) text = std::move(out);
  }
  if (tokenization_ == "character") {
    std::vector<size_t> starts;  // byte offset of each code point
    for (size_t i = 0; i < text.size(); i += unicode::Utf8SeqLen(static_cast<unsigned char>(text[i])))
      starts.push_back(i);
    starts.push_back(text.size());
    for (size_t i = 0; i + window_ < starts.size(); ++i)
      f(std::string_view(text).substr(starts[i], starts[i + window_] - starts[i]));
    return Status::Ok();
  }
  std::vector<std::string_view> tokens;
  std::vector<std::string> pieces;
  const char* sep = " ";
  if (tokenization_ == "space") {  // re.split(" ", text), empties dropped
    size_t pos = 0;
    for (;;) {
      size_t sp = text.find(' ', pos);
      std::string_view tok = std::string_view(text).substr(pos, sp == std::string::npos ? std::string::npos : sp - pos);
      if (!tok.empty()) tokens.push_back(tok);
      if (sp == std::string::npos) break;
      pos = sp + 1;
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
    pieces = sp_->Pieces(text);
    for (const auto& piece : pieces) tokens.push_back(piece);
    sep = "";
  }
  // Space tokens separated by exactly one space: their join is the text between them, so the
  // shingle is a view of the text (no copy). `bad` counts the window's other gaps.
  const bool space = tokenization_ == "space";
  auto single_gap = [&](size_t j) {  // tokens j and j + 1 are one space apart
    return tokens[j + 1].data() == tokens[j].data() + tokens[j].size() + 1;
  };
  size_t bad = 0;
  if (space && window_ > 0)
    for (size_t j = 0; j + 1 < window_ && j + 1 < tokens.size(); ++j) bad += !single_gap(j);
  std::string shingle;
  for (size_t i = 0; i + window_ <= tokens.size(); ++i) {
    if (space && window_ > 0) {
      if (i > 0) {  // slide: drop gap (i-1, i), add gap (i+window-2, i+window-1)
        bad -= !single_gap(i - 1);
        if (window_ > 1) bad += !single_gap(i + window_ - 2);
      }
      if (bad == 0) {
        const char* b = tokens[i].data();
        const std::string_view& last = tokens[i + window_ - 1];
        f(std::string_view(b, static_cast<size_t>(last.data() + last.size() - b)));
        continue;
      }
    }
    shingle.clear();
    for (size_t k = 0; k < window_; ++k) {
      if (k) shingle += sep;
      shingle.append(tokens[i + k]);
    }
    f(shingle);
  }
  return Status::Ok();
}

// A digest with the algorithm fetched once and a context per thread (OpenSSL 3's one-shot
// EVP_Digest looks the algorithm up, under a lock, on every call).
static void Digest(const char* name, std::string_view s, unsigned char* out) {
  struct Ctx {
    EVP_MD_CTX* c = EVP_MD_CTX_new();
    ~Ctx() { EVP_MD_CTX_free(c); }
  };
  static EVP_MD* md5 = EVP_MD_fetch(nullptr, "MD5", nullptr);
  static EVP_MD* sha1 = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  thread_local Ctx ctx;
  unsigned int len = 0;
  EVP_DigestInit_ex2(ctx.c, name[0] == 'M' ? md5 : sha1, nullptr);
  EVP_DigestUpdate(ctx.c, s.data(), s.size());
  EVP_DigestFinal_ex(ctx.c, out, &len);
}

uint64_t Md5Prefix64(std::string_view s) {
  unsigned char d[EVP_MAX_MD_SIZE];
  Digest("MD5", s, d);
  uint64_t h = 0;
  for (int i = 0; i < 8; ++i) h = (h << 8) | d[i];
  return h;
}

uint32_t Sha1Prefix32(std::string_view s) {
  // core/sha1: SHA-NI on one padded block, ~35 ns for a shingle against ~85 ns through EVP.
  uint8_t d[20];
  Sha1(s.data(), s.size(), d);
  return static_cast<uint32_t>(d[0]) | static_cast<uint32_t>(d[1]) << 8 | static_cast<uint32_t>(d[2]) << 16 |
         static_cast<uint32_t>(d[3]) << 24;
}

}  // namespace winnow
