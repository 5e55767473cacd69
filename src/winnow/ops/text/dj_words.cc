#include "winnow/ops/text/dj_words.h"

#include <map>
#include <mutex>

#include "winnow/core/install_paths.h"

namespace winnow {

Result<std::shared_ptr<const SentencePieceModel>> DjTokenizer(const Params& p) {
  if (!p.Bool("tokenization")) return std::shared_ptr<const SentencePieceModel>();
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const SentencePieceModel>> cache;
  std::string dir = p.String("model_dir").empty() ? ModelDir() : p.String("model_dir");
  std::string path = dir + "/" + p.String("lang") + ".sp.model";
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = cache.find(path); it != cache.end()) return it->second;
  auto m = SentencePieceModel::Load(path);
  if (!m.ok())
    return Status::Error("tokenization: true needs the SentencePiece model " + p.String("lang") + ".sp.model in " +
                         dir + " (" + m.status().message() + "; `winnow lm train` builds one)");
  cache.emplace(path, *m);
  return *m;
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
