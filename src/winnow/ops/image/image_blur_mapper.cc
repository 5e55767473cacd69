// image_blur_mapper: blurs each image with probability p (Pillow's BLUR / BoxBlur /
// GaussianBlur, bit-exact) and saves it as DJ does, rewriting the image list.
//
// Randomness: DJ draws `np.random.rand()` from numpy's unseeded global generator for each
// distinct image and blurs unless p < draw, so its choice changes from run to run. Winnow draws
// u in [0, 1) from a hash of (seed, input file, line, the image's position among the sample's
// distinct images) and blurs when u < p: the same recipe and input blur the same images for any
// thread count or batch size, p = 1 blurs every image and p = 0 none (DJ's `p < rand` also blurs
// on a draw of exactly p, which has probability 2^-53).
#include "winnow/core/xxhash_include.h"

#include <map>

#include "winnow/media/sample_media.h"
#include "winnow/ops/image/blur_params.h"
#include "winnow/ops/media_mapper.h"
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

class ImageBlurMapper : public MediaMapper {
 public:
  ImageBlurMapper(const Params& p, const OpEnv& env)
      : MediaMapper("image_blur_mapper", p, env, MediaKind::kImage),
        p_(p.Number("p")), seed_(static_cast<uint64_t>(p.Number("seed"))), blur_(BlurSpecFromParams(p)),
        bytes_key_(env.image_bytes_key) {
    const json::Value& b = p.Get("image_bytes_key");
    if (b.type() == json::Type::kString) bytes_key_ = b.as_string();
  }

  Status Map(Sample& s) const override {
    MediaList list;
    WINNOW_RETURN_IF_ERROR(ReadList(s, &list));
    if (list.resolved.empty()) {
      MarkNoMedia(s);
      return Status::Ok();
    }
    media::ImageSources src;
    WINNOW_RETURN_IF_ERROR(media::CollectImageSources(s, media_key_, bytes_key_, files_, &src));
    media::SampleMedia& cache = media::SampleMedia::Of(s);
    // DJ loads every image of the sample before choosing (a bad one fails the sample).
    std::vector<cv::Mat> images;
    for (size_t i = 0; i < src.paths.size(); ++i) {
      Result<cv::Mat> img = cache.Image(src.paths[i], src.bytes[i]);
      if (!img.ok()) return img.status();
      images.push_back(*img);
    }
    std::map<std::string, std::string> processed;  // resolved path -> new raw path
    std::vector<std::string> out(list.raw.size());
    std::vector<bool> replaced(list.raw.size(), false);
    uint64_t draw = 0;
    for (size_t i = 0; i < list.resolved.size(); ++i) {
      const std::string& path = list.resolved[i];
      if (auto it = processed.find(path); it != processed.end()) {
        out[i] = it->second;
        replaced[i] = out[i] != list.raw[i];
        continue;
      }
      std::string result = list.raw[i];
      if (Draw(s.row(), draw++) < p_) {
        cv::Mat blurred = images[i].clone();
        ApplyBlur(blurred, cv::Rect(0, 0, blurred.cols, blurred.rows), blur_);
        auto target = OutputPath(path);
        if (!target.ok()) return target.status();
        if (*target != path) {
          WINNOW_RETURN_IF_ERROR(SaveImageLikePil(*target, blurred));
          result = *target;
        }
        cache.PutImage(*target, std::move(blurred));
      }
      processed[path] = result;
      out[i] = result;
      replaced[i] = result != list.raw[i];
    }
    WriteBack(s, list, out);
    DropReplacedImageBytes(s, bytes_key_, replaced);
    return Status::Ok();
  }

 private:
  double Draw(RowId row, uint64_t k) const {
    uint64_t key[4] = {seed_, row.file, row.line, k};
    return static_cast<double>(XXH3_64bits(key, sizeof key) >> 11) * 0x1.0p-53;
  }

  double p_;
  uint64_t seed_;
  BlurSpec blur_;
  std::string bytes_key_;
};

}  // namespace

void RegisterImageBlurMapper(Registry& r) {
  std::vector<ParamSpec> params = {FloatParam("p", 0.2, "probability of blurring each image")};
  for (ParamSpec& b : BlurParams()) params.push_back(std::move(b));
  params.push_back(SaveDirParam("image"));
  params.push_back(Range(IntParam("seed", 0, "Winnow: seed of the per-image blur draw (DJ draws unseeded)"), 0,
                         std::nullopt));
  r.Add({"image_blur_mapper", OpKind::kMapper,
         "Blur images with probability p (Pillow's mean/box/gaussian blur), saving them as new files.",
         std::move(params), {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<ImageBlurMapper>(p, e); },
         ValidateBlurParams});
}

}  // namespace winnow
