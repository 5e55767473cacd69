#include "winnow/ops/video/video_mapper_util.h"

#include <map>

#include "winnow/core/json.h"
#include "winnow/core/unicode.h"
#include "winnow/media/media_paths.h"
#include "winnow/media/produced_paths.h"

namespace winnow::video_ops {

Status VideoKeys(const Sample& s, const std::string& key, const std::vector<std::string>* input_files,
                 std::vector<std::string>* raw, std::vector<std::string>* paths) {
  raw->clear();
  WINNOW_RETURN_IF_ERROR(media::MediaPaths(s, key, input_files, paths));
  if (paths->empty()) return Status::Ok();
  std::string field;
  s.FieldRaw(key, &field);
  std::vector<std::string_view> items;
  json::SplitArray(field, &items);
  for (std::string_view item : items) {
    std::string v;
    json::StringValue(item, &v);
    raw->push_back(std::move(v));
  }
  return Status::Ok();
}

std::string AddSuffixToFilename(const std::string& filename, const std::string& suffix) {
  // os.path.splitext: the last dot of the last component, ignoring leading dots of that component.
  size_t slash = filename.rfind('/');
  size_t base = slash == std::string::npos ? 0 : slash + 1;
  size_t dot = filename.rfind('.');
  if (dot != std::string::npos && dot > base) {
    size_t first_non_dot = filename.find_first_not_of('.', base);
    if (first_non_dot != std::string::npos && dot > first_non_dot)
      return filename.substr(0, dot) + suffix + filename.substr(dot);
  }
  return filename + suffix;
}

std::string ParamsHash(const std::string& op_name, const Params& p) {
  std::vector<std::pair<std::string, json::Value>> kept;
  for (const auto& [k, v] : p.all())
    if (k != "save_dir") kept.emplace_back(k, v);
  return media::OpOutputHash(op_name, json::Value::Object(std::move(kept)).ToJson());
}

std::string JsonStringList(const std::vector<std::string>& items) {
  std::vector<json::Value> v;
  v.reserve(items.size());
  for (const auto& i : items) v.push_back(json::Value::String(i));
  return json::Value::Array(std::move(v)).ToJson();
}

namespace {
size_t CountOf(std::string_view text, std::string_view token) {
  size_t n = 0;
  for (size_t pos = text.find(token); pos != std::string_view::npos; pos = text.find(token, pos + token.size())) ++n;
  return n;
}

std::vector<std::string_view> SplitOn(std::string_view text, std::string_view sep) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  for (size_t hit = text.find(sep); hit != std::string_view::npos; hit = text.find(sep, pos)) {
    out.push_back(text.substr(pos, hit - pos));
    pos = hit + sep.size();
  }
  out.push_back(text.substr(pos));
  return out;
}
}  // namespace

Status ExpandSplit(Sample& s, const OpEnv& env, const std::string& text_key, const std::string& video_key,
                   bool keep_original, const SplitFn& split, std::vector<std::string>* out) {
  std::vector<std::string> raw, paths;
  WINNOW_RETURN_IF_ERROR(VideoKeys(s, video_key, env.input_files, &raw, &paths));
  if (paths.empty()) {
    // DJ sets the (shared) original's source_file to [] and generates no split sample.
    s.SetFieldRaw(kSourceFileField, "[]");
    if (keep_original) {
      out->emplace_back();
      s.Write(false, {}, &out->back());
    }
    return Status::Ok();
  }
  std::string src_raw;
  bool has_src = s.FieldRaw(kSourceFileField, &src_raw) && src_raw != "[]" && src_raw != "null" &&
                 src_raw != "\"\"" && src_raw != "false";
  if (!has_src) s.SetFieldRaw(kSourceFileField, JsonStringList(raw));
  auto text = s.Text(text_key);
  if (!text.ok()) return text.status();
  const std::string original_text(*text);

  // load_video of every video first: a missing or corrupt one fails the sample before any clip.
  std::map<std::string, std::vector<std::string>> clips;  // resolved path -> clip paths
  for (const std::string& p : paths) {
    if (clips.count(p)) continue;
    auto c = split(p);
    if (!c.ok()) return c.status();
    clips.emplace(p, std::move(*c));
  }

  const std::string& vtok = env.video_special_token;
  const std::string& eoc = env.eoc_special_token;
  std::string new_text;
  std::vector<std::string> new_videos, sources;
  size_t offset = 0;
  for (std::string_view chunk : SplitOn(original_text, eoc)) {
    if (unicode::PyStrip(chunk).empty()) continue;
    size_t count = CountOf(chunk, vtok);
    std::vector<std::string> holders;
    for (size_t i = offset; i < offset + count && i < paths.size(); ++i) {
      const auto& c = clips[paths[i]];
      new_videos.insert(new_videos.end(), c.begin(), c.end());
      std::string h;
      for (size_t k = 0; k < c.size(); ++k) h += vtok;
      holders.push_back(std::move(h));
      for (size_t k = 0; k < c.size(); ++k) sources.push_back(raw[i]);
    }
    if (holders.size() < count)
      return Status::Error("the text has more " + vtok + " tokens than the sample has videos (" +
                           std::to_string(paths.size()) + ")");
    size_t pos = 0, h = 0;
    for (size_t hit = chunk.find(vtok); hit != std::string_view::npos; hit = chunk.find(vtok, pos)) {
      new_text.append(chunk.substr(pos, hit - pos));
      new_text += holders[h++];
      pos = hit + vtok.size();
    }
    new_text.append(chunk.substr(pos));
    new_text += eoc;
    offset += count;
  }

  if (keep_original) {
    out->emplace_back();
    s.Write(false, {}, &out->back());
  }
  s.SetText(text_key, std::move(new_text));
  s.SetFieldRaw(kSourceFileField, JsonStringList(sources));
  s.SetFieldRaw(video_key, JsonStringList(new_videos));
  out->emplace_back();
  s.Write(false, {}, &out->back());
  return Status::Ok();
}

}  // namespace winnow::video_ops
