// The perceptual image hashes of the `imagededup` library (PHash, DHash, WHash, AHash), as
// Data-Juicer's image_deduplicator computes them: hasher.encode_image(image_array=np.array(img))
// with img = PIL.Image.open(...).convert("RGB"). DJ treats equal hash strings as duplicates,
// so ImageHash returns imagededup's exact 16-hex-digit string, bit for bit.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "winnow/core/status.h"

namespace winnow::media {

enum class ImageHashMethod { kPHash, kDHash, kWHash, kAHash };

// DJ's `method` parameter: "phash", "dhash", "whash" or "ahash" (exact, lower case, as DJ
// checks membership in a set before mapping it).
Result<ImageHashMethod> ParseImageHashMethod(std::string_view name);

// imagededup's encode_image(image_array=...) on a row-major, interleaved 8-bit image.
// channels: 3 = RGB (DJ's case), 1 = grayscale (same hash as its RGB expansion), 4 = RGBA, whose
// alpha is dropped without compositing, as DJ's convert("RGB") does. The image is resized in its
// own mode with PIL's LANCZOS filter (to 32x32, 9x8, 256x256, 8x8) and only then converted to
// 'L', as imagededup's preprocess_image does. Requires w, h >= 1.
std::string ImageHash(ImageHashMethod method, const uint8_t* pixels, int w, int h, int channels);

}  // namespace winnow::media
