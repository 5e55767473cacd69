// The image op group: one Register call per op file.
#include "winnow/ops/registry.h"

namespace winnow {

void RegisterImageAspectRatioFilter(Registry& r);
void RegisterImageBlurMapper(Registry& r);
void RegisterImageFaceBlurMapper(Registry& r);
void RegisterImageFaceCountFilter(Registry& r);
void RegisterImageFaceRatioFilter(Registry& r);
void RegisterImageShapeFilter(Registry& r);
void RegisterImageSizeFilter(Registry& r);

void RegisterImageOps(Registry& r) {
  RegisterImageAspectRatioFilter(r);
  RegisterImageBlurMapper(r);
  RegisterImageFaceBlurMapper(r);
  RegisterImageFaceCountFilter(r);
  RegisterImageFaceRatioFilter(r);
  RegisterImageShapeFilter(r);
  RegisterImageSizeFilter(r);
}

}  // namespace winnow
