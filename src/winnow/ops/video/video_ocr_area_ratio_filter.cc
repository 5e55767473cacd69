// video_ocr_area_ratio_filter: keeps samples whose videos carry a text area within range. As in
// DJ, each video gives `frame_sample_num` frames (extract_video_frames_uniformly), each frame
// the sum of its detected text boxes' areas over the frame's area, and the video the mean of
// its frames' ratios (np.mean); any_or_all combines the videos.
//
// DJ detects text with EasyOCR's CRAFT detector (recognizer=False); Winnow uses Tesseract's
// layout analysis from Debian (AnalyseLayout: detection only, no recognition, as DJ). The box
// unit is Tesseract's text line (RIL_TEXTLINE), not its word: EasyOCR's `detect` merges CRAFT's
// word boxes that sit on one line with gaps under width_ths (0.5) x box height and pads each
// merged box by add_margin (0.1), so its boxes are line segments with a margin; Tesseract's
// word boxes are tight around the ink and leave out the inter-word gaps EasyOCR counts. Boxes
// are summed, not unioned, as DJ sums its rectangles and quads (overlaps count twice). Tesseract's
// boxes are axis-aligned, so all of them take DJ's rectangle term (xmax - xmin) * (ymax - ymin);
// DJ's free-form quads (two triangles each) have no counterpart. Only blocks of a text type
// count (Tesseract also reports picture and line-art regions). The ratios differ from EasyOCR's
// (docs/parity.md); the ordering of videos by text area is what carries over.
//
// Each worker thread owns its Tesseract instances (one per language set), created on first use.

#include <opencv2/imgproc.hpp>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>

#include "winnow/media/av_reader.h"
#include "winnow/core/plugin.h"
#include "winnow/ops/registry.h"
#include "winnow/ops/video/video_filter.h"

namespace winnow {
namespace {

// EasyOCR language codes (DJ's languages_to_detect) -> Tesseract traineddata names. A code not
// listed is taken as a Tesseract name as it is (so "eng" or "chi_sim" work too).
const std::map<std::string, std::string>& EasyOcrToTesseract() {
  static const auto* m = new std::map<std::string, std::string>{
      {"en", "eng"},     {"ch_sim", "chi_sim"}, {"ch_tra", "chi_tra"}, {"ja", "jpn"},
      {"ko", "kor"},     {"fr", "fra"},         {"de", "deu"},         {"es", "spa"},
      {"it", "ita"},     {"pt", "por"},         {"ru", "rus"},         {"ar", "ara"},
      {"hi", "hin"},     {"th", "tha"},         {"vi", "vie"},         {"nl", "nld"},
      {"pl", "pol"},     {"tr", "tur"},         {"uk", "ukr"},         {"id", "ind"},
      {"fa", "fas"},     {"he", "heb"},         {"sv", "swe"},         {"cs", "ces"}};
  return *m;
}

// Where the traineddata files are: $TESSDATA_PREFIX (Tesseract 5 reads it as the tessdata
// directory itself) or Debian's location.
std::string TessdataDir() {
  const char* env = std::getenv("TESSDATA_PREFIX");
  if (env && *env) return env;
  return "/usr/share/tesseract-ocr/5/tessdata";
}

// languages_to_detect (a string or a list) -> "chi_sim+eng"; errors name a missing model.
Result<std::string> TesseractLanguages(const json::Value& v) {
  std::vector<std::string> codes;
  if (v.type() == json::Type::kString) {
    codes.push_back(v.as_string());
  } else if (v.type() == json::Type::kArray) {
    for (const auto& c : v.as_array()) {
      if (c.type() != json::Type::kString) return Status::Error("languages_to_detect: expected strings");
      codes.push_back(c.as_string());
    }
  } else {
    return Status::Error("languages_to_detect: expected a string or a list of strings");
  }
  if (codes.empty()) return Status::Error("languages_to_detect: no language given");
  std::string out;
  const std::string dir = TessdataDir();
  for (const std::string& code : codes) {
    auto it = EasyOcrToTesseract().find(code);
    const std::string lang = it == EasyOcrToTesseract().end() ? code : it->second;
    std::error_code ec;
    if (!std::filesystem::exists(dir + "/" + lang + ".traineddata", ec))
      return Status::Error("languages_to_detect: no Tesseract model for '" + code + "' (" + dir + "/" + lang +
                           ".traineddata; Debian package tesseract-ocr-" + lang + ")");
    if (!out.empty()) out += '+';
    out += lang;
  }
  return out;
}

// Tesseract lives in the ocr plugin (src/winnow/plugins/README.md).
using CreateFn = void* (*)(const char*, const char*, char*, size_t);
using FreeFn = void (*)(void*);
using AreaFn = int (*)(void*, const uint8_t*, int, int, int, double*, char*, size_t);

struct ThreadOcr {
  void* api = nullptr;
  FreeFn free_fn = nullptr;
  ~ThreadOcr() {
    if (api) free_fn(api);
  }
};

// The calling thread's Tesseract instance for `langs`, initialised on first use.
Result<void*> ThreadApi(const std::string& langs) {
  thread_local std::map<std::string, std::unique_ptr<ThreadOcr>> apis;
  auto it = apis.find(langs);
  if (it != apis.end()) return it->second->api;
  auto create = PluginFunction<CreateFn>("ocr", "wn_ocr_create");
  if (!create.ok()) return create.status();
  auto free_fn = PluginFunction<FreeFn>("ocr", "wn_ocr_free");
  if (!free_fn.ok()) return free_fn.status();
  char err[512] = "";
  auto t = std::make_unique<ThreadOcr>();
  t->free_fn = *free_fn;
  t->api = (*create)(TessdataDir().c_str(), langs.c_str(), err, sizeof(err));
  if (!t->api) return Status::Error(err);
  return apis.emplace(langs, std::move(t)).first->second->api;
}

class VideoOcrAreaRatioFilter : public VideoListFilter {
 public:
  VideoOcrAreaRatioFilter(const Params& p, const OpEnv& env)
      : VideoListFilter("video_ocr_area_ratio_filter", p, env),
        min_(p.Number("min_area_ratio")), max_(p.Number("max_area_ratio")),
        frames_(static_cast<int>(p.Number("frame_sample_num"))) {
    auto langs = TesseractLanguages(p.Get("languages_to_detect"));
    langs_ = langs.ok() ? *langs : "eng";  // Validate rejected bad values before construction
  }

