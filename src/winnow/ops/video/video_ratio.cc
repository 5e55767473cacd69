#include "winnow/ops/video/video_ratio.h"

#include <cctype>

namespace winnow {

// Fraction(str(s).replace(":", "/")): "p/q", an integer or a decimal ("1.5", "2e-1").
Result<VideoRatio> ParseVideoRatio(const std::string& text) {
  std::string s;
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c))) s += c == ':' ? '/' : c;
  auto bad = [&] { return Status::Error("Invalid literal for Fraction: '" + text + "'"); };
  auto digits = [](const std::string& d, __int128* v) {
    if (d.empty() || d.size() > 18) return false;
    *v = 0;
    for (char c : d) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return false;
      *v = *v * 10 + (c - '0');
    }
    return true;
  };
  VideoRatio r;
  bool negative = !s.empty() && s[0] == '-';
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.erase(0, 1);
  if (size_t slash = s.find('/'); slash != std::string::npos) {
    if (!digits(s.substr(0, slash), &r.num) || !digits(s.substr(slash + 1), &r.den)) return bad();
    if (r.den == 0) return Status::Error("Fraction(" + std::to_string(static_cast<int64_t>(r.num)) + ", 0)");
    if (negative) r.num = -r.num;
    return r;
  }
  int exp = 0;
  if (size_t e = s.find_first_of("eE"); e != std::string::npos) {
    try {
      exp = std::stoi(s.substr(e + 1));
    } catch (...) {
      return bad();
    }
    s = s.substr(0, e);
  }
  std::string intpart = s, frac;
  if (size_t dot = s.find('.'); dot != std::string::npos) {
    intpart = s.substr(0, dot);
    frac = s.substr(dot + 1);
  }
  if (intpart.empty() && frac.empty()) return bad();
  __int128 v = 0;
  if (!digits(intpart + frac, &v) && !(intpart.empty() && frac.empty())) return bad();
  exp -= static_cast<int>(frac.size());
  if (exp > 18 || exp < -18) return bad();
  r.num = v;
  for (int i = 0; i < exp; ++i) r.num *= 10;
  for (int i = 0; i < -exp; ++i) r.den *= 10;
  if (negative) r.num = -r.num;
  return r;
}

}  // namespace winnow
