#include "winnow/core/json.h"

#include <emmintrin.h>
#if defined(__AVX512BW__)
#include <immintrin.h>
#endif

#include <charconv>
#include <cmath>
#include <cctype>
#include <cstring>

#include "winnow/core/unicode.h"

namespace winnow::json {
namespace {

constexpr int kMaxDepth = 1000;

inline bool IsWs(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// The first byte in [p, end) that a JSON string cannot hold as is ('"', '\\' or a control
// byte), or end. 64 (AVX-512) or 16 bytes at a time: text fields are long runs of plain bytes.
inline const char* FindStringSpecial(const char* p, const char* end) {
#if defined(__AVX512BW__)
  for (; p < end; p += 64) {
    const size_t left = static_cast<size_t>(end - p);
    const __mmask64 valid = left >= 64 ? ~__mmask64{0} : (__mmask64{1} << left) - 1;
    const __m512i v = _mm512_maskz_loadu_epi8(valid, p);  // masked bytes are never read
    const uint64_t special = (_mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('"')) | _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\\')) |
                              _mm512_cmple_epu8_mask(v, _mm512_set1_epi8(0x1F))) & valid;
    if (special) return p + __builtin_ctzll(special);
  }
  return end;
#else
  for (; end - p >= 16; p += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i special = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
        _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x1F)), _mm_set1_epi8(0x1F)));
    int mask = _mm_movemask_epi8(special);
    if (mask) return p + __builtin_ctz(mask);
  }
  for (; p < end; ++p) {
    unsigned char c = static_cast<unsigned char>(*p);
    if (c < 0x20 || c == '"' || c == '\\') return p;
  }
  return end;
#endif
}

// Recursive-descent validator over [p, end). Records top-level members when asked.
class Scanner {
 public:
  Scanner(std::string_view text) : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()) {}

  Status Fail(const char* what) {
    return Status::Error(std::string("invalid JSON at byte ") + std::to_string(p_ - begin_) + ": " + what);
  }
  void SkipWs() { while (p_ < end_ && IsWs(*p_)) ++p_; }

  // Skips a string starting at the opening quote; sets *escaped when it holds a backslash.
  Status String(bool* escaped) {
    ++p_;  // opening quote
    bool esc = false;
    for (;;) {
      p_ = FindStringSpecial(p_, end_);
      if (p_ >= end_) return Fail("unterminated string");
      unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') { ++p_; break; }
      if (c < 0x20) return Fail("control character in string");
      if (c == '\\') {
        esc = true;
        if (p_ + 1 >= end_) return Fail("unterminated escape");
        char e = p_[1];
        if (e == 'u') {
          if (end_ - p_ < 6) return Fail("truncated \\u escape");
          for (int i = 2; i < 6; ++i)
            if (!std::isxdigit(static_cast<unsigned char>(p_[i]))) return Fail("bad \\u escape");
          p_ += 6;
        } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
          p_ += 2;
        } else {
          return Fail("bad escape");
        }
      }
    }
    if (escaped) *escaped = esc;
    return Status::Ok();
  }

  Status Number() {
    if (p_ < end_ && *p_ == '-') ++p_;
    if (p_ >= end_) return Fail("bad number");
    if (*p_ == '0') {
      ++p_;
    } else if (*p_ >= '1' && *p_ <= '9') {
      while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    } else {
      return Fail("unexpected character");
    }
    if (p_ < end_ && *p_ == '.') {
      ++p_;
      if (p_ >= end_ || !(*p_ >= '0' && *p_ <= '9')) return Fail("bad number");
      while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (p_ >= end_ || !(*p_ >= '0' && *p_ <= '9')) return Fail("bad number");
      while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    }
    return Status::Ok();
  }

  Status Literal(const char* word, size_t n) {
    if (static_cast<size_t>(end_ - p_) < n || std::memcmp(p_, word, n) != 0) return Fail("unexpected character");
    p_ += n;
    return Status::Ok();
  }

  Status Value(int depth, std::vector<Member>* members) {
    if (depth > kMaxDepth) return Fail("nesting too deep");
    if (p_ >= end_) return Fail("unexpected end of input");
    switch (*p_) {
      case '{': return Object(depth, members);
      case '[': return Array(depth);
      case '"': return String(nullptr);
      case 't': return Literal("true", 4);
      case 'f': return Literal("false", 5);
      case 'n': return Literal("null", 4);
      default: return Number();
    }
  }

  Status Object(int depth, std::vector<Member>* members) {
    ++p_;
    SkipWs();
    if (p_ < end_ && *p_ == '}') { ++p_; return Status::Ok(); }
    for (;;) {
      if (p_ >= end_ || *p_ != '"') return Fail("expected a string key");
      const char* kb = p_;
      bool kesc = false;
      WINNOW_RETURN_IF_ERROR(String(&kesc));
      const char* ke = p_;
      SkipWs();
      if (p_ >= end_ || *p_ != ':') return Fail("expected ':'");
      ++p_;
      SkipWs();
      const char* vb = p_;
      WINNOW_RETURN_IF_ERROR(Value(depth + 1, nullptr));
      if (members)
        members->push_back(Member{std::string_view(kb + 1, ke - kb - 2),
                                  std::string_view(vb, p_ - vb), kb, kesc});
      SkipWs();
      if (p_ < end_ && *p_ == ',') { ++p_; SkipWs(); continue; }
      if (p_ < end_ && *p_ == '}') { ++p_; return Status::Ok(); }
      return Fail("expected ',' or '}'");
    }
  }

  Status Array(int depth) {
    ++p_;
    SkipWs();
    if (p_ < end_ && *p_ == ']') { ++p_; return Status::Ok(); }
    for (;;) {
      WINNOW_RETURN_IF_ERROR(Value(depth + 1, nullptr));
      SkipWs();
      if (p_ < end_ && *p_ == ',') { ++p_; SkipWs(); continue; }
      if (p_ < end_ && *p_ == ']') { ++p_; return Status::Ok(); }
      return Fail("expected ',' or ']'");
    }
  }

  const char* begin_;
  const char* p_;
  const char* end_;
};

