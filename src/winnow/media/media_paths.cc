#include "winnow/media/media_paths.h"

#include <filesystem>

#include "winnow/core/json.h"

namespace winnow::media {

std::string ResolveMediaPath(const std::string& path, const std::string& dataset_file) {
  if (path.empty() || path[0] == '/' || dataset_file.empty()) return path;
  return (std::filesystem::path(dataset_file).parent_path() / path).string();
}

Status MediaPaths(const Sample& s, std::string_view key, const std::vector<std::string>* input_files,
                  std::vector<std::string>* out) {
  out->clear();
  std::string raw;
  if (!s.FieldRaw(key, &raw)) return Status::Ok();
  json::Type t = json::TypeOf(raw);
  if (t == json::Type::kNull) return Status::Ok();
  if (t != json::Type::kArray)
    return Status::Error("field '" + std::string(key) + "' must be a list of paths, got " + json::TypeName(t));
  std::vector<std::string_view> items;
  json::SplitArray(raw, &items);
  const std::string* file =
      input_files && s.row().file < input_files->size() ? &(*input_files)[s.row().file] : nullptr;
  for (std::string_view item : items) {
    std::string path;
    if (!json::StringValue(item, &path))
      return Status::Error("field '" + std::string(key) + "' must hold paths (strings), got " + std::string(item));
    out->push_back(ResolveMediaPath(path, file ? *file : std::string()));
  }
  return Status::Ok();
}

}  // namespace winnow::media
