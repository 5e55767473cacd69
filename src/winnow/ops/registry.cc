#include "winnow/ops/registry.h"

#include <algorithm>

#include "winnow/core/status.h"

namespace winnow {

void RegisterTextOps(Registry& r);
void RegisterGeneralOps(Registry& r);
void RegisterDedupOps(Registry& r);
void RegisterSelectOps(Registry& r);
void RegisterGroupOps(Registry& r);
void RegisterImageOps(Registry& r);
void RegisterAudioOps(Registry& r);
void RegisterVideoOps(Registry& r);

void RegisterBuiltinOps(Registry& r) {
  RegisterImageOps(r);
  RegisterAudioOps(r);
  RegisterVideoOps(r);
  RegisterTextOps(r);
  RegisterGeneralOps(r);
  RegisterDedupOps(r);
  RegisterSelectOps(r);
  RegisterGroupOps(r);
}

const Registry& Registry::Builtin() {
  static const Registry reg = [] {
    Registry r;
    RegisterBuiltinOps(r);
    return r;
  }();
  return reg;
}

void Registry::Add(OpInfo info) {
  WINNOW_CHECK(Find(info.name) == nullptr);
  ops_.push_back(std::move(info));
  std::sort(ops_.begin(), ops_.end(), [](const OpInfo& a, const OpInfo& b) { return a.name < b.name; });
}

const OpInfo* Registry::Find(std::string_view name) const {
  for (const auto& o : ops_) if (o.name == name) return &o;
  return nullptr;
}

std::vector<std::string> Registry::Names() const {
  std::vector<std::string> n;
  for (const auto& o : ops_) n.push_back(o.name);
  return n;
}

ParamSpec IntParam(std::string name, double def, std::string doc) {
  return ParamSpec{std::move(name), ParamType::kInt, json::Value::Number(def, true), std::move(doc)};
}
ParamSpec FloatParam(std::string name, double def, std::string doc) {
  return ParamSpec{std::move(name), ParamType::kFloat, json::Value::Number(def, false), std::move(doc)};
}
ParamSpec BoolParam(std::string name, bool def, std::string doc) {
  return ParamSpec{std::move(name), ParamType::kBool, json::Value::Bool(def), std::move(doc)};
}
ParamSpec StringParam(std::string name, std::string def, std::string doc) {
  return ParamSpec{std::move(name), ParamType::kString, json::Value::String(std::move(def)), std::move(doc)};
}
ParamSpec Optional(ParamSpec p) {
  p.nullable = true;
  p.default_value = json::Value::Null();  // DJ's Optional[...] = None
  return p;
}
ParamSpec Range(ParamSpec p, std::optional<double> min, std::optional<double> max, bool min_exclusive) {
  p.min = min;
  p.max = max;
  p.min_exclusive = min_exclusive;
  return p;
}

const std::vector<ParamSpec>& Registry::CommonParams() {
  static const std::vector<ParamSpec> kParams = [] {
    std::vector<ParamSpec> v;
    auto opt_str = [&](const char* n, const char* doc) {
      v.push_back(Optional(ParamSpec{n, ParamType::kString, json::Value::Null(), doc}));
    };
    opt_str("text_key", "field holding the text (default: the recipe's first text_keys entry)");
    opt_str("image_key", "field holding image paths (default 'images')");
    opt_str("image_bytes_key", "field holding image bytes (default 'image_bytes')");
    opt_str("audio_key", "field holding audio paths (default 'audios')");
    opt_str("video_key", "field holding video paths (default 'videos')");
    for (const char* k : {"system_key", "instruction_key", "prompt_key", "query_key", "response_key",
                          "history_key", "index_key", "work_dir", "accelerator"})
      opt_str(k, "accepted for Data-Juicer compatibility");
    v.push_back(Optional(IntParam("batch_size", 1000, "accepted for compatibility; Winnow sizes batches itself")));
    v.push_back(Optional(IntParam("num_proc", -1, "accepted for compatibility; the recipe's np sets threads")));
    v.push_back(Optional(ParamSpec{"cpu_required", ParamType::kAny, json::Value::Null(), "accepted for compatibility"}));
    v.push_back(Optional(ParamSpec{"gpu_required", ParamType::kAny, json::Value::Null(), "accepted for compatibility"}));
    v.push_back(Optional(ParamSpec{"mem_required", ParamType::kAny, json::Value::Null(), "accepted for compatibility"}));
    v.push_back(Optional(BoolParam("turbo", false, "accepted for compatibility")));
    v.push_back(Optional(BoolParam("skip_op_error", true, "quarantine samples this op fails on instead of aborting")));
    return v;
  }();
  return kParams;
}

const std::vector<ParamSpec>& Registry::FilterParams() {
  static const std::vector<ParamSpec> kParams = {
      BoolParam("min_closed_interval", true, "keep values equal to the lower bound"),
      BoolParam("max_closed_interval", true, "keep values equal to the upper bound"),
      BoolParam("reversed_range", false, "keep values outside the range instead"),
      Optional(StringParam("stats_export_path", "", "accepted for compatibility")),
  };
  return kParams;
}

std::vector<const ParamSpec*> Registry::AllParams(const OpInfo& info) {
  std::vector<const ParamSpec*> all;
  for (const auto& p : info.params) all.push_back(&p);
  if (info.kind == OpKind::kFilter)
    for (const auto& p : FilterParams()) all.push_back(&p);
  for (const auto& p : CommonParams()) all.push_back(&p);
  return all;
}

namespace {
std::string DefaultText(const ParamSpec& p) {
  const json::Value& d = p.default_value;
  if (d.is_null()) return "None";
  if (d.type() == json::Type::kNumber && d.as_number() >= kPyMaxSize) return "sys.maxsize";
  if (d.type() == json::Type::kNumber && d.as_number() <= -kPyMaxSize) return "-sys.maxsize";
  return d.ToJson();
}
}  // namespace

std::string DescribeOp(const OpInfo& info) {
  std::string s = info.name + " (" + OpKindName(info.kind) + ")\n  " + info.doc + "\n";
  if (!info.stat_keys.empty()) {
    s += "  stats:";
    for (const auto& k : info.stat_keys) s += " " + k;
    s += "\n";
  }
  s += "  params:\n";
  for (const auto& p : info.params) {
    s += "    " + p.name + ": " + ParamTypeName(p.type) + (p.nullable ? " (optional)" : "") +
         " = " + DefaultText(p) + "\n        " + p.doc + "\n";
  }
  if (info.kind == OpKind::kFilter) {
    s += "  filter params: min_closed_interval=true, max_closed_interval=true, reversed_range=false\n";
  }
  s += "  common params: text_key, batch_size, num_proc, skip_op_error, ... (see docs/ops.md)\n";
  return s;
}

std::string OpsReadmeList(const Registry& r) {
  std::string s;
  for (const auto& o : r.ops()) s += "- `" + o.name + "` (" + OpKindName(o.kind) + "): " + o.doc + "\n";
  return s;
}

std::string OpsMarkdown(const Registry& r) {
  std::string s = "# Winnow operators\n\nGenerated by `winnow ops --markdown` from the op registry; "
                  "do not edit by hand.\n\n| op | kind | stats | description |\n|---|---|---|---|\n";
  for (const auto& o : r.ops()) {
    std::string stats;
    for (const auto& k : o.stat_keys) stats += (stats.empty() ? "`" : ", `") + k + "`";
    s += "| `" + o.name + "` | " + OpKindName(o.kind) + " | " + stats + " | " + o.doc + " |\n";
  }
  for (const auto& o : r.ops()) {
    s += "\n## " + o.name + "\n\n" + o.doc + "\n\n| param | type | default | doc |\n|---|---|---|---|\n";
    for (const auto& p : o.params)
      s += "| `" + p.name + "` | " + ParamTypeName(p.type) + (p.nullable ? "?" : "") + " | `" +
           DefaultText(p) + "` | " + p.doc + " |\n";
  }
  s += "\n## Common params\n\nEvery op also accepts:";
  for (const auto& p : Registry::CommonParams()) s += " `" + p.name + "`";
  s += ". Filters also accept:";
  for (const auto& p : Registry::FilterParams()) s += " `" + p.name + "`";
  s += ".\n";
  return s;
}

}  // namespace winnow
