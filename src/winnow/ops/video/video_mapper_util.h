// What Data-Juicer's video mappers share: the sample's `videos` list (raw strings as written and
// resolved paths), DJ's add_suffix_to_filename, the produced-file hash of an op's params, and
// the chunk-by-chunk token rewrite of the split mappers (video_split_by_duration_mapper and
// video_split_by_key_frame_mapper share one _process_single_sample).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "winnow/core/sample.h"
#include "winnow/core/status.h"
#include "winnow/ops/op.h"
#include "winnow/ops/params.h"

namespace winnow::video_ops {

inline constexpr std::string_view kSourceFileField = "__dj__source_file__";

// The list field `key`: its strings as written (`raw`) and resolved against the dataset file
// (`paths`). Both empty when the field is absent, null or empty.
Status VideoKeys(const Sample& s, const std::string& key, const std::vector<std::string>* input_files,
                 std::vector<std::string>* raw, std::vector<std::string>* paths);

// os.path.splitext(name) + suffix + ext (the extension is only looked for in the last component).
std::string AddSuffixToFilename(const std::string& filename, const std::string& suffix);

// OpOutputHash over the op's params minus save_dir (DJ pops save_dir from _init_parameters).
std::string ParamsHash(const std::string& op_name, const Params& p);

// JSON list of strings.
std::string JsonStringList(const std::vector<std::string>& items);

// DJ's split mappers (_process_single_sample + process_batched) for one sample: `split(path)`
// gives the clip paths of one video. Writes the original sample when keep_original, then the
// split sample (none when the sample has no video).
using SplitFn = std::function<Result<std::vector<std::string>>(const std::string& path)>;
Status ExpandSplit(Sample& s, const OpEnv& env, const std::string& text_key, const std::string& video_key,
                   bool keep_original, const SplitFn& split, std::vector<std::string>* out);

}  // namespace winnow::video_ops
