// A sample's media paths (Data-Juicer's `images` / `audios` / `videos` fields): a JSON list of
// strings. Relative paths resolve against the directory of the dataset file the sample came
// from, as DJ's formatter resolves them (DJ rewrites them to absolute paths in its output;
// Winnow leaves the sample's bytes as they were).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "winnow/core/sample.h"
#include "winnow/core/status.h"

namespace winnow::media {

// Fills *out with the resolved paths of field `key` (empty when the field is absent, null or an
// empty list). Errors name the field.
Status MediaPaths(const Sample& s, std::string_view key, const std::vector<std::string>* input_files,
                  std::vector<std::string>* out);

// `path` resolved against the directory of `dataset_file` (unchanged when absolute).
std::string ResolveMediaPath(const std::string& path, const std::string& dataset_file);

}  // namespace winnow::media
