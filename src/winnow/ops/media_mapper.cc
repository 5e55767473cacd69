#include "winnow/ops/media_mapper.h"

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <set>
#include <thread>
#include <unistd.h>

#include "winnow/core/json.h"
#include "winnow/media/media_paths.h"
#include "winnow/media/produced_paths.h"
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

constexpr std::string_view kSourceFileField = "__dj__source_file__";

std::string JsonStringList(const std::vector<std::string>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += ", ";
    json::AppendString(v[i], &out);
  }
  return out + "]";
}

}  // namespace

MediaMapper::MediaMapper(std::string name, const Params& p, const OpEnv& env, MediaKind kind)
    : Mapper(std::move(name), p, env), files_(env.input_files) {
  const char* param = "image_key";
  switch (kind) {
    case MediaKind::kImage: media_key_ = env.image_key; break;
    case MediaKind::kAudio: media_key_ = env.audio_key; param = "audio_key"; break;
    case MediaKind::kVideo: media_key_ = env.video_key; param = "video_key"; break;
  }
  const json::Value& k = p.Get(param);
  if (k.type() == json::Type::kString) media_key_ = k.as_string();
  const json::Value& dir = p.Get("save_dir");
  if (dir.type() == json::Type::kString) save_dir_ = dir.as_string();
  // DJ hashes the op's own init parameters minus save_dir (its _init_parameters).
  std::set<std::string> common;
  for (const ParamSpec& c : Registry::CommonParams()) common.insert(c.name);
  std::vector<std::pair<std::string, json::Value>> own;
  for (const auto& [n, v] : p.all())
    if (n != "save_dir" && !common.count(n)) own.emplace_back(n, v);
  hash_ = media::OpOutputHash(name_, json::Value::Object(std::move(own)).ToJson());
}

Status MediaMapper::ReadList(const Sample& s, MediaList* out) const {
  out->raw.clear();
  out->resolved.clear();
  WINNOW_RETURN_IF_ERROR(media::MediaPaths(s, media_key_, files_, &out->resolved));
  if (out->resolved.empty()) return Status::Ok();
  std::string raw;
  s.FieldRaw(media_key_, &raw);
  std::vector<std::string_view> items;
  json::SplitArray(raw, &items);
  for (std::string_view item : items) {
    std::string v;
    json::StringValue(item, &v);
    out->raw.push_back(std::move(v));
  }
  return Status::Ok();
}

Result<std::string> MediaMapper::OutputPath(const std::string& resolved) const {
  return media::TransferFilename(resolved, name_, save_dir_, hash_);
}

void MediaMapper::MarkNoMedia(Sample& s) const { s.SetFieldRaw(kSourceFileField, "[]"); }

void MediaMapper::WriteBack(Sample& s, const MediaList& in, const std::vector<std::string>& processed,
                            bool source_gets_new) const {
  std::vector<std::string> source;
  bool source_changed = false;
  std::string raw;
  if (s.FieldRaw(kSourceFileField, &raw) && json::TypeOf(raw) == json::Type::kArray) {
    std::vector<std::string_view> items;
    json::SplitArray(raw, &items);
    for (std::string_view item : items) {
      std::string v;
      if (!json::StringValue(item, &v)) v = std::string(item);  // kept only for comparison
      source.push_back(std::move(v));
    }
  }
  if (source.empty()) {
    source = in.raw;
    source_changed = true;
  }
  for (size_t i = 0; i < in.raw.size() && i < source.size(); ++i) {
    if (source[i] != in.raw[i] && processed[i] != in.raw[i]) {
      std::string v = source_gets_new ? processed[i] : in.raw[i];
      if (v != source[i]) {
        source[i] = std::move(v);
        source_changed = true;
      }
    }
  }
  if (source_changed) s.SetFieldRaw(kSourceFileField, JsonStringList(source));
  if (processed != in.raw) s.SetFieldRaw(media_key_, JsonStringList(processed));
}

std::string TempSiblingPath(const std::string& target) {
  static std::atomic<uint64_t> counter{0};
  std::filesystem::path t(target);
  std::string name = ".winnow-tmp-" + std::to_string(getpid()) + "-" +
                     std::to_string(counter.fetch_add(1)) + "-" + t.filename().string();
  return (t.parent_path() / name).string();
}

Status CommitTempFile(const std::string& tmp, const std::string& target) {
  std::error_code ec;
  std::filesystem::rename(tmp, target, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return Status::Error("cannot write " + target + ": " + ec.message());
  }
  return Status::Ok();
}

ParamSpec SaveDirParam(const char* noun) {
  return Optional(StringParam("save_dir", "",
                              std::string("directory for the produced ") + noun +
                                  " files (None: next to the input, or $DJ_PRODUCED_DATA_DIR/<op>)"));
}

}  // namespace winnow
