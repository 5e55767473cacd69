// specified_numeric_field_filter: keeps samples whose (possibly dotted) field is a number (or a
// numeric string) within [min_value, max_value]. As in DJ, a falsy value (0, "", null, false)
// is "not a number" and the sample is dropped; a list/dict value is an op error.
#include "winnow/ops/general/field_value.h"
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

class SpecifiedNumericFieldFilter : public Filter {
 public:
  SpecifiedNumericFieldFilter(const Params& p, const OpEnv& env)
      : Filter("specified_numeric_field_filter", p, env),
        field_key_(p.String("field_key")),
        min_(p.Number("min_value")),
        max_(p.Number("max_value")) {}

  Status ComputeStats(Sample& s) const override {
    // As in DJ, an empty field_key is looked up too (and fails: '' is not a field).
    if (s.stats().Has(field_key_)) return Status::Ok();
    std::string raw;
    if (!s.FieldRaw(field_key_, &raw)) return Status::Error("field '" + field_key_ + "' is missing");
    json::Type t = json::TypeOf(raw);
    bool empty_container = raw.size() >= 2 && (raw.find_first_not_of(" \t\r\n", 1) == raw.size() - 1);
    if ((t == json::Type::kArray || t == json::Type::kObject) && !empty_container)
      return Status::Error("field '" + field_key_ + "' is " + json::TypeName(t) +
                           ": float() argument must be a string or a number");
    s.stats().SetRaw(field_key_, std::move(raw));
    return Status::Ok();
  }

  bool Keep(const Sample& s) const override {
    if (field_key_.empty()) return true;
    double v;
    if (!Numeric(s, &v)) return false;
    return KeepValue(v, min_, max_);
  }

  std::string DropReason(const Sample& s) const override {
    double v;
    if (!Numeric(s, &v)) return field_key_ + " is not a number";
    return RangeReason(s, field_key_, min_, max_);
  }

 private:
  // DJ's is_number(): truthy and float()-convertible.
  bool Numeric(const Sample& s, double* v) const {
    const StatValue* sv = s.stats().Find(field_key_);
    if (!sv) return false;
    std::string raw;
    sv->AppendJson(&raw);
    switch (json::TypeOf(raw)) {
      case json::Type::kNumber:
        return json::ParseNumber(raw, v) && *v != 0;
      case json::Type::kBool:
        *v = 1;
        return raw[0] == 't';
      case json::Type::kString: {
        std::string str;
        return json::DecodeString(raw, &str).ok() && !str.empty() && PyFloatFromString(str, v);
      }
      default:
        return false;
    }
  }
  std::string field_key_;
  double min_, max_;
};

}  // namespace

void RegisterSpecifiedNumericFieldFilter(Registry& r) {
  r.Add({"specified_numeric_field_filter", OpKind::kFilter,
         "Keep samples whose numeric field value is within [min_value, max_value].",
         {StringParam("field_key", "", "field to check; dots address nested fields (meta.score)"),
          FloatParam("min_value", -kPyMaxSize, "minimum value"),
          FloatParam("max_value", kPyMaxSize, "maximum value")},
         {"<field_key>"},
         [](const Params& p, const OpEnv& e) { return std::make_unique<SpecifiedNumericFieldFilter>(p, e); }});
}

void RegisterSpecifiedFieldFilter(Registry& r);
void RegisterGeneralFieldFilter(Registry& r);
void RegisterSuffixFilter(Registry& r);

void RegisterGeneralOps(Registry& r) {
  RegisterSpecifiedFieldFilter(r);
  RegisterGeneralFieldFilter(r);
  RegisterSuffixFilter(r);
  RegisterSpecifiedNumericFieldFilter(r);
}

}  // namespace winnow
