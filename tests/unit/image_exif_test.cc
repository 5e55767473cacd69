// EXIF orientation in the header reader: JPEG APP1, PNG eXIf, WebP EXIF and TIFF tag 274, each
// built byte by byte here, read with Pillow 9.4's rules (first value, later duplicates win, bad
// out-of-line values end the directory, the odd types exif_transpose ignores) and turned into the
// size Data-Juicer sees for a path load (OrientedSize). Corrupt EXIF gives orientation 1, or an
// error exactly where PIL's open (or DJ's path loader) fails. The expectations were checked
// against PIL on generated files; only image_header.cc is needed to build this file.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <unistd.h>

#include "winnow/media/image_header.h"

namespace winnow::media {
namespace {

// ------------------------------------------------------------------------------- byte helpers

std::string B16(uint32_t v) { return {static_cast<char>(v >> 8), static_cast<char>(v)}; }
std::string B32(uint32_t v) { return B16(v >> 16) + B16(v & 0xFFFF); }
std::string L16(uint32_t v) { return {static_cast<char>(v), static_cast<char>(v >> 8)}; }
std::string L32(uint32_t v) { return L16(v & 0xFFFF) + L16(v >> 16); }
std::string L24(uint32_t v) { return L16(v & 0xFFFF) + std::string(1, static_cast<char>(v >> 16)); }

uint32_t Crc(const std::string& s) {
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : s) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
  }
  return ~c;
}

// One IFD entry: `field` is the 4-byte value field as stored (inline values, left-justified, or
// an offset); `data`, when set, is placed after the directory and `field` becomes its offset.
struct Entry {
  uint16_t tag, type;
  uint32_t count;
  std::string field;
  std::string data = "";
};

// A TIFF structure (what an EXIF blob holds): header, IFD0 at `ifd_at`, out-of-line data.
class Tiff {
 public:
  explicit Tiff(bool little = true) : little_(little) {}
  std::string U16(uint32_t v) const { return little_ ? L16(v) : B16(v); }
  std::string U32(uint32_t v) const { return little_ ? L32(v) : B32(v); }
  // A SHORT value in a field (left-justified).
  std::string Short(uint32_t v) const { return U16(v) + std::string(2, '\0'); }
  Entry Orientation(uint32_t v) const { return {0x0112, 3, 1, Short(v)}; }

  std::string Build(const std::vector<Entry>& entries, uint32_t ifd_at = 8) const {
    std::string t = (little_ ? std::string("II*\0", 4) : std::string("MM\0*", 4)) + U32(ifd_at);
    t.resize(ifd_at, '\0');
    uint32_t data_at = ifd_at + 2 + 12 * static_cast<uint32_t>(entries.size()) + 4;
    std::string data;
    t += U16(static_cast<uint32_t>(entries.size()));
    for (const Entry& e : entries) {
      std::string field = e.field;
      if (!e.data.empty()) {
        field = U32(data_at + static_cast<uint32_t>(data.size()));
        data += e.data;
      }
      t += U16(e.tag) + U16(e.type) + U32(e.count) + field;
    }
    return t + U32(0) + data;
  }

 private:
  bool little_;
};

// ------------------------------------------------------------------------------- containers

std::string Seg(uint8_t marker, const std::string& payload) {
  return std::string("\xFF", 1) + static_cast<char>(marker) + B16(static_cast<uint32_t>(payload.size() + 2)) + payload;
}
const std::string kSoi("\xFF\xD8", 2);
const std::string kSos = Seg(0xDA, std::string("\x01\x01\x00\x00\x3F\x00", 6));
std::string Sof(uint32_t w, uint32_t h) {
  return Seg(0xC0, std::string("\x08", 1) + B16(h) + B16(w) + std::string("\x01\x01\x11\x00", 4));
}
// JFIF APP0; density unit 1 (dots per inch) makes PIL's open take its DPI from here.
std::string Jfif(bool dpi) {
  return Seg(0xE0, std::string("JFIF\0\x01\x01", 7) + std::string(1, dpi ? '\1' : '\0') + B16(72) + B16(72) +
                       std::string(2, '\0'));
}
std::string App1(const std::string& tiff) { return Seg(0xE1, std::string("Exif\0\0", 6) + tiff); }
std::string Jpeg(uint32_t w, uint32_t h, const std::string& tiff, bool dpi = false) {
  return kSoi + Jfif(dpi) + App1(tiff) + Sof(w, h) + kSos + "\x12\x34\xFF\xD9";
}

