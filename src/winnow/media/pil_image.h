// Bit-exact re-implementations of the few Pillow (PIL 9.4) image operations that Data-Juicer's
// ops feed into hashes and thresholds: RGB -> 'L' conversion and Image.resize on 8-bit images.
// Exactness matters because DJ compares the results for equality (image_deduplicator hashes
// the resized image); "close enough" resampling would change which samples count as duplicates.
#pragma once

#include <cstdint>
#include <vector>

namespace winnow::media {

// PIL's Image.Resampling filters (the numeric values are not PIL's; use the names).
enum class ResampleFilter { kNearest, kBox, kBilinear, kHamming, kBicubic, kLanczos };

// PIL's convert('L'): for RGB(A) pixels L = (R*19595 + G*38470 + B*7471 + 0x8000) >> 16, the
// fixed-point ITU-R 601-2 luma of Convert.c (alpha is ignored, not composited); 1-channel input
// is copied. `pixels` is row-major, interleaved, `channels` in {1, 3, 4}.
std::vector<uint8_t> ToLuma(const uint8_t* pixels, int w, int h, int channels);

// PIL's Image.resize((out_w, out_h), filter) on an interleaved 8-bit image whose channels are
// resampled independently, as PIL does for 'L', 'RGB' and 'CMYK' (1..4 channels). PIL
// premultiplies alpha for 'RGBA'/'LA' first; this function does not, so for RGBA input drop or
// premultiply alpha yourself. Same size returns a copy, as PIL does.
std::vector<uint8_t> Resize(const uint8_t* pixels, int w, int h, int channels, int out_w,
                            int out_h, ResampleFilter filter);

// Resize of a 1-channel ('L') image.
std::vector<uint8_t> ResizeL(const std::vector<uint8_t>& gray, int w, int h, int out_w, int out_h,
                             ResampleFilter filter);

}  // namespace winnow::media
