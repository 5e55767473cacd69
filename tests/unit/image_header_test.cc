// Header-only image sizes: every format is built byte by byte here and must give PIL's `.size`;
// every prefix of every header must give that answer or an error (never a crash or a wrong
// size); mutated and garbage input must fail cleanly; file reading must seek past large JPEG
// segments rather than read them. Data-Juicer's own test images, when present, must match the
// sizes PIL 9.4 reported for them.
#include "winnow/media/image_header.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <unistd.h>

namespace winnow::media {
namespace {

namespace fs = std::filesystem;

// ------------------------------------------------------------------------------- byte helpers

std::string Be16(uint32_t v) { return {static_cast<char>(v >> 8), static_cast<char>(v)}; }
std::string Be32(uint32_t v) { return Be16(v >> 16) + Be16(v & 0xFFFF); }
std::string Le16(uint32_t v) { return {static_cast<char>(v), static_cast<char>(v >> 8)}; }
std::string Le32(uint32_t v) { return Le16(v & 0xFFFF) + Le16(v >> 16); }
std::string Le24(uint32_t v) { return Le16(v & 0xFFFF) + std::string(1, static_cast<char>(v >> 16)); }
std::string Le64(uint64_t v) { return Le32(static_cast<uint32_t>(v)) + Le32(static_cast<uint32_t>(v >> 32)); }
std::string Be64(uint64_t v) { return Be32(static_cast<uint32_t>(v >> 32)) + Be32(static_cast<uint32_t>(v)); }

// Bit-at-a-time CRC-32 (PNG's polynomial), independent of the table the parser uses.
uint32_t Crc32(const std::string& s) {
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : s) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
  }
  return ~c;
}

ImageInfo Info(int64_t w, int64_t h, const char* format) { return ImageInfo{w, h, format}; }

// Parses bytes, expecting success.
ImageInfo Ok(const std::string& bytes) {
  auto r = ReadImageHeaderBytes(bytes);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : ImageInfo{};
}

// Parses bytes, expecting an error; returns its message.
std::string Err(const std::string& bytes) {
  auto r = ReadImageHeaderBytes(bytes);
  EXPECT_FALSE(r.ok()) << "got " << (r.ok() ? std::to_string(r->width) + "x" + std::to_string(r->height) : "");
  return r.ok() ? "" : r.status().message();
}

// A reader over `data` that hands out at most `max_piece` bytes per call and records requests.
struct FakeFile {
  explicit FakeFile(std::string d, size_t piece = static_cast<size_t>(-1)) : data(std::move(d)), max_piece(piece) {}

  std::string data;
  size_t max_piece;
  std::vector<std::pair<uint64_t, size_t>> requests;

  ReadFn Reader() {
    return [this](uint64_t offset, size_t n, std::string* out) -> size_t {
      requests.emplace_back(offset, n);
      if (offset >= data.size()) return 0;
      const size_t k = std::min({n, max_piece, static_cast<size_t>(data.size() - offset)});
      out->append(data, offset, k);
      return k;
    };
  }
};

// ------------------------------------------------------------------------------- format makers

std::string PngChunk(const std::string& type, const std::string& data) {
  return Be32(static_cast<uint32_t>(data.size())) + type + data + Be32(Crc32(type + data));
}
std::string Ihdr(uint32_t w, uint32_t h) {
  return PngChunk("IHDR", Be32(w) + Be32(h) + std::string("\x08\x02\x00\x00\x00", 5));  // 8-bit RGB
}
const std::string kPngSig("\x89PNG\r\n\x1a\n", 8);
const std::string kIcoHead("\0\0\1\0", 4);
std::string Png(uint32_t w, uint32_t h) {
  return kPngSig + Ihdr(w, h) + PngChunk("IDAT", std::string("\x78\x9c\x03\x00\x00\x00\x00\x01", 8)) +
         PngChunk("IEND", "");
}

// A JPEG segment: FF, marker, 16-bit length (payload + 2), payload.
std::string Seg(uint8_t marker, const std::string& payload) {
  return std::string("\xFF", 1) + static_cast<char>(marker) + Be16(static_cast<uint32_t>(payload.size() + 2)) +
         payload;
}
std::string SofPayload(uint32_t w, uint32_t h) {
  // P=8, Y=h, X=w, Nf=3, then 3 components (id, sampling, table).
  return std::string("\x08", 1) + Be16(h) + Be16(w) + std::string("\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01", 10);
}
const std::string kSoi("\xFF\xD8", 2);
const std::string kDqt = Seg(0xDB, std::string(1, '\0') + std::string(64, '\x10'));
std::string Jpeg(uint32_t w, uint32_t h, uint8_t sof = 0xC0) {
  return kSoi + Seg(0xE0, std::string("JFIF\0\x01\x01\0\0\x01\0\x01\0\0", 14)) + kDqt + Seg(sof, SofPayload(w, h)) +
         Seg(0xC4, std::string(29, '\0')) + Seg(0xDA, std::string("\x03\x01\x00\x02\x11\x03\x11\x00\x3F\x00", 10)) +
         std::string("\x12\x34\xFF\x00\x56", 5) + "\xFF\xD9";
}
// SOF0 300x200 after an APP1 of 65,535 bytes (the most one segment can hold) and a 10,000-byte
// APP2, so the frame header sits ~75 KB in: past the 4 KiB first read and past 64 KiB.
std::string JpegBigExif() {
  std::string exif = "Exif" + std::string(2, '\0') + "II*" + std::string(1, '\0') + Le32(8);
  exif.resize(65533, 'e');
  std::string icc = "ICC_PROFILE" + std::string(1, '\0') + "\x01\x01";
  icc.resize(10000, 'i');
  return kSoi + Seg(0xE1, exif) + Seg(0xE2, icc) + kDqt + Seg(0xC0, SofPayload(300, 200)) +
         Seg(0xDA, std::string(10, '\0')) + "\xFF\xD9";
}

