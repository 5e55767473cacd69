// Image dimensions from the file header alone, without decoding a single pixel.
//
// Data-Juicer's image filters (image_shape_filter, image_aspect_ratio_filter, ...) take
// image_width / image_height from PIL's `Image.open(path).size`, which PIL itself fills from the
// header before any decode. Reading those few header bytes ourselves gives the same numbers at
// tens of thousands of images per second instead of the ~100/s of a full decode.
//
// The numbers follow PIL's `.size` semantics (Pillow 9.x), which are not always the "obvious"
// header field:
//   JPEG  the first SOF0..SOF15 frame header (not DHT/JPG/DAC); EXIF orientation is reported
//         separately (below), never applied to width/height.
//   PNG   IHDR (APNG too: the canvas); the IHDR CRC is checked, as PIL does.
//   GIF   the logical screen, grown to cover the first frame when that frame sticks out of it.
//   BMP   12-byte core header (unsigned 16-bit) or INFO/V2..V5 headers (signed 32-bit; a
//         negative height is a top-down bitmap and reports its absolute value).
//   WEBP  VP8 (lossy), VP8L (lossless) or VP8X (extended: the canvas, e.g. of an animation).
//   TIFF  ImageWidth (256) / ImageLength (257) of the first IFD; classic and BigTIFF.
//   PPM   P1..P6 (PIL names PBM/PGM/PPM all "PPM").
//   ICO   the entry PIL opens (largest area, then deepest colour), sized by its embedded PNG/DIB.
//
// EXIF orientation. `.size` is the stored size, but Data-Juicer loads images given by *path*
// through HF datasets' Image feature, which applies `ImageOps.exif_transpose` when the image has
// an Orientation tag (0x0112): orientations 5..8 swap width and height (OrientedSize() below).
// Images given as raw bytes skip that step. `orientation` is what Pillow 9.4's
// `getexif().get(0x0112)` gives after the image is loaded, reduced to 1..8 (1 when absent or when
// exif_transpose would do nothing with it: 0, >8, bytes/ASCII/UNDEFINED types, non-integral
// rationals/floats). Sources, read with Pillow's rules (first value of the tag; a later duplicate
// entry wins; an IFD that runs out, or an out-of-line value that runs past the data, ends the
// directory with the tags read so far; unsupported types skipped):
//   JPEG  the first APP1 segment starting "Exif\0" before SOS (also one after the SOF: PIL reads
//         every marker up to SOS). An EXIF whose TIFF header is "II+" BigTIFF or under 8 bytes
//         makes PIL's open fail (struct.error from getexif, called on open for the DPI) unless a
//         JFIF APP0 already gave the DPI: that is an error here too ("corrupt JPEG: EXIF ...").
//         With the DPI known, a bad EXIF header only fails DJ's path load (exif_unreadable).
//   PNG   the last eXIf chunk before IEND, also after IDAT: the DJ loader calls load() before
//         getexif(), and load() reads the chunks after the image data (in an APNG, up to the
//         second frame's fcTL). Chunks are walked by their lengths, IDAT data never read: past
//         the first 4 KiB that is one 64-byte read per chunk, so a PNG with many IDAT chunks
//         costs many small reads instead of one. Not read: EXIF or XMP carried in text chunks
//         ("Raw profile type exif", "XML:com.adobe.xmp"), which Pillow also consults; they are
//         rare and mostly zlib-compressed.
//   WEBP  the first EXIF chunk of an extended (VP8X) file whose EXIF flag is set (what libwebp's
//         demuxer hands PIL); the "Exif\0\0" prefix is optional.
//   TIFF  tag 274 of the first IFD (Pillow re-reads that IFD as the EXIF; see OrientedSize()).
// In PNG and WebP a bad EXIF TIFF header never fails PIL's open, only getexif(): exif_unreadable.
// Only IFD0 is read, at most 256 entries of it in an EXIF blob (real IFD0s have a few dozen).
// Anything else is "unrecognised image format". Corrupt or truncated input gives an error
// naming the format ("truncated JPEG: ..."); zero or negative dimensions are an error.
//
// The parser never reads out of bounds and always terminates: scanning (JPEG markers, GIF
// extension blocks, PNG and WebP chunks) stops after 64 MiB or 100,000 segments.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include "winnow/core/status.h"

namespace winnow::media {

struct ImageInfo {
  int64_t width = 0;
  int64_t height = 0;
  std::string format;  // PIL's format name: "JPEG", "PNG", "GIF", "BMP", "WEBP", "TIFF", "PPM", "ICO"
  int orientation = 1;  // EXIF Orientation 1..8 as Pillow's getexif() gives it; 1 when absent/invalid
  // An EXIF is present that Pillow's getexif() raises on (its TIFF header is not one, is cut
  // short, or is "II+" BigTIFF): DJ's path loader, which calls getexif(), fails on the image.
  bool exif_unreadable = false;

  bool operator==(const ImageInfo&) const = default;
};

// Orientations 5..8 (transpose, rotate 270, transverse, rotate 90) swap the axes.
inline bool SwapsAxes(int orientation) { return orientation >= 5 && orientation <= 8; }

// The size Data-Juicer sees for an image loaded by path: the datasets Image feature calls
// load(), then getexif(), then exif_transpose when an Orientation is present, so orientations
// 5..8 swap width and height -- except in TIFF, where Pillow's load() has already applied the
// orientation (TiffImageFile.load_end) and exif_transpose applies it a second time, two axis
// swaps that cancel. An EXIF that getexif() raises on fails the load, so it is an error here.
// Images given as raw bytes skip all this: their size is the stored one.
inline Result<ImageInfo> OrientedSize(ImageInfo info) {
  if (info.exif_unreadable) return Status::Error("corrupt " + info.format + ": EXIF data PIL cannot read");
  if (SwapsAxes(info.orientation) && info.format != "TIFF") std::swap(info.width, info.height);
  return info;
}

// `read(offset, n, out)` appends up to n bytes of the input starting at `offset` to *out and
// returns how many it appended; 0 means end of input. Short reads are fine (it is called again).
using ReadFn = std::function<size_t(uint64_t offset, size_t n, std::string* out)>;

// Parses the header, asking `read` for 4 KiB at a time and only for the parts it needs: a JPEG
// whose SOF comes after a large EXIF/APP segment costs a second small read past that segment,
// not a read of the segment.
Result<ImageInfo> ReadImageHeader(const ReadFn& read);

// Opens `path` and reads its header with pread (a 4 KiB first chunk). Errors name the path.
Result<ImageInfo> ReadImageHeaderFile(const std::string& path);

// From bytes in memory (e.g. a sample's image bytes); reads nothing past the header.
Result<ImageInfo> ReadImageHeaderBytes(std::string_view bytes);

}  // namespace winnow::media
