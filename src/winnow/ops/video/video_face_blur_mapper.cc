// video_face_blur_mapper: every frame of each video goes through face detection (OpenCV Haar
// cascade, DJ's detectMultiScale arguments) and Pillow's blur of each face box, in place (DJ
// crops and pastes on the same picture), then is re-encoded (media::ProcessEachFrame, DJ's
// process_each_frame). A video in which no frame had a face keeps its path, as DJ returns the
// input path then.
#include <filesystem>

#include "winnow/media/av_writer.h"
#include "winnow/media/face_detect.h"
#include "winnow/ops/image/blur_params.h"
#include "winnow/ops/image/face_params.h"
#include "winnow/ops/media_mapper.h"
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

class VideoFaceBlurMapper : public MediaMapper {
 public:
  VideoFaceBlurMapper(const Params& p, const OpEnv& env)
      : MediaMapper("video_face_blur_mapper", p, env, MediaKind::kVideo),
        opt_(*FaceDetectOptionsFromParams(p)), blur_(BlurSpecFromParams(p)) {}

  Status Map(Sample& s) const override {
    MediaList list;
    WINNOW_RETURN_IF_ERROR(ReadList(s, &list));
    if (list.resolved.empty()) {
      MarkNoMedia(s);
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
      std::string tmp = TempSiblingPath(*target);
      auto blur = [this](cv::Mat& bgr, const media::VideoFrame&) -> Result<bool> {
        auto faces = media::DetectFaces(bgr, opt_);
        if (!faces.ok()) return faces.status();
        if (faces->empty()) return false;
        BlurBoxes(bgr, *faces, blur_, /*from_original=*/false);
        return true;
      };
      auto written = media::ProcessEachFrame(path, tmp, blur);
      std::error_code ec;
      if (!written.ok()) {
        std::filesystem::remove(tmp, ec);
        return written.status();
      }
      if (*written == tmp) {
        WINNOW_RETURN_IF_ERROR(CommitTempFile(tmp, *target));
        out[i] = *target;
      } else {
        out[i] = list.raw[i];
      }
    }
    WriteBack(s, list, out);
    return Status::Ok();
  }

 private:
  media::FaceDetectOptions opt_;
  BlurSpec blur_;
};

}  // namespace

void RegisterVideoFaceBlurMapper(Registry& r) {
  std::vector<ParamSpec> params;
  for (ParamSpec& p : FaceDetectParams()) params.push_back(std::move(p));
  for (ParamSpec& b : BlurParams()) params.push_back(std::move(b));
  params.push_back(SaveDirParam("video"));
  r.Add({"video_face_blur_mapper", OpKind::kMapper,
         "Blur the faces an OpenCV Haar cascade finds in every video frame (Pillow's blur), re-encoding the video.",
         std::move(params), {},
         [](const Params& p, const OpEnv& e) { return std::make_unique<VideoFaceBlurMapper>(p, e); },
         [](const Params& p) {
           WINNOW_RETURN_IF_ERROR(ValidateBlurParams(p));
           return ValidateFaceDetectParams(p);
         }});
}

}  // namespace winnow
