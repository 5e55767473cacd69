// remove_specific_chars_mapper: removes the given characters. DJ builds the character class as
// '[' + '|'.join(chars) + ']', so with two or more characters a '|' is removed as well; that
// pattern is reproduced exactly.
#include "winnow/core/unicode.h"
#include "winnow/ops/text/regex_mapper.h"

namespace winnow {
namespace {

std::vector<std::string> CharsToRemove(const Params& p) {
  std::vector<std::string> chars;
  const json::Value& v = p.Get("chars_to_remove");
  if (v.type() == json::Type::kString) {
    const std::string& s = v.as_string();
    for (size_t i = 0; i < s.size();) {  // one code point at a time, as Python iterates a str
      size_t n = static_cast<size_t>(unicode::Utf8SeqLen(static_cast<unsigned char>(s[i])));
      chars.push_back(s.substr(i, n));
      i += n;
    }
  } else if (v.type() == json::Type::kArray) {
    for (const auto& e : v.as_array()) chars.push_back(e.as_string());
  }
  return chars;
}

std::vector<SubstitutionMapper::Step> Steps(const Params& p) {
  std::vector<std::string> chars = CharsToRemove(p);
  if (chars.empty()) return {};
  std::string pattern = "[";
  for (size_t i = 0; i < chars.size(); ++i) pattern += (i ? "|" : "") + chars[i];
  pattern += "]";
  return {{pattern, Regex::kDotAll, ""}};
}

}  // namespace

void RegisterRemoveSpecificCharsMapper(Registry& r) {
  r.Add({"remove_specific_chars_mapper", OpKind::kMapper, "Remove specific characters from the text.",
         {ParamSpec{"chars_to_remove", ParamType::kAny, json::Value::String("◆●■►▼▲▴∆▻▷❖♡□"),
                    "characters to remove: a string (each character) or a list of strings"}},
         {},
         [](const Params& p, const OpEnv& e) {
           return std::make_unique<SubstitutionMapper>("remove_specific_chars_mapper", p, e, Steps(p));
         },
         [](const Params& p) -> Status {
           const json::Value& v = p.Get("chars_to_remove");
           bool ok = v.type() == json::Type::kString || v.is_null();
           if (v.type() == json::Type::kArray) {
             ok = true;
             for (const auto& e : v.as_array()) ok = ok && e.type() == json::Type::kString;
           }
           if (!ok) return Status::Error("chars_to_remove must be a string or a list of strings");
           std::vector<SubstitutionMapper::Step> steps = Steps(p);
           if (!steps.empty() && !Regex::Compile(steps[0].pattern, steps[0].flags).ok())
             return Status::Error("chars_to_remove does not form a valid character class");
           return Status::Ok();
         }});
}

}  // namespace winnow