// Skips an already-validated value starting at p; returns the end.
const char* SkipValue(const char* p, const char* end) {
  if (*p == '"') {
    ++p;
    while (p < end) {
      if (*p == '\\') { p += 2; continue; }
      if (*p == '"') return p + 1;
      ++p;
    }
    return p;
  }
  if (*p == '{' || *p == '[') {
    int depth = 0;
    while (p < end) {
      char c = *p;
      if (c == '"') { p = SkipValue(p, end); continue; }
      if (c == '{' || c == '[') ++depth;
      if (c == '}' || c == ']') { if (--depth == 0) return p + 1; }
      ++p;
    }
    return p;
  }
  while (p < end && *p != ',' && *p != '}' && *p != ']' && !IsWs(*p)) ++p;
  return p;
}

const char* SkipWsPtr(const char* p, const char* end) {
  while (p < end && IsWs(*p)) ++p;
  return p;
}

int HexVal(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

}  // namespace

Type TypeOf(std::string_view raw) {
  if (raw.empty()) return Type::kInvalid;
  switch (raw[0]) {
    case '{': return Type::kObject;
    case '[': return Type::kArray;
    case '"': return Type::kString;
    case 't': case 'f': return Type::kBool;
    case 'n': return Type::kNull;
    default: return Type::kNumber;
  }
}

const char* TypeName(Type t) {
  switch (t) {
    case Type::kNull: return "null";
    case Type::kBool: return "boolean";
    case Type::kNumber: return "number";
    case Type::kString: return "string";
    case Type::kArray: return "array";
    case Type::kObject: return "object";
    default: return "invalid";
  }
}

Status ParseObject(std::string_view text, std::vector<Member>* members) {
  Scanner s(text);
  s.SkipWs();
  if (s.p_ >= s.end_) return Status::Error("empty record");
  if (*s.p_ != '{') return s.Fail("a record must be a JSON object");
  WINNOW_RETURN_IF_ERROR(s.Object(0, members));
  s.SkipWs();
  if (s.p_ != s.end_) return s.Fail("trailing characters after the object");
  return Status::Ok();
}

