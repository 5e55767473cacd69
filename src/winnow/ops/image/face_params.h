// The face-detection params DJ's face ops share (cv_classifier and detectMultiScale's keyword
// arguments scaleFactor, minNeighbors, minSize, maxSize) and their parsing.
#pragma once

#include <vector>

#include "winnow/media/face_detect.h"
#include "winnow/ops/params.h"

namespace winnow {

std::vector<ParamSpec> FaceDetectParams();
// Reads them; the cascade is loaded once here so a bad cv_classifier fails at recipe load.
Result<media::FaceDetectOptions> FaceDetectOptionsFromParams(const Params& p);
Status ValidateFaceDetectParams(const Params& p);

}  // namespace winnow
