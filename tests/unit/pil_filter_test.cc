// Pillow-exact blur filters (Data-Juicer's image_blur_mapper / image_face_blur_mapper).
// Every expected array below was produced by Pillow 9.4.0 (/usr/bin/python3, Debian) on the same
// generated pattern: Image.fromarray(pattern).filter(ImageFilter.BLUR / BoxBlur(r) /
// GaussianBlur(r)), printed with np.asarray(...).tobytes(); the 97x61 cases compare the
// 64-bit FNV-1a of Pillow's output bytes. bench/pil_filter_parity.py checks many more inputs.
#include "winnow/media/pil_filter.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace winnow::media {
namespace {

// pattern(x, y, c) = ((29x + 47y + 83c) ^ 5xy) & 255: noisy, so every filter changes it.
Rgb8Image Pattern(int w, int h) {
  Rgb8Image img(w, h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < 3; ++c)
        img.px[(y * w + x) * 3 + c] = static_cast<uint8_t>(((x * 29 + y * 47 + c * 83) ^ (x * y * 5)) & 255);
  return img;
}

uint64_t Fnv1a(const std::vector<uint8_t>& b) {
  uint64_t h = 1469598103934665603ull;
  for (uint8_t v : b) h = (h ^ v) * 1099511628211ull;
  return h;
}

template <size_t N>
std::vector<uint8_t> Vec(const uint8_t (&a)[N]) {
  return std::vector<uint8_t>(a, a + N);
}

constexpr uint8_t kBlur7x6[] = {
    0, 83, 166, 29, 112, 195, 58, 141, 224, 87, 170, 253, 116, 199, 26, 145, 228, 55, 174, 1, 84,
    47, 130, 213, 73, 154, 247, 99, 182, 5, 137, 214, 35, 183, 226, 93, 217, 10, 127, 195, 46, 157,
    94, 177, 4, 113, 196, 43, 114, 128, 132, 120, 142, 143, 113, 146, 125, 221, 112, 167, 48, 99, 142,
    141, 224, 51, 165, 242, 95, 107, 143, 122, 103, 150, 125, 105, 147, 123, 85, 58, 143, 97, 212, 187,
    188, 15, 98, 205, 56, 107, 222, 97, 180, 47, 90, 133, 96, 211, 134, 41, 196, 151, 18, 197, 104,
    235, 62, 145, 17, 66, 183, 23, 74, 249, 9, 222, 163, 59, 214, 97, 1, 178, 95, 15, 122, 169,
};
constexpr uint8_t kBox15[] = {
    38, 121, 165, 55, 135, 165, 81, 151, 154, 112, 164, 127, 138, 150, 110, 155, 115, 97, 164, 78, 97,
    67, 146, 130, 84, 148, 131, 107, 148, 127, 132, 144, 115, 148, 127, 112, 152, 107, 112, 150, 89, 119,
    107, 151, 108, 120, 144, 108, 133, 137, 111, 145, 127, 111, 144, 115, 118, 135, 114, 128, 126, 113, 138,
    142, 133, 96, 141, 127, 104, 138, 123, 112, 135, 120, 120, 121, 119, 127, 102, 130, 136, 87, 139, 144,
    159, 108, 111, 141, 106, 127, 118, 114, 137, 100, 124, 141, 82, 136, 139, 64, 151, 138, 52, 157, 144,
    165, 75, 142, 129, 86, 157, 91, 114, 160, 65, 140, 155, 49, 161, 142, 38, 170, 135, 30, 162, 140,
};
constexpr uint8_t kBox03[] = {
    14, 97, 180, 37, 120, 195, 66, 149, 193, 97, 178, 174, 128, 196, 77, 157, 157, 68, 175, 43, 93,
    52, 135, 171, 73, 156, 165, 100, 178, 86, 137, 175, 76, 178, 158, 87, 193, 86, 116, 171, 52, 137,
    98, 181, 59, 117, 193, 76, 145, 169, 63, 172, 86, 78, 195, 70, 105, 176, 86, 144, 105, 105, 154,
    145, 180, 58, 166, 170, 86, 189, 87, 114, 162, 57, 136, 115, 92, 140, 97, 114, 150, 79, 170, 161,
    183, 69, 102, 171, 84, 127, 158, 84, 163, 93, 114, 149, 73, 171, 135, 48, 175, 136, 34, 182, 133,
    193, 56, 142, 86, 65, 175, 50, 98, 209, 34, 178, 162, 46, 205, 114, 21, 179, 115, 14, 145, 147,
};
constexpr uint8_t kBox20[] = {
    99, 83, 140, 99, 82, 140, 99, 82, 139, 99, 82, 138, 99, 81, 138, 99, 81, 137, 99, 80, 137,
    100, 84, 141, 100, 83, 140, 100, 83, 140, 99, 83, 139, 99, 82, 139, 99, 82, 138, 99, 82, 137,
    102, 85, 141, 101, 84, 141, 101, 84, 140, 100, 84, 140, 100, 84, 139, 99, 83, 139, 99, 83, 138,
    103, 85, 142, 102, 85, 142, 102, 85, 141, 101, 85, 141, 100, 85, 140, 99, 84, 140, 99, 84, 139,
    104, 86, 142, 103, 86, 142, 103, 86, 141, 101, 86, 141, 100, 86, 141, 100, 85, 140, 99, 86, 140,
    106, 87, 143, 105, 87, 143, 103, 87, 142, 102, 87, 142, 101, 87, 142, 100, 87, 141, 99, 87, 141,
};
constexpr uint8_t kGauss2[] = {
    76, 138, 142, 86, 140, 138, 101, 140, 132, 118, 137, 124, 132, 128, 118, 142, 116, 113, 147, 107, 111,
    89, 137, 133, 97, 138, 131, 108, 137, 127, 120, 134, 123, 129, 127, 120, 134, 118, 118, 137, 112, 118,
    107, 133, 125, 111, 132, 125, 115, 132, 124, 119, 131, 124, 121, 128, 124, 120, 123, 125, 119, 121, 125,
    124, 124, 122, 121, 124, 124, 118, 127, 126, 113, 129, 128, 107, 131, 129, 101, 131, 131, 96, 132, 132,
    134, 112, 126, 126, 115, 128, 115, 121, 131, 103, 129, 133, 91, 135, 135, 81, 140, 136, 74, 143, 136,
    139, 103, 131, 127, 109, 134, 111, 118, 137, 93, 129, 139, 78, 140, 139, 66, 147, 139, 59, 152, 138,
};
constexpr uint8_t kGauss07[] = {
    17, 100, 178, 39, 122, 192, 68, 150, 186, 98, 174, 171, 130, 189, 78, 157, 154, 73, 172, 48, 93,
    53, 136, 170, 74, 155, 166, 102, 175, 87, 136, 172, 81, 175, 157, 88, 189, 87, 116, 171, 56, 137,
    98, 177, 61, 118, 188, 78, 145, 168, 66, 168, 88, 83, 190, 75, 103, 173, 90, 142, 106, 105, 150,
    145, 177, 63, 162, 168, 91, 183, 88, 115, 159, 63, 136, 114, 97, 139, 98, 112, 148, 80, 167, 160,
    181, 68, 102, 168, 84, 125, 157, 87, 160, 92, 115, 148, 77, 170, 134, 49, 173, 136, 36, 181, 133,
    190, 58, 142, 89, 69, 172, 57, 97, 206, 36, 174, 161, 48, 199, 118, 21, 177, 116, 16, 147, 147,
};
constexpr uint8_t kCropGauss12[] = {
    0, 83, 166, 29, 112, 195, 58, 141, 224, 87, 170, 253, 116, 199, 26, 145, 228, 55, 174, 1, 84,
    203, 30, 113, 232, 59, 142, 47, 130, 213, 73, 154, 247, 143, 162, 49, 157, 144, 68, 173, 116, 98,
    174, 94, 124, 165, 88, 139, 159, 92, 142, 63, 66, 149, 94, 177, 4, 113, 196, 43, 153, 131, 77,
    156, 120, 90, 156, 108, 112, 146, 103, 132, 131, 106, 144, 122, 110, 146, 22, 201, 188, 141, 224, 51,
    165, 242, 95, 151, 103, 119, 139, 106, 122, 123, 114, 129, 103, 125, 140, 85, 132, 149, 75, 134, 154,
    13, 176, 99, 188, 15, 98, 205, 56, 107, 119, 102, 158, 103, 121, 147, 82, 141, 138, 63, 152, 141,
    49, 151, 153, 42, 147, 166, 4, 87, 234, 235, 62, 145, 17, 66, 183, 82, 116, 180, 71, 142, 159,
    54, 164, 138, 40, 169, 138, 30, 158, 158, 26, 150, 177, 27, 238, 177, 26, 109, 192, 41, 148, 195,
    104, 155, 198, 43, 158, 77, 246, 153, 76, 61, 104, 199, 124, 175, 218, 55, 234, 89, 242, 165, 88,
    73, 156, 239, 69, 154, 47, 197, 144, 111, 201, 154, 47, 49, 156, 239, 117, 130, 47, 37, 152, 79,
    225, 146, 79, 41, 156, 207,
};

TEST(PilFilter, BlurKernelMatchesPillow) {
  Rgb8Image img = Pattern(7, 6);
  BlurKernel(img);
  EXPECT_EQ(img.px, Vec(kBlur7x6));  // two outer rows/columns unchanged, inner 3x2 blurred
}

TEST(PilFilter, BlurKernelLeavesSmallImagesAlone) {
  // ImagingFilter copies an image smaller than the 5x5 kernel (Pillow: 4x9 comes back equal).
  Rgb8Image img = Pattern(4, 9);
  const std::vector<uint8_t> before = img.px;
  BlurKernel(img);
  EXPECT_EQ(img.px, before);
}

TEST(PilFilter, BoxBlurMatchesPillow) {
  struct Case { double r; std::vector<uint8_t> want; };
  for (const Case& c : {Case{1.5, Vec(kBox15)}, Case{0.3, Vec(kBox03)}, Case{20, Vec(kBox20)}}) {
    Rgb8Image img = Pattern(7, 6);
    BoxBlur(img, c.r);
    EXPECT_EQ(img.px, c.want) << "radius " << c.r;
  }
}

TEST(PilFilter, RadiusZeroIsIdentity) {
  Rgb8Image img = Pattern(7, 6);
  const std::vector<uint8_t> before = img.px;
  BoxBlur(img, 0);
  EXPECT_EQ(img.px, before);
  GaussianBlur(img, 0);
  EXPECT_EQ(img.px, before);
}

TEST(PilFilter, GaussianBlurMatchesPillow) {
  Rgb8Image a = Pattern(7, 6);
  GaussianBlur(a, 2);
  EXPECT_EQ(a.px, Vec(kGauss2));
  Rgb8Image b = Pattern(7, 6);
  GaussianBlur(b, 0.7);
  EXPECT_EQ(b.px, Vec(kGauss07));
}

TEST(PilFilter, SubViewIsCropFilterPaste) {
  // image_face_blur_mapper: out.paste(img.crop((2, 1, 8, 6)).filter(GaussianBlur(1.2)), box).
  Rgb8Image img = Pattern(9, 8);
  GaussianBlur(Rgb8View(img).Sub(2, 1, 6, 5), 1.2);
  EXPECT_EQ(img.px, Vec(kCropGauss12));
}

TEST(PilFilter, LargerImagesMatchPillowHashes) {
  Rgb8Image a = Pattern(97, 61);
  BlurKernel(a);
  EXPECT_EQ(Fnv1a(a.px), 0x750ea6142277548ull);
  Rgb8Image b = Pattern(97, 61);
  BoxBlur(b, 3.75);
  EXPECT_EQ(Fnv1a(b.px), 0xa3bda01241e20f2bull);
  Rgb8Image c = Pattern(97, 61);
  GaussianBlur(c, 3.3);
  EXPECT_EQ(Fnv1a(c.px), 0x6b50705ea90c0dd2ull);
  Rgb8Image d = Pattern(97, 61);
  GaussianBlur(d, 25);  // box radius ~24.5: most windows reach past the 61-row edge
  EXPECT_EQ(Fnv1a(d.px), 0x7fa4cfe95f8bc36bull);
}

TEST(PilFilter, StridedViewTouchesOnlyItsPixels) {
  // Rows padded to 32 bytes: the padding must survive and the pixels must match a packed image.
  Rgb8Image packed = Pattern(7, 6);
  std::vector<uint8_t> padded(32 * 6, 0xEE);
  for (int y = 0; y < 6; ++y)
    for (int i = 0; i < 21; ++i) padded[y * 32 + i] = packed.px[y * 21 + i];
  GaussianBlur(Rgb8View(padded.data(), 7, 6, 32), 2);
  for (int y = 0; y < 6; ++y) {
    for (int i = 0; i < 21; ++i) EXPECT_EQ(padded[y * 32 + i], kGauss2[y * 21 + i]);
    for (int i = 21; i < 32; ++i) EXPECT_EQ(padded[y * 32 + i], 0xEE);
  }
}

TEST(PilFilter, GaussianBoxRadiusFollowsPillowFloatMaths) {
  // Pillow does not expose this radius; these are ImagingGaussianBlur's formula evaluated
  // step by step in numpy float32 (a cross-check of the float/double mix, not a Pillow output).
  EXPECT_FLOAT_EQ(GaussianBoxRadius(0.5f), 0.04545454680919647f);
  EXPECT_FLOAT_EQ(GaussianBoxRadius(2.0f), 1.375f);
  EXPECT_FLOAT_EQ(GaussianBoxRadius(3.3f), 2.758845329284668f);
  EXPECT_FLOAT_EQ(GaussianBoxRadius(25.0f), 24.489999771118164f);
}

}  // namespace
}  // namespace winnow::media
