// specified_field_filter: keeps samples whose (possibly dotted) field value, or every element
// of it when it is a list, is one of target_value (Python `in`/`==`: 1 == 1.0 == True).
// The value is recorded in __dj__stats__ under the field key, as DJ does.
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

class SpecifiedFieldFilter : public Filter {
 public:
  SpecifiedFieldFilter(const Params& p, const OpEnv& env)
      : Filter("specified_field_filter", p, env), field_key_(p.String("field_key")) {
    for (const auto& v : p.Get("target_value").as_array()) targets_.push_back(v);
  }

  Status ComputeStats(Sample& s) const override {
    // As in DJ, an empty field_key is looked up too (and fails: '' is not a field).
    if (s.stats().Has(field_key_)) return Status::Ok();
    std::string raw;
    if (!s.FieldRaw(field_key_, &raw)) return Status::Error("field '" + field_key_ + "' is missing");
    s.stats().SetRaw(field_key_, std::move(raw));
    return Status::Ok();
  }

  bool Keep(const Sample& s) const override {
    if (field_key_.empty() || targets_.empty()) return true;
    const StatValue* sv = s.stats().Find(field_key_);
    if (!sv) return false;
    std::string raw;
    sv->AppendJson(&raw);
    json::Value v = json::FromRaw(raw);
    bool keep = true;
    if (v.type() == json::Type::kArray) {
      for (const auto& e : v.as_array()) keep = keep && InTargets(e);
    } else {
      keep = InTargets(v);
    }
    return reversed_ ? !keep : keep;
  }

  std::string DropReason(const Sample& s) const override {
    std::string r = field_key_ + "=";
    if (const StatValue* v = s.stats().Find(field_key_)) v->AppendJson(&r);
    return r + (reversed_ ? " in target_value" : " not in target_value");
  }

 private:
  bool InTargets(const json::Value& v) const {
    for (const auto& t : targets_) if (v.PyEquals(t)) return true;
    return false;
  }
  std::string field_key_;
  std::vector<json::Value> targets_;
};

}  // namespace

void RegisterSpecifiedFieldFilter(Registry& r) {
  r.Add({"specified_field_filter", OpKind::kFilter,
         "Keep samples whose field value (every element, for lists) is in target_value.",
         {StringParam("field_key", "", "field to check; dots address nested fields (meta.lang)"),
          ParamSpec{"target_value", ParamType::kList, json::Value::Array({}), "allowed values"}},
         {"<field_key>"},
         [](const Params& p, const OpEnv& e) { return std::make_unique<SpecifiedFieldFilter>(p, e); }});
}

}  // namespace winnow
