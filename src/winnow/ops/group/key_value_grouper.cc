// key_value_grouper: samples with equal values at group_by_keys (dotted paths, default the text
// key) form one batched sample; groups appear in order of their first member. Values compare
// as DJ's dict_to_hash does, by their Python str(): 1 and 1.0 differ, a missing key equals null.
#include <unordered_map>

#include "winnow/core/json.h"
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

class KeyValueGrouper : public Grouper {
 public:
  KeyValueGrouper(const Params& p, const OpEnv& env) : Grouper("key_value_grouper", p, env) {
    if (!p.IsNull("group_by_keys"))
      for (const auto& k : p.Get("group_by_keys").as_array()) keys_.push_back(k.as_string());
    if (keys_.empty()) keys_.push_back(text_key_);
  }
  Status ComputeKey(Sample& s, GlobalKey* key) const override {
    key->has_str = true;
    for (const auto& k : keys_) {
      std::string raw;
      std::string canon = "null";
      if (s.FieldRaw(k, &raw)) {
        auto v = json::Parse(raw);
        if (v.ok()) canon = v->ToJson();  // normalised: spacing and escapes no longer matter
      }
      key->str += canon;
      key->str.push_back('\x1f');
    }
    return Status::Ok();
  }
  std::vector<std::vector<uint32_t>> Group(const std::vector<GlobalKey>& keys) const override {
    std::vector<std::vector<uint32_t>> groups;
    std::unordered_map<std::string_view, size_t> index;
    for (uint32_t i = 0; i < keys.size(); ++i) {
      auto [it, fresh] = index.try_emplace(keys[i].str, groups.size());
      if (fresh) groups.emplace_back();
      groups[it->second].push_back(i);
    }
    return groups;
  }

 private:
  std::vector<std::string> keys_;
};

}  // namespace

void RegisterKeyValueGrouper(Registry& r) {
  r.Add({"key_value_grouper", OpKind::kGrouper,
         "Group samples with equal values at group_by_keys into batched samples.",
         {Optional(ParamSpec{"group_by_keys", ParamType::kList, json::Value::Null(),
                             "dotted field paths to group by (e.g. meta.language); null = the text key"})},
         {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<KeyValueGrouper>(p, e); }});
}

}  // namespace winnow
