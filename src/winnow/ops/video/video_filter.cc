#include "winnow/ops/video/video_filter.h"

#include "winnow/media/sample_media.h"

namespace winnow {

Status VideoListFilter::ForEachVideoStream(
    Sample& s, const std::function<Status(size_t, const std::string&, const media::StreamInfo&)>& fn) const {
  std::vector<std::string> paths;
  WINNOW_RETURN_IF_ERROR(Paths(s, &paths));
  for (size_t i = 0; i < paths.size(); ++i) {
    auto info = media::SampleMedia::Of(s).Probe(paths[i]);
    if (!info.ok()) return info.status();
    const media::StreamInfo* v = (*info)->Video(0);
    if (!v) return Status::Error(paths[i] + ": no video stream");
    WINNOW_RETURN_IF_ERROR(fn(i, paths[i], *v));
  }
  return Status::Ok();
}

}  // namespace winnow
