// What Data-Juicer's media-producing mappers share (image/audio/video blur, noise, ffmpeg
// filters, resizes): the sample's media list as written and resolved, where an output goes (DJ's
// transfer_filename with a deterministic hash of the op's params, see produced_paths.h), writing
// an output atomically, and DJ's bookkeeping afterwards: the list rewritten with the produced
// paths and the `__dj__source_file__` field.
//
// DJ's source-file rule, reproduced: a sample without media gets `__dj__source_file__: []`; one
// whose field is absent or empty gets a copy of the media list before the op changes it; an
// entry that differs from the current path is then overwritten (with the current path, or with
// the produced one for audio_add_gaussian_noise_mapper) when that item was replaced.
#pragma once

#include <string>
#include <vector>

#include "winnow/ops/media_list_filter.h"
#include "winnow/ops/op.h"

namespace winnow {

class MediaMapper : public Mapper {
 public:
  MediaMapper(std::string name, const Params& p, const OpEnv& env, MediaKind kind);

 protected:
  struct MediaList {
    std::vector<std::string> raw;       // the paths as the sample holds them
    std::vector<std::string> resolved;  // resolved against the dataset file's directory
  };
  // The media list (empty when the field is absent, null or []).
  Status ReadList(const Sample& s, MediaList* out) const;
  // Where the output for `resolved` goes (creates the directory); `resolved` itself when the
  // file does not exist (DJ leaves such paths alone).
  Result<std::string> OutputPath(const std::string& resolved) const;
  // A sample without media: DJ sets `__dj__source_file__` to [].
  void MarkNoMedia(Sample& s) const;
  // Writes `processed` (one new raw path per item) as the media list, with the source-file
  // rule above; `source_gets_new`: audio_add_gaussian_noise_mapper's variant.
  void WriteBack(Sample& s, const MediaList& in, const std::vector<std::string>& processed,
                 bool source_gets_new = false) const;

  std::string media_key_;
  std::string save_dir_;
  std::string hash_;  // OpOutputHash of the op name and its own params (save_dir excluded)
  const std::vector<std::string>* files_ = nullptr;
};

// Writing produced files: a sibling temporary name keeping the extension (encoders pick the
// format from it), renamed over the target when complete, so a sample that shares an input with
// another sample on another thread never reads a half-written file.
std::string TempSiblingPath(const std::string& target);
Status CommitTempFile(const std::string& tmp, const std::string& target);

// The save_dir param every such mapper declares.
ParamSpec SaveDirParam(const char* noun);

}  // namespace winnow
