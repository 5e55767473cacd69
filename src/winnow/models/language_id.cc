#include "winnow/models/language_id.h"

#include <filesystem>
#include <map>
#include <mutex>

#include "winnow/core/install_paths.h"
#include "winnow/models/fasttext_model.h"

namespace winnow {

LanguageIdModel::~LanguageIdModel() = default;

std::string DefaultLanguageIdModelPath() {
  std::string bin = ModelDir() + "/lid.176.bin";
  std::error_code ec;
  if (std::filesystem::exists(bin, ec)) return bin;
  return ModelDir() + "/lid.176.ftz";
}

Result<std::shared_ptr<const LanguageIdModel>> LanguageIdModel::Get(const std::string& path_param) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const LanguageIdModel>> loaded;
  std::string path = path_param.empty() ? DefaultLanguageIdModelPath() : path_param;
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = loaded.find(path); it != loaded.end()) return it->second;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    return Status::Error("language ID model '" + path + "' not found (scripts/install-deps.sh installs lid.176.ftz)");
  auto native = FastTextModel::Load(path);
  if (!native.ok()) return native.status();
  std::shared_ptr<LanguageIdModel> m(new LanguageIdModel());
  m->model_ = std::move(*native);
  m->path_ = path;
  loaded.emplace(path, m);
  return std::shared_ptr<const LanguageIdModel>(m);
}

LanguagePrediction LanguageIdModel::PredictLine(std::string_view line) const {
  // fastText's Python predict() appends '\n' and reads the line with predictLine (words split on
  // ASCII whitespace, then the end-of-sentence token); FastTextModel replays that exactly.
  FastTextModel::Top1 top = model_->Predict(line);
  LanguagePrediction p;
  if (top.label < 0) return p;
  p.score = static_cast<double>(top.prob);
  p.lang = model_->label(top.label);
  if (p.lang.rfind("__label__", 0) == 0) p.lang.erase(0, 9);
  return p;
}

}  // namespace winnow
