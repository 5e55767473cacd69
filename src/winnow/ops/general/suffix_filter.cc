// suffix_filter: keeps samples whose source file suffix is one of `suffixes`. DJ adds a
// `__dj__suffix__` column at load time when the recipe has this op; Winnow reads that field if
// the sample has it and otherwise derives the suffix from the sample's input file (".jsonl",
// ".json", or a compound ".jsonl.gz"/".jsonl.zst"). The field is not added to the output.
#include <algorithm>
#include <filesystem>

#include "winnow/ops/registry.h"

namespace winnow {
namespace {

std::string FileSuffix(const std::string& path) {
  std::string name = std::filesystem::path(path).filename().string();
  for (const char* compound : {".jsonl.gz", ".jsonl.zst", ".json.gz", ".json.zst"}) {
    std::string c(compound);
    if (name.size() > c.size() && name.compare(name.size() - c.size(), c.size(), c) == 0) return c;
  }
  return std::filesystem::path(name).extension().string();
}

class SuffixFilter : public Filter {
 public:
  SuffixFilter(const Params& p, const OpEnv& env) : Filter("suffix_filter", p, env), files_(env.input_files) {
    const json::Value& v = p.Get("suffixes");
    if (v.type() == json::Type::kString) suffixes_.push_back(v.as_string());
    if (v.type() == json::Type::kArray)
      for (const auto& e : v.as_array()) suffixes_.push_back(e.as_string());
  }

  Status ComputeStats(Sample&) const override { return Status::Ok(); }  // no stats, as in DJ

  bool Keep(const Sample& s) const override {
    if (suffixes_.empty()) return true;
    std::string suffix = Suffix(s);
    bool keep = std::find(suffixes_.begin(), suffixes_.end(), suffix) != suffixes_.end();
    return reversed_ ? !keep : keep;
  }

  std::string DropReason(const Sample& s) const override {
    return "suffix " + Suffix(s) + (reversed_ ? " is in suffixes" : " is not in suffixes");
  }

 private:
  std::string Suffix(const Sample& s) const {
    std::string raw;
    if (s.FieldRaw("__dj__suffix__", &raw) && json::TypeOf(raw) == json::Type::kString) {
      std::string v;
      if (json::DecodeString(raw, &v).ok()) return v;
    }
    if (files_ && s.row().file < files_->size()) return FileSuffix((*files_)[s.row().file]);
    return "";
  }

  const std::vector<std::string>* files_;
  std::vector<std::string> suffixes_;
};

}  // namespace

void RegisterSuffixFilter(Registry& r) {
  r.Add({"suffix_filter", OpKind::kFilter, "Keep samples whose source file suffix is one of suffixes.",
         {ParamSpec{"suffixes", ParamType::kAny, json::Value::Array({}), "a suffix (\".txt\") or a list; empty keeps all"}},
         {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<SuffixFilter>(p, e); },
         [](const Params& p) -> Status {
           const json::Value& v = p.Get("suffixes");
           if (v.is_null() || v.type() == json::Type::kString) return Status::Ok();
           if (v.type() == json::Type::kArray) {
             for (const auto& e : v.as_array())
               if (e.type() != json::Type::kString) return Status::Error("suffixes must be strings");
             return Status::Ok();
           }
           return Status::Error("suffixes must be a string or a list of strings");
         }});
}

}  // namespace winnow
