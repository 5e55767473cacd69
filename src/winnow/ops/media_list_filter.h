// What Data-Juicer's per-media filters share (images, audios, videos): the sample's media paths
// (resolved against the dataset file's directory), list-valued stats (one value per item, []
// without media), and DJ's keep rule: a sample without media is kept; otherwise `any_or_all` of
// the per-item range checks (get_keep_boolean, with the filter's closed/open bounds).
#pragma once

#include <string>
#include <vector>

#include "winnow/ops/op.h"
#include "winnow/ops/params.h"

namespace winnow {

enum class MediaKind { kImage, kAudio, kVideo };

class MediaListFilter : public Filter {
 public:
  MediaListFilter(std::string name, const Params& p, const OpEnv& env, MediaKind kind);

 protected:
  Status Paths(const Sample& s, std::vector<std::string>* out) const;
  // Per-item keep decisions combined with any / all; true without media.
  bool Combine(const std::vector<bool>& keeps) const;
  // The numbers of a list stat ([] when absent).
  static std::vector<double> ListStat(const Sample& s, std::string_view key);
  // A list stat as DJ writes it: Python ints (sizes, widths) or floats (ratios: 1.0, not 1).
  static std::string JsonList(const std::vector<double>& v, bool integers = true);
  std::string ListReason(const Sample& s, const std::vector<std::pair<std::string, std::pair<double, double>>>& stats) const;

  std::string media_key_;  // images / audios / videos, or the op's *_key param
  std::string noun_;
  bool any_ = true;
  const std::vector<std::string>* files_ = nullptr;
};

// DJ's any_or_all param with its check.
ParamSpec AnyOrAllParam();
Status ValidateAnyOrAll(const Params& p);

}  // namespace winnow