  Status ComputeStats(Sample& s) const override {
    if (s.stats().Has("video_ocr_area_ratio")) return Status::Ok();
    std::vector<std::string> paths;
    WINNOW_RETURN_IF_ERROR(Paths(s, &paths));
    std::map<std::string, double> unique;
    std::vector<double> ratios;
    for (const std::string& path : paths) {
      auto it = unique.find(path);
      if (it == unique.end()) {
        auto r = VideoRatio(path);
        if (!r.ok()) return r.status();
        it = unique.emplace(path, *r).first;
      }
      ratios.push_back(it->second);
    }
    s.stats().SetRaw("video_ocr_area_ratio", JsonList(ratios, /*integers=*/false));
    return Status::Ok();
  }

  bool Keep(const Sample& s) const override {
    std::vector<bool> keeps;
    for (double d : ListStat(s, "video_ocr_area_ratio")) keeps.push_back(KeepValue(d, min_, max_));
    return Combine(keeps);
  }

  std::string DropReason(const Sample& s) const override {
    return ListReason(s, {{"video_ocr_area_ratio", {min_, max_}}});
  }

 private:
  Result<double> VideoRatio(const std::string& path) const {
    auto frames = media::ExtractFramesUniformly(path, frames_);
    if (!frames.ok()) return frames.status();
    if (frames->empty()) return Status::Error(path + ": no video frame decoded");
    auto api = ThreadApi(langs_);
    if (!api.ok()) return api.status();
    double sum = 0;
    for (const media::VideoFrame& f : *frames) {
      auto r = FrameRatio(*api, f.bgr);
      if (!r.ok()) return r.status().WithContext(path);
      sum += *r;
    }
    return sum / static_cast<double>(frames->size());  // np.mean of the frame ratios
  }

  // Sum of the text lines' box areas / frame area.
  static Result<double> FrameRatio(void* api, const cv::Mat& bgr) {
    if (bgr.empty() || bgr.type() != CV_8UC3) return Status::Error("frame is not 8-bit BGR");
    static auto area_fn = PluginFunction<AreaFn>("ocr", "wn_ocr_text_line_area");
    if (!area_fn.ok()) return area_fn.status();
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);  // DJ hands EasyOCR the PIL (RGB) image
    double text_area = 0;
    char err[512] = "";
    if ((*area_fn)(api, rgb.data, rgb.cols, rgb.rows, static_cast<int>(rgb.step), &text_area, err, sizeof(err)) != 0)
      return Status::Error(std::string("tesseract: ") + err);
    return text_area / (static_cast<double>(bgr.cols) * bgr.rows);
  }

  double min_, max_;
  int frames_;
  std::string langs_;
};

Status Validate(const Params& p) {
  WINNOW_RETURN_IF_ERROR(ValidateAnyOrAll(p));
  auto langs = TesseractLanguages(p.Get("languages_to_detect"));
  return langs.ok() ? Status::Ok() : langs.status();
}

}  // namespace

void RegisterVideoOcrAreaRatioFilter(Registry& r) {
  ParamSpec langs{"languages_to_detect", ParamType::kAny,
                  json::Value::Array({json::Value::String("ch_sim"), json::Value::String("en")}),
                  "languages whose text is detected: EasyOCR codes (ch_sim, en, ...) mapped to Tesseract models, "
                  "or Tesseract names (chi_sim, eng, ...); a string or a list"};
  r.Add({"video_ocr_area_ratio_filter", OpKind::kFilter,
         "Keep samples whose videos' mean detected-text area ratio over uniformly sampled frames is within range "
         "(Tesseract text lines instead of DJ's EasyOCR boxes).",
         {FloatParam("min_area_ratio", 0, "minimum text area ratio"),
          FloatParam("max_area_ratio", 1.0, "maximum text area ratio"),
          Range(IntParam("frame_sample_num", 3, "frames sampled uniformly per video (1: the middle one)"), 0,
                std::nullopt, true),
          langs, AnyOrAllParam()},
         {"video_ocr_area_ratio"},
         [](const Params& p, const OpEnv& e) { return std::make_unique<VideoOcrAreaRatioFilter>(p, e); }, Validate});
}

}  // namespace winnow