std::string Gif(const char* version, uint32_t sw, uint32_t sh, uint32_t left, uint32_t top, uint32_t w, uint32_t h) {
  std::string g = std::string(version) + Le16(sw) + Le16(sh) + "\x91" + std::string(2, '\0');  // GCT of 4 colours
  g += std::string(12, '\x7F');
  g += std::string("\x21\xF9\x04\x01\x00\x00\x00\x00", 8);                      // graphic control extension
  g += std::string("\x21\xFE\x05" "hello" "\x03" "abc" "\x00", 13);  // comment: two sub-blocks
  g += "\x2C" + Le16(left) + Le16(top) + Le16(w) + Le16(h) + std::string(1, '\0');  // image descriptor
  g += std::string("\x02\x02\x44\x01\x00\x3B", 6);                              // LZW data, trailer
  return g;
}

std::string BmpInfo(int32_t w, int32_t h, uint32_t header_size = 40) {
  std::string dib = Le32(header_size) + Le32(static_cast<uint32_t>(w)) + Le32(static_cast<uint32_t>(h)) + Le16(1) +
                    Le16(24);
  dib.resize(header_size, '\0');
  return "BM" + Le32(14 + header_size + 4) + Le32(0) + Le32(14 + header_size) + dib + std::string(4, '\0');
}
std::string BmpCore(uint16_t w, uint16_t h) {
  return "BM" + Le32(14 + 12 + 4) + Le32(0) + Le32(26) + Le32(12) + Le16(w) + Le16(h) + Le16(1) + Le16(24) +
         std::string(4, '\0');
}

std::string Riff(const std::string& fourcc, const std::string& payload) {
  std::string chunk = fourcc + Le32(static_cast<uint32_t>(payload.size())) + payload;
  if (chunk.size() % 2) chunk += '\0';
  return "RIFF" + Le32(static_cast<uint32_t>(4 + chunk.size())) + "WEBP" + chunk;
}
// Lossy: frame tag (key frame, version 0, shown, partition size), start code, 14-bit sizes whose
// top two bits are a scale hint.
std::string WebpLossy(uint32_t w, uint32_t h, uint32_t scale_bits = 0) {
  const uint32_t tag = 0x10 | (100u << 5);
  return Riff("VP8 ", Le24(tag) + "\x9D\x01\x2A" + Le16(w | scale_bits << 14) + Le16(h | scale_bits << 14) +
                          std::string(20, '\0'));
}
std::string WebpLossless(uint32_t w, uint32_t h) {
  return Riff("VP8L", "\x2F" + Le32((w - 1) | (h - 1) << 14 | 1u << 28) + std::string(8, '\0'));
}
std::string WebpExtended(uint32_t w, uint32_t h) {
  return Riff("VP8X", std::string("\x10\0\0\0", 4) + Le24(w - 1) + Le24(h - 1)) +
         std::string("ALPH\x02\0\0\0\0\0", 10);
}

struct TiffEntry {
  uint16_t tag, type;
  uint64_t count, value;  // value: inline (left-justified) or an offset
};
std::string Tiff(bool little, const std::vector<TiffEntry>& entries, bool big = false, std::string tail = "") {
  auto u16 = [&](uint32_t v) { return little ? Le16(v) : Be16(v); };
  auto u32 = [&](uint32_t v) { return little ? Le32(v) : Be32(v); };
  auto u64 = [&](uint64_t v) { return little ? Le64(v) : Be64(v); };
  std::string t = little ? "II" : "MM";
  if (big) {
    t += u16(43) + u16(8) + u16(0) + u64(16) + u64(entries.size());
  } else {
    t += u16(42) + u32(8) + u16(static_cast<uint32_t>(entries.size()));
  }
  for (const TiffEntry& e : entries) {
    t += u16(e.tag) + u16(e.type);
    const size_t unit = e.type == 1 ? 1 : e.type == 3 ? 2 : e.type == 16 ? 8 : 4;
    const size_t field_size = big ? 8 : 4;
    std::string field;
    if (e.count * unit > field_size) {
      field = big ? u64(e.value) : u32(static_cast<uint32_t>(e.value));  // offset to the values
    } else if (unit == 1) {
      field = std::string(1, static_cast<char>(e.value));
    } else if (unit == 2) {
      field = u16(static_cast<uint32_t>(e.value));
    } else if (unit == 4) {
      field = u32(static_cast<uint32_t>(e.value));
    } else {
      field = u64(e.value);
    }
    field.resize(field_size, '\0');  // values are left-justified in the field
    t += (big ? u64(e.count) : u32(static_cast<uint32_t>(e.count))) + field;
  }
  t += big ? u64(0) : u32(0);  // no next IFD
  return t + tail;
}

std::string IcoDirEntry(uint8_t w, uint8_t h, uint16_t bpp, uint32_t size, uint32_t offset) {
  return std::string{static_cast<char>(w), static_cast<char>(h), 0, 0} + Le16(1) + Le16(bpp) + Le32(size) +
         Le32(offset);
}

