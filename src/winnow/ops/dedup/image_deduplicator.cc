// image_deduplicator: drops samples whose images hash like an earlier sample's (imagededup's
// phash / dhash / whash / ahash, bit-exact: media/image_hash). The sample's hash is the
// concatenation of its distinct images' hashes, as DJ builds it.
#include <opencv2/imgproc.hpp>

#include <algorithm>

#include "winnow/media/image_hash.h"
#include "winnow/media/sample_media.h"
#include "winnow/ops/dedup/media_dedup.h"
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

class ImageDeduplicator : public MediaHashDeduplicator {
 public:
  ImageDeduplicator(const Params& p, const OpEnv& env)
      : MediaHashDeduplicator("image_deduplicator", p, env, "__dj__imagehash"),
        method_(*media::ParseImageHashMethod(p.String("method"))),
        image_key_(env.image_key),
        bytes_key_(env.image_bytes_key) {
    if (const auto& k = p.Get("image_key"); k.type() == json::Type::kString) image_key_ = k.as_string();
    if (const auto& k = p.Get("image_bytes_key"); k.type() == json::Type::kString) bytes_key_ = k.as_string();
  }

 protected:
  Status MediaHash(Sample& s, std::string* hash) const override {
    media::ImageSources src;
    WINNOW_RETURN_IF_ERROR(media::CollectImageSources(s, image_key_, bytes_key_, files_, &src));
    media::SampleMedia& cache = media::SampleMedia::Of(s);
    std::vector<std::string> seen;  // DJ's images dict: each distinct path once, in first order
    for (size_t i = 0; i < src.paths.size(); ++i) {
      if (std::find(seen.begin(), seen.end(), src.paths[i]) != seen.end()) continue;
      seen.push_back(src.paths[i]);
      auto img = cache.Image(src.paths[i], src.bytes[i]);
      if (!img.ok()) return img.status();
      cv::Mat rgb;
      cv::cvtColor(*img, rgb, cv::COLOR_BGR2RGB);
      *hash += media::ImageHash(method_, rgb.data, rgb.cols, rgb.rows, 3);
    }
    return Status::Ok();
  }

 private:
  media::ImageHashMethod method_;
  std::string image_key_, bytes_key_;
};

}  // namespace

void RegisterImageDeduplicator(Registry& r) {
  std::vector<ParamSpec> params = {StringParam("method", "phash", "hash method: phash, dhash, whash or ahash")};
  for (ParamSpec& p : MediaDedupParams()) params.push_back(std::move(p));
  r.Add({"image_deduplicator", OpKind::kDeduplicator,
         "Exact image deduplication by perceptual hash (imagededup's phash/dhash/whash/ahash); first occurrence kept.",
         std::move(params), {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<ImageDeduplicator>(p, e); },
         [](const Params& p) {
           auto m = media::ParseImageHashMethod(p.String("method"));
           return m.ok() ? Status::Ok() : m.status();
         }});
}

}  // namespace winnow
