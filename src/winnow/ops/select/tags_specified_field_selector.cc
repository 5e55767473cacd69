// tags_specified_field_selector: keeps the samples whose (dotted) field value is one of
// target_tags, in input order.
#include <unordered_set>

#include "winnow/ops/registry.h"
#include "winnow/ops/select/field_scalar.h"

namespace winnow {
namespace {

class TagsSpecifiedFieldSelector : public Selector {
 public:
  TagsSpecifiedFieldSelector(const Params& p, const OpEnv& env)
      : Selector("tags_specified_field_selector", p, env), field_key_(p.String("field_key")) {
    // Canonicalised like field values, so 1 matches 1.0 as in Python.
    for (const auto& v : p.Get("target_tags").as_array()) {
      std::string key;
      if (CanonicalScalar(v, &key).ok()) tags_.insert(std::move(key));
    }
  }

  Status ComputeKey(Sample& s, GlobalKey* key) const override {
    if (field_key_.empty()) return Status::Ok();
    return ScalarFieldKey(s, field_key_, &key->str);
  }

  Selection Select(const std::vector<GlobalKey>& keys) const override {
    Selection sel;
    bool all = keys.size() <= 1 || field_key_.empty();
    for (uint32_t i = 0; i < keys.size(); ++i)
      if (all || tags_.count(keys[i].str)) sel.order.push_back(i);
    return sel;
  }

 private:
  std::string field_key_;
  std::unordered_set<std::string> tags_;
};

}  // namespace

void RegisterTagsSpecifiedFieldSelector(Registry& r) {
  r.Add({"tags_specified_field_selector", OpKind::kSelector, "Select the samples whose field value is one of target_tags.",
         {StringParam("field_key", "", "field to check; dots address nested fields (meta.language)"),
          ParamSpec{"target_tags", ParamType::kList, json::Value::Null(), "the values to keep (required)"}},
         {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<TagsSpecifiedFieldSelector>(p, e); },
         [](const Params& p) -> Status {
           if (p.IsNull("target_tags")) return Status::Error("target_tags is required (DJ fails on None too)");
           return Status::Ok();
         }});
}

}  // namespace winnow
