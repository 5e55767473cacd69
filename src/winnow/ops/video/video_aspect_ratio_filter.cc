// video_aspect_ratio_filter: keeps samples whose videos' width / height is in range. The bounds
// are Python Fractions ("9/21", "16:9", "1.5"), and DJ compares the float ratio with them
// exactly (Python compares float and Fraction without rounding); so does this op.
#include <cmath>
#include <cstdlib>

#include "winnow/ops/registry.h"
#include "winnow/ops/video/video_filter.h"

namespace winnow {
namespace {

struct Fraction {
  long double num = 0, den = 1;  // den > 0
};

// Fraction(str(x).replace(":", "/")): "a/b" with integers, or a decimal ("1.5", "2e-1").
Result<Fraction> ParseFraction(std::string s) {
  for (char& c : s)
    if (c == ':') c = '/';
  auto trim = [](std::string t) {
    size_t a = t.find_first_not_of(" \t"), b = t.find_last_not_of(" \t");
    return a == std::string::npos ? std::string() : t.substr(a, b - a + 1);
  };
  s = trim(s);
  auto bad = [&] { return Status::Error("invalid literal for Fraction: '" + s + "'"); };
  auto is_int = [](const std::string& t) {
    size_t i = (!t.empty() && (t[0] == '-' || t[0] == '+')) ? 1 : 0;
    if (i >= t.size()) return false;
    for (; i < t.size(); ++i)
      if (!std::isdigit(static_cast<unsigned char>(t[i])) && t[i] != '_') return false;
    return true;
  };
  Fraction f;
  size_t slash = s.find('/');
  if (slash != std::string::npos) {
    std::string a = trim(s.substr(0, slash)), b = trim(s.substr(slash + 1));
    if (!is_int(a) || !is_int(b) || b[0] == '-' || b[0] == '+') return bad();
    f.num = std::strtold(a.c_str(), nullptr);
    f.den = std::strtold(b.c_str(), nullptr);
    if (f.den == 0) return Status::Error("Fraction(" + s + "): zero denominator");
    return f;
  }
  // A decimal: digits, optional point and exponent, scaled to an integer over a power of ten.
  size_t i = 0;
  bool neg = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
  std::string digits;
  int frac_digits = 0;
  bool point = false, any = false;
  for (; i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.'); ++i) {
    if (s[i] == '.') {
      if (point) return bad();
      point = true;
      continue;
    }
    any = true;
    digits += s[i];
    if (point) ++frac_digits;
  }
  if (!any) return bad();
  long exp10 = -frac_digits;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    char* end = nullptr;
    exp10 += std::strtol(s.c_str() + i + 1, &end, 10);
    if (end == s.c_str() + i + 1 || *end) return bad();
  } else if (i != s.size()) {
    return bad();
  }
  f.num = std::strtold(digits.c_str(), nullptr) * (neg ? -1 : 1);
  if (exp10 >= 0) f.num *= std::pow(10.0L, exp10);
  else f.den = std::pow(10.0L, -exp10);
  return f;
}

class VideoAspectRatioFilter : public VideoListFilter {
 public:
  VideoAspectRatioFilter(const Params& p, const OpEnv& env)
      : VideoListFilter("video_aspect_ratio_filter", p, env),
        min_(*ParseFraction(p.String("min_ratio"))), max_(*ParseFraction(p.String("max_ratio"))) {}

  Status ComputeStats(Sample& s) const override {
    if (s.stats().Has("video_aspect_ratios")) return Status::Ok();
    std::vector<double> ratios;
    WINNOW_RETURN_IF_ERROR(ForEachVideoStream(s, [&](size_t, const std::string& path, const media::StreamInfo& v) {
      if (v.height == 0) return Status::Error(path + ": video height is 0 (division by zero)");
      ratios.push_back(static_cast<double>(v.width) / v.height);
      return Status::Ok();
    }));
    s.stats().SetRaw("video_aspect_ratios", JsonList(ratios, /*integers=*/false));
    return Status::Ok();
  }

  bool Keep(const Sample& s) const override {
    std::vector<bool> keeps;
    for (double r : ListStat(s, "video_aspect_ratios")) keeps.push_back(KeepRatio(r));
    return Combine(keeps);
  }

  std::string DropReason(const Sample& s) const override {
    return ListReason(s, {{"video_aspect_ratios", {double(min_.num / min_.den), double(max_.num / max_.den)}}});
  }

 private:
  // get_keep_boolean with exact float-vs-Fraction comparisons: r * den is exact in long double
  // for the denominators recipes use (a 53-bit ratio times a denominator below 2^11).
  bool KeepRatio(double r) const {
    long double lo = static_cast<long double>(r) * min_.den - min_.num;
    long double hi = static_cast<long double>(r) * max_.den - max_.num;
    bool keep = (min_closed_ ? lo >= 0 : lo > 0) && (max_closed_ ? hi <= 0 : hi < 0);
    return reversed_ ? !keep : keep;
  }
  Fraction min_, max_;
};

Status Validate(const Params& p) {
  WINNOW_RETURN_IF_ERROR(ValidateAnyOrAll(p));
  for (const char* k : {"min_ratio", "max_ratio"}) {
    auto f = ParseFraction(p.String(k));
    if (!f.ok()) return Status::Error(std::string(k) + ": " + f.status().message());
  }
  return Status::Ok();
}

}  // namespace

void RegisterVideoAspectRatioFilter(Registry& r) {
  r.Add({"video_aspect_ratio_filter", OpKind::kFilter,
         "Keep samples whose videos' aspect ratio (width / height) is within [min_ratio, max_ratio] (fractions).",
         {StringParam("min_ratio", "9/21", "minimum ratio, a fraction like \"9/21\" or \"9:21\""),
          StringParam("max_ratio", "21/9", "maximum ratio, a fraction like \"21/9\""), AnyOrAllParam()},
         {"video_aspect_ratios"},
         [](const Params& p, const OpEnv& e) { return std::make_unique<VideoAspectRatioFilter>(p, e); },
         Validate});
}

}  // namespace winnow
