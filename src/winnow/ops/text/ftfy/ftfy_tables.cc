// Lookups into the generated ftfy tables (ftfy_tables.inc) and the compiled PCRE2 patterns.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <simdjson.h>

#include <algorithm>
#include <cstring>

#include "winnow/core/status.h"
#include "winnow/core/regex.h"
#include "winnow/ops/text/ftfy/ftfy_internal.h"

namespace winnow::ftfy::internal {
namespace gen {
#include "winnow/ops/text/ftfy/ftfy_tables.inc"
}  // namespace gen

static_assert(gen::kNumCharmaps == kNumCharmaps);

const uint8_t kCjkFlags = gen::kCjkFlags;
const uint16_t* const kFlagIndex = gen::kFlagIndex;
const uint8_t (*const kFlagBlocks)[256] = gen::kFlagBlocks;

bool CharmapIsSloppy(int enc) { return gen::kCharmapSloppy[enc]; }

static const CharmapEntry* FindCharmapEntry(uint32_t cp) {
  const auto* b = std::begin(gen::kCharmapEntries);
  const auto* e = std::end(gen::kCharmapEntries);
  const auto* it = std::lower_bound(b, e, cp, [](const CharmapEntry& x, uint32_t c) { return x.cp < c; });
  return it != e && it->cp == cp ? it : nullptr;
}

uint16_t CharmapMask(uint32_t cp) {
  constexpr uint16_t kAll = (1u << kNumCharmaps) - 1;
  if (cp < 0x80) return cp == 0x1A ? gen::kCharmapSubstituteOk : kAll;
  const auto* e = FindCharmapEntry(cp);
  return e ? e->mask : 0;
}

uint8_t CharmapByte(uint32_t cp, int enc) {
  if (cp < 0x80) return static_cast<uint8_t>(cp);
  return FindCharmapEntry(cp)->bytes[enc];
}

uint32_t Cp1252High(uint32_t byte) { return gen::kCp1252High[byte - 0x80]; }
uint32_t SloppyCp1252High(uint32_t byte) { return gen::kSloppyCp1252High[byte - 0x80]; }

const char* LookupEntity(std::string_view name) {
  const auto* b = std::begin(gen::kHtmlEntities);
  const auto* e = std::end(gen::kHtmlEntities);
  const auto* it = std::lower_bound(b, e, name, [](const Entity& x, std::string_view n) {
    return std::string_view(x.name) < n;
  });
  return it != e && std::string_view(it->name) == name ? it->value : nullptr;
}

void AppendCharref(uint64_t num, std::string* out) {
  for (const auto& r : gen::kInvalidCharrefs) {
    if (r.num == num) {
      out->append(r.value);
      return;
    }
  }
  if ((num >= 0xD800 && num <= 0xDFFF) || num > 0x10FFFF) {
    out->append("\xEF\xBF\xBD");
    return;
  }
  if (std::binary_search(std::begin(gen::kInvalidCodepoints), std::end(gen::kInvalidCodepoints),
                         static_cast<uint32_t>(num)))
    return;
  Append(static_cast<uint32_t>(num), out);
}

static const char* LookupTranslation(const Translation* b, const Translation* e, uint32_t cp) {
  const auto* it = std::lower_bound(b, e, cp, [](const Translation& x, uint32_t c) { return x.cp < c; });
  return it != e && it->cp == cp ? it->value : nullptr;
}
const char* LookupLigature(uint32_t cp) {
  return LookupTranslation(std::begin(gen::kLigatures), std::end(gen::kLigatures), cp);
}
const char* LookupWidth(uint32_t cp) {
  return LookupTranslation(std::begin(gen::kWidthMap), std::end(gen::kWidthMap), cp);
}

static bool InRanges(const Range* b, const Range* e, uint32_t cp) {
  const auto* it = std::upper_bound(b, e, cp, [](uint32_t c, const Range& r) { return c < r.lo; });
  return it != b && cp <= (it - 1)->hi;
}
bool IsControlChar(uint32_t cp) {
  return InRanges(std::begin(gen::kControlChars), std::end(gen::kControlChars), cp);
}
bool IsDecimalDigit(uint32_t cp) {
  if (cp < 0x80) return cp >= '0' && cp <= '9';
  return InRanges(std::begin(gen::kDecimalDigits), std::end(gen::kDecimalDigits), cp);
}

int BadnessMaxWidth() { return gen::kBadnessMaxWidth; }
int BadnessMaxAsciiLead() { return gen::kBadnessMaxAsciiLead; }
const char* BadnessPattern() { return gen::kBadnessPattern; }

bool IsValidUtf8(std::string_view s) { return simdjson::validate_utf8(s.data(), s.size()); }

// ---- Pattern ----

namespace {


}  // namespace

Pattern::Pattern(const char* pattern, bool utf) {
  int err = 0;
  PCRE2_SIZE off = 0;
  uint32_t opts = utf ? (PCRE2_UTF | PCRE2_UCP) : 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern), PCRE2_ZERO_TERMINATED, opts,
                                   &err, &off, nullptr);
  WINNOW_CHECK(code != nullptr);  // generated patterns always compile
  jit_ = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;  // else the interpreter runs it
  code_ = code;
}

Pattern::~Pattern() { pcre2_code_free(static_cast<pcre2_code*>(code_)); }

// Each pattern is compiled (and JIT'd) on its first use: kBadness, the largest, is only the
// tests' reference for BadnessMatcher now.
const Pattern& Pattern::Get(Id id) {
  switch (id) {
    case kBadness: { static const Pattern p(gen::kBadnessPattern, true); return p; }
    case kUtf8Detector: { static const Pattern p(gen::kUtf8DetectorPattern, true); return p; }
    case kAlteredUtf8: { static const Pattern p(gen::kAlteredUtf8Pattern, false); return p; }
    case kAGraveWord: { static const Pattern p(gen::kAGraveWordPattern, false); return p; }
    case kLossyUtf8: break;
  }
  static const Pattern p(gen::kLossyUtf8Pattern, false);
  return p;
}

bool Pattern::Find(std::string_view subject, size_t start, size_t end, size_t* b, size_t* e) const {
  PcreThreadState& st = PcreThreadState::Get();
  auto* code = static_cast<pcre2_code*>(code_);
  auto* s = reinterpret_cast<PCRE2_SPTR>(subject.data());
  int rc = jit_ ? pcre2_jit_match(code, s, end, start, 0, st.data, st.ctx)
               : pcre2_match(code, s, end, start, PCRE2_NO_UTF_CHECK, st.data, st.ctx);
  if (rc == PCRE2_ERROR_NOMATCH) return false;
  WINNOW_CHECK(rc >= 0);  // no resource limit is reachable with these patterns
  const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(st.data);
  *b = ov[0];
  *e = ov[1];
  return true;
}

bool Pattern::Sub(std::string_view subject,
                  const std::function<void(std::string_view match, std::string* out)>& repl,
                  std::string* out) const {
  size_t pos = 0, b, e;
  bool any = false;
  std::string result;
  while (pos <= subject.size() && Find(subject, pos, subject.size(), &b, &e)) {
    WINNOW_CHECK(e > b);  // none of the patterns matches the empty string
    if (!any) result.reserve(subject.size() + 16);
    any = true;
    result.append(subject.data() + pos, b - pos);
    repl(subject.substr(b, e - b), &result);
    pos = e;
  }
  if (!any) return false;
  result.append(subject.data() + pos, subject.size() - pos);
  *out = std::move(result);
  return true;
}

}  // namespace winnow::ftfy::internal
