// image_face_blur_mapper: blurs the faces an OpenCV Haar cascade finds (DJ's detect_faces
// arguments); each box is cropped from the original picture, blurred with Pillow's filter and
// pasted into a copy, which is saved as a new file. Images without faces keep their path.
// Pictures are handled as 8-bit RGB (DJ keeps the loaded mode; Pillow cannot blur palette
// images, where DJ fails).
#include <map>

#include "winnow/media/face_detect.h"
#include "winnow/media/sample_media.h"
#include "winnow/ops/image/blur_params.h"
#include "winnow/ops/image/face_params.h"
#include "winnow/ops/media_mapper.h"
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

class ImageFaceBlurMapper : public MediaMapper {
 public:
  ImageFaceBlurMapper(const Params& p, const OpEnv& env)
      : MediaMapper("image_face_blur_mapper", p, env, MediaKind::kImage),
        opt_(*FaceDetectOptionsFromParams(p)), blur_(BlurSpecFromParams(p)), bytes_key_(env.image_bytes_key) {
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
    std::vector<cv::Mat> images;
    for (size_t i = 0; i < src.paths.size(); ++i) {
      Result<cv::Mat> img = cache.Image(src.paths[i], src.bytes[i]);
      if (!img.ok()) return img.status();
      images.push_back(*img);
    }
    std::map<std::string, std::string> processed;
    std::vector<std::string> out(list.raw.size());
    std::vector<bool> replaced(list.raw.size(), false);
    for (size_t i = 0; i < list.resolved.size(); ++i) {
      const std::string& path = list.resolved[i];
      auto it = processed.find(path);
      if (it == processed.end()) {
        std::string result = list.raw[i];
        auto faces = media::DetectFacesCached(cache, path, images[i], opt_);
        if (!faces.ok()) return faces.status();
        if (!faces->empty()) {
          cv::Mat blurred = images[i].clone();
          BlurBoxes(blurred, *faces, blur_, /*from_original=*/true);
          auto target = OutputPath(path);
          if (!target.ok()) return target.status();
          if (*target != path) {
            WINNOW_RETURN_IF_ERROR(SaveImageLikePil(*target, blurred));
            result = *target;
          }
          cache.PutImage(*target, std::move(blurred));
        }
        it = processed.emplace(path, result).first;
      }
      out[i] = it->second;
      replaced[i] = out[i] != list.raw[i];
    }
    WriteBack(s, list, out);
    DropReplacedImageBytes(s, bytes_key_, replaced);
    return Status::Ok();
  }

 private:
  media::FaceDetectOptions opt_;
  BlurSpec blur_;
  std::string bytes_key_;
};

}  // namespace

void RegisterImageFaceBlurMapper(Registry& r) {
  std::vector<ParamSpec> params;
  for (ParamSpec& p : FaceDetectParams()) params.push_back(std::move(p));
  for (ParamSpec& b : BlurParams()) params.push_back(std::move(b));
  params.push_back(SaveDirParam("image"));
  r.Add({"image_face_blur_mapper", OpKind::kMapper,
         "Blur the faces an OpenCV Haar cascade finds in images (Pillow's mean/box/gaussian blur), saving new files.",
         std::move(params), {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<ImageFaceBlurMapper>(p, e); },
         [](const Params& p) {
           WINNOW_RETURN_IF_ERROR(ValidateBlurParams(p));
           return ValidateFaceDetectParams(p);
         }});
}

}  // namespace winnow
