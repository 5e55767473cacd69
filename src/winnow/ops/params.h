// Operator parameter declarations: each op declares its params once (name, type, default,
// doc, range). The same table validates recipes, fills defaults and generates `winnow ops`.
#pragma once

#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "winnow/core/json.h"
#include "winnow/core/status.h"

namespace winnow {

// Python's sys.maxsize, DJ's default upper bound for most ranges.
inline constexpr double kPyMaxSize = 9223372036854775807.0;

enum class ParamType { kInt, kFloat, kBool, kString, kList, kAny };

struct ParamSpec {
  std::string name;
  ParamType type;
  json::Value default_value;    // Null = DJ's None
  std::string doc;
  bool nullable = false;        // Optional[...] in DJ
  std::optional<double> min;    // inclusive range checks at load time
  std::optional<double> max;
  bool min_exclusive = false;   // e.g. PositiveInt: > 0
};

const char* ParamTypeName(ParamType t);

// Validated params of one op instance, defaults filled in.
class Params {
 public:
  void Set(std::string name, json::Value v) { values_.emplace_back(std::move(name), std::move(v)); }
  const json::Value& Get(std::string_view name) const;
  bool IsNull(std::string_view name) const { return Get(name).is_null(); }
  double Number(std::string_view name) const { return Get(name).as_number(); }
  bool Bool(std::string_view name) const { return Get(name).as_bool(); }
  const std::string& String(std::string_view name) const { return Get(name).as_string(); }
  const std::vector<std::pair<std::string, json::Value>>& all() const { return values_; }

 private:
  std::vector<std::pair<std::string, json::Value>> values_;
};

// Checks one value against its spec; returns a message on mismatch.
Status CheckParam(const ParamSpec& spec, const json::Value& v);

}  // namespace winnow
