// clean_ip_mapper: removes (or replaces) IPv4 and IPv6 addresses.
#include "winnow/ops/text/regex_mapper.h"

namespace winnow {
namespace {
const std::string kDefaultPattern =
    R"((?:(?:1[0-9][0-9]\.)|(?:2[0-4][0-9]\.)|)"
    R"((?:25[0-5]\.)|(?:[1-9][0-9]\.)|(?:[0-9]\.)))"
    R"({3}(?:(?:1[0-9][0-9])|(?:2[0-4][0-9])|)"
    R"((?:25[0-5])|(?:[1-9][0-9])|(?:[0-9]))|)"
    R"(([\da-fA-F]{1,4}:){7}[\da-fA-F]{1,4})";
// Matches are digits and dots (IPv4) or hex groups and colons (IPv6), never whitespace.
bool MayHoldIp(std::string_view token) {
  bool dot = false, digit = false;
  for (char c : token) {
    if (c == ':') return true;
    dot |= c == '.';
    digit |= c >= '0' && c <= '9';
  }
  return dot && digit;
}
}  // namespace

void RegisterCleanIpMapper(Registry& r) {
  r.Add({"clean_ip_mapper", OpKind::kMapper, "Remove or replace IPv4/IPv6 addresses in the text.",
         RegexMapper::Specs("IP addresses"), {},
         [](const Params& p, const OpEnv& e) {
           return std::make_unique<RegexMapper>("clean_ip_mapper", p, e, kDefaultPattern, TokenPrefilter{":.", MayHoldIp});
         },
         [](const Params& p) { return RegexMapper::Validate(p, kDefaultPattern); }});
}

}  // namespace winnow