void SplitObject(std::string_view raw, std::vector<Member>* members) {
  const char* p = raw.data() + 1;
  const char* end = raw.data() + raw.size() - 1;
  for (;;) {
    p = SkipWsPtr(p, end);
    if (p >= end || *p != '"') return;
    const char* kb = p;
    p = SkipValue(p, end);
    const char* ke = p;
    p = SkipWsPtr(p, end) + 1;  // ':'
    p = SkipWsPtr(p, end);
    const char* vb = p;
    p = SkipValue(p, end);
    std::string_view key(kb + 1, ke - kb - 2);
    members->push_back(Member{key, std::string_view(vb, p - vb), kb, key.find('\\') != key.npos});
    p = SkipWsPtr(p, end);
    if (p < end && *p == ',') ++p;
  }
}

void SplitArray(std::string_view raw, std::vector<std::string_view>* elements) {
  const char* p = raw.data() + 1;
  const char* end = raw.data() + raw.size() - 1;
  for (;;) {
    p = SkipWsPtr(p, end);
    if (p >= end) return;
    const char* vb = p;
    p = SkipValue(p, end);
    elements->push_back(std::string_view(vb, p - vb));
    p = SkipWsPtr(p, end);
    if (p < end && *p == ',') ++p;
  }
}

const Member* FindMember(const std::vector<Member>& members, std::string_view key) {
  for (const Member& m : members) {
    if (!m.key_escaped) {
      if (m.key == key) return &m;
    } else {
      std::string k;
      std::string raw = "\"" + std::string(m.key) + "\"";
      if (DecodeString(raw, &k).ok() && k == key) return &m;
    }
  }
  return nullptr;
}

bool MemberKey(const Member& m, std::string* out) {
  if (!m.key_escaped) {
    out->assign(m.key);
    return true;
  }
  return DecodeString("\"" + std::string(m.key) + "\"", out).ok();
}

bool StringValue(std::string_view raw, std::string* out) {
  return raw.size() >= 2 && raw.front() == '"' && DecodeString(raw, out).ok();
}

// The code point of a \uXXXX escape (*p just past the "u"), joined with the low surrogate
// escape that must follow a high one; advances *p past what it read. Returns the error, or null.
static const char* ReadUnicodeEscape(const char** p, const char* end, uint32_t* out) {
  const char* q = *p;
  if (end - q < 4) return "truncated \\u escape in string";
  uint32_t cp = (HexVal(q[0]) << 12) | (HexVal(q[1]) << 8) | (HexVal(q[2]) << 4) | HexVal(q[3]);
  q += 4;
  if (cp >= 0xD800 && cp <= 0xDBFF) {
    if (end - q < 6 || q[0] != '\\' || q[1] != 'u') return "lone UTF-16 surrogate escape in string";
    const uint32_t lo = (HexVal(q[2]) << 12) | (HexVal(q[3]) << 8) | (HexVal(q[4]) << 4) | HexVal(q[5]);
    if (lo < 0xDC00 || lo > 0xDFFF) return "lone UTF-16 surrogate escape in string";
    q += 6;
    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
  } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
    return "lone UTF-16 surrogate escape in string";
  }
  *p = q;
  *out = cp;
  return nullptr;
}

