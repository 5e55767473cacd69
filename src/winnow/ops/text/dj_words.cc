#include "winnow/ops/text/dj_words.h"

#include <filesystem>
#include <map>
#include <mutex>

#include "winnow/core/install_paths.h"

namespace winnow {

bool SpaceMarkIsDjSpecial() { return (unicode::Classes(0x2581) & unicode::kDjSpecial) != 0; }

Result<std::shared_ptr<const DjWordTokenizer>> DjTokenizer(const Params& p) {
  if (!p.Bool("tokenization")) return std::shared_ptr<const DjWordTokenizer>();
  std::string dir = p.String("model_dir").empty() ? ModelDir() : p.String("model_dir");
  std::string path = dir + "/" + p.String("lang") + ".sp.model";
  std::error_code ec;
  if (p.String("lang") == "zh" && !std::filesystem::exists(path, ec)) {
    // DJ's zh.sp.model is a download Winnow cannot make: jieba's words stand in for its pieces.
    auto jieba = JiebaSegmenter::Shared(JiebaDir());
    if (!jieba.ok())
      return Status::Error("tokenization: true with lang zh needs zh.sp.model in " + dir + " or jieba's dictionary (" +
                           jieba.status().message() + ")");
    return std::make_shared<const DjWordTokenizer>(nullptr, *jieba);
  }
  auto m = SentencePieceModel::Shared(path);
  if (!m.ok())
    return Status::Error("tokenization: true needs the SentencePiece model " + p.String("lang") + ".sp.model in " +
                         dir + " (" + m.status().message() + "; `winnow lm train` builds one)");
  return std::make_shared<const DjWordTokenizer>(*m, nullptr);
}

const PieceList& PiecesOf(TextCache& t, const SentencePieceModel& sp) {
  if (t.pieces_model != &sp) {
    sp.PiecesInto(t.text, &t.pieces);
    t.pieces_model = &sp;
  }
  return t.pieces;
}

const PieceList& PiecesOf(TextCache& t, const DjWordTokenizer& tok) {
  if (t.pieces_model != tok.model()) {
    tok.WordsInto(t.text, &t.pieces);
    t.pieces_model = tok.model();
  }
  return t.pieces;
}

Status ValidateDjTokenizer(const Params& p) {
  auto t = DjTokenizer(p);
  return t.ok() ? Status::Ok() : t.status();
}

ParamSpec TokenizationParam() {
  return BoolParam("tokenization", false, "split words with the lang's SentencePiece model ({lang}.sp.model; for zh without it, jieba)");
}

ParamSpec ModelDirParam() {
  return StringParam("model_dir", "", "Winnow: directory of {lang}.sp.model; empty = the model directory");
}

}  // namespace winnow
