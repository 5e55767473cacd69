// Shared by the frequency/tags selectors: a (dotted) field's value as DJ groups it: a string, a
// number or None (a missing field reads as None, as HF datasets fill it); anything else is an
// error for that sample. Python equality is kept: 1 == 1.0 == True share a canonical form.
#pragma once

#include <string>

#include "winnow/core/json.h"
#include "winnow/ops/op.h"

namespace winnow {

// Canonical text of a scalar field: "s:<string>", "n:<number>" or "null".
inline Status ScalarFieldKey(const Sample& s, const std::string& field_key, std::string* out) {
  std::string raw;
  if (!s.FieldRaw(field_key, &raw)) {
    *out = "null";
    return Status::Ok();
  }
  json::Value v = json::FromRaw(raw);
  switch (v.type()) {
    case json::Type::kNull: *out = "null"; return Status::Ok();
    case json::Type::kString: *out = "s:" + v.as_string(); return Status::Ok();
    case json::Type::kBool: *out = v.as_bool() ? "n:1" : "n:0"; return Status::Ok();
    case json::Type::kNumber: {
      *out = "n:";
      json::AppendDouble(v.as_number(), out);
      return Status::Ok();
    }
    default:
      return Status::Error("field '" + field_key + "' is " + json::TypeName(v.type()) +
                           ": it must be a string, a number or null");
  }
}

}  // namespace winnow
