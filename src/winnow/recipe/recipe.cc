#include "winnow/recipe/recipe.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "winnow/io/byte_stream.h"
#include "winnow/ops/dj_catalog.h"

namespace winnow {
namespace {

// Every key Data-Juicer's config parser declares (data_juicer/config/config.py).
const std::set<std::string>& DjKeys() {
  static const std::set<std::string> k = {
      "adaptive_batch_size", "audio_key", "audio_special_token", "auto", "auto_num", "cache_compress", "config",
      "custom_operator_paths", "data_probe_algo", "data_probe_ratio", "dataset", "dataset_path", "debug",
      "ds_cache_dir", "eoc_special_token", "executor_type", "export_aws_credentials", "export_extra_args",
      "export_in_parallel", "export_original_dataset", "export_path", "export_shard_size", "export_type",
      "fusion_strategy", "generated_dataset_config", "hpo_config", "image_bytes_key", "image_key",
      "image_special_token", "keep_hashes_in_res_ds", "keep_stats_in_res_ds", "np", "op_fusion", "op_list_to_mine",
      "op_list_to_trace", "open_insight_mining", "open_monitor", "open_tracer", "percentiles", "process",
      "project_name", "ray_address", "save_stats_in_one_file", "skip_op_error", "suffixes", "temp_dir", "text_keys",
      "trace_num", "turbo", "use_cache", "use_checkpoint", "validators", "video_key", "video_special_token",
      "work_dir"};
  return k;
}

const std::set<std::string>& WinnowKeys() {
  static const std::set<std::string> k = {"export_dropped", "quarantine_path", "batch_size", "max_record_bytes",
                                          "report", "report_examples", "dedup_index"};
  return k;
}

// Converts a YAML node to a JSON value with YAML 1.1 scalar rules (as PyYAML reads recipes).
json::Value ToValue(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return json::Value::Null();
    case YAML::NodeType::Sequence: {
      std::vector<json::Value> a;
      for (const auto& e : n) a.push_back(ToValue(e));
      return json::Value::Array(std::move(a));
    }
    case YAML::NodeType::Map: {
      std::vector<std::pair<std::string, json::Value>> o;
      for (const auto& kv : n) o.emplace_back(kv.first.Scalar(), ToValue(kv.second));
      return json::Value::Object(std::move(o));
    }
    case YAML::NodeType::Scalar: {
      const std::string& s = n.Scalar();
      if (n.Tag() == "!") return json::Value::String(s);  // quoted
      static const std::set<std::string> kNull = {"~", "null", "Null", "NULL", ""};
      static const std::set<std::string> kTrue = {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"};
      static const std::set<std::string> kFalse = {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"};
      if (kNull.count(s)) return json::Value::Null();
      if (kTrue.count(s)) return json::Value::Bool(true);
      if (kFalse.count(s)) return json::Value::Bool(false);
      static const std::regex kInt(R"([-+]?(0|[1-9][0-9_]*))");
      static const std::regex kFloat(R"([-+]?([0-9][0-9_]*)?\.?[0-9_]*([eE][-+]?[0-9]+)?)");
      std::string clean;
      for (char c : s) if (c != '_') clean.push_back(c);
      if (std::regex_match(s, kInt)) return json::Value::Number(std::stod(clean), true);
      if (s == ".inf" || s == "+.inf" || s == ".Inf") return json::Value::Number(INFINITY, false);
      if (s == "-.inf" || s == "-.Inf") return json::Value::Number(-INFINITY, false);
      if (s.find_first_of("0123456789") != std::string::npos && std::regex_match(s, kFloat)) {
        double d = 0;
        if (json::ParseNumber(clean, &d)) return json::Value::Number(d, false);
      }
      return json::Value::String(s);
    }
  }
  return json::Value::Null();
}

std::string Loc(const std::string& src, const YAML::Node& n) {
  const YAML::Mark m = n.Mark();
  if (m.line < 0) return src;
  return src + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
}

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string Hint(const std::string& name, const std::vector<std::string>& candidates) {
  std::string c = ClosestName(name, candidates);
  return c.empty() ? "" : " (did you mean '" + c + "'?)";
}

class Loader {
 public:
  explicit Loader(std::string source) : src_(std::move(source)) {}

  void Error(const std::string& where, const std::string& msg) { errors_.push_back(where + ": " + msg); }

  // Top-level key handlers; `where` is the location for messages.
  void SetKey(Recipe& r, const std::string& key, const json::Value& v, const std::string& where) {
    auto want_string = [&](std::string* out) {
      if (v.type() == json::Type::kString) *out = v.as_string();
      else if (v.is_null()) out->clear();
      else Error(where, key + ": expected a string, got " + v.ToJson());
    };
    auto want_bool = [&](bool* out) {
      if (v.type() == json::Type::kBool) *out = v.as_bool();
      else Error(where, key + ": expected true/false, got " + v.ToJson());
    };
    auto want_int = [&](int64_t* out, int64_t min) {
      if (v.type() != json::Type::kNumber || !v.is_int()) return Error(where, key + ": expected an integer, got " + v.ToJson());
      if (v.as_number() < static_cast<double>(min))
        return Error(where, key + ": value " + v.ToJson() + " out of range: must be >= " + std::to_string(min));
      *out = static_cast<int64_t>(v.as_number());
    };
    int64_t iv = 0;
    if (key == "project_name") want_string(&r.project_name);
    else if (key == "dataset_path") want_string(&r.dataset_path);
    else if (key == "export_path") want_string(&r.export_path);
    else if (key == "export_type") want_string(&r.export_type);
    else if (key == "work_dir") want_string(&r.work_dir);
    else if (key == "image_key") want_string(&r.image_key);
    else if (key == "image_bytes_key") want_string(&r.image_bytes_key);
    else if (key == "audio_key") want_string(&r.audio_key);
    else if (key == "video_key") want_string(&r.video_key);
    else if (key == "image_special_token") want_string(&r.image_special_token);
    else if (key == "audio_special_token") want_string(&r.audio_special_token);
    else if (key == "video_special_token") want_string(&r.video_special_token);
    else if (key == "eoc_special_token") want_string(&r.eoc_special_token);
    else if (key == "keep_stats_in_res_ds") want_bool(&r.keep_stats_in_res_ds);
    else if (key == "keep_hashes_in_res_ds") want_bool(&r.keep_hashes_in_res_ds);
    else if (key == "skip_op_error") want_bool(&r.skip_op_error);
    else if (key == "export_dropped") want_string(&r.export_dropped);
    else if (key == "dedup_index") want_string(&r.dedup_index);
    else if (key == "open_tracer") want_bool(&r.open_tracer);
    else if (key == "trace_num") want_int(&r.trace_num, 0);
    else if (key == "op_list_to_trace") {
      r.op_list_to_trace.clear();
      if (v.type() == json::Type::kArray) {
        for (const auto& e : v.as_array()) {
          if (e.type() == json::Type::kString) r.op_list_to_trace.push_back(e.as_string());
          else Error(where, "op_list_to_trace: expected op names, got " + e.ToJson());
        }
      } else if (!v.is_null()) {
        Error(where, "op_list_to_trace: expected a list of op names, got " + v.ToJson());
      }
    }
    else if (key == "quarantine_path") want_string(&r.quarantine_path);
    else if (key == "export_original_dataset") want_bool(&r.export_original_dataset);
    else if (key == "save_stats_in_one_file") want_bool(&r.save_stats_in_one_file);
    else if (key == "report") want_bool(&r.report);
    else if (key == "report_examples") want_int(&r.report_examples, 0);
    else if (key == "percentiles") {
      r.percentiles.clear();
      if (v.type() == json::Type::kArray) {
        for (const auto& e : v.as_array()) {
          if (e.type() == json::Type::kNumber && e.as_number() >= 0 && e.as_number() <= 1)
            r.percentiles.push_back(e.as_number());
          else
            Error(where, "percentiles: expected numbers between 0 and 1, got " + e.ToJson());
        }
      } else if (!v.is_null()) {
        Error(where, "percentiles: expected a list of numbers between 0 and 1, got " + v.ToJson());
      }
    }
    else if (key == "np") { iv = r.np; want_int(&iv, 1); r.np = static_cast<int>(std::min<int64_t>(iv, 1024)); }
    else if (key == "export_shard_size") { want_int(&r.export_shard_size, 0); }
    else if (key == "batch_size") { iv = static_cast<int64_t>(r.batch_size); want_int(&iv, 1); r.batch_size = iv; }
    else if (key == "max_record_bytes") { iv = static_cast<int64_t>(r.max_record_bytes); want_int(&iv, 1); r.max_record_bytes = iv; }
    else if (key == "text_keys") {
      r.text_keys.clear();
      if (v.type() == json::Type::kString) r.text_keys.push_back(v.as_string());
      else if (v.type() == json::Type::kArray) {
        for (const auto& e : v.as_array()) {
          if (e.type() == json::Type::kString) r.text_keys.push_back(e.as_string());
          else Error(where, "text_keys: expected strings, got " + e.ToJson());
        }
      } else Error(where, "text_keys: expected a string or a list of strings, got " + v.ToJson());
      if (r.text_keys.empty()) r.text_keys.push_back("text");
    } else if (key == "executor_type") {
      if (v.type() != json::Type::kString || (v.as_string() != "default" && v.as_string() != "local"))
        r.warnings.push_back(where + ": executor_type " + v.ToJson() +
                             " is not implemented; Winnow runs the recipe with its own parallel executor");
    } else if (key == "config") {
      // the recipe path itself
    } else if (DjKeys().count(key)) {
      r.warnings.push_back(where + ": Data-Juicer key '" + key + "' is not implemented by Winnow yet; it is ignored");
    } else {
      std::vector<std::string> all(DjKeys().begin(), DjKeys().end());
      all.insert(all.end(), WinnowKeys().begin(), WinnowKeys().end());
      Error(where, "unknown recipe key '" + key + "'" + Hint(key, all));
    }
  }

  void LoadOp(Recipe& r, const YAML::Node& item) {
    std::string where = Loc(src_, item);
    if (!item.IsMap() || item.size() != 1) {
      Error(where, "each process entry must be a single 'op_name: {params}' mapping");
      return;
    }
    auto kv = *item.begin();
    std::string name = kv.first.Scalar();
    where = Loc(src_, kv.first);
    json::Value params = ToValue(kv.second);
    if (!params.is_null() && params.type() != json::Type::kObject) {
      Error(where, name + ": params must be a mapping, got " + params.ToJson());
      return;
    }
    auto cfg = MakeOpConfig(name, params);
    if (!cfg.ok()) {
      // One message per problem, each with the location.
      std::istringstream lines(cfg.status().message());
      for (std::string line; std::getline(lines, line);) Error(where, line);
      return;
    }
    cfg->line = kv.first.Mark().line + 1;
    r.process.push_back(std::move(*cfg));
  }

  std::string src_;
  std::vector<std::string> errors_;
};

Status CheckExportPath(const std::string& path, const std::string& type) {
  std::string p = StripCompressionSuffix(path);
  std::string ext = p.substr(p.find_last_of('.') == std::string::npos ? p.size() : p.find_last_of('.') + 1);
  std::string fmt = type.empty() ? ext : type;
  if (fmt == "jsonl" || fmt == "json") return Status::Ok();
  if (fmt == "parquet")
    return Status::Error("export_path '" + path + "': parquet export is not supported yet; use .jsonl or .json");
  return Status::Error("export_path '" + path + "': unsupported format '" + fmt +
                       "' (supported: .jsonl, .json, optionally with .gz or .zst)");
}

}  // namespace

std::string ClosestName(const std::string& name, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_d = std::max<size_t>(3, name.size() / 3) + 1;
  for (const auto& c : candidates) {
    size_t d = EditDistance(name, c);
    if (d < best_d) { best_d = d; best = c; }
  }
  return best;
}

Result<OpConfig> MakeOpConfig(const std::string& op_name, const json::Value& params) {
  const Registry& reg = Registry::Builtin();
  const OpInfo* info = reg.Find(op_name);
  if (!info) {
    std::string why = DjOpUnsupportedReason(op_name);
    if (!why.empty()) return Status::Error("Data-Juicer operator '" + op_name + "' is not supported by Winnow: " + why);
    return Status::Error("unknown operator '" + op_name + "'" + Hint(op_name, reg.Names()));
  }
  std::vector<std::string> errors;
  auto specs = Registry::AllParams(*info);
  std::vector<std::string> names;
  for (const auto* s : specs) names.push_back(s->name);
  OpConfig cfg;
  cfg.info = info;
  if (!params.is_null()) {
    for (const auto& kv : params.as_object()) {
      const std::string& k = kv.first;
      const json::Value& v = kv.second;
      auto it = std::find_if(specs.begin(), specs.end(), [&k](const ParamSpec* s) { return s->name == k; });
      if (it == specs.end()) {
        errors.push_back(op_name + ": unknown param '" + k + "'" + Hint(k, names));
        continue;
      }
      Status st = CheckParam(**it, v);
      if (!st.ok()) errors.push_back(op_name + "." + k + ": " + st.message());
    }
  }
  for (const auto* s : specs) {
    const json::Value* given = params.is_null() ? nullptr : params.Find(s->name);
    cfg.params.Set(s->name, given ? *given : s->default_value);
  }
  if (errors.empty() && info->validate) {
    Status st = info->validate(cfg.params);
    if (!st.ok()) errors.push_back(op_name + ": " + st.message());
  }
  if (!errors.empty()) {
    std::string msg;
    for (const auto& e : errors) msg += (msg.empty() ? "" : "\n") + e;
    return Status::Error(msg);
  }
  return cfg;
}

namespace {
Result<Recipe> LoadRecipeImpl(const std::string& yaml, const std::string& source,
                              const std::vector<std::pair<std::string, std::string>>& overrides,
                              bool resolve_inputs) {
  Loader loader(source);
  Recipe r;
  r.source = source;
  r.yaml_text = yaml;
  r.overrides = overrides;
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    return Status::Error(source + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                         ": YAML syntax error: " + e.msg);
  }
  if (root.IsNull()) return Status::Error(source + ": the recipe is empty");
  if (!root.IsMap()) return Status::Error(source + ": a recipe must be a YAML mapping of keys");
  YAML::Node process;
  for (const auto& kv : root) {
    std::string key = kv.first.Scalar();
    if (key == "process") { process = kv.second; continue; }
    loader.SetKey(r, key, ToValue(kv.second), Loc(source, kv.first));
  }
  for (const auto& [k, v] : overrides) {
    YAML::Node n;
    try {
      n = YAML::Load(v);
    } catch (const YAML::Exception&) {
      n = YAML::Node(v);
    }
    if (k == "process") { loader.Error("--process", "overriding process from the command line is not supported"); continue; }
    loader.SetKey(r, k, ToValue(n), "--" + k);
  }
  if (process && !process.IsNull()) {
    if (!process.IsSequence()) loader.Error(Loc(source, process), "process must be a list of ops");
    else for (const auto& item : process) loader.LoadOp(r, item);
  }
  OpEnv env;
  // Inputs and outputs.
  if (r.dataset_path.empty()) {
    loader.Error(source, "dataset_path is required (a file, directory, glob or DJ's weighted form)");
  } else if (resolve_inputs) {
    auto files = ResolveDatasetPath(r.dataset_path);
    if (!files.ok()) loader.Error(source, files.status().message());
    else r.inputs = std::move(*files);
  }
  Status ex = CheckExportPath(r.export_path, r.export_type);
  if (!ex.ok()) loader.Error(source, ex.message());
  if (r.work_dir.empty()) {
    std::filesystem::path p(r.export_path);
    r.work_dir = p.has_parent_path() ? p.parent_path().string() : ".";
  }
  if (!loader.errors_.empty()) {
    std::string msg = std::to_string(loader.errors_.size()) + " error(s) in the recipe:";
    for (const auto& e : loader.errors_) msg += "\n  " + e;
    return Status::Error(msg);
  }
  return r;
}

}  // namespace

Result<Recipe> LoadRecipeFromString(const std::string& yaml, const std::string& source,
                                    const std::vector<std::pair<std::string, std::string>>& overrides,
                                    bool resolve_inputs) {
  try {
    return LoadRecipeImpl(yaml, source, overrides, resolve_inputs);
  } catch (const YAML::Exception& e) {
    return Status::Error(source + ": YAML error: " + e.msg);
  }
}

Result<Recipe> LoadRecipe(const std::string& path, const std::vector<std::pair<std::string, std::string>>& overrides) {
  std::ifstream in(path);
  if (!in) return Status::Error(path + ": cannot read the recipe");
  std::stringstream ss;
  ss << in.rdbuf();
  return LoadRecipeFromString(ss.str(), path, overrides);
}

}  // namespace winnow