// Every valid sample with its expected answer, for the prefix, mutation and file tests.
struct Sample {
  std::string name, bytes;
  ImageInfo want;
};
std::vector<Sample> AllSamples() {
  std::vector<Sample> s;
  s.push_back({"png", Png(640, 480), Info(640, 480, "PNG")});
  s.push_back({"jpeg", Jpeg(123, 45), Info(123, 45, "JPEG")});
  s.push_back({"jpeg_big_exif", JpegBigExif(), Info(300, 200, "JPEG")});
  s.push_back({"gif89a", Gif("GIF89a", 320, 240, 0, 0, 10, 10), Info(320, 240, "GIF")});
  s.push_back({"gif87a_grow", Gif("GIF87a", 8, 4, 2, 1, 20, 10), Info(22, 11, "GIF")});
  s.push_back({"bmp_core", BmpCore(300, 200), Info(300, 200, "BMP")});
  s.push_back({"bmp_info", BmpInfo(640, 480), Info(640, 480, "BMP")});
  s.push_back({"bmp_topdown", BmpInfo(640, -480, 124), Info(640, 480, "BMP")});
  s.push_back({"webp_lossy", WebpLossy(400, 300), Info(400, 300, "WEBP")});
  s.push_back({"webp_lossless", WebpLossless(16384, 3), Info(16384, 3, "WEBP")});
  s.push_back({"webp_extended", WebpExtended(5000, 7000), Info(5000, 7000, "WEBP")});
  s.push_back({"tiff_le_short", Tiff(true, {{256, 3, 1, 640}, {257, 3, 1, 480}, {258, 3, 1, 8}}),
               Info(640, 480, "TIFF")});
  s.push_back({"tiff_be_long", Tiff(false, {{256, 4, 1, 70000}, {257, 4, 1, 3}}), Info(70000, 3, "TIFF")});
  s.push_back({"bigtiff_be", Tiff(false, {{256, 16, 1, 9}, {257, 3, 1, 8}}, true), Info(9, 8, "TIFF")});
  s.push_back({"ppm", "P6\n# made by hand\n17 5\n255\n" + std::string(17 * 5 * 3, 'x'), Info(17, 5, "PPM")});
  s.push_back({"ico", kIcoHead + Le16(1) + IcoDirEntry(48, 48, 32, 40, 22) + Le32(40) + Le32(48) + Le32(96) +
                          std::string(28, '\0'),
               Info(48, 48, "ICO")});
  return s;
}

// --------------------------------------------------------------------------------------- PNG

TEST(ImageHeaderTest, PngReadsIhdr) {
  EXPECT_EQ(Ok(Png(640, 480)), Info(640, 480, "PNG"));
  EXPECT_EQ(Ok(Png(1, 2147483647)), Info(1, 2147483647, "PNG"));
  // Only the signature and IHDR are needed.
  EXPECT_EQ(Ok(kPngSig + Ihdr(33, 44)), Info(33, 44, "PNG"));
}

TEST(ImageHeaderTest, PngApngAndChunksBeforeIhdr) {
  // APNG: the IHDR size is the canvas; acTL/fcTL follow it.
  const std::string actl = PngChunk("acTL", Be32(2) + Be32(0));
  EXPECT_EQ(Ok(kPngSig + Ihdr(100, 50) + actl + PngChunk("IEND", "")), Info(100, 50, "PNG"));
  // Apple's CgBI chunk precedes IHDR; PIL reads past it.
  EXPECT_EQ(Ok(kPngSig + PngChunk("CgBI", Be32(0x50002002)) + Ihdr(57, 57)), Info(57, 57, "PNG"));
}

TEST(ImageHeaderTest, PngErrors) {
  std::string bad_crc = Png(640, 480);
  bad_crc[8 + 8 + 13] ^= 1;  // first CRC byte
  EXPECT_EQ(Err(bad_crc), "corrupt PNG: IHDR chunk CRC mismatch");
  EXPECT_EQ(Err(kPngSig + PngChunk("IDAT", "x") + Ihdr(1, 1)), "corrupt PNG: IDAT chunk before IHDR");
  EXPECT_EQ(Err(kPngSig + PngChunk("IEND", "")), "corrupt PNG: IEND chunk before IHDR");
  EXPECT_EQ(Err(Png(0, 480)), "corrupt PNG: invalid dimensions 0x480");
  EXPECT_EQ(Err(kPngSig + PngChunk("IHDR", std::string(12, '\1'))), "corrupt PNG: IHDR chunk of 12 bytes");
  EXPECT_EQ(Err(kPngSig + PngChunk("IH1R", std::string(13, '\1'))), "corrupt PNG: invalid chunk type at offset 8");
  EXPECT_EQ(Err(kPngSig), "truncated PNG: no IHDR chunk before end of file");
  EXPECT_EQ(Err(kPngSig + Ihdr(1, 1).substr(0, 20)), "truncated PNG: IHDR chunk cut short");
}

// -------------------------------------------------------------------------------------- JPEG

TEST(ImageHeaderTest, JpegSofGivesWidthAndHeight) {
  EXPECT_EQ(Ok(Jpeg(640, 480)), Info(640, 480, "JPEG"));
  EXPECT_EQ(Ok(Jpeg(1, 65535)), Info(1, 65535, "JPEG"));
  // Every frame type counts: baseline, extended, progressive, lossless, hierarchical, arithmetic.
  for (int m : {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}) {
    EXPECT_EQ(Ok(Jpeg(31, 17, static_cast<uint8_t>(m))), Info(31, 17, "JPEG")) << "marker " << m;
  }
}

TEST(ImageHeaderTest, JpegSofAfterLargeApp1) {
  const std::string jpeg = JpegBigExif();
  ASSERT_GT(jpeg.size(), 70000u);
  EXPECT_EQ(Ok(jpeg), Info(300, 200, "JPEG"));
  // Through the reader: the APP1/APP2 bodies are skipped, not read. Every request is a small one
  // and something past the 64 KiB APP1 was asked for directly.
  FakeFile f{jpeg};
  auto r = ReadImageHeader(f.Reader());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(*r, Info(300, 200, "JPEG"));
  size_t requested = 0;
  bool jumped = false;
  for (auto [offset, n] : f.requests) {
    requested += n;
    jumped |= offset > 65536;
  }
  EXPECT_TRUE(jumped);
  EXPECT_LE(requested, 16u * 1024) << f.requests.size() << " requests";
  // Same answer when the reader returns a few bytes at a time.
  FakeFile slow{jpeg, 7};
  auto r2 = ReadImageHeader(slow.Reader());
  ASSERT_TRUE(r2.ok()) << r2.status().message();
  EXPECT_EQ(*r2, Info(300, 200, "JPEG"));
}

