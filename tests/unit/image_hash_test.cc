// imagededup hashes and PIL resampling on small generated images.
//
// Expected values were produced once with the Python oracle of bench/image_hash_parity.py
// (imagededup's own hashing.py, Pillow 9.4.0, numpy 1.24, scipy 1.10, pywt 1.1.1):
//   hasher.encode_image(image_array=arr) for PHash, DHash, WHash, AHash, where `arr` is built by
//   the same formulas as below (RGBA: arr[..., :3], as DJ's convert("RGB") would give), and
//   np.asarray(Image.fromarray(g).resize(size, filter)) / .convert('L') for the PIL checks.
#include "winnow/media/image_hash.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "winnow/media/pil_image.h"

namespace winnow::media {
namespace {

struct Image {
  int w, h, c;
  std::vector<uint8_t> px;
};

// Channel formulas shared with the oracle: (x*7+y*13), (x*x+y), (x*y+5x+11), (x+2y), mod 256.
Image Formula(int w, int h, int c) {
  Image im{w, h, c, {}};
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const int v[4] = {(x * 7 + y * 13) % 256, (x * x + y) % 256, (x * y + 5 * x + 11) % 256,
                        (x + 2 * y) % 256};
      for (int k = 0; k < c; ++k) im.px.push_back(static_cast<uint8_t>(v[k]));
    }
  }
  return im;
}

// s = (s*1103515245 + 12345) mod 2^31, byte = (s >> 16) & 255 (mirrored in the oracle).
std::vector<uint8_t> LcgBytes(size_t n, uint64_t seed) {
  std::vector<uint8_t> out(n);
  for (auto& b : out) {
    seed = (seed * 1103515245 + 12345) % (uint64_t{1} << 31);
    b = static_cast<uint8_t>((seed >> 16) & 255);
  }
  return out;
}

std::vector<std::string> AllHashes(const Image& im) {
  std::vector<std::string> out;
  for (auto m : {ImageHashMethod::kPHash, ImageHashMethod::kDHash, ImageHashMethod::kWHash,
                 ImageHashMethod::kAHash}) {
    out.push_back(ImageHash(m, im.px.data(), im.w, im.h, im.c));
  }
  return out;
}

using Hashes = std::vector<std::string>;  // phash, dhash, whash, ahash

TEST(ImageHashTest, ParseMethod) {
  EXPECT_EQ(*ParseImageHashMethod("phash"), ImageHashMethod::kPHash);
  EXPECT_EQ(*ParseImageHashMethod("dhash"), ImageHashMethod::kDHash);
  EXPECT_EQ(*ParseImageHashMethod("whash"), ImageHashMethod::kWHash);
  EXPECT_EQ(*ParseImageHashMethod("ahash"), ImageHashMethod::kAHash);
  EXPECT_FALSE(ParseImageHashMethod("PHash").ok());
  EXPECT_FALSE(ParseImageHashMethod("md5").ok());
}

TEST(ImageHashTest, OnePixel) {
  Image im{1, 1, 3, {200, 100, 50}};
  EXPECT_EQ(AllHashes(im),
            (Hashes{"ffffffffffffffff", "0000000000000000", "ffffffffffffffff", "ffffffffffffffff"}));
}

TEST(ImageHashTest, VeryWideAndVeryTall) {
  EXPECT_EQ(AllHashes(Formula(1000, 3, 3)),
            (Hashes{"aa015eeda1b2b67a", "858585c1c1858585", "4a4a4a6a6a7e5e5a", "01010029297f7f7f"}));
  EXPECT_EQ(AllHashes(Formula(2, 500, 3)),
            (Hashes{"bb433d40d4bc3f68", "7fffff7f5a7fff7f", "0000ffff0000ffff", "0000ffff0000ffff"}));
}

TEST(ImageHashTest, Grayscale) {
  Image im{37, 23, 1, {}};
  for (int y = 0; y < 23; ++y) {
    for (int x = 0; x < 37; ++x) im.px.push_back(static_cast<uint8_t>((x * x + 3 * y * y + x * y) % 256));
  }
  EXPECT_EQ(AllHashes(im),
            (Hashes{"8707030b1f1efafc", "e8d62444b1912a15", "2c23de32bd41af8c", "2c6bd6b6df59cfdf"}));
  // DJ converts grayscale files to RGB first: the R=G=B expansion must hash the same.
  Image rgb{37, 23, 3, {}};
  for (uint8_t v : im.px) rgb.px.insert(rgb.px.end(), {v, v, v});
  EXPECT_EQ(AllHashes(rgb), AllHashes(im));
}

TEST(ImageHashTest, RgbaDropsAlpha) {
  const Image rgba = Formula(50, 40, 4);
  EXPECT_EQ(AllHashes(rgba),
            (Hashes{"810d364b1eb1f7b9", "d2c6d6f8d3c79cdc", "38336b1e38734f1c", "3833671e38716f1e"}));
  EXPECT_EQ(AllHashes(rgba), AllHashes(Formula(50, 40, 3)));
}

