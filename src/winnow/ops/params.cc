#include "winnow/ops/params.h"

#include <cmath>

namespace winnow {

const char* ParamTypeName(ParamType t) {
  switch (t) {
    case ParamType::kInt: return "int";
    case ParamType::kFloat: return "float";
    case ParamType::kBool: return "bool";
    case ParamType::kString: return "str";
    case ParamType::kList: return "list";
    default: return "any";
  }
}

const json::Value& Params::Get(std::string_view name) const {
  for (const auto& [k, v] : values_) if (k == name) return v;
  static const json::Value kNull;
  return kNull;
}

namespace {
std::string Fmt(double d) {
  if (d == std::floor(d) && std::fabs(d) < 1e18) return std::to_string(static_cast<long long>(d));
  std::string s;
  json::AppendDouble(d, &s);
  return s;
}
}  // namespace

Status CheckParam(const ParamSpec& spec, const json::Value& v) {
  if (v.is_null()) {
    if (spec.nullable) return Status::Ok();
    return Status::Error("must not be null (expected " + std::string(ParamTypeName(spec.type)) + ")");
  }
  auto type_error = [&]() {
    return Status::Error("expected " + std::string(ParamTypeName(spec.type)) + ", got " +
                         json::TypeName(v.type()) + " " + v.ToJson());
  };
  switch (spec.type) {
    case ParamType::kInt:
      if (v.type() != json::Type::kNumber) return type_error();
      if (v.as_number() != std::floor(v.as_number())) return type_error();
      break;
    case ParamType::kFloat:
      if (v.type() != json::Type::kNumber) return type_error();
      break;
    case ParamType::kBool:
      if (v.type() != json::Type::kBool) return type_error();
      break;
    case ParamType::kString:
      if (v.type() != json::Type::kString) return type_error();
      break;
    case ParamType::kList:
      if (v.type() != json::Type::kArray) return type_error();
      break;
    case ParamType::kAny:
      break;
  }
  if (v.type() == json::Type::kNumber) {
    double d = v.as_number();
    if (spec.min) {
      bool bad = spec.min_exclusive ? !(d > *spec.min) : !(d >= *spec.min);
      if (bad)
        return Status::Error("value " + Fmt(d) + " out of range: must be " +
                             (spec.min_exclusive ? "> " : ">= ") + Fmt(*spec.min));
    }
    if (spec.max && !(d <= *spec.max))
      return Status::Error("value " + Fmt(d) + " out of range: must be <= " + Fmt(*spec.max));
  }
  return Status::Ok();
}

}  // namespace winnow