std::string Chunk(const std::string& type, const std::string& data) {
  return B32(static_cast<uint32_t>(data.size())) + type + data + B32(Crc(type + data));
}
const std::string kPngSig("\x89PNG\r\n\x1a\n", 8);
std::string Ihdr(uint32_t w, uint32_t h) { return Chunk("IHDR", B32(w) + B32(h) + std::string("\x08\x02\0\0\0", 5)); }
const std::string kIdat = Chunk("IDAT", std::string("\x78\x9c\x03\x00\x00\x00\x00\x01", 8));
const std::string kIend = Chunk("IEND", "");

std::string RiffChunk(const std::string& fourcc, const std::string& payload) {
  std::string c = fourcc + L32(static_cast<uint32_t>(payload.size())) + payload;
  if (c.size() % 2) c += '\0';
  return c;
}
std::string Webp(uint32_t w, uint32_t h, bool exif_flag, const std::vector<std::string>& exifs) {
  std::string body = RiffChunk("VP8X", std::string(1, exif_flag ? '\x08' : '\0') + std::string(3, '\0') +
                                           L24(w - 1) + L24(h - 1));
  body += RiffChunk("VP8L", "\x2F" + L32((w - 1) | (h - 1) << 14) + std::string(6, '\0'));
  for (const std::string& e : exifs) body += RiffChunk("EXIF", e);
  return "RIFF" + L32(static_cast<uint32_t>(4 + body.size())) + "WEBP" + body;
}

// A TIFF file: 1x1-strip grey image of w x h with `extra` entries merged in (sorted by tag).
std::string TiffFile(uint32_t w, uint32_t h, std::vector<Entry> extra, bool little = true) {
  const Tiff t(little);
  std::vector<Entry> e = {{256, 3, 1, t.Short(w)}, {257, 3, 1, t.Short(h)}, {258, 3, 1, t.Short(8)},
                          {259, 3, 1, t.Short(1)}, {262, 3, 1, t.Short(1)}, {273, 4, 1, t.U32(0)},
                          {277, 3, 1, t.Short(1)}, {278, 3, 1, t.Short(h)}, {279, 4, 1, t.U32(w * h)}};
  e.insert(e.end(), extra.begin(), extra.end());
  std::stable_sort(e.begin(), e.end(), [](const Entry& a, const Entry& b) { return a.tag < b.tag; });
  std::string file = t.Build(e);
  // Point StripOffsets at the pixels appended after everything.
  const uint32_t strips = static_cast<uint32_t>(file.size());
  for (size_t i = 0; i < e.size(); ++i) {
    if (e[i].tag == 273) file.replace(8 + 2 + 12 * i + 8, 4, t.U32(strips));
  }
  return file + std::string(w * h, '\x80');
}

// ------------------------------------------------------------------------------- expectations

ImageInfo Read(const std::string& bytes) {
  auto r = ReadImageHeaderBytes(bytes);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : ImageInfo{};
}
int Orientation(const std::string& bytes) { return Read(bytes).orientation; }
std::string Error(const std::string& bytes) {
  auto r = ReadImageHeaderBytes(bytes);
  EXPECT_FALSE(r.ok());
  return r.ok() ? "" : r.status().message();
}
// JPEG 40x20 carrying `tiff` as its EXIF: the orientation read.
int JpegOrientation(const std::string& tiff) { return Orientation(Jpeg(40, 20, tiff)); }

struct FakeFile {
  std::string data;
  size_t max_piece = static_cast<size_t>(-1);
  std::vector<std::pair<uint64_t, size_t>> requests = {};
  ReadFn Reader() {
    return [this](uint64_t offset, size_t n, std::string* out) -> size_t {
      requests.emplace_back(offset, n);
      if (offset >= data.size()) return 0;
      const size_t k = std::min({n, max_piece, static_cast<size_t>(data.size() - offset)});
      out->append(data, offset, k);
      return k;
    };
  }
  size_t Requested() const {
    size_t n = 0;
    for (const auto& r : requests) n += r.second;
    return n;
  }
};

// -------------------------------------------------------------------------------------- tests