Status DecodeString(std::string_view raw, std::string* out) {
  out->clear();
  const char* p = raw.data() + 1;
  const char* end = raw.data() + raw.size() - 1;
#if defined(__AVX512BW__)
  // Copied 64 bytes at a time straight into the output (sized up front: no escape decodes to
  // more bytes than it takes), stopping at each backslash: escapes are short and frequent
  // ("\n" per line), and an append call per run cost more than the copy.
  out->resize(raw.size());
  char* const o0 = out->data();
  char* o = o0;
  auto fail = [&](const char* why) {
    out->clear();
    return Status::Error(why);
  };
  while (p < end) {
    const size_t left = static_cast<size_t>(end - p);
    const __mmask64 valid = left >= 64 ? ~__mmask64{0} : (__mmask64{1} << left) - 1;
    const __m512i v = _mm512_maskz_loadu_epi8(valid, p);  // masked bytes are never read
    const uint64_t bs = _mm512_mask_cmpeq_epi8_mask(valid, v, _mm512_set1_epi8('\\'));
    const size_t run = bs ? static_cast<size_t>(__builtin_ctzll(bs)) : std::min<size_t>(left, 64);
    _mm512_mask_storeu_epi8(o, run >= 64 ? ~__mmask64{0} : (__mmask64{1} << run) - 1, v);
    o += run;
    p += run;
    if (!bs) continue;
    if (end - p < 2) return fail("unterminated escape in string");
    ++p;
    const char e = *p++;
    switch (e) {
      case 'n': *o++ = '\n'; break;
      case 't': *o++ = '\t'; break;
      case 'r': *o++ = '\r'; break;
      case 'b': *o++ = '\b'; break;
      case 'f': *o++ = '\f'; break;
      case 'u': {
        uint32_t cp;
        if (const char* why = ReadUnicodeEscape(&p, end, &cp)) return fail(why);
        o = unicode::WriteUtf8(cp, o);
        break;
      }
      default: *o++ = e; break;  // \" \\ \/
    }
  }
  out->resize(static_cast<size_t>(o - o0));
  return Status::Ok();
#else
  out->reserve(raw.size());
  const __m128i backslash = _mm_set1_epi8('\\');
  while (p < end) {
    // Find the next backslash 16 bytes at a time (escapes are short and frequent: "\n" per
    // line, so a library call per run costs more than the scan).
    const char* bs = p;
    for (;;) {
      if (end - bs >= 16) {
        int m = _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(bs)), backslash));
        if (m) { bs += __builtin_ctz(m); break; }
        bs += 16;
      } else {
        while (bs < end && *bs != '\\') ++bs;
        break;
      }
    }
    if (bs >= end) { out->append(p, end); break; }
    out->append(p, bs);
    p = bs + 1;
    char e = *p++;
    switch (e) {
      case 'n': out->push_back('\n'); break;
      case 't': out->push_back('\t'); break;
      case 'r': out->push_back('\r'); break;
      case 'b': out->push_back('\b'); break;
      case 'f': out->push_back('\f'); break;
      case 'u': {
        uint32_t cp;
        if (const char* why = ReadUnicodeEscape(&p, end, &cp)) return Status::Error(why);
        unicode::AppendUtf8(cp, *out);
        break;
      }
      default: out->push_back(e); break;  // \" \\ \/
    }
  }
  return Status::Ok();
#endif
}

void AppendString(std::string_view s, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  const char* p = s.data();
  const char* end = p + s.size();
  for (;;) {
    const char* q = FindStringSpecial(p, end);
    out->append(p, q);
    if (q >= end) break;
    unsigned char c = static_cast<unsigned char>(*q);
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\t': out->append("\\t"); break;
      case '\r': out->append("\\r"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      default:
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 15]);
    }
    p = q + 1;
  }
  out->push_back('"');
}

void AppendDouble(double v, std::string* out) {
  if (std::isnan(v)) { out->append("NaN"); return; }
  if (std::isinf(v)) { out->append(v > 0 ? "Infinity" : "-Infinity"); return; }
  // Shortest round-trip digits, then Python's repr layout: scientific when exp < -4 or >= 16.
  char buf[64];
  char* e = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific).ptr;
  const char* p = buf;
  char tmp[64];
  char* o = tmp;
  if (*p == '-') *o++ = *p++;
  char digits[32];
  int nd = 0;
  for (; p < e && *p != 'e'; ++p)
    if (*p != '.') digits[nd++] = *p;
  int exp = 0;
  std::from_chars(p + 1 + (p[1] == '+'), e, exp);
  if (exp < -4 || exp >= 16) {
    *o++ = digits[0];
    if (nd > 1) {
      *o++ = '.';
      for (int i = 1; i < nd; ++i) *o++ = digits[i];
    }
    *o++ = 'e';
    *o++ = exp < 0 ? '-' : '+';
    int a = exp < 0 ? -exp : exp;
    if (a < 10) *o++ = '0';
    o = std::to_chars(o, tmp + sizeof tmp, a).ptr;
  } else if (exp < 0) {
    *o++ = '0';
    *o++ = '.';
    for (int i = 0; i < -exp - 1; ++i) *o++ = '0';
    for (int i = 0; i < nd; ++i) *o++ = digits[i];
  } else if (nd <= exp + 1) {
    for (int i = 0; i < nd; ++i) *o++ = digits[i];
    for (int i = 0; i < exp + 1 - nd; ++i) *o++ = '0';
    *o++ = '.';
    *o++ = '0';
  } else {
    for (int i = 0; i <= exp; ++i) *o++ = digits[i];
    *o++ = '.';
    for (int i = exp + 1; i < nd; ++i) *o++ = digits[i];
  }
  out->append(tmp, o);
}

