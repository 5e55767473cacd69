#include "winnow/ops/media_list_filter.h"

#include <cmath>

#include "winnow/core/json.h"
#include "winnow/media/media_paths.h"
#include "winnow/ops/registry.h"

namespace winnow {

MediaListFilter::MediaListFilter(std::string name, const Params& p, const OpEnv& env, MediaKind kind)
    : Filter(std::move(name), p, env), files_(env.input_files) {
  const char* param = "image_key";
  switch (kind) {
    case MediaKind::kImage: media_key_ = env.image_key; noun_ = "image"; break;
    case MediaKind::kAudio: media_key_ = env.audio_key; noun_ = "audio"; param = "audio_key"; break;
    case MediaKind::kVideo: media_key_ = env.video_key; noun_ = "video"; param = "video_key"; break;
  }
  const json::Value& k = p.Get(param);
  if (k.type() == json::Type::kString) media_key_ = k.as_string();
  any_ = p.String("any_or_all") == "any";
}

Status MediaListFilter::Paths(const Sample& s, std::vector<std::string>* out) const {
  return media::MediaPaths(s, media_key_, files_, out);
}

bool MediaListFilter::Combine(const std::vector<bool>& keeps) const {
  if (keeps.empty()) return true;
  for (bool k : keeps)
    if (k == any_) return any_;  // any: one passing item keeps it; all: one failing drops it
  return !any_;
}

std::vector<double> MediaListFilter::ListStat(const Sample& s, std::string_view key) {
  std::vector<double> out;
  const StatValue* v = s.stats().Find(key);
  if (!v) return out;
  if (v->kind != StatValue::kRaw) {
    out.push_back(v->AsDouble());
    return out;
  }
  std::vector<std::string_view> items;
  if (json::TypeOf(v->raw) != json::Type::kArray) return out;
  json::SplitArray(v->raw, &items);
  for (std::string_view item : items) {
    double d = 0;
    if (json::ParseNumber(item, &d)) out.push_back(d);
  }
  return out;
}

std::string MediaListFilter::JsonList(const std::vector<double>& v, bool integers) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) s += ", ";
    if (integers && v[i] == std::floor(v[i]) && std::fabs(v[i]) < 9e15) s += std::to_string(static_cast<int64_t>(v[i]));
    else json::AppendDouble(v[i], &s);
  }
  return s + "]";
}

std::string MediaListFilter::ListReason(
    const Sample& s, const std::vector<std::pair<std::string, std::pair<double, double>>>& stats) const {
  std::string r;
  for (const auto& [key, bounds] : stats) {
    if (!r.empty()) r += ", ";
    r += key + "=" + JsonList(ListStat(s, key)) + " not in ";
    auto b = [](double d) {
      if (d >= kPyMaxSize) return std::string("inf");
      std::string o;
      json::AppendDouble(d, &o);
      return o;
    };
    r += "[" + b(bounds.first) + ", " + b(bounds.second) + "]";
  }
  return r + (any_ ? " for any " : " for every ") + noun_;
}

ParamSpec AnyOrAllParam() {
  return StringParam("any_or_all", "any", "keep the sample if 'any' of its media passes, or only if 'all' do");
}

Status ValidateAnyOrAll(const Params& p) {
  const std::string& v = p.String("any_or_all");
  if (v != "any" && v != "all")
    return Status::Error("any_or_all: keep strategy [" + v + "] is not supported; use 'any' or 'all'");
  return Status::Ok();
}

}  // namespace winnow
