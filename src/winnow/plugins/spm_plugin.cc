// libwinnow_spm.so: SentencePiece behind a C interface (see README.md for why it is a plugin).
#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <cstring>
#include <string>
#include <vector>

namespace {
void SetError(const std::string& msg, char* err, size_t errlen) {
  if (!err || errlen == 0) return;
  std::strncpy(err, msg.c_str(), errlen - 1);
  err[errlen - 1] = '\0';
}
}  // namespace

extern "C" {

void* wn_spm_load(const char* path, char* err, size_t errlen) {
  auto* sp = new sentencepiece::SentencePieceProcessor();
  auto st = sp->Load(path);
  if (!st.ok()) {
    SetError(st.ToString(), err, errlen);
    delete sp;
    return nullptr;
  }
  return sp;
}

void wn_spm_free(void* h) { delete static_cast<sentencepiece::SentencePieceProcessor*>(h); }

// encode_as_pieces: calls emit once per piece, in order.
void wn_spm_encode(const void* h, const char* text, size_t len, void (*emit)(void*, const char*, size_t),
                   void* ctx) {
  std::vector<std::string> pieces;
  static_cast<const sentencepiece::SentencePieceProcessor*>(h)
      ->Encode(absl::string_view(text, len), &pieces)
      .IgnoreError();
  for (const std::string& p : pieces) emit(ctx, p.data(), p.size());
}

int wn_spm_train(const char* args, char* err, size_t errlen) {
  auto st = sentencepiece::SentencePieceTrainer::Train(args);
  if (!st.ok()) {
    SetError(st.ToString(), err, errlen);
    return 1;
  }
  return 0;
}

}  // extern "C"