TEST(ImageExifTest, SwapsAxesAndOrientedSize) {
  for (int o = -1; o <= 10; ++o) EXPECT_EQ(SwapsAxes(o), o >= 5 && o <= 8) << o;
  ImageInfo info{40, 20, "JPEG"};
  EXPECT_EQ(info.orientation, 1);
  for (int o = 1; o <= 8; ++o) {
    info.orientation = o;
    auto r = OrientedSize(info);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->width, o >= 5 ? 20 : 40) << o;
    EXPECT_EQ(r->height, o >= 5 ? 40 : 20) << o;
    // TIFF: Pillow's load() applies the orientation and exif_transpose applies it again.
    info.format = "TIFF";
    r = OrientedSize(info);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->width, 40);
    info.format = "JPEG";
  }
  info.exif_unreadable = true;
  EXPECT_FALSE(OrientedSize(info).ok());
}

TEST(ImageExifTest, JpegEveryOrientationBothByteOrders) {
  for (bool little : {true, false}) {
    const Tiff t(little);
    for (uint32_t o = 1; o <= 8; ++o) {
      const ImageInfo info = Read(Jpeg(40, 20, t.Build({{0x010F, 2, 6, "", std::string("Canon\0", 6)}, t.Orientation(o)})));
      EXPECT_EQ(info.width, 40);  // the stored size, as PIL's .size
      EXPECT_EQ(info.height, 20);
      EXPECT_EQ(info.orientation, static_cast<int>(o)) << little;
      EXPECT_FALSE(info.exif_unreadable);
      auto dj = OrientedSize(info);
      ASSERT_TRUE(dj.ok());
      EXPECT_EQ(dj->width, o >= 5 ? 20 : 40);
    }
  }
  // No EXIF at all, and an EXIF without the tag.
  EXPECT_EQ(Orientation(kSoi + Jfif(false) + Sof(40, 20) + kSos), 1);
  EXPECT_EQ(JpegOrientation(Tiff().Build({{0x0128, 3, 1, Tiff().Short(2)}})), 1);
}

TEST(ImageExifTest, ValueTypesAsExifTransposeSeesThem) {
  const Tiff t;
  auto one = [&](Entry e) { return JpegOrientation(t.Build({std::move(e)})); };
  EXPECT_EQ(one({0x0112, 4, 1, t.U32(6)}), 6);                            // LONG
  EXPECT_EQ(one({0x0112, 8, 1, t.Short(8)}), 8);                          // SSHORT
  EXPECT_EQ(one({0x0112, 9, 1, t.U32(5)}), 5);                            // SLONG
  EXPECT_EQ(one({0x0112, 6, 1, std::string("\x07\0\0\0", 4)}), 7);       // SBYTE
  EXPECT_EQ(one({0x0112, 13, 1, t.U32(6)}), 6);                           // IFD (a LONG)
  EXPECT_EQ(one({0x0112, 5, 1, "", t.U32(12) + t.U32(2)}), 6);            // RATIONAL 12/2 == 6
  EXPECT_EQ(one({0x0112, 5, 1, "", t.U32(13) + t.U32(2)}), 1);            // 6.5
  EXPECT_EQ(one({0x0112, 5, 1, "", t.U32(6) + t.U32(0)}), 1);             // x/0 is NaN
  EXPECT_EQ(one({0x0112, 10, 1, "", t.U32(-12u) + t.U32(-2u)}), 6);       // SRATIONAL -12/-2
  float f6 = 6.0f, f65 = 6.5f;
  uint32_t bits;
  std::memcpy(&bits, &f6, 4);
  EXPECT_EQ(one({0x0112, 11, 1, t.U32(bits)}), 6);  // FLOAT 6.0
  std::memcpy(&bits, &f65, 4);
  EXPECT_EQ(one({0x0112, 11, 1, t.U32(bits)}), 1);  // FLOAT 6.5
  double d8 = 8.0;
  uint64_t dbits;
  std::memcpy(&dbits, &d8, 8);
  EXPECT_EQ(one({0x0112, 12, 1, "", L32(static_cast<uint32_t>(dbits)) + L32(static_cast<uint32_t>(dbits >> 32))}), 8);
  EXPECT_EQ(one({0x0112, 16, 1, "", L32(5) + L32(0)}), 5);  // LONG8
  // BYTE and UNDEFINED load as bytes, ASCII as a string: exif_transpose does nothing with them.
  EXPECT_EQ(one({0x0112, 1, 1, std::string("\x06\0\0\0", 4)}), 1);
  EXPECT_EQ(one({0x0112, 7, 1, std::string("\x06\0\0\0", 4)}), 1);
  EXPECT_EQ(one({0x0112, 2, 2, std::string("6\0\0\0", 4)}), 1);
  // Out-of-range integers.
  EXPECT_EQ(one(t.Orientation(0)), 1);
  EXPECT_EQ(one(t.Orientation(9)), 1);
  EXPECT_EQ(one(t.Orientation(0x106)), 1);  // not truncated to its low byte
  // A type Pillow has no loader for, and a zero count, are skipped.
  EXPECT_EQ(one({0x0112, 14, 1, t.Short(6)}), 1);
  EXPECT_EQ(one({0x0112, 3, 0, t.Short(6)}), 1);
  // Several values: the first counts, inline (2 SHORTs) or out of line (3 SHORTs).
  EXPECT_EQ(one({0x0112, 3, 2, t.U16(6) + t.U16(1)}), 6);
  EXPECT_EQ(one({0x0112, 3, 3, "", t.U16(8) + t.U16(1) + t.U16(1)}), 8);
}