TEST(ImageHashTest, Noise) {
  Image im{64, 48, 3, LcgBytes(64 * 48 * 3, 42)};
  EXPECT_EQ(AllHashes(im),
            (Hashes{"e25b5419ee9b3646", "51956d5ba53ab2a4", "4874a5b1750770f7", "0858a5a9750f7ef6"}));
}

// Flat and mirror-symmetric images make DCT/wavelet coefficients tie with the median; only a
// transform rounded exactly like scipy's/pywt's gets these right.
TEST(ImageHashTest, TiesInFlatAndSymmetricImages) {
  Image flat{20, 20, 1, std::vector<uint8_t>(400, 128)};
  EXPECT_EQ(AllHashes(flat),
            (Hashes{"ffffffffffffffff", "0000000000000000", "ffffffffffffffff", "ffffffffffffffff"}));
  // Left half: 20x30 LCG(seed 7) RGB; right half: its mirror image.
  const std::vector<uint8_t> half = LcgBytes(30 * 20 * 3, 7);
  Image mirror{40, 30, 3, {}};
  for (int y = 0; y < 30; ++y) {
    for (int x = 0; x < 40; ++x) {
      const int sx = x < 20 ? x : 39 - x;
      for (int k = 0; k < 3; ++k) mirror.px.push_back(half[(y * 20 + sx) * 3 + k]);
    }
  }
  EXPECT_EQ(AllHashes(mirror),
            (Hashes{"fd7d5dd775d77f5f", "aaaa4d9655556917", "815aa54281e77edb", "81db8142c3e7bd81"}));
}

TEST(ImageHashTest, ExactTargetSizeSkipsResampling) {
  EXPECT_EQ(AllHashes(Formula(32, 32, 3)),
            (Hashes{"86168d376be62d5a", "eeece1ec6de6e4e3", "171e303717173e33", "171e3137171f3e39"}));
}

TEST(PilImageTest, ToLuma) {
  const std::vector<uint8_t> rgb = {255, 0, 0, 0, 255, 0, 0, 0, 255, 12, 200, 77};
  EXPECT_EQ(ToLuma(rgb.data(), 4, 1, 3), (std::vector<uint8_t>{76, 150, 29, 130}));
  const std::vector<uint8_t> rgba = {255, 0, 0, 9, 0, 255, 0, 9, 0, 0, 255, 9, 12, 200, 77, 0};
  EXPECT_EQ(ToLuma(rgba.data(), 4, 1, 4), (std::vector<uint8_t>{76, 150, 29, 130}));
}

TEST(PilImageTest, ResizeEveryFilterFromOneRow) {
  const std::vector<uint8_t> g = {0, 50, 100, 150, 200, 250, 255, 10, 20, 30};
  auto row3 = [](std::vector<uint8_t> r) {
    std::vector<uint8_t> out;
    for (int i = 0; i < 3; ++i) out.insert(out.end(), r.begin(), r.end());
    return out;
  };
  EXPECT_EQ(ResizeL(g, 10, 1, 4, 3, ResampleFilter::kNearest), row3({50, 150, 255, 20}));
  EXPECT_EQ(ResizeL(g, 10, 1, 4, 3, ResampleFilter::kBox), row3({50, 175, 172, 25}));
  EXPECT_EQ(ResizeL(g, 10, 1, 4, 3, ResampleFilter::kBilinear), row3({50, 162, 189, 32}));
  EXPECT_EQ(ResizeL(g, 10, 1, 4, 3, ResampleFilter::kHamming), row3({42, 163, 210, 23}));
  EXPECT_EQ(ResizeL(g, 10, 1, 4, 3, ResampleFilter::kBicubic), row3({40, 170, 199, 18}));
  EXPECT_EQ(ResizeL(g, 10, 1, 4, 3, ResampleFilter::kLanczos), row3({34, 177, 201, 12}));
}

TEST(PilImageTest, ResizeTwoPasses) {
  std::vector<uint8_t> g;  // 6x5, (x*40 + y*y*9) mod 256
  for (int y = 0; y < 5; ++y) {
    for (int x = 0; x < 6; ++x) g.push_back(static_cast<uint8_t>((x * 40 + y * y * 9) % 256));
  }
  EXPECT_EQ(ResizeL(g, 6, 5, 4, 7, ResampleFilter::kLanczos),
            (std::vector<uint8_t>{10,  69,  131, 190, 13,  72,  135, 189, 25,  84,
                                  142, 216, 46,  105, 167, 226, 72,  129, 245, 139,
                                  126, 176, 142, 75,  161, 207, 11,  76}));
  EXPECT_EQ(ResizeL(g, 6, 5, 4, 7, ResampleFilter::kBicubic),
            (std::vector<uint8_t>{11,  67,  131, 187, 15,  71,  135, 191, 27,  83,
                                  147, 208, 48,  104, 168, 224, 78,  135, 224, 134,
                                  125, 175, 141, 82,  162, 204, 20,  72}));
  EXPECT_EQ(ResizeL(g, 6, 5, 6, 5, ResampleFilter::kLanczos), g);  // same size: a copy
}

}  // namespace
}  // namespace winnow::media
