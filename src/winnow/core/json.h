// A validating, allocation-light JSON scanner that keeps byte spans into the source text.
//
// Why hand-written rather than simdjson's parsers: the overlay model (ARCHITECTURE.md) needs the
// exact byte span of every top-level member so an unchanged sample is re-emitted verbatim and a
// changed field is rewritten in place. simdjson's DOM parser does not expose source offsets and
// its On-Demand API does not validate values it skips; this scanner does both in one pass.
// simdjson is still used for the SIMD UTF-8 validation (unicode::IsValidUtf8).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "winnow/core/status.h"

namespace winnow::json {

// One member of an object, as views into the source text.
struct Member {
  std::string_view key;    // the key's escaped content, without quotes
  std::string_view value;  // the raw value text (e.g. `"abc"`, `12`, `{...}`)
  const char* begin;       // where the member starts (the key's opening quote)
  bool key_escaped;        // key contains a backslash escape
};

enum class Type { kNull, kBool, kNumber, kString, kArray, kObject, kInvalid };
Type TypeOf(std::string_view raw_value);
const char* TypeName(Type t);

// Validates `text` as exactly one JSON object (surrounding whitespace allowed) and fills its
// top-level members. On error returns a message with the byte offset of the problem.
Status ParseObject(std::string_view text, std::vector<Member>* members);

// Splits a raw JSON object value (already validated) into members.
void SplitObject(std::string_view raw_object, std::vector<Member>* members);
// Splits a raw JSON array value (already validated) into element views.
void SplitArray(std::string_view raw_array, std::vector<std::string_view>* elements);

// Finds a member by unescaped key; nullptr if absent (first occurrence wins).
const Member* FindMember(const std::vector<Member>& members, std::string_view key);

// Decodes a raw JSON string (with quotes) into UTF-8. Fails on lone surrogates.
Status DecodeString(std::string_view raw, std::string* out);
// A member's key, unescaped. False if the escapes are invalid (e.g. a lone surrogate).
bool MemberKey(const Member& m, std::string* out);
// The value of a raw JSON string (with quotes); false if `raw` is not a valid JSON string.
bool StringValue(std::string_view raw, std::string* out);
// True if the raw string (with quotes) contains no escapes: its content can be used directly.
inline bool IsPlainString(std::string_view raw) {
  return raw.substr(1, raw.size() - 2).find('\\') == std::string_view::npos;
}

// Appends s (valid UTF-8) as a JSON string literal, escaping only what JSON requires.
void AppendString(std::string_view s, std::string* out);
// Appends a double the way Python's repr() / json.dumps() writes it (1.0, 0.25, 1e-05, inf).
void AppendDouble(double v, std::string* out);

// Parses a raw number; false if not a number.
bool ParseNumber(std::string_view raw, double* out);

// A small DOM for recipe params, expected values in tests and values compared by ops.
class Value {
 public:
  Value() = default;
  static Value Null() { return Value(); }
  static Value Bool(bool b) { Value v; v.type_ = Type::kBool; v.bool_ = b; return v; }
  static Value Number(double d, bool is_int) {
    Value v; v.type_ = Type::kNumber; v.num_ = d; v.is_int_ = is_int; return v;
  }
  static Value String(std::string s) { Value v; v.type_ = Type::kString; v.str_ = std::move(s); return v; }
  static Value Array(std::vector<Value> a) { Value v; v.type_ = Type::kArray; v.arr_ = std::move(a); return v; }
  static Value Object(std::vector<std::pair<std::string, Value>> o) {
    Value v; v.type_ = Type::kObject; v.obj_ = std::move(o); return v;
  }

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::kNull; }
  bool as_bool() const { return bool_; }
  double as_number() const { return num_; }
  bool is_int() const { return is_int_; }
  const std::string& as_string() const { return str_; }
  const std::vector<Value>& as_array() const { return arr_; }
  const std::vector<std::pair<std::string, Value>>& as_object() const { return obj_; }
  const Value* Find(std::string_view key) const;

  // Python `==` semantics: 1 == 1.0 == True, lists/dicts compare element-wise.
  bool PyEquals(const Value& other) const;
  std::string ToJson() const;
  void AppendJson(std::string* out) const;

 private:
  Type type_ = Type::kNull;
  bool bool_ = false;
  bool is_int_ = false;
  double num_ = 0;
  std::string str_;
  std::vector<Value> arr_;
  std::vector<std::pair<std::string, Value>> obj_;
};

// Parses any JSON text into a Value (validating).
Result<Value> Parse(std::string_view text);
// Converts an already-validated raw value into a Value.
Value FromRaw(std::string_view raw);

}  // namespace winnow::json
