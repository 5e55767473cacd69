// A Data-Juicer YAML recipe, validated into a plan before any data is read. Every error (unknown
// op or param with the closest name, wrong type, out-of-range value, missing input) is collected
// with its file:line and reported together.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "winnow/core/status.h"
#include "winnow/io/dataset_path.h"
#include "winnow/ops/params.h"
#include "winnow/ops/registry.h"

namespace winnow {

struct OpConfig {
  const OpInfo* info = nullptr;
  Params params;  // validated, defaults filled in
  int line = 0;   // where the op appears in the recipe
};

struct Recipe {
  std::string source;  // recipe file path (for messages)
  std::string yaml_text;  // the recipe as written, and the command-line overrides (for the report)
  std::vector<std::pair<std::string, std::string>> overrides;
  std::string project_name = "hello_world";
  std::string dataset_path;
  std::string export_path = "./outputs/hello_world/hello_world.jsonl";
  std::string export_type;  // "", "jsonl" or "json"
  int64_t export_shard_size = 0;
  int np = 4;
  std::vector<std::string> text_keys = {"text"};
  std::string image_key = "images", image_bytes_key = "image_bytes", audio_key = "audios", video_key = "videos";
  std::string image_special_token = "<__dj__image>", audio_special_token = "<__dj__audio>",
              video_special_token = "<__dj__video>", eoc_special_token = "<|__dj__eoc|>";
  bool keep_stats_in_res_ds = false;
  bool keep_hashes_in_res_ds = false;
  bool skip_op_error = true;
  std::string work_dir;  // default: the export path's directory
  std::vector<OpConfig> process;
  std::vector<InputFile> inputs;  // dataset_path, resolved at load time

  // Winnow's own keys (also settable in YAML).
  bool open_tracer = false;                  // DJ's tracer: work_dir/trace/{mapper,filter}-<op>.jsonl
  std::vector<std::string> op_list_to_trace; // empty = every op
  int64_t trace_num = 10;                    // samples traced per op
  // Analysis (DJ's analyzer keys): extra percentiles for overall.csv, whether `winnow analyze`
  // also exports the dataset (with stats), and one all-stats.png instead of one PNG per stat.
  std::vector<double> percentiles;
  bool export_original_dataset = false;
  bool save_stats_in_one_file = false;
  bool report = true;            // write <work_dir>/report.html after process / analyze
  int64_t report_examples = 3;   // kept / dropped / changed samples shown per op in the report
  std::string export_dropped;    // write dropped samples here (with op and reason)
  std::string dedup_index;       // --dedup-index DIR: MinHash dedup against earlier runs (and update)
  std::string quarantine_path;   // default: <work_dir>/quarantine.jsonl
  size_t batch_size = 1000;      // rows per batch
  size_t max_record_bytes = 512u << 20;

  std::vector<std::string> warnings;  // DJ keys present but not implemented, etc.
};

// `overrides` are command-line `--key value` pairs applied on top of the YAML (DJ-style).
Result<Recipe> LoadRecipe(const std::string& path, const std::vector<std::pair<std::string, std::string>>& overrides);
// `resolve_inputs` = false skips looking at dataset_path on disk (fuzzing, dry checks).
Result<Recipe> LoadRecipeFromString(const std::string& yaml, const std::string& source,
                                    const std::vector<std::pair<std::string, std::string>>& overrides,
                                    bool resolve_inputs = true);

// Validates one op's params (JSON form) against its registry entry; used by tests and the loader.
Result<OpConfig> MakeOpConfig(const std::string& op_name, const json::Value& params);

// The known name closest to `name` (edit distance), or "" if none is close.
std::string ClosestName(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace winnow
