// naive_reverse_grouper: splits each batched sample ({field: [values]}) back into one sample
// per index (DJ's convert_dict_list_to_list_dict). __dj__batch_meta__ is removed and, with
// batch_meta_export_path, written there as JSON lines in input order.
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>

#include "winnow/core/json.h"
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

constexpr std::string_view kBatchMeta = "__dj__batch_meta__";

class NaiveReverseGrouper : public Mapper {
 public:
  NaiveReverseGrouper(const Params& p, const OpEnv& env)
      : Mapper("naive_reverse_grouper", p, env),
        meta_path_(p.IsNull("batch_meta_export_path") ? "" : p.String("batch_meta_export_path")) {}
  ~NaiveReverseGrouper() override {
    if (meta_path_.empty()) return;
    std::error_code ec;
    std::filesystem::path dir = std::filesystem::path(meta_path_).parent_path();
    if (!dir.empty()) std::filesystem::create_directories(dir, ec);
    if (FILE* f = std::fopen(meta_path_.c_str(), "wb")) {
      for (const auto& [row, meta] : metas_) {
        std::fwrite(meta.data(), 1, meta.size(), f);
        std::fputc('\n', f);
      }
      std::fclose(f);
    }
  }
  bool expands() const override { return true; }

  Status Expand(Sample& s, std::vector<std::string>* out) const override {
    std::vector<std::pair<std::string, std::vector<std::string>>> fields;  // key -> element raws
    size_t n = 0;
    bool first = true;
    for (const auto& m : s.members()) {
      std::string key;
      if (!json::MemberKey(m, &key)) continue;
      std::string raw;
      if (key == "__dj__stats__" && s.stats().empty()) raw.assign(m.value);  // the members' stats list
      else if (!s.FieldRaw(key, &raw)) continue;                          // current value (after mappers)
      if (key == kBatchMeta) {
        if (!meta_path_.empty()) {
          std::lock_guard<std::mutex> lock(mu_);
          metas_.emplace(std::make_pair(s.row().file, s.row().line), json::Parse(raw)->ToJson());
        }
        continue;
      }
      auto v = json::Parse(raw);
      if (!v.ok() || v->type() != json::Type::kArray)
        return Status::Error("field '" + key + "' is not a list: naive_reverse_grouper expects batched samples");
      std::vector<std::string> elems;
      for (const auto& e : v->as_array()) elems.push_back(e.ToJson());
      if (first) n = elems.size();
      else if (elems.size() < n)
        return Status::Error("field '" + key + "' has " + std::to_string(elems.size()) + " values, fewer than " +
                             std::to_string(n));
      first = false;
      fields.emplace_back(std::move(key), std::move(elems));
    }
    for (size_t i = 0; i < n; ++i) {
      std::string rec = "{";
      for (const auto& [key, elems] : fields) {
        if (rec.size() > 1) rec += ", ";
        json::AppendString(key, &rec);
        rec += ": " + elems[i];
      }
      out->push_back(rec + "}");
    }
    return Status::Ok();
  }

 private:
  std::string meta_path_;
  mutable std::mutex mu_;
  mutable std::map<std::pair<uint32_t, uint64_t>, std::string> metas_;
};

}  // namespace

void RegisterNaiveReverseGrouper(Registry& r) {
  r.Add({"naive_reverse_grouper", OpKind::kGrouper, "Split batched samples back into one sample per element.",
         {Optional(StringParam("batch_meta_export_path", "", "write each sample's __dj__batch_meta__ here (JSONL)"))},
         {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<NaiveReverseGrouper>(p, e); }});
}

}  // namespace winnow