TEST(ImageExifTest, DuplicatesAndDirectoryEnd) {
  const Tiff t;
  // The later entry replaces the earlier, even with a value that does nothing...
  EXPECT_EQ(JpegOrientation(t.Build({t.Orientation(6), t.Orientation(8)})), 8);
  EXPECT_EQ(JpegOrientation(t.Build({t.Orientation(6), t.Orientation(0)})), 1);
  // ...but not when Pillow skips it (unknown type, zero count).
  EXPECT_EQ(JpegOrientation(t.Build({t.Orientation(6), {0x0112, 99, 1, t.Short(3)}})), 6);
  EXPECT_EQ(JpegOrientation(t.Build({t.Orientation(6), {0x0112, 3, 0, t.Short(3)}})), 6);
  // An out-of-line value running past the EXIF ends the directory: tags before it stay, the
  // ones after it are lost.
  const Entry bad_make{0x010F, 2, 100, t.U32(4000)};          // 100 bytes at 4000: past the end
  const Entry huge_make{0x010F, 2, 0xFFFFFFFFu, t.U32(8)};    // 4 GiB
  const Entry wrapping{0x010F, 4, 0x40000001u, t.U32(0xFFFFFFF0u)};
  EXPECT_EQ(JpegOrientation(t.Build({bad_make, t.Orientation(6)})), 1);
  EXPECT_EQ(JpegOrientation(t.Build({huge_make, t.Orientation(6)})), 1);
  EXPECT_EQ(JpegOrientation(t.Build({wrapping, t.Orientation(6)})), 1);
  EXPECT_EQ(JpegOrientation(t.Build({t.Orientation(6), bad_make})), 6);
  EXPECT_EQ(JpegOrientation(t.Build({t.Orientation(6), bad_make, t.Orientation(3)})), 6);
  // An out-of-line value inside the data is fine; one inline never reads anything.
  EXPECT_EQ(JpegOrientation(t.Build({{0x010F, 2, 6, "", std::string("Canon\0", 6)}, t.Orientation(5)})), 5);
  // Unknown types are skipped without looking at their (bogus) offsets.
  EXPECT_EQ(JpegOrientation(t.Build({{0x010F, 0, 0xFFFFFFFFu, t.U32(0xFFFFFFFFu)}, t.Orientation(7)})), 7);
}

