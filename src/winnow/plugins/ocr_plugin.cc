// libwinnow_ocr.so: Tesseract's layout analysis behind a C interface (it brings ~40 shared
// objects -- curl, TLS, Kerberos, ICU -- that only OCR runs should load; see README.md).
#include <tesseract/baseapi.h>
#include <tesseract/publictypes.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

namespace {
void SetError(const std::string& msg, char* err, size_t errlen) {
  if (!err || errlen == 0) return;
  std::strncpy(err, msg.c_str(), errlen - 1);
  err[errlen - 1] = '\0';
}
}  // namespace

extern "C" {

// A TessBaseAPI for `langs` ("eng+chi_sim") from `tessdata`, for one thread; null on failure.
void* wn_ocr_create(const char* tessdata, const char* langs, char* err, size_t errlen) {
  auto api = std::make_unique<tesseract::TessBaseAPI>();
  // No debug or warning prints (Tesseract writes them to stderr otherwise).
  api->SetVariable("debug_file", "/dev/null");
  if (api->Init(tessdata, langs, tesseract::OEM_DEFAULT) != 0) {
    SetError(std::string("tesseract: cannot load language(s) ") + langs + " from " + tessdata, err, errlen);
    return nullptr;
  }
  // Full-page layout analysis without orientation detection: video frames hold captions,
  // titles and scene text in several places, not one block.
  api->SetPageSegMode(tesseract::PSM_AUTO);
  return api.release();
}

void wn_ocr_free(void* api) { delete static_cast<tesseract::TessBaseAPI*>(api); }

// Sum of the areas of the text lines Tesseract's layout analysis finds in an RGB image (text
// blocks only: picture and line-art regions are skipped); 0 on success.
int wn_ocr_text_line_area(void* handle, const uint8_t* rgb, int w, int h, int step, double* area, char* err,
                          size_t errlen) {
  auto* api = static_cast<tesseract::TessBaseAPI*>(handle);
  api->SetImage(rgb, w, h, 3, step);
  api->SetSourceResolution(70);  // what Tesseract assumes for raw pixels, stated to skip its warning
  std::unique_ptr<tesseract::PageIterator> it(api->AnalyseLayout());
  double text_area = 0;
  if (it) {
    do {
      if (!PTIsTextType(it->BlockType())) continue;
      int left, top, right, bottom;
      if (!it->BoundingBox(tesseract::RIL_TEXTLINE, &left, &top, &right, &bottom)) continue;
      if (right < left || bottom < top) continue;  // DJ skips inverted rectangles
      text_area += static_cast<double>(right - left) * static_cast<double>(bottom - top);
    } while (it->Next(tesseract::RIL_TEXTLINE));
  }
  api->Clear();
  *area = text_area;
  (void)err;
  (void)errlen;
  return 0;
}

}  // extern "C"
