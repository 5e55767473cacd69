#include "winnow/models/language_id.h"

#include <fasttext/fasttext.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <sstream>

#include "winnow/core/install_paths.h"

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
  std::shared_ptr<LanguageIdModel> m(new LanguageIdModel());
  m->ft_ = std::make_unique<fasttext::FastText>();
  m->path_ = path;
  try {
    m->ft_->loadModel(path);
  } catch (const std::exception& e) {
    return Status::Error("cannot load fastText model '" + path + "': " + e.what());
  }
  loaded.emplace(path, m);
  return std::shared_ptr<const LanguageIdModel>(m);
}

LanguagePrediction LanguageIdModel::PredictLine(std::string_view line) const {
  // fastText's Python predict() appends '\n' and reads the line like this (words split on
  // ASCII whitespace, then the end-of-sentence token).
  std::string buf;
  buf.reserve(line.size() + 1);
  buf.append(line).push_back('\n');
  std::istringstream in(std::move(buf));
  std::vector<std::pair<fasttext::real, std::string>> preds;
  ft_->predictLine(in, preds, 1, 0.0);
  LanguagePrediction p;
  if (preds.empty()) return p;
  p.score = static_cast<double>(preds[0].first);
  p.lang = preds[0].second;
  if (p.lang.rfind("__label__", 0) == 0) p.lang.erase(0, 9);
  return p;
}

}  // namespace winnow