TEST(ImageExifTest, CorruptDirectoriesGiveOrientationOne) {
  const Tiff t;
  const std::string good = t.Build({t.Orientation(6)});
  ASSERT_EQ(JpegOrientation(good), 6);
  // IFD0 offset past the end, at the very end, or inside the header.
  EXPECT_EQ(JpegOrientation(good.substr(0, 4) + t.U32(5000) + good.substr(8)), 1);
  EXPECT_EQ(JpegOrientation(good.substr(0, 4) + t.U32(static_cast<uint32_t>(good.size())) + good.substr(8)), 1);
  EXPECT_EQ(JpegOrientation(good.substr(0, 4) + t.U32(0xFFFFFFFFu) + good.substr(8)), 1);
  // An entry count larger than the data: the entries that fit are read.
  std::string many = good;
  many.replace(8, 2, t.U16(0xFFFF));
  EXPECT_EQ(JpegOrientation(many), 6);
  // Cut inside the orientation entry: it is lost.
  for (size_t len = 8; len < 22; ++len) EXPECT_EQ(JpegOrientation(good.substr(0, len)), 1) << len;
  // IFD0 pointing back at the header (a "loop"): garbage entries, no orientation, no hang.
  EXPECT_EQ(JpegOrientation(good.substr(0, 4) + t.U32(0) + good.substr(8)), 1);
  // The next-IFD pointer is never followed (IFD1 is the thumbnail's).
  std::string next = t.Build({{0x0128, 3, 1, t.Short(2)}});
  next.replace(next.size() - 4, 4, t.U32(8));  // IFD0 -> IFD0
  EXPECT_EQ(JpegOrientation(next), 1);
}

TEST(ImageExifTest, BadExifHeadersFailWherePilFails) {
  const Tiff t;
  const std::string body = t.Build({t.Orientation(6)}).substr(4);  // IFD offset onwards
  const std::string jfif = Jfif(false), jfif_dpi = Jfif(true);
  auto jpeg = [&](const std::string& dpi_app0, const std::string& app1_payload) {
    return kSoi + dpi_app0 + Seg(0xE1, app1_payload) + Sof(40, 20) + kSos;
  };
  const std::string exif("Exif\0\0", 6);
  // A TIFF header under 8 bytes, or "II+" BigTIFF: struct.error in getexif(), which PIL's JPEG
  // open calls for the DPI unless JFIF gave it. Then PIL cannot open the file...
  for (const std::string& head : {std::string("II*\0\x08", 5), std::string("MM\0*\0\0\0", 7),
                                  std::string("II+\0", 4) + body}) {
    EXPECT_EQ(Error(jpeg(jfif, exif + head)), "corrupt JPEG: EXIF TIFF header at offset 24 is cut short (PIL cannot open it)");
    // ...the APP1 before the JFIF: the same.
    EXPECT_FALSE(ReadImageHeaderBytes(kSoi + Seg(0xE1, exif + head) + jfif_dpi + Sof(40, 20) + kSos).ok());
    // With the DPI from JFIF the open succeeds; DJ's path loader then fails in getexif().
    const ImageInfo info = Read(jpeg(jfif_dpi, exif + head));
    EXPECT_EQ(info.orientation, 1);
    EXPECT_TRUE(info.exif_unreadable);
    EXPECT_FALSE(OrientedSize(info).ok());
  }
  // Not a TIFF header at all (SyntaxError): caught by the open's DPI code, which leaves the EXIF
  // empty for good; with the DPI known, DJ's getexif() raises it.
  for (const std::string& payload : {exif + std::string("XX*\0", 4) + body, exif + "II", std::string("Exif\0", 5),
                                     std::string("Exif\0X", 6) + "II*\0" + body, exif + exif + "II*\0" + body}) {
    ImageInfo info = Read(jpeg(jfif, payload));
    EXPECT_EQ(info.orientation, 1);
    EXPECT_FALSE(info.exif_unreadable);
    info = Read(jpeg(jfif_dpi, payload));
    EXPECT_EQ(info.orientation, 1);
    EXPECT_TRUE(info.exif_unreadable);
  }
  // "Exif\0\0" and nothing else is no EXIF; "MM\0+" is read as classic big-endian TIFF (Pillow
  // tests the BigTIFF byte at index 2 only); the odd "II\0*" and "MM*\0" magics are accepted.
  EXPECT_FALSE(Read(jpeg(jfif_dpi, exif)).exif_unreadable);
  const std::string be = Tiff(false).Build({Tiff(false).Orientation(8)});
  EXPECT_EQ(Orientation(jpeg(jfif, exif + std::string("MM\0+", 4) + be.substr(4))), 8);
  EXPECT_EQ(Orientation(jpeg(jfif, exif + std::string("MM*\0", 4) + be.substr(4))), 8);
  EXPECT_EQ(Orientation(jpeg(jfif, exif + std::string("II\0*", 4) + body)), 6);
}

