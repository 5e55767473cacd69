#include "winnow/ops/ffmpeg_wrapped_mapper.h"

#include <filesystem>

#include "winnow/core/json.h"
#include "winnow/media/av_writer.h"
#include "winnow/ops/media_mapper.h"

namespace winnow {
namespace {

// Python's str() of a scalar JSON value.
std::string PyStr(const json::Value& v) {
  switch (v.type()) {
    case json::Type::kNull: return "None";
    case json::Type::kBool: return v.as_bool() ? "True" : "False";
    case json::Type::kString: return v.as_string();
    case json::Type::kNumber: {
      if (v.is_int()) return v.ToJson();
      std::string s;
      json::AppendDouble(v.as_number(), &s);
      return s;
    }
    default: return v.ToJson();
  }
}

struct GlobalArgs {
  bool has_overwrite = false;
  bool overwrite = true;
};

Result<GlobalArgs> ParseGlobalArgs(const json::Value& v) {
  GlobalArgs g;
  if (v.is_null()) return g;
  if (v.type() != json::Type::kArray) return Status::Error("global_args must be a list of strings");
  const auto& a = v.as_array();
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].type() != json::Type::kString) return Status::Error("global_args must be a list of strings");
    const std::string& f = a[i].as_string();
    if (f == "-nostdin" || f == "-hide_banner" || f == "-nostats" || f == "-stats") continue;
    if (f == "-y" || f == "-n") {
      g.has_overwrite = true;
      g.overwrite = f == "-y";
      continue;
    }
    if ((f == "-v" || f == "-loglevel") && i + 1 < a.size()) {
      ++i;
      continue;
    }
    return Status::Error("global_args: '" + f +
                         "' is not supported (Winnow runs the filter in-process; accepted: -nostdin, "
                         "-hide_banner, -nostats, -stats, -v/-loglevel LEVEL, -y, -n)");
  }
  return g;
}

Status Validate(const Params& p) {
  const json::Value& kw = p.Get("filter_kwargs");
  if (!kw.is_null()) {
    if (kw.type() != json::Type::kObject) return Status::Error("filter_kwargs must be a dict");
    for (const auto& [k, v] : kw.as_object())
      if (v.type() == json::Type::kArray || v.type() == json::Type::kObject)
        return Status::Error("filter_kwargs." + k + " must be a scalar");
  }
  return ParseGlobalArgs(p.Get("global_args")).status();
}

class FfmpegWrappedMapper : public MediaMapper {
 public:
  FfmpegWrappedMapper(const std::string& name, MediaKind kind, const Params& p, const OpEnv& env)
      : MediaMapper(name, p, env, kind) {
    if (p.Get("filter_name").type() == json::Type::kString) filter_ = p.String("filter_name");
    const json::Value& kw = p.Get("filter_kwargs");
    if (kw.type() == json::Type::kObject)
      for (const auto& [k, v] : kw.as_object()) kwargs_.emplace_back(k, PyStr(v));
    overwrite_ = p.Bool("overwrite_output");
    auto g = ParseGlobalArgs(p.Get("global_args"));
    if (g.ok() && g->has_overwrite) overwrite_ = g->overwrite;
    has_filter_ = !p.IsNull("filter_name");
  }

  Status Map(Sample& s) const override {
    MediaList list;
    WINNOW_RETURN_IF_ERROR(ReadList(s, &list));
    if (list.resolved.empty()) {
      MarkNoMedia(s);
      return Status::Ok();
    }
    if (!has_filter_) {
      WriteBack(s, list, list.raw);  // records __dj__source_file__ only
      return Status::Ok();
    }
    std::vector<std::string> out(list.raw.size());
    for (size_t i = 0; i < list.resolved.size(); ++i) {
      const std::string& path = list.resolved[i];
      bool seen = false;
      for (size_t j = 0; j < i && !seen; ++j)
        if (list.resolved[j] == path) {
          out[i] = out[j];
          seen = true;
        }
      if (seen) continue;
      auto target = OutputPath(path);
      if (!target.ok()) return target.status();
      std::error_code ec;
      if (!overwrite_ && std::filesystem::exists(*target, ec))
        return Status::Error(*target + ": already exists (overwrite_output is false)");
      std::string tmp = TempSiblingPath(*target);
      Status st = media::ApplyFfmpegFilter(path, tmp, filter_, kwargs_);
      if (!st.ok()) {
        std::filesystem::remove(tmp, ec);
        return st;
      }
      WINNOW_RETURN_IF_ERROR(CommitTempFile(tmp, *target));
      out[i] = *target;
    }
    WriteBack(s, list, out);
    return Status::Ok();
  }

 private:
  bool has_filter_ = false;
  std::string filter_;
  media::KwArgs kwargs_;
  bool overwrite_ = true;
};

}  // namespace

void RegisterFfmpegWrappedMapper(Registry& r, const std::string& name, MediaKind kind, const std::string& doc) {
  const char* noun = kind == MediaKind::kAudio ? "audio" : "video";
  r.Add({name, OpKind::kMapper, doc,
         {Optional(StringParam("filter_name", "", std::string("ffmpeg ") + noun + " filter name (None: no change)")),
          Optional(ParamSpec{"filter_kwargs", ParamType::kAny, json::Value::Null(), "the filter's options (a dict)"}),
          Optional(ParamSpec{"global_args", ParamType::kAny, json::Value::Null(),
                             "ffmpeg command-line flags (only -y/-n and logging flags apply)"}),
          BoolParam("capture_stderr", true, "accepted for compatibility (errors are reported per sample)"),
          BoolParam("overwrite_output", true, "overwrite an existing output file"), SaveDirParam(noun)},
         {},
         [name, kind](const Params& p, const OpEnv& e) { return std::make_unique<FfmpegWrappedMapper>(name, kind, p, e); },
         Validate});
}

}  // namespace winnow