TEST(ImageHeaderTest, JpegMarkerQuirks) {
  const std::string sof = Seg(0xC0, SofPayload(300, 200));
  // Fill bytes before a marker code, and stray non-FF bytes between segments (PIL skips both).
  EXPECT_EQ(Ok(kSoi + "\xFF\xFF\xFF" + kDqt + "junk" + sof), Info(300, 200, "JPEG"));
  // Standalone markers without a length: TEM, RST0..7, a second SOI; FF00 is data.
  EXPECT_EQ(Ok(kSoi + std::string("\xFF\x01\xFF\xD0\xFF\xD7\xFF\xD8\xFF\x00", 10) + sof), Info(300, 200, "JPEG"));
  // DHT (C4), JPG (C8) and DAC (CC) sit among the SOF codes but are not frame headers: their
  // bodies (which here look like a 9x9 frame) are skipped by length.
  for (int m : {0xC4, 0xC8, 0xCC}) {
    EXPECT_EQ(Ok(kSoi + Seg(static_cast<uint8_t>(m), SofPayload(9, 9)) + sof), Info(300, 200, "JPEG")) << m;
  }
  // APPn, COM, DRI, DHP, JPGn and the like are skipped by length too.
  EXPECT_EQ(Ok(kSoi + Seg(0xFE, "a comment") + Seg(0xDD, Be16(4)) + Seg(0xEF, "x") + Seg(0xF7, "y") + sof),
            Info(300, 200, "JPEG"));
  // The first SOF wins.
  EXPECT_EQ(Ok(kSoi + sof + Seg(0xC2, SofPayload(1, 1))), Info(300, 200, "JPEG"));
  // EXIF orientation 6 (rotate 90) does not swap the size: PIL's .size ignores it too. It is
  // reported beside it (image_exif_test.cc covers orientation in depth).
  const std::string exif = std::string("Exif\0\0II*\0", 10) + Le32(8) + Le16(1) + Le16(0x0112) + Le16(3) + Le32(1) +
                           Le16(6) + Le16(0) + Le32(0);
  ImageInfo rotated = Info(300, 200, "JPEG");
  rotated.orientation = 6;
  EXPECT_EQ(Ok(kSoi + Seg(0xE1, exif) + sof), rotated);
}

TEST(ImageHeaderTest, JpegErrors) {
  const std::string sos = Seg(0xDA, std::string(10, '\0'));
  EXPECT_EQ(Err(kSoi + "\xFF"), "truncated JPEG: no SOF marker before end of file");
  EXPECT_EQ(Err(kSoi + kDqt), "truncated JPEG: no SOF marker before end of file");
  EXPECT_EQ(Err(kSoi + Seg(0xE1, std::string(5000, 'x')).substr(0, 3000)),
            "truncated JPEG: no SOF marker before end of file");
  EXPECT_EQ(Err(kSoi + kDqt + sos), "corrupt JPEG: SOS marker before any SOF marker");
  EXPECT_EQ(Err(kSoi + "\xFF\xD9" + Seg(0xC0, SofPayload(1, 1))), "corrupt JPEG: EOI marker before any SOF marker");
  EXPECT_EQ(Err(kSoi + "\xFF\xE1" + Be16(0) + "xxxx"),
            "corrupt JPEG: segment length 0 < 2 for marker 0xFFE1 at offset 2");
  EXPECT_EQ(Err(kSoi + "\xFF\xDB" + Be16(1) + "xxxx"),
            "corrupt JPEG: segment length 1 < 2 for marker 0xFFDB at offset 2");
  EXPECT_EQ(Err(kSoi + kDqt + "\xFF\x02" + Be16(4)), "corrupt JPEG: invalid marker 0xFF02 at offset 71");
  EXPECT_EQ(Err(kSoi + Seg(0xC0, std::string("\x08\x00\x01", 3))), "corrupt JPEG: SOF segment of 5 bytes");
  EXPECT_EQ(Err(kSoi + "\xFF\xC0" + Be16(17) + std::string("\x08\x00", 2)), "truncated JPEG: SOF segment cut short");
  // Height 0 means "given later by a DNL marker": no usable size.
  EXPECT_EQ(Err(Jpeg(640, 0)), "corrupt JPEG: invalid dimensions 640x0");
  EXPECT_EQ(Err(Jpeg(0, 480)), "corrupt JPEG: invalid dimensions 0x480");
}

// Endless inputs, produced on the fly, must stop at the scan limits rather than run on.
std::string Endless(const std::string& head, const std::string& unit, uint64_t offset, size_t n) {
  std::string out;
  while (out.size() < n) {
    if (offset < head.size()) {
      out += head[offset];
    } else {
      out += unit[(offset - head.size()) % unit.size()];
    }
    ++offset;
  }
  return out;
}

TEST(ImageHeaderTest, JpegScanIsBounded) {
  auto endless = [](std::string unit) {
    return [unit](uint64_t offset, size_t n, std::string* out) -> size_t {
      *out += Endless(kSoi, unit, offset, n);
      return n;
    };
  };
  // 64 KiB APP1 segments forever: the byte limit.
  auto r = ReadImageHeader(endless(Seg(0xE1, std::string(65533, 'a'))));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "corrupt JPEG: no SOF marker in the first 64 MiB");
  // Empty COM segments forever: the segment limit.
  r = ReadImageHeader(endless(Seg(0xFE, "")));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "corrupt JPEG: no SOF marker in the first 100000 segments");
  // Nothing but fill bytes: the byte limit.
  r = ReadImageHeader(endless("\xFF"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "corrupt JPEG: no SOF marker in the first 64 MiB");
}