TEST(ImageExifTest, JpegWhichApp1Counts) {
  const Tiff t;
  const std::string six = App1(t.Build({t.Orientation(6)})), three = App1(t.Build({t.Orientation(3)}));
  // The first "Exif" APP1 wins; other APP1s (XMP) do not count.
  EXPECT_EQ(Orientation(kSoi + six + three + Sof(40, 20) + kSos), 6);
  EXPECT_EQ(Orientation(kSoi + Seg(0xE1, "http://ns.adobe.com/xap/1.0/\0<x/>") + three + Sof(40, 20) + kSos), 3);
  // PIL reads every marker up to SOS: an EXIF after the SOF counts, one after SOS does not.
  EXPECT_EQ(Orientation(kSoi + Sof(40, 20) + Seg(0xC4, std::string(20, '\0')) + six + kSos), 6);
  EXPECT_EQ(Orientation(kSoi + Sof(40, 20) + kSos + six), 1);
  // After the SOF nothing can spoil the size: junk, a cut, a bad marker.
  EXPECT_EQ(Read(kSoi + Sof(40, 20) + std::string("\xFF\x10\x00\x05", 4)).width, 40);
  EXPECT_EQ(Read(kSoi + Sof(40, 20) + six.substr(0, 20)).width, 40);
  EXPECT_EQ(Read(kSoi + Sof(40, 20)).width, 40);
}

TEST(ImageExifTest, LargeExifReadsOnlyWhatItNeeds) {
  const Tiff t;
  // Orientation in IFD0 at the start of a 64 KiB APP1, the SOF past it.
  std::string tiff = t.Build({t.Orientation(6), {0x927C, 7, 60000, "", std::string(60000, 'm')}});
  const std::string jpeg = Jpeg(300, 200, tiff);
  ASSERT_GT(jpeg.size(), 60000u);
  FakeFile f{jpeg};
  auto r = ReadImageHeader(f.Reader());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->orientation, 6);
  EXPECT_EQ(r->width, 300);
  EXPECT_LE(f.Requested(), 12u * 1024);
  // An IFD0 far inside the segment costs one more small read there.
  std::string far = t.Build({t.Orientation(8)}, 50000);
  FakeFile g{Jpeg(300, 200, far)};
  r = ReadImageHeader(g.Reader());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->orientation, 8);
  EXPECT_LE(g.Requested(), 16u * 1024);
  // A directory claiming 65535 entries is read no further than 256 of them.
  std::string many = t.Build({{0x0128, 3, 1, t.Short(2)}});
  many.replace(8, 2, t.U16(0xFFFF));
  many.resize(65000, '\0');
  FakeFile h{Jpeg(300, 200, many)};
  r = ReadImageHeader(h.Reader());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->orientation, 1);
  EXPECT_LE(h.Requested(), 16u * 1024);
}

TEST(ImageExifTest, PngExifChunk) {
  const Tiff t;
  const std::string six = Chunk("eXIf", t.Build({t.Orientation(6)}));
  const std::string eight = Chunk("eXIf", Tiff(false).Build({Tiff(false).Orientation(8)}));
  const std::string head = kPngSig + Ihdr(40, 20);
  EXPECT_EQ(Orientation(head + kIdat + kIend), 1);
  EXPECT_EQ(Orientation(head + six + kIdat + kIend), 6);
  // After IDAT too: DJ's loader calls load(), which reads the chunks after the image data.
  EXPECT_EQ(Orientation(head + kIdat + kIdat + eight + kIend), 8);
  // The last one wins; nothing after IEND counts.
  EXPECT_EQ(Orientation(head + six + kIdat + eight + kIend), 8);
  EXPECT_EQ(Orientation(head + six + kIdat + kIend + eight), 6);
  // In an animation, load() stops at the next frame's fcTL.
  const std::string actl = Chunk("acTL", B32(2) + B32(0)), fctl = Chunk("fcTL", std::string(26, '\0'));
  EXPECT_EQ(Orientation(head + actl + kIdat + fctl + eight + kIend), 1);
  EXPECT_EQ(Orientation(head + Chunk("acTL", B32(1) + B32(0)) + kIdat + fctl + eight + kIend), 8);
  // The chunk is the TIFF data itself: a leading "Exif\0\0" is not stripped (not TIFF, and
  // getexif() raises for DJ's path loader), nor is any other bad header tolerated there.
  ImageInfo info = Read(head + Chunk("eXIf", std::string("Exif\0\0", 6) + t.Build({t.Orientation(6)})) + kIdat + kIend);
  EXPECT_EQ(info.orientation, 1);
  EXPECT_TRUE(info.exif_unreadable);
  info = Read(head + Chunk("eXIf", std::string("II*\0\x08", 5)) + kIdat + kIend);
  EXPECT_TRUE(info.exif_unreadable);
  // A broken chunk after IHDR ends the walk; the size stands.
  info = Read(head + six + B32(5) + "I?AT" + kIend);
  EXPECT_EQ(info.orientation, 6);
  EXPECT_EQ(Read(head + B32(0xFFFFFFF0u) + "tEXt").width, 40);
}

