#include "winnow/ops/image/image_filter.h"

#include "winnow/core/json.h"
#include "winnow/media/image_header.h"
#include "winnow/media/media_paths.h"
#include "winnow/media/sample_media.h"
#include "winnow/ops/registry.h"

namespace winnow {

ImageListFilter::ImageListFilter(std::string name, const Params& p, const OpEnv& env)
    : MediaListFilter(std::move(name), p, env, MediaKind::kImage), image_bytes_key_(env.image_bytes_key) {
  const json::Value& b = p.Get("image_bytes_key");
  if (b.type() == json::Type::kString) image_bytes_key_ = b.as_string();
}

Status ImageListFilter::HeaderSizes(const Sample& s, std::vector<double>* widths, std::vector<double>* heights) const {
  std::vector<std::string> paths;
  WINNOW_RETURN_IF_ERROR(Paths(s, &paths));
  for (const auto& path : paths) {
    auto header = media::ReadImageHeaderFile(path);
    if (!header.ok()) return header.status();
    // DJ loads these by path (datasets' Image feature), which applies the EXIF orientation: the
    // size it sees has width and height swapped for orientations 5..8.
    auto info = media::OrientedSize(*header);
    if (!info.ok()) return info.status().WithContext(path);
    widths->push_back(static_cast<double>(info->width));
    heights->push_back(static_cast<double>(info->height));
  }
  return Status::Ok();
}

Status ImageListFilter::ForEachImage(Sample& s,
                                     const std::function<Status(size_t i, const std::string& path, const cv::Mat& bgr)>& fn) const {
  media::ImageSources src;
  WINNOW_RETURN_IF_ERROR(media::CollectImageSources(s, media_key_, image_bytes_key_, files_, &src));
  media::SampleMedia& cache = media::SampleMedia::Of(s);
  for (size_t i = 0; i < src.paths.size(); ++i) {
    Result<cv::Mat> img = cache.Image(src.paths[i], src.bytes[i]);
    if (!img.ok()) return img.status();
    WINNOW_RETURN_IF_ERROR(fn(i, src.paths[i], *img));
  }
  return Status::Ok();
}

}  // namespace winnow