TEST(ImageHeaderTest, GifScanIsBounded) {
  // Comment extensions forever.
  const std::string head = std::string("GIF89a", 6) + Le16(1) + Le16(1) + std::string(3, '\0');
  auto r = ReadImageHeader([&](uint64_t offset, size_t n, std::string* out) -> size_t {
    *out += Endless(head, std::string("\x21\xFE\x03" "abc" "\x00", 7), offset, n);
    return n;
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "corrupt GIF: no image near the start");
}

// --------------------------------------------------------------------------------------- GIF

TEST(ImageHeaderTest, GifLogicalScreen) {
  EXPECT_EQ(Ok(Gif("GIF89a", 320, 240, 0, 0, 10, 10)), Info(320, 240, "GIF"));
  EXPECT_EQ(Ok(Gif("GIF87a", 65535, 1, 0, 0, 65535, 1)), Info(65535, 1, "GIF"));
  // Without a global colour table the descriptor follows the screen descriptor directly.
  EXPECT_EQ(Ok("GIF89a" + Le16(7) + Le16(9) + std::string(3, '\0') + "\x2C" + std::string(9, '\0')),
            Info(7, 9, "GIF"));
}

TEST(ImageHeaderTest, GifFirstFrameOutsideScreenGrowsSize) {
  // PIL reads the first frame on open and grows .size to hold it: (max(8, 2+20), max(4, 1+10)).
  EXPECT_EQ(Ok(Gif("GIF87a", 8, 4, 2, 1, 20, 10)), Info(22, 11, "GIF"));
  EXPECT_EQ(Ok(Gif("GIF89a", 0, 0, 0, 0, 5, 6)), Info(5, 6, "GIF"));
}

TEST(ImageHeaderTest, GifErrors) {
  const std::string screen = "GIF89a" + Le16(10) + Le16(10) + std::string(3, '\0');
  EXPECT_EQ(Err(screen + "\x3B"), "corrupt GIF: trailer before the first image");
  EXPECT_EQ(Err(screen), "truncated GIF: no image descriptor before end of file");
  EXPECT_EQ(Err(screen + "\x21\xFE\x05hel"), "truncated GIF: extension block cut short");
  EXPECT_EQ(Err(screen + std::string("\x2C\0\0", 3)), "truncated GIF: image descriptor cut short");
  EXPECT_EQ(Err(std::string("GIF89a\x01", 7)), "truncated GIF: logical screen descriptor cut short");
  EXPECT_EQ(Err(Gif("GIF89a", 0, 0, 0, 0, 0, 0)), "corrupt GIF: invalid dimensions 0x0");
}

// --------------------------------------------------------------------------------------- BMP

TEST(ImageHeaderTest, BmpHeaders) {
  EXPECT_EQ(Ok(BmpCore(300, 200)), Info(300, 200, "BMP"));
  EXPECT_EQ(Ok(BmpCore(40000, 2)), Info(40000, 2, "BMP"));  // core sizes are unsigned
  EXPECT_EQ(Ok(BmpInfo(640, 480)), Info(640, 480, "BMP"));
  for (uint32_t size : {40u, 52u, 56u, 64u, 108u, 124u}) {
    EXPECT_EQ(Ok(BmpInfo(17, 19, size)), Info(17, 19, "BMP")) << size;
  }
  // Negative height: rows stored top-down; PIL reports the magnitude.
  EXPECT_EQ(Ok(BmpInfo(640, -480)), Info(640, 480, "BMP"));
  EXPECT_EQ(Ok(BmpInfo(3, -1, 108)), Info(3, 1, "BMP"));
}

TEST(ImageHeaderTest, BmpErrors) {
  EXPECT_EQ(Err(BmpInfo(-640, 480)), "corrupt BMP: invalid dimensions -640x480");
  EXPECT_EQ(Err(BmpInfo(640, 0)), "corrupt BMP: invalid dimensions 640x0");
  EXPECT_EQ(Err(BmpCore(0, 5)), "corrupt BMP: invalid dimensions 0x5");
  EXPECT_EQ(Err(BmpInfo(1, 1, 20)), "corrupt BMP: unsupported bitmap header size 20");
  EXPECT_EQ(Err("BM"), "truncated BMP: bitmap header cut short");
  EXPECT_EQ(Err(BmpInfo(1, 1).substr(0, 24)), "truncated BMP: bitmap header cut short");
}

// -------------------------------------------------------------------------------------- WEBP

TEST(ImageHeaderTest, WebpVariants) {
  EXPECT_EQ(Ok(WebpLossy(400, 300)), Info(400, 300, "WEBP"));
  EXPECT_EQ(Ok(WebpLossy(16383, 16383, 3)), Info(16383, 16383, "WEBP"));  // scale bits are not size
  EXPECT_EQ(Ok(WebpLossless(1, 1)), Info(1, 1, "WEBP"));
  EXPECT_EQ(Ok(WebpLossless(16384, 16384)), Info(16384, 16384, "WEBP"));
  EXPECT_EQ(Ok(WebpLossless(640, 3)), Info(640, 3, "WEBP"));
  EXPECT_EQ(Ok(WebpExtended(1, 1)), Info(1, 1, "WEBP"));
  EXPECT_EQ(Ok(WebpExtended(16777216, 2)), Info(16777216, 2, "WEBP"));
  EXPECT_EQ(Ok(WebpExtended(5000, 7000)), Info(5000, 7000, "WEBP"));
}

TEST(ImageHeaderTest, WebpErrors) {
  std::string bad = WebpLossy(400, 300);
  bad[23] = 0;  // start code
  EXPECT_EQ(Err(bad), "corrupt WEBP: missing VP8 start code");
  bad = WebpLossy(400, 300);
  bad[20] |= 1;  // inter frame
  EXPECT_EQ(Err(bad), "corrupt WEBP: VP8 frame is not a key frame");
  bad = WebpLossless(10, 10);
  bad[20] = 0x2E;
  EXPECT_EQ(Err(bad), "corrupt WEBP: missing VP8L signature");
  EXPECT_EQ(Err(Riff("VP8L", "\x2F" + Le32(7u << 29) + "xxxx")), "corrupt WEBP: unknown VP8L version");
  EXPECT_EQ(Err(Riff("ANIM", std::string(6, '\0'))), "corrupt WEBP: first chunk is 'ANIM', not VP8, VP8L or VP8X");
  EXPECT_EQ(Err(WebpLossy(0, 300)), "corrupt WEBP: invalid dimensions 0x300");
  EXPECT_EQ(Err(WebpExtended(16777216, 16777216)), "corrupt WEBP: canvas larger than libwebp allows");
  EXPECT_EQ(Err(WebpLossy(400, 300).substr(0, 27)), "truncated WEBP: VP8 frame header cut short");
  EXPECT_EQ(Err(std::string("RIFF\0\0\0\0WEBP", 12)), "truncated WEBP: first chunk header cut short");
}

// -------------------------------------------------------------------------------------- TIFF

TEST(ImageHeaderTest, TiffByteOrdersAndTypes) {
  for (bool little : {true, false}) {
    SCOPED_TRACE(little ? "II" : "MM");
    EXPECT_EQ(Ok(Tiff(little, {{256, 3, 1, 640}, {257, 3, 1, 480}})), Info(640, 480, "TIFF"));
    EXPECT_EQ(Ok(Tiff(little, {{256, 4, 1, 100000}, {257, 4, 1, 70000}})), Info(100000, 70000, "TIFF"));
    EXPECT_EQ(Ok(Tiff(little, {{256, 3, 1, 65535}, {257, 4, 1, 2}, {273, 4, 1, 8}})), Info(65535, 2, "TIFF"));
    EXPECT_EQ(Ok(Tiff(little, {{256, 1, 1, 9}, {257, 3, 1, 8}})), Info(9, 8, "TIFF"));  // BYTE
    EXPECT_EQ(Ok(Tiff(little, {{256, 16, 1, 123}, {257, 4, 1, 45}}, true)), Info(123, 45, "TIFF"));  // BigTIFF
    EXPECT_EQ(Ok(Tiff(little, {{256, 3, 1, 12}, {257, 3, 1, 34}}, true)), Info(12, 34, "TIFF"));
  }
  // Three SHORTs do not fit the 4-byte field: the field holds an offset to them.
  const std::string shorts = Tiff(true, {{256, 3, 3, 38}, {257, 3, 1, 5}}, false, Le16(77) + Le16(1) + Le16(2));
  ASSERT_EQ(shorts.size(), 38u + 6);
  EXPECT_EQ(Ok(shorts), Info(77, 5, "TIFF"));
  // PIL also takes the magic written in the other byte order.
  std::string swapped = Tiff(false, {{256, 3, 1, 6}, {257, 3, 1, 7}});
  swapped[2] = 0x2A;
  swapped[3] = 0;
  EXPECT_EQ(Ok(swapped), Info(6, 7, "TIFF"));
}

TEST(ImageHeaderTest, TiffErrors) {
  EXPECT_EQ(Err(Tiff(true, {{256, 3, 1, 640}, {258, 3, 1, 8}})), "corrupt TIFF: first IFD has no ImageLength tag");
  EXPECT_EQ(Err(Tiff(true, {{257, 3, 1, 640}})), "corrupt TIFF: first IFD has no ImageWidth tag");
  EXPECT_EQ(Err(Tiff(true, {})), "corrupt TIFF: first IFD has no ImageWidth or ImageLength tag");
  EXPECT_EQ(Err(Tiff(true, {{256, 3, 1, 0}, {257, 3, 1, 5}})), "corrupt TIFF: invalid dimensions 0x5");
  EXPECT_EQ(Err(Tiff(true, {{256, 9, 1, 0xFFFFFFF6}, {257, 3, 1, 5}})), "corrupt TIFF: invalid dimensions -10x5");
  EXPECT_EQ(Err(Tiff(true, {{256, 5, 1, 8}, {257, 3, 1, 5}})), "corrupt TIFF: ImageWidth has unsupported type 5");
  EXPECT_EQ(Err(Tiff(true, {{256, 3, 0, 8}, {257, 3, 1, 5}})), "corrupt TIFF: ImageWidth has no value");
  EXPECT_EQ(Err(Tiff(true, {{256, 3, 9, 5000}, {257, 3, 1, 5}})),
            "truncated TIFF: ImageWidth value is past the end of the file");
  EXPECT_EQ(Err(std::string("II*\0", 4) + Le32(0)), "corrupt TIFF: no image file directory");
  EXPECT_EQ(Err(std::string("II*\0", 4) + Le32(4096)), "truncated TIFF: first IFD is past the end of the file");
  EXPECT_EQ(Err(std::string("MM\0+", 4) + Be16(8) + Be16(0) + Be64(~0ull)),
            "truncated TIFF: first IFD is past the end of the file");
  EXPECT_EQ(Err(Tiff(true, {{256, 3, 1, 1}, {257, 3, 1, 1}}).substr(0, 20)), "truncated TIFF: first IFD cut short");
  // Entries that run off the end after both sizes were read: PIL keeps what it read.
  std::string cut = Tiff(false, {{256, 3, 1, 4}, {257, 3, 1, 5}, {258, 3, 1, 8}});
  EXPECT_EQ(Ok(cut.substr(0, cut.size() - 10)), Info(4, 5, "TIFF"));
}

// --------------------------------------------------------------------------------- PPM and ICO

TEST(ImageHeaderTest, Netpbm) {
  EXPECT_EQ(Ok("P6\n640 480\n255\n"), Info(640, 480, "PPM"));
  EXPECT_EQ(Ok("P5 3\t4\r65535 "), Info(3, 4, "PPM"));
  EXPECT_EQ(Ok("P4\n# bitmap, no maxval\n8 2\n\xFF\xFF"), Info(8, 2, "PPM"));
  EXPECT_EQ(Ok("P1\n2 2\n0 1 1 0\n"), Info(2, 2, "PPM"));
  // PIL drops a comment together with its newline, so it can join the digits around it.
  EXPECT_EQ(Ok("P6\n1#x\n2 7 255\n"), Info(12, 7, "PPM"));
  EXPECT_EQ(Err("P6\n640 480\n0\n"), "corrupt PPM: maxval 0 out of range");
  EXPECT_EQ(Err("P6\n640 480\n65536\n"), "corrupt PPM: maxval 65536 out of range");
  EXPECT_EQ(Err("P6\n640 -480\n255\n"), "corrupt PPM: height is not a number");
  EXPECT_EQ(Err("P6\n123456789012 1\n255\n"), "corrupt PPM: width has more than 10 characters");
  EXPECT_EQ(Err("P6\n640"), "truncated PPM: header ends before the height");
  EXPECT_EQ(Err("P6\n0 5 255\n"), "corrupt PPM: invalid dimensions 0x5");
  EXPECT_EQ(Err("P7\nWIDTH 4\n"), "unrecognised image format");
}

TEST(ImageHeaderTest, IcoPicksPilsEntry) {
  // Three entries: 16x16, 256x256 (written as 0x0) holding a PNG, and 32x32. PIL opens the
  // largest, and its size is that of the embedded PNG.
  const uint32_t data_at = 6 + 3 * 16;
  const std::string png = kPngSig + Ihdr(256, 256);
  const std::string dib16 = Le32(40) + Le32(16) + Le32(32) + std::string(28, '\0');
  const std::string ico = kIcoHead + Le16(3) + IcoDirEntry(16, 16, 32, 40, data_at + 33) +
                          IcoDirEntry(0, 0, 32, 33, data_at) + IcoDirEntry(32, 32, 32, 40, data_at + 33) + png +
                          dib16;
  EXPECT_EQ(Ok(ico), Info(256, 256, "ICO"));
  // A DIB entry stacks the colour bitmap on its mask: the header height is twice the image's.
  const std::string single = kIcoHead + Le16(1) + IcoDirEntry(16, 16, 32, 40, 22) + dib16;
  EXPECT_EQ(Ok(single), Info(16, 16, "ICO"));
  // Same area: the deeper colour wins.
  const std::string dib8 = Le32(40) + Le32(8) + Le32(16) + std::string(28, '\0');
  const std::string depth = kIcoHead + Le16(2) + IcoDirEntry(16, 16, 32, 40, 38) + IcoDirEntry(16, 16, 8, 40, 78) +
                            dib16 + dib8;
  EXPECT_EQ(Ok(depth), Info(16, 16, "ICO"));
  EXPECT_EQ(Err(std::string("\0\0\1\0\0\0", 6)), "corrupt ICO: no images in the directory");
  EXPECT_EQ(Err(std::string("\0\0\1\0\1\0", 6) + IcoDirEntry(16, 16, 32, 40, 1000)),
            "truncated ICO: image data is past the end of the file");
}

// ---------------------------------------------------------------------------- robustness

TEST(ImageHeaderTest, EmptyAndGarbage) {
  EXPECT_EQ(Err(""), "empty file");
  EXPECT_EQ(Err("hello, world"), "unrecognised image format");
  EXPECT_EQ(Err("{\"text\": 1}"), "unrecognised image format");
  EXPECT_EQ(Err(std::string(1, '\0')), "unrecognised image format");
  EXPECT_EQ(Err(kPngSig.substr(0, 7)), "unrecognised image format");
  EXPECT_EQ(Err(std::string("RIFF\x10\0\0\0WAVEfmt ", 16)), "unrecognised image format");
  std::mt19937 rng(1234);
  for (int i = 0; i < 2000; ++i) {
    std::string junk(rng() % 64, '\0');
    for (char& c : junk) c = static_cast<char>(rng());
    auto r = ReadImageHeaderBytes(junk);
    if (r.ok()) {
      EXPECT_GT(r->width, 0);
      EXPECT_GT(r->height, 0);
    } else {
      EXPECT_FALSE(r.status().message().empty());
    }
  }
}

TEST(ImageHeaderTest, EveryPrefixGivesTheAnswerOrAnError) {
  for (const Sample& s : AllSamples()) {
    SCOPED_TRACE(s.name);
    ASSERT_EQ(Ok(s.bytes), s.want);
    // Also the full input through a reader that returns 7 bytes at a time.
    FakeFile slow{s.bytes, 7};
    auto full = ReadImageHeader(slow.Reader());
    ASSERT_TRUE(full.ok()) << full.status().message();
    EXPECT_EQ(*full, s.want);
    int answered = 0;
    for (size_t len = 0; len < s.bytes.size(); ++len) {
      const std::string prefix = s.bytes.substr(0, len);
      auto r = ReadImageHeaderBytes(prefix);
      if (r.ok()) {
        EXPECT_EQ(*r, s.want) << "prefix " << len;
        ++answered;
      } else {
        EXPECT_FALSE(r.status().message().empty());
      }
      // The reader path on a subset of lengths (all of them for small headers).
      if (s.bytes.size() < 4096 || len % 997 == 0 || len + 8 > s.bytes.size()) {
        FakeFile f{prefix, 5};
        auto rr = ReadImageHeader(f.Reader());
        ASSERT_EQ(rr.ok(), r.ok()) << "prefix " << len;
        if (rr.ok()) {
          EXPECT_EQ(*rr, s.want);
        } else {
          EXPECT_EQ(rr.status().message(), r.status().message());
        }
      }
    }
    EXPECT_LT(answered, static_cast<int>(s.bytes.size()));  // at least the empty prefix fails
  }
}

TEST(ImageHeaderTest, MutatedHeadersNeverCrash) {
  std::mt19937 rng(99);
  for (const Sample& s : AllSamples()) {
    for (int i = 0; i < 1500; ++i) {
      std::string b = s.bytes;
      const int flips = 1 + static_cast<int>(rng() % 4);
      for (int k = 0; k < flips; ++k) {
        const size_t at = rng() % std::min<size_t>(b.size(), 96);
        const uint32_t pick = rng() % 4;
        b[at] = static_cast<char>(pick == 0 ? 0 : pick == 1 ? 0xFF : pick == 2 ? 1 : rng());
      }
      if (rng() % 5 == 0) b.resize(rng() % b.size());
      auto r = ReadImageHeaderBytes(b);
      if (r.ok()) {
        EXPECT_GT(r->width, 0);
        EXPECT_GT(r->height, 0);
        EXPECT_FALSE(r->format.empty());
      }
      if (i % 50 == 0) {
        FakeFile f{b, 3};
        auto rr = ReadImageHeader(f.Reader());
        ASSERT_EQ(rr.ok(), r.ok());
        if (rr.ok()) {
          EXPECT_EQ(*rr, *r);
        }
      }
    }
  }
}

TEST(ImageHeaderTest, ReaderThatOverDeliversIsTrimmed) {
  // A reader appending more than it was asked for must not shift the parser's view.
  const std::string png = Png(11, 22);
  auto r = ReadImageHeader([&](uint64_t offset, size_t n, std::string* out) -> size_t {
    if (offset >= png.size()) return 0;
    out->append(png, offset, std::string::npos);
    out->append(100, '!');
    return n;
  });
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(*r, Info(11, 22, "PNG"));
}

// ------------------------------------------------------------------------------------ files

class ImageHeaderFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("winnow_image_header_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& bytes) {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p.string();
  }
  fs::path dir_;
};

