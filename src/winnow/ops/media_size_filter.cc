// image_size_filter and audio_size_filter: keep samples whose media files' sizes in bytes are in
// range (min_size / max_size as DJ's size_to_bytes reads them: "0", "1TB", "512KiB").
#include <sys/stat.h>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>

#include "winnow/ops/media_list_filter.h"
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

// DJ's size_to_bytes: the digits of the string (all of them, so "1.5KB" is 15 KB, as in DJ)
// times the unit its letters name (KB/KiB = 2^10 ... PB, bytes without letters).
Result<double> SizeToBytes(const std::string& s) {
  std::string digits, letters;
  for (unsigned char c : s) {
    if (std::isdigit(c)) digits.push_back(static_cast<char>(c));
    else if (std::isalpha(c)) letters.push_back(static_cast<char>(std::tolower(c)));
  }
  if (digits.empty()) return Status::Error("size '" + s + "' does not contain numbers");
  double n = std::stod(digits);
  if (letters.empty()) return n;
  const char* units[] = {"kb", "mb", "gb", "tb", "pb", "eb", "zb", "yb"};
  for (int i = 0; i < 8; ++i)
    if (letters == units[i] || letters == std::string(units[i]).insert(1, "i")) return std::ldexp(n, 10 * (i + 1));
  return Status::Error("size '" + s + "': unknown unit '" + letters + "' (B, KB, MB, GB, TB, PB, ...)");
}

class MediaSizeFilter : public MediaListFilter {
 public:
  MediaSizeFilter(std::string name, const Params& p, const OpEnv& env, MediaKind kind, std::string stat)
      : MediaListFilter(std::move(name), p, env, kind), stat_(std::move(stat)),
        min_(*SizeToBytes(p.String("min_size"))), max_(*SizeToBytes(p.String("max_size"))) {}

  Status ComputeStats(Sample& s) const override {
    if (s.stats().Has(stat_)) return Status::Ok();
    std::vector<std::string> paths;
    WINNOW_RETURN_IF_ERROR(Paths(s, &paths));
    std::vector<double> sizes;
    for (const auto& path : paths) {
      struct stat st;
      if (::stat(path.c_str(), &st) != 0) return Status::Error(path + ": " + std::strerror(errno));
      sizes.push_back(static_cast<double>(st.st_size));
    }
    s.stats().SetRaw(stat_, JsonList(sizes));
    return Status::Ok();
  }

  bool Keep(const Sample& s) const override {
    std::vector<bool> keeps;
    for (double b : ListStat(s, stat_)) keeps.push_back(KeepValue(b, min_, max_));
    return Combine(keeps);
  }

  std::string DropReason(const Sample& s) const override { return ListReason(s, {{stat_, {min_, max_}}}); }

 private:
  std::string stat_;
  double min_, max_;
};

Status Validate(const Params& p) {
  WINNOW_RETURN_IF_ERROR(ValidateAnyOrAll(p));
  for (const char* k : {"min_size", "max_size"}) {
    auto b = SizeToBytes(p.String(k));
    if (!b.ok()) return Status::Error(std::string(k) + ": " + b.status().message());
  }
  return Status::Ok();
}

void RegisterMediaSizeFilter(Registry& r, const std::string& name, MediaKind kind, const std::string& stat,
                             const std::string& noun) {
  r.Add({name, OpKind::kFilter,
         "Keep samples whose " + noun + " files' sizes in bytes are within [min_size, max_size] (\"0\", \"1TB\", ...).",
         {StringParam("min_size", "0", "minimum file size, e.g. \"10KB\""),
          StringParam("max_size", "1TB", "maximum file size, e.g. \"1MB\""), AnyOrAllParam()},
         {stat},
         [name, kind, stat](const Params& p, const OpEnv& e) {
           return std::make_unique<MediaSizeFilter>(name, p, e, kind, stat);
         },
         Validate});
}

}  // namespace

void RegisterImageSizeFilter(Registry& r) {
  RegisterMediaSizeFilter(r, "image_size_filter", MediaKind::kImage, "image_sizes", "image");
}

void RegisterAudioSizeFilter(Registry& r) {
  RegisterMediaSizeFilter(r, "audio_size_filter", MediaKind::kAudio, "audio_sizes", "audio");
}

}  // namespace winnow
