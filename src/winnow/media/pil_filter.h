// Pillow 9.4's blur filters on 8-bit RGB, bit for bit.
//
// Data-Juicer's image_blur_mapper and image_face_blur_mapper run
// `img.convert('RGB').filter(f)` with f one of
//   "mean"      ImageFilter.BLUR             -> BlurKernel()
//   "box"       ImageFilter.BoxBlur(radius)  -> BoxBlur()
//   "gaussian"  ImageFilter.GaussianBlur(r)  -> GaussianBlur()
// and saves the result, so the output pixels are the op's result. These functions reproduce
// Pillow's integer/float arithmetic exactly (same rounding, same edge handling), so a blurred
// image is byte-identical to Data-Juicer's before encoding.
//
// What Pillow does, in short (libImaging/BoxBlur.c, Filter.c):
//  - BoxBlur(r): one horizontal then one vertical pass of a box of width 2r+1 where r may be
//    fractional: the r integer neighbours each side weigh 1, the next one (r - floor r); edges
//    repeat the edge pixel. Weights are 8.24 fixed point, each pass rounds to uint8.
//  - GaussianBlur(sigma): three horizontal then three vertical passes of that box, with the
//    radius from Gwosdek et al. ("Theoretical foundations of Gaussian convolution by extended
//    box filtering"), computed in float as Pillow does.
//  - BLUR: the 5x5 kernel whose ring weighs 1/16 each (centre 3x3 is zero), rounded half up;
//    the outer two rows/columns are copied unchanged, and an image under 5x5 is unchanged.
// The radius arrives in Pillow as a C float (PyArg "f"), so a double radius is first narrowed
// to float here too. Radii must be >= 0 and finite (the ops validate that at load time).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace winnow::media {

// An owned, tightly packed interleaved RGB image (row-major, 3 bytes per pixel).
struct Rgb8Image {
  int w = 0;
  int h = 0;
  std::vector<uint8_t> px;  // size w * h * 3

  Rgb8Image() = default;
  Rgb8Image(int width, int height)
      : w(width), h(height), px(static_cast<size_t>(width) * height * 3) {}
};

// A mutable window onto interleaved RGB pixels: `stride` bytes between rows (>= 3 * w). A
// sub-rectangle of a larger image is a view with the parent's stride; filtering it treats its
// borders as the image edge, exactly like Pillow's `image.crop(box).filter(f)` that
// image_face_blur_mapper pastes back.
struct Rgb8View {
  uint8_t* data = nullptr;
  int w = 0;
  int h = 0;
  ptrdiff_t stride = 0;

  Rgb8View() = default;
  Rgb8View(uint8_t* d, int width, int height, ptrdiff_t row_stride)
      : data(d), w(width), h(height), stride(row_stride) {}
  Rgb8View(Rgb8Image& img)  // NOLINT: implicit by design
      : data(img.px.data()), w(img.w), h(img.h), stride(static_cast<ptrdiff_t>(img.w) * 3) {}
  // The view of the rectangle [x, x + width) x [y, y + height) (caller keeps it in bounds).
  Rgb8View Sub(int x, int y, int width, int height) const {
    return Rgb8View(data + y * stride + x * 3, width, height, stride);
  }
};

// ImageFilter.BoxBlur(radius), in place.
void BoxBlur(Rgb8View img, double radius);
// ImageFilter.GaussianBlur(radius), in place.
void GaussianBlur(Rgb8View img, double radius);
// ImageFilter.BLUR (Data-Juicer's "mean"), in place.
void BlurKernel(Rgb8View img);

// The fractional box radius Pillow's GaussianBlur uses for each of its 3 passes (exposed for
// tests; computed in float exactly like ImagingGaussianBlur).
float GaussianBoxRadius(float sigma, int passes = 3);

}  // namespace winnow::media
