#include "winnow/ops/text/dj_words.h"

#include <map>
#include <mutex>

#include "winnow/core/install_paths.h"

namespace winnow {

Result<std::shared_ptr<const SentencePieceModel>> DjTokenizer(const Params& p) {
  if (!p.Bool("tokenization")) return std::shared_ptr<const SentencePieceModel>();
  std::string dir = p.String("model_dir").empty() ? ModelDir() : p.String("model_dir");
  auto m = SentencePieceModel::Shared(dir + "/" + p.String("lang") + ".sp.model");
  if (!m.ok())
    return Status::Error("tokenization: true needs the SentencePiece model " + p.String("lang") + ".sp.model in " +
                         dir + " (" + m.status().message() + "; `winnow lm train` builds one)");
  return *m;
}

const std::vector<std::string>& PiecesOf(TextCache& t, const SentencePieceModel& sp) {
  if (t.pieces_model != &sp) {
    t.pieces = sp.Pieces(t.text);
    t.pieces_model = &sp;
  }
  return t.pieces;
}

Status ValidateDjTokenizer(const Params& p) {
  auto t = DjTokenizer(p);
  return t.ok() ? Status::Ok() : t.status();
}

ParamSpec TokenizationParam() {
  return BoolParam("tokenization", false, "split words with the lang's SentencePiece model ({lang}.sp.model)");
}

ParamSpec ModelDirParam() {
  return StringParam("model_dir", "", "Winnow: directory of {lang}.sp.model; empty = the model directory");
}

}  // namespace winnow
