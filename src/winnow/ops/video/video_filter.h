// What DJ's video metadata filters share: the probe of each of the sample's videos (container
// metadata, no decode; SampleMedia caches it for the op chain) and its first video stream.
#pragma once

#include <functional>

#include "winnow/media/av_reader.h"
#include "winnow/ops/media_list_filter.h"

namespace winnow {

class VideoListFilter : public MediaListFilter {
 public:
  VideoListFilter(std::string name, const Params& p, const OpEnv& env)
      : MediaListFilter(std::move(name), p, env, MediaKind::kVideo) {}

 protected:
  // fn(i, path, video stream 0) for each video; a video without a video stream is an error.
  Status ForEachVideoStream(Sample& s,
                            const std::function<Status(size_t, const std::string&, const media::StreamInfo&)>& fn) const;
};

}  // namespace winnow
