#include "winnow/io/dataset_path.h"

#include <glob.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "winnow/io/byte_stream.h"
#include "winnow/ops/general/field_value.h"

namespace winnow {
namespace fs = std::filesystem;

bool IsSupportedInput(const std::string& path) {
  std::string p = StripCompressionSuffix(path);
  auto ends = [&](const char* s) {
    std::string_view sv(s);
    return p.size() >= sv.size() && p.compare(p.size() - sv.size(), sv.size(), sv) == 0;
  };
  return ends(".jsonl") || ends(".json");
}

namespace {

Status AddPath(const std::string& path, double weight, std::vector<InputFile>* out) {
  std::error_code ec;
  if (path.find_first_of("*?[") != std::string::npos) {
    glob_t g{};
    int rc = glob(path.c_str(), 0, nullptr, &g);
    std::vector<std::string> matches;
    if (rc == 0)
      for (size_t i = 0; i < g.gl_pathc; ++i) matches.push_back(g.gl_pathv[i]);
    globfree(&g);
    if (matches.empty()) return Status::Error("dataset_path: no files match '" + path + "'");
    std::sort(matches.begin(), matches.end());
    for (auto& m : matches) WINNOW_RETURN_IF_ERROR(AddPath(m, weight, out));
    return Status::Ok();
  }
  if (fs::is_directory(path, ec)) {
    std::vector<std::string> files;
    for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      if (it->is_regular_file() && IsSupportedInput(it->path().string())) files.push_back(it->path().string());
    }
    if (files.empty())
      return Status::Error("dataset_path: directory '" + path + "' holds no .jsonl/.json(.gz/.zst) files");
    std::sort(files.begin(), files.end());
    for (auto& f : files) out->push_back({f, weight});
    return Status::Ok();
  }
  if (!fs::exists(path, ec)) return Status::Error("dataset_path: '" + path + "' does not exist");
  if (!IsSupportedInput(path))
    return Status::Error("dataset_path: '" + path +
                         "' has an unsupported format (supported: .jsonl, .json, optionally .gz/.zst)");
  out->push_back({path, weight});
  return Status::Ok();
}

}  // namespace

Result<std::vector<InputFile>> ResolveDatasetPath(const std::string& dataset_path) {
  std::vector<std::string> tokens;
  std::istringstream in(dataset_path);
  for (std::string t; in >> t;) tokens.push_back(t);
  if (tokens.empty()) return Status::Error("dataset_path is empty");
  std::vector<InputFile> files;
  // DJ's weighted form: every path is preceded by a number.
  double w = 0;
  bool weighted = tokens.size() >= 2 && tokens.size() % 2 == 0 && PyFloatFromString(tokens[0], &w) &&
                  !std::filesystem::exists(tokens[0]);
  if (weighted) {
    for (size_t i = 0; i < tokens.size(); i += 2) {
      if (!PyFloatFromString(tokens[i], &w) || w < 0)
        return Status::Error("dataset_path: expected a non-negative weight before '" + tokens[i + 1] + "', got '" +
                             tokens[i] + "'");
      WINNOW_RETURN_IF_ERROR(AddPath(tokens[i + 1], w, &files));
    }
  } else {
    // Paths with spaces are allowed when the string is not the weighted form.
    WINNOW_RETURN_IF_ERROR(AddPath(tokens.size() == 1 ? tokens[0] : dataset_path, 1.0, &files));
  }
  return files;
}

}  // namespace winnow
