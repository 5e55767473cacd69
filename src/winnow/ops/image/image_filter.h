// What Data-Juicer's per-image filters share: the sample's image paths (resolved against the
// dataset file's directory), list-valued stats (one value per image, [] without images), and
// DJ's keep rule: a sample without images is kept; otherwise `any_or_all` of the per-image
// range checks (get_keep_boolean, with the filter's closed/open bounds).
#pragma once

#include <string>
#include <vector>

#include "winnow/ops/op.h"
#include "winnow/ops/params.h"

namespace winnow {

class ImageListFilter : public Filter {
 public:
  ImageListFilter(std::string name, const Params& p, const OpEnv& env);

 protected:
  Status Paths(const Sample& s, std::vector<std::string>* out) const;
  // Width and height of each of the sample's images, from the file headers (no decode).
  Status HeaderSizes(const Sample& s, std::vector<double>* widths, std::vector<double>* heights) const;
  // Per-image keep decisions combined with any / all; true without images.
  bool Combine(const std::vector<bool>& keeps) const;
  // The numbers of a list stat ([] when absent).
  static std::vector<double> ListStat(const Sample& s, std::string_view key);
  // A list stat as DJ writes it: Python ints (sizes, widths) or floats (ratios: 1.0, not 1).
  static std::string JsonList(const std::vector<double>& v, bool integers = true);
  std::string ListReason(const Sample& s, const std::vector<std::pair<std::string, std::pair<double, double>>>& stats) const;

  std::string image_key_;
  bool any_ = true;
  const std::vector<std::string>* files_ = nullptr;
};

// DJ's any_or_all param with its check.
ParamSpec AnyOrAllParam();
Status ValidateAnyOrAll(const Params& p);

}  // namespace winnow
