// Shared by the frequency/tags selectors: a (dotted) field's value as DJ groups it: a string, a
// number or None (a missing field reads as None, as HF datasets fill it); anything else is an
// error for that sample. Python equality is kept: 1 == 1.0 == True share a canonical form.
#pragma once

#include <string>

#include "winnow/core/json.h"
#include "winnow/ops/op.h"

namespace winnow {

// Canonical text of a scalar value: "s:<string>", "n:<number>" (bools as 0/1) or "null";
// an error for lists and objects.
inline Status CanonicalScalar(const json::Value& v, std::string* out) {
  switch (v.type()) {
    case json::Type::kNull: *out = "null"; return Status::Ok();
    case json::Type::kString: *out = "s:" + v.as_string(); return Status::Ok();
    case json::Type::kBool: *out = v.as_bool() ? "n:1" : "n:0"; return Status::Ok();
    case json::Type::kNumber:
      *out = "n:";
      json::AppendDouble(v.as_number(), out);
      return Status::Ok();
    default:
      return Status::Error(std::string("the value is ") + json::TypeName(v.type()) + ", not a string, a number or null");
  }
}

// The canonical text of a (dotted) field's value; a missing field reads as null.
inline Status ScalarFieldKey(const Sample& s, const std::string& field_key, std::string* out) {
  std::string raw;
  if (!s.FieldRaw(field_key, &raw)) {
    *out = "null";
    return Status::Ok();
  }
  return CanonicalScalar(json::FromRaw(raw), out).WithContext("field '" + field_key + "'");
}

}  // namespace winnow