TEST(ImageExifTest, PngWalkHopsChunkHeaders) {
  // 200 IDAT chunks of 8 KiB (libpng's size), the eXIf at the end: each hop reads a little.
  std::string png = kPngSig + Ihdr(40, 20);
  const std::string idat = Chunk("IDAT", std::string(8192, 'x'));
  for (int i = 0; i < 200; ++i) png += idat;
  png += Chunk("eXIf", Tiff().Build({Tiff().Orientation(5)})) + kIend;
  FakeFile f{png};
  auto r = ReadImageHeader(f.Reader());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->orientation, 5);
  EXPECT_LE(f.Requested(), 4096u + 202 * 64 + 4096) << f.requests.size() << " requests";
  FakeFile slow{png, 3};
  r = ReadImageHeader(slow.Reader());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->orientation, 5);
}

TEST(ImageExifTest, WebpExifChunk) {
  const Tiff t;
  const std::string six = t.Build({t.Orientation(6)}), seven = t.Build({t.Orientation(7)});
  EXPECT_EQ(Orientation(Webp(40, 20, true, {six})), 6);
  EXPECT_EQ(Orientation(Webp(40, 20, true, {std::string("Exif\0\0", 6) + six})), 6);  // prefix optional
  EXPECT_EQ(Orientation(Webp(40, 20, true, {seven, six})), 7);                         // the first one
  EXPECT_EQ(Orientation(Webp(40, 20, false, {six})), 1);  // the demuxer ignores it without the flag
  EXPECT_EQ(Orientation(Webp(40, 20, true, {})), 1);
  const ImageInfo info = Read(Webp(40, 20, true, {"MM"}));
  EXPECT_EQ(info.orientation, 1);
  EXPECT_TRUE(info.exif_unreadable);
  // A chunk running past the RIFF size is not read.
  std::string cut = Webp(40, 20, true, {six});
  cut.replace(4, 4, L32(static_cast<uint32_t>(cut.size() - 8 - 10)));
  EXPECT_EQ(Orientation(cut), 1);
}

TEST(ImageExifTest, TiffTag274) {
  for (bool little : {true, false}) {
    const Tiff t(little);
    for (uint32_t o = 1; o <= 8; ++o) {
      const ImageInfo info = Read(TiffFile(40, 20, {t.Orientation(o)}, little));
      EXPECT_EQ(info.orientation, static_cast<int>(o));
      EXPECT_EQ(info.width, 40);
      auto dj = OrientedSize(info);
      ASSERT_TRUE(dj.ok());
      EXPECT_EQ(dj->width, 40);  // load() and exif_transpose both rotate: DJ sees the stored size
    }
  }
  const Tiff t;
  EXPECT_EQ(Read(TiffFile(40, 20, {})).orientation, 1);
  // An out-of-line value before the tag that runs past the file ends PIL's directory there.
  EXPECT_EQ(Read(TiffFile(40, 20, {{270, 2, 100, t.U32(0x7FFFFFF0u)}, t.Orientation(6)})).orientation, 1);
  EXPECT_EQ(Read(TiffFile(40, 20, {{270, 2, 10, "", std::string("described\0", 10)}, t.Orientation(6)})).orientation, 6);
  // Out-of-line orientation values are read from the file.
  EXPECT_EQ(Read(TiffFile(40, 20, {{274, 3, 3, "", t.U16(8) + t.U16(2) + t.U16(2)}})).orientation, 8);
}

