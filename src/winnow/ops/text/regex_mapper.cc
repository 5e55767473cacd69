#include "winnow/ops/text/regex_mapper.h"

#include <emmintrin.h>

#include <array>

namespace winnow {
namespace {

std::string PatternOf(const Params& p, const std::string& default_pattern) {
  const json::Value& v = p.Get("pattern");
  return v.is_null() ? default_pattern : StripPythonRawQuotes(v.as_string());
}

// ASCII whitespace bytes (all matched by \s, so no default pattern's match spans them).
const std::array<bool, 256> kAsciiSpace = [] {
  std::array<bool, 256> a{};
  for (unsigned char c : {' ', '\n', '\t', '\r', '\f', '\v'}) a[c] = true;
  return a;
}();
inline bool IsAsciiSpace(char c) { return kAsciiSpace[static_cast<unsigned char>(c)]; }

}  // namespace

RegexMapper::RegexMapper(std::string name, const Params& p, const OpEnv& env,
                         const std::string& default_pattern, TokenPrefilter prefilter,
                         const std::string* fast_default)
    : Mapper(std::move(name), p, env),
      repl_(p.String("repl")),
      prefilter_(p.Get("pattern").is_null() ? prefilter : TokenPrefilter{}) {
  bool use_fast = fast_default && p.Get("pattern").is_null() && repl_.find('\\') == std::string::npos;
  auto r = Regex::Compile(use_fast ? *fast_default : PatternOf(p, default_pattern), Regex::kDotAll);
  WINNOW_CHECK(r.ok());  // Validate() ran at recipe load
  regex_ = *r;
}

Status RegexMapper::Validate(const Params& p, const std::string& default_pattern) {
  auto r = Regex::Compile(PatternOf(p, default_pattern), Regex::kDotAll);
  if (!r.ok()) return r.status().WithContext("pattern");
  return (*r)->CheckReplacement(p.String("repl")).WithContext("repl");
}

std::vector<ParamSpec> RegexMapper::Specs(const std::string& what) {
  return {Optional(ParamSpec{"pattern", ParamType::kString, json::Value::Null(),
                             "regular expression for " + what + " (None = DJ's default; r'...' accepted)"}),
          StringParam("repl", "", "replacement (Python re.sub syntax: \\1, \\g<name>)")};
}

Status RegexMapper::Map(Sample& s) const {
  auto t = s.Text(text_key_);
  if (!t.ok()) return t.status();
  thread_local std::string out;
  bool replaced = false;
  if (prefilter_.anchors) {
    // Candidate tokens: maximal runs without ASCII whitespace (which the pattern never matches)
    // around an anchor byte, that pass the token check.
    thread_local Regex::Windows windows;
    windows.clear();
    std::string_view text = *t;
    const char* base = text.data();
    const size_t n = text.size();
    const char* a = prefilter_.anchors;
    const __m128i a0 = _mm_set1_epi8(a[0]);
    const __m128i a1 = _mm_set1_epi8(a[1] ? a[1] : a[0]);
    const __m128i a2 = _mm_set1_epi8(a[1] && a[2] ? a[2] : a[0]);
    const char tri = prefilter_.triple;
    const __m128i tri_v = _mm_set1_epi8(tri), k20 = _mm_set1_epi8(0x20);
    auto lower_is_tri = [&](size_t j) { return (base[j] | 0x20) == tri; };
    const size_t vec_end = n >= 18 ? n - 2 : 0;  // the triple test reads two bytes past a vector
    size_t i = 0, done = 0;  // `done`: everything before it is already in a window or rejected
    while (i < n) {
      size_t hit = n;
      for (; i + 16 <= vec_end; i += 16) {
        __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(base + i));
        __m128i any = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, a0), _mm_cmpeq_epi8(v, a1)), _mm_cmpeq_epi8(v, a2));
        if (tri) {
          auto is_tri = [&](size_t at) {
            return _mm_cmpeq_epi8(_mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(base + at)), k20), tri_v);
          };
          any = _mm_or_si128(any, _mm_and_si128(_mm_and_si128(is_tri(i), is_tri(i + 1)), is_tri(i + 2)));
        }
        const int m = _mm_movemask_epi8(any);
        if (m) { hit = i + __builtin_ctz(m); break; }
      }
      if (hit == n)
        for (; i < n; ++i)
          if (base[i] == a[0] || (a[1] && base[i] == a[1]) || (a[1] && a[2] && base[i] == a[2]) ||
              (tri && i + 2 < n && lower_is_tri(i) && lower_is_tri(i + 1) && lower_is_tri(i + 2))) {
            hit = i;
            break;
          }
      if (hit >= n) break;
      size_t b = hit, e = hit;
      while (b > done && !IsAsciiSpace(base[b - 1])) --b;
      while (e < n && !IsAsciiSpace(base[e])) ++e;
      if (prefilter_.may_match(text.substr(b, e - b))) windows.emplace_back(b, e);
      i = done = e;
    }
    if (windows.empty()) return Status::Ok();
    WINNOW_RETURN_IF_ERROR(regex_->SubWindows(text, windows, repl_, &out, &replaced));
    if (replaced) s.SetText(text_key_, out);
    return Status::Ok();
  }
  WINNOW_RETURN_IF_ERROR(regex_->Sub(*t, repl_, &out, &replaced));
  if (replaced) s.SetText(text_key_, out);
  return Status::Ok();
}

std::shared_ptr<const Regex> CompileConstant(const std::string& pattern, uint32_t flags) {
  auto r = Regex::Compile(pattern, flags);
  WINNOW_CHECK(r.ok());
  return *r;
}

SubstitutionMapper::SubstitutionMapper(std::string name, const Params& p, const OpEnv& env,
                                       const std::vector<Step>& steps)
    : Mapper(std::move(name), p, env) {
  for (const auto& st : steps) steps_.emplace_back(CompileConstant(st.pattern, st.flags), st.repl);
}

Status SubstitutionMapper::Map(Sample& s) const {
  if (steps_.empty()) return Status::Ok();  // nothing to do: the text is not even read
  auto t = s.Text(text_key_);
  if (!t.ok()) return t.status();
  std::string current(*t), out;
  bool any = false;
  for (const auto& [re, repl] : steps_) {
    bool replaced = false;
    WINNOW_RETURN_IF_ERROR(re->Sub(current, repl, &out, &replaced));
    if (replaced) {
      current.swap(out);
      any = true;
    }
  }
  if (any) s.SetText(text_key_, std::move(current));
  return Status::Ok();
}

}  // namespace winnow
