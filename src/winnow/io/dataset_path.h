// Resolves DJ's `dataset_path` into input files: a file, a directory (recursively, supported
// suffixes), a glob, or DJ's weighted form "1.0 a.jsonl 0.5 b/ 2 c*.jsonl".
#pragma once

#include <string>
#include <vector>

#include "winnow/core/status.h"

namespace winnow {

struct InputFile {
  std::string path;
  double weight = 1.0;  // DJ's sampling weight of the dataset this file belongs to
};

// Supported input suffixes (before compression): .jsonl, .json.
bool IsSupportedInput(const std::string& path);
Result<std::vector<InputFile>> ResolveDatasetPath(const std::string& dataset_path);

}  // namespace winnow