bool ParseNumber(std::string_view raw, double* out) {
  if (raw.empty()) return false;
  const char* b = raw.data();
  const char* e = b + raw.size();
  if (*b == '+') ++b;
  auto res = std::from_chars(b, e, *out);
  return res.ec == std::errc() && res.ptr == e;
}

const Value* Value::Find(std::string_view key) const {
  for (const auto& [k, v] : obj_) if (k == key) return &v;
  return nullptr;
}

bool Value::PyEquals(const Value& o) const {
  auto numeric = [](const Value& v, double* d) {
    if (v.type_ == Type::kNumber) { *d = v.num_; return true; }
    if (v.type_ == Type::kBool) { *d = v.bool_ ? 1 : 0; return true; }
    return false;
  };
  double a, b;
  if (numeric(*this, &a) && numeric(o, &b)) return a == b;
  if (type_ != o.type_) return false;
  switch (type_) {
    case Type::kNull: return true;
    case Type::kString: return str_ == o.str_;
    case Type::kArray:
      if (arr_.size() != o.arr_.size()) return false;
      for (size_t i = 0; i < arr_.size(); ++i) if (!arr_[i].PyEquals(o.arr_[i])) return false;
      return true;
    case Type::kObject: {
      if (obj_.size() != o.obj_.size()) return false;
      for (const auto& [k, v] : obj_) {
        const Value* ov = o.Find(k);
        if (!ov || !v.PyEquals(*ov)) return false;
      }
      return true;
    }
    default: return false;
  }
}

void Value::AppendJson(std::string* out) const {
  switch (type_) {
    case Type::kNull: out->append("null"); break;
    case Type::kBool: out->append(bool_ ? "true" : "false"); break;
    case Type::kNumber:
      if (is_int_ && std::fabs(num_) < 9.2e18) out->append(std::to_string(static_cast<long long>(num_)));
      else AppendDouble(num_, out);
      break;
    case Type::kString: AppendString(str_, out); break;
    case Type::kArray:
      out->push_back('[');
      for (size_t i = 0; i < arr_.size(); ++i) {
        if (i) out->append(", ");
        arr_[i].AppendJson(out);
      }
      out->push_back(']');
      break;
    case Type::kObject:
      out->push_back('{');
      for (size_t i = 0; i < obj_.size(); ++i) {
        if (i) out->append(", ");
        AppendString(obj_[i].first, out);
        out->append(": ");
        obj_[i].second.AppendJson(out);
      }
      out->push_back('}');
      break;
    default: break;
  }
}

std::string Value::ToJson() const {
  std::string s;
  AppendJson(&s);
  return s;
}

Value FromRaw(std::string_view raw) {
  switch (TypeOf(raw)) {
    case Type::kNull: return Value::Null();
    case Type::kBool: return Value::Bool(raw[0] == 't');
    case Type::kNumber: {
      double d = 0;
      ParseNumber(raw, &d);
      bool is_int = raw.find_first_of(".eE") == std::string_view::npos;
      return Value::Number(d, is_int);
    }
    case Type::kString: {
      std::string s;
      (void)DecodeString(raw, &s);
      return Value::String(std::move(s));
    }
    case Type::kArray: {
      std::vector<std::string_view> els;
      SplitArray(raw, &els);
      std::vector<Value> arr;
      for (auto e : els) arr.push_back(FromRaw(e));
      return Value::Array(std::move(arr));
    }
    case Type::kObject: {
      std::vector<Member> ms;
      SplitObject(raw, &ms);
      std::vector<std::pair<std::string, Value>> obj;
      for (const auto& m : ms) {
        std::string k;
        (void)DecodeString(std::string("\"") + std::string(m.key) + "\"", &k);
        obj.emplace_back(std::move(k), FromRaw(m.value));
      }
      return Value::Object(std::move(obj));
    }
    default: return Value::Null();
  }
}

Result<Value> Parse(std::string_view text) {
  Scanner s(text);
  s.SkipWs();
  const char* b = s.p_;
  WINNOW_RETURN_IF_ERROR(s.Value(0, nullptr));
  const char* e = s.p_;
  s.SkipWs();
  if (s.p_ != s.end_) return s.Fail("trailing characters");
  if (!unicode::IsValidUtf8(text)) return Status::Error("invalid UTF-8");
  return FromRaw(std::string_view(b, e - b));
}

}  // namespace winnow::json