TEST(ImageExifTest, FilesAndReadersAgree) {
  const Tiff t;
  const std::vector<std::string> inputs = {
      Jpeg(40, 20, t.Build({{0x010F, 2, 6, "", std::string("Canon\0", 6)}, t.Orientation(6)})),
      kPngSig + Ihdr(40, 20) + kIdat + Chunk("eXIf", t.Build({t.Orientation(8)})) + kIend,
      Webp(40, 20, true, {t.Build({t.Orientation(5)})}),
      TiffFile(40, 20, {{270, 2, 10, "", std::string("described\0", 10)}, t.Orientation(7)}),
  };
  const std::vector<int> want = {6, 8, 5, 7};
  const auto dir = std::filesystem::temp_directory_path() / ("winnow_exif_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  for (size_t i = 0; i < inputs.size(); ++i) {
    EXPECT_EQ(Orientation(inputs[i]), want[i]) << i;
    for (size_t piece : {size_t{1}, size_t{7}, static_cast<size_t>(-1)}) {
      FakeFile f{inputs[i], piece};
      auto r = ReadImageHeader(f.Reader());
      ASSERT_TRUE(r.ok()) << i;
      EXPECT_EQ(r->orientation, want[i]) << i << " piece " << piece;
    }
    const auto path = dir / ("img" + std::to_string(i));
    FILE* fp = std::fopen(path.c_str(), "wb");
    ASSERT_NE(fp, nullptr);
    std::fwrite(inputs[i].data(), 1, inputs[i].size(), fp);
    std::fclose(fp);
    auto r = ReadImageHeaderFile(path.string());
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->orientation, want[i]);
  }
  std::filesystem::remove_all(dir);
}

TEST(ImageExifTest, PrefixesAndMutationsNeverCrash) {
  const Tiff t;
  const std::vector<std::string> inputs = {
      Jpeg(40, 20, t.Build({{0x010F, 2, 6, "", std::string("Canon\0", 6)}, t.Orientation(6), {0x011A, 5, 1, "", t.U32(72) + t.U32(1)}})),
      kPngSig + Ihdr(40, 20) + Chunk("eXIf", t.Build({t.Orientation(8)})) + kIdat + kIend,
      Webp(40, 20, true, {t.Build({t.Orientation(5)})}),
      TiffFile(40, 20, {{270, 2, 10, "", std::string("described\0", 10)}, t.Orientation(7)}, false),
  };
  std::mt19937 rng(7);
  for (const std::string& in : inputs) {
    const ImageInfo full = Read(in);
    for (size_t len = 0; len < in.size(); ++len) {
      auto r = ReadImageHeaderBytes(in.substr(0, len));
      if (r.ok()) {
        EXPECT_EQ(r->width, full.width);
        EXPECT_EQ(r->height, full.height);
        EXPECT_GE(r->orientation, 1);
        EXPECT_LE(r->orientation, 8);
      }
    }
    for (int i = 0; i < 3000; ++i) {
      std::string b = in;
      for (int k = 0, flips = 1 + static_cast<int>(rng() % 4); k < flips; ++k) {
        const size_t at = rng() % b.size();
        const uint32_t pick = rng() % 4;
        b[at] = static_cast<char>(pick == 0 ? 0 : pick == 1 ? 0xFF : pick == 2 ? rng() % 10 : rng());
      }
      auto r = ReadImageHeaderBytes(b);
      if (r.ok()) {
        EXPECT_GE(r->orientation, 1);
        EXPECT_LE(r->orientation, 8);
      }
      if (i % 25 == 0) {
        FakeFile f{b, 5};
        auto rr = ReadImageHeader(f.Reader());
        ASSERT_EQ(rr.ok(), r.ok());
        if (r.ok()) {
          EXPECT_EQ(*rr, *r);
        }
      }
    }
  }
}

#ifdef WINNOW_SOURCE_DIR
// The golden asset: stored 40x20 with orientation 6 (written by PIL), 20x40 to DJ.
TEST(ImageExifTest, GoldenRotatedJpeg) {
  const std::string path = std::string(WINNOW_SOURCE_DIR) + "/tests/golden/assets/images/rotated.jpg";
  auto r = ReadImageHeaderFile(path);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->width, 40);
  EXPECT_EQ(r->height, 20);
  EXPECT_EQ(r->orientation, 6);
  auto dj = OrientedSize(*r);
  ASSERT_TRUE(dj.ok());
  EXPECT_EQ(dj->width, 20);
  EXPECT_EQ(dj->height, 40);
}
#endif

}  // namespace
}  // namespace winnow::media
