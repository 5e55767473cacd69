// image_shape_filter: keeps samples whose images' width and height are in range. Sizes come
// from the file header (no pixel decode): the numbers PIL's size gives after DJ's full decode.
#include "winnow/ops/image/image_filter.h"
#include "winnow/ops/registry.h"

namespace winnow {
namespace {

class ImageShapeFilter : public ImageListFilter {
 public:
  ImageShapeFilter(const Params& p, const OpEnv& env)
      : ImageListFilter("image_shape_filter", p, env),
        min_w_(p.Number("min_width")), max_w_(p.Number("max_width")),
        min_h_(p.Number("min_height")), max_h_(p.Number("max_height")) {}

  Status ComputeStats(Sample& s) const override {
    if (s.stats().Has("image_width") && s.stats().Has("image_height")) return Status::Ok();
    std::vector<double> ws, hs;
    WINNOW_RETURN_IF_ERROR(HeaderSizes(s, &ws, &hs));
    s.stats().SetRaw("image_width", JsonList(ws));
    s.stats().SetRaw("image_height", JsonList(hs));
    return Status::Ok();
  }

  bool Keep(const Sample& s) const override {
    std::vector<double> ws = ListStat(s, "image_width"), hs = ListStat(s, "image_height");
    std::vector<bool> keeps;
    for (size_t i = 0; i < ws.size() && i < hs.size(); ++i)
      keeps.push_back(KeepValue(ws[i], min_w_, max_w_) && KeepValue(hs[i], min_h_, max_h_));
    return Combine(keeps);
  }

  std::string DropReason(const Sample& s) const override {
    return ListReason(s, {{"image_width", {min_w_, max_w_}}, {"image_height", {min_h_, max_h_}}});
  }

 private:
  double min_w_, max_w_, min_h_, max_h_;
};

}  // namespace

void RegisterImageShapeFilter(Registry& r) {
  r.Add({"image_shape_filter", OpKind::kFilter,
         "Keep samples whose images' width and height are within range (read from the file headers, no decode).",
         {IntParam("min_width", 1, "minimum image width"), IntParam("max_width", kPyMaxSize, "maximum image width"),
          IntParam("min_height", 1, "minimum image height"),
          IntParam("max_height", kPyMaxSize, "maximum image height"), AnyOrAllParam()},
         {"image_width", "image_height"},
         [](const Params& p, const OpEnv& e) { return std::make_unique<ImageShapeFilter>(p, e); },
         ValidateAnyOrAll});
}

}  // namespace winnow