TEST_F(ImageHeaderFileTest, ReadsEveryFormatFromFiles) {
  for (const Sample& s : AllSamples()) {
    auto r = ReadImageHeaderFile(Write(s.name, s.bytes));
    ASSERT_TRUE(r.ok()) << s.name << ": " << r.status().message();
    EXPECT_EQ(*r, s.want) << s.name;
  }
}

TEST_F(ImageHeaderFileTest, ErrorsNameThePath) {
  const std::string missing = (dir_ / "no_such.jpg").string();
  auto r = ReadImageHeaderFile(missing);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "cannot open " + missing + ": No such file or directory");

  const std::string empty = Write("empty.png", "");
  r = ReadImageHeaderFile(empty);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), empty + ": empty file");

  const std::string cut = Write("cut.jpg", JpegBigExif().substr(0, 50000));
  r = ReadImageHeaderFile(cut);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), cut + ": truncated JPEG: no SOF marker before end of file");

  const std::string text = Write("notes.txt", "just text\n");
  r = ReadImageHeaderFile(text);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), text + ": unrecognised image format");

  r = ReadImageHeaderFile(dir_.string());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "cannot read " + dir_.string() + ": Is a directory");
}

// Data-Juicer's test images, with the sizes PIL 9.4 reports for them (Image.open(f).size).
TEST(ImageHeaderDjMediaTest, MatchesPil) {
  const char* env = std::getenv("WINNOW_DJ_MEDIA_DIR");
  // Beside the repository, as the golden tests find it (../shared/data/dj-media).
  const fs::path dir = env ? fs::path(env) : fs::path(WINNOW_SOURCE_DIR) / ".." / "shared" / "data" / "dj-media";
  if (!fs::is_directory(dir)) GTEST_SKIP() << dir << " is absent";
  const std::map<std::string, std::pair<int64_t, int64_t>> kPil = {
      {"blip.jpg", {2048, 1365}},       {"cat.jpg", {640, 480}},          {"img1.png", {336, 336}},
      {"img10.jpg", {1536, 2048}},      {"img2.jpg", {640, 480}},         {"img3.jpg", {342, 500}},
      {"img4.png", {336, 336}},         {"img5.jpg", {640, 480}},         {"img6.jpg", {342, 500}},
      {"img7.jpg", {342, 500}},         {"img8.jpg", {855, 1083}},        {"img9.jpg", {2048, 1536}},
      {"img_pair_1.jpg", {1024, 1024}}, {"img_pair_2.jpg", {1024, 1024}},
  };
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string ext = entry.path().extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext != ".jpg" && ext != ".jpeg" && ext != ".png" && ext != ".webp" && ext != ".bmp" && ext != ".gif") continue;
    const std::string name = entry.path().filename().string();
    SCOPED_TRACE(name);
    auto r = ReadImageHeaderFile(entry.path().string());
    ASSERT_TRUE(r.ok()) << r.status().message();
    // The in-memory path agrees with the file path.
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto m = ReadImageHeaderBytes(bytes);
    ASSERT_TRUE(m.ok()) << m.status().message();
    EXPECT_EQ(*m, *r);
    auto it = kPil.find(name);
    if (it == kPil.end()) {
      // A file added since the sizes above were taken: at least it must parse to a real size.
      EXPECT_GT(r->width, 0);
      EXPECT_GT(r->height, 0);
      continue;
    }
    EXPECT_EQ(r->width, it->second.first);
    EXPECT_EQ(r->height, it->second.second);
    EXPECT_EQ(r->format, ext == ".png" ? "PNG" : "JPEG");
    ++checked;
  }
  EXPECT_EQ(checked, static_cast<int>(kPil.size()));
}

}  // namespace
}  // namespace winnow::media
