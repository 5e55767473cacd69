// Header-only image dimensions with PIL's `.size` semantics; see image_header.h. Each parser is
// written from its format's specification (JPEG T.81, PNG, GIF89a, BMP/DIB, RIFF/WebP and the
// VP8/VP8L bitstreams, TIFF 6.0 / BigTIFF, Netpbm, ICO), following what Pillow 9.x reports where
// it differs from the plain header field.
#include "winnow/media/image_header.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <limits>
#include <optional>
#include <system_error>
#include <utility>
#include <vector>

namespace winnow::media {
namespace {

constexpr size_t kChunk = 4096;                  // first read, and every read after a seek
constexpr uint64_t kMaxScanBytes = 64ull << 20;  // how far marker/chunk/block scanning may go
constexpr int kMaxSegments = 100000;             // JPEG segments / PNG chunks / GIF blocks scanned
constexpr size_t kMaxBuffered = 1 << 20;         // past this, a further read restarts the buffer
constexpr uint64_t kMaxTiffEntries = 1 << 20;    // entries read from one IFD (classic has <= 65535)
constexpr uint64_t kMaxExifEntries = 256;        // entries read from an EXIF blob's IFD0
constexpr size_t kSmallRead = 64;                // a read for a chunk header far from the window
// No file is this large; offsets beyond it (from TIFF/ICO pointers) are simply "past the end",
// and keeping them small means offset arithmetic below cannot wrap.
constexpr uint64_t kMaxOffset = 1ull << 62;

// The input: either bytes in memory, or a ReadFn behind a small buffer. Parsers ask for exactly
// the bytes they need at absolute offsets; a request far from the buffered window drops the
// window and reads a fresh 4 KiB there, which is how JPEG segments are skipped, not read.
class Source {
 public:
  explicit Source(std::string_view bytes) : mem_(bytes), in_memory_(true) {}
  explicit Source(const ReadFn& read) : read_(&read) {}

  // Up to n bytes at `offset`; *got says how many (0 at or past the end of input).
  const uint8_t* Peek(uint64_t offset, size_t n, size_t* got) {
    *got = 0;
    if (offset >= kMaxOffset) return nullptr;
    n = std::min<uint64_t>(n, kMaxOffset - offset);
    if (in_memory_) {
      if (offset >= mem_.size()) return nullptr;
      *got = std::min<uint64_t>(n, mem_.size() - offset);
      return reinterpret_cast<const uint8_t*>(mem_.data()) + offset;
    }
    if (!Covers(offset, n)) Fetch(offset, n);
    const uint64_t end = base_ + buf_.size();
    if (offset < base_ || offset >= end) return nullptr;
    *got = std::min<uint64_t>(n, end - offset);
    return reinterpret_cast<const uint8_t*>(buf_.data()) + (offset - base_);
  }

  // Exactly n bytes at `offset`, or nullptr when the input ends first.
  const uint8_t* Get(uint64_t offset, size_t n) {
    size_t got = 0;
    const uint8_t* p = Peek(offset, n, &got);
    return got == n ? p : nullptr;
  }

  // Get() for hopping from chunk header to chunk header: when the bytes are not buffered, reads
  // only a little (not kChunk) there, so walking many chunks reads little more than their headers.
  const uint8_t* GetSmall(uint64_t offset, size_t n) {
    if (!in_memory_ && offset < kMaxOffset && !Covers(offset, n)) {
      Fetch(offset, n, std::max<size_t>(n, kSmallRead));
    }
    return Get(offset, n);
  }

  // Copies exactly n bytes at `offset` to `out` without moving the buffered window (for a look
  // elsewhere in the middle of a walk); false when the input ends first.
  bool ReadAside(uint64_t offset, size_t n, uint8_t* out) {
    if (offset >= kMaxOffset || n > kMaxOffset - offset) return false;
    if (in_memory_ || Covers(offset, n)) {
      const uint8_t* p = Get(offset, n);
      if (!p) return false;
      std::memcpy(out, p, n);
      return true;
    }
    if (offset + n > eof_) return false;
    size_t have = 0;
    while (have < n) {
      scratch_.clear();
      (*read_)(offset + have, n - have, &scratch_);
      const size_t added = std::min(scratch_.size(), n - have);
      if (added == 0) return false;
      std::memcpy(out + have, scratch_.data(), added);
      have += added;
    }
    return true;
  }

 private:
  bool Covers(uint64_t offset, size_t n) const {
    return offset >= base_ && offset - base_ <= buf_.size() && n <= buf_.size() - (offset - base_);
  }

  void Fetch(uint64_t offset, size_t n, size_t min_read = kChunk) {
    const uint64_t end = base_ + buf_.size();
    if (offset >= base_ && offset <= end && buf_.size() < kMaxBuffered) {
      // Contiguous with the window (e.g. the next GIF block): extend it.
      const uint64_t want_end = std::min(offset + n, eof_);
      if (want_end > end) ReadAppend(std::max<uint64_t>(want_end - end, min_read));
      return;
    }
    buf_.clear();
    base_ = offset;
    if (offset < eof_) ReadAppend(std::max(n, min_read));
  }

  // Appends up to n bytes at base_ + buf_.size(), calling read_ until it has them or input ends.
  void ReadAppend(uint64_t n) {
    n = std::min(n, kMaxOffset - (base_ + buf_.size()));
    while (n > 0) {
      const uint64_t at = base_ + buf_.size();
      // A scratch string, so a reader that misbehaves (clears *out, appends too much) can only
      // spoil its own bytes, never the window.
      scratch_.clear();
      (*read_)(at, static_cast<size_t>(n), &scratch_);
      const size_t added = std::min<uint64_t>(scratch_.size(), n);
      if (added == 0) {
        eof_ = at;
        return;
      }
      buf_.append(scratch_, 0, added);
      n -= added;
    }
  }

  const ReadFn* read_ = nullptr;
  std::string_view mem_;
  bool in_memory_ = false;
  std::string buf_;
  std::string scratch_;
  uint64_t base_ = 0;                                    // offset of buf_[0]
  uint64_t eof_ = std::numeric_limits<uint64_t>::max();  // end of input, once a read found it
};

uint16_t Be16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }
uint32_t Be32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) << 24 | static_cast<uint32_t>(p[1]) << 16 |
         static_cast<uint32_t>(p[2]) << 8 | p[3];
}
uint64_t Be64(const uint8_t* p) { return static_cast<uint64_t>(Be32(p)) << 32 | Be32(p + 4); }
uint16_t Le16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | p[1] << 8); }
uint32_t Le24(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 | static_cast<uint32_t>(p[2]) << 16;
}
uint32_t Le32(const uint8_t* p) { return Le24(p) | static_cast<uint32_t>(p[3]) << 24; }
uint64_t Le64(const uint8_t* p) { return Le32(p) | static_cast<uint64_t>(Le32(p + 4)) << 32; }

std::string Hex2(unsigned v) {
  static const char kDigits[] = "0123456789ABCDEF";
  return {kDigits[(v >> 4) & 0xF], kDigits[v & 0xF]};
}

Status Truncated(const char* format, const std::string& what) {
  return Status::Error(std::string("truncated ") + format + ": " + what);
}
Status Corrupt(const char* format, const std::string& what) {
  return Status::Error(std::string("corrupt ") + format + ": " + what);
}

Result<ImageInfo> Sized(int64_t width, int64_t height, const char* format) {
  if (width <= 0 || height <= 0) {
    return Corrupt(format, "invalid dimensions " + std::to_string(width) + "x" + std::to_string(height));
  }
  return ImageInfo{width, height, format};
}

// ------------------------------------------------------------------------- TIFF directories

struct TiffReader {
  Source& src;
  bool little;
  bool big;  // BigTIFF: 8-byte counts and offsets, 20-byte entries

  uint16_t U16(const uint8_t* p) const { return little ? Le16(p) : Be16(p); }
  uint32_t U32(const uint8_t* p) const { return little ? Le32(p) : Be32(p); }
  uint64_t U64(const uint8_t* p) const { return little ? Le64(p) : Be64(p); }
  uint64_t Offset(const uint8_t* p) const { return big ? U64(p) : U32(p); }

  // The first value of a width/length tag. Values that fit the entry's value field sit there
  // (left-justified in either byte order); larger arrays are stored at the offset it holds.
  Result<int64_t> Value(const char* name, uint16_t type, uint64_t count, const uint8_t* field) const {
    size_t unit = 0;
    switch (type) {
      case 1:  // BYTE
      case 6:  // SBYTE
        unit = 1;
        break;
      case 3:  // SHORT
      case 8:  // SSHORT
        unit = 2;
        break;
      case 4:  // LONG
      case 9:  // SLONG
        unit = 4;
        break;
      case 16:  // LONG8 (BigTIFF)
      case 17:  // SLONG8
        unit = 8;
        break;
      default: return Corrupt("TIFF", std::string(name) + " has unsupported type " + std::to_string(type));
    }
    if (count == 0) return Corrupt("TIFF", std::string(name) + " has no value");
    const size_t field_size = big ? 8 : 4;
    const uint8_t* v = field;
    if (count > field_size / unit) {
      const uint64_t at = Offset(field);
      if (!(v = src.Get(at, unit))) return Truncated("TIFF", std::string(name) + " value is past the end of the file");
    }
    switch (type) {
      case 1: return int64_t{v[0]};
      case 6: return int64_t{static_cast<int8_t>(v[0])};
      case 3: return int64_t{U16(v)};
      case 8: return int64_t{static_cast<int16_t>(U16(v))};
      case 4: return int64_t{U32(v)};
      case 9: return int64_t{static_cast<int32_t>(U32(v))};
      case 16: {
        const uint64_t u = U64(v);
        if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
          return Corrupt("TIFF", std::string(name) + " " + std::to_string(u) + " too large");
        }
        return static_cast<int64_t>(u);
      }
      default: return static_cast<int64_t>(U64(v));
    }
  }
};

// ---------------------------------------------------------------------------------------- EXIF
//
// Pillow's reading of an IFD (TiffImagePlugin.ImageFileDirectory_v2.load), as far as it decides
// the Orientation tag: entries in order; a type Pillow has no loader for is skipped; a value of
// zero bytes is skipped; a value too large for the entry's field is read at its offset, and one
// that runs past the data raises, which ends the directory keeping the tags read before it (as
// does an entry that runs past the data); a later entry for a tag replaces the earlier one.
// getexif().get(0x0112) is then the first value, typed by the entry's type.

constexpr uint16_t kOrientationTag = 0x0112;

// Bytes per value of each field type Pillow 9.4 loads; 0 for the types it skips.
size_t PilTypeUnit(uint16_t type) {
  switch (type) {
    case 1:   // BYTE
    case 2:   // ASCII
    case 6:   // SBYTE
    case 7:   // UNDEFINED
      return 1;
    case 3:   // SHORT
    case 8:   // SSHORT
      return 2;
    case 4:   // LONG
    case 9:   // SLONG
    case 11:  // FLOAT
    case 13:  // IFD
      return 4;
    case 5:   // RATIONAL
    case 10:  // SRATIONAL
    case 12:  // DOUBLE
    case 16:  // LONG8
      return 8;
    default: return 0;
  }
}

// An orientation value as exif_transpose sees it: the integers 1..8, however typed (an
// IFDRational or float equal to 6 looks up as 6); anything else (bytes, strings, 0, 9, 6.5, x/0)
// does nothing, which is orientation 1.
int OrientationValue(const TiffReader& t, uint16_t type, const uint8_t* v) {
  double value = 0;
  switch (type) {
    case 3: value = t.U16(v); break;
    case 8: value = static_cast<int16_t>(t.U16(v)); break;
    case 4:
    case 13: value = t.U32(v); break;
    case 9: value = static_cast<int32_t>(t.U32(v)); break;
    case 6: value = static_cast<int8_t>(v[0]); break;
    case 16: {
      const uint64_t u = t.U64(v);
      return u >= 1 && u <= 8 ? static_cast<int>(u) : 1;
    }
    case 5:
    case 10: {
      const uint32_t num = t.U32(v), den = t.U32(v + 4);
      if (den == 0) return 1;  // NaN to Pillow
      int64_t n = num, d = den;
      if (type == 10) {
        n = static_cast<int32_t>(num);
        d = static_cast<int32_t>(den);
      }
      if (n % d != 0) return 1;
      const int64_t q = n / d;
      return q >= 1 && q <= 8 ? static_cast<int>(q) : 1;
    }
    case 11: {
      float f;
      const uint32_t bits = t.U32(v);
      std::memcpy(&f, &bits, 4);
      value = f;
      break;
    }
    case 12: {
      double d;
      const uint64_t bits = t.U64(v);
      std::memcpy(&d, &bits, 8);
      value = d;
      break;
    }
    default: return 1;  // BYTE / UNDEFINED load as bytes, ASCII as str: never an orientation
  }
  if (!(value >= 1 && value <= 8) || value != static_cast<double>(static_cast<int>(value))) return 1;
  return static_cast<int>(value);
}

// Fed the entries of one IFD in order; keeps the Orientation Pillow would end up with. Values
// stored out of line are checked (that they lie inside the data) only when an Orientation entry
// follows them, since only then can they change the answer; the checks read aside, leaving the
// caller's window in place.
class OrientationScan {
 public:
  // Offsets in the IFD are relative to `base`; the data ends at `limit` (absolute; for a TIFF
  // file, kMaxOffset: wherever the file ends).
  OrientationScan(const TiffReader& t, uint64_t base, uint64_t limit) : t_(t), base_(base), limit_(limit) {}

  // `entry` points at one 12-byte (20 for BigTIFF) directory entry.
  void Add(const uint8_t* entry) {
    if (stopped_) return;
    const uint16_t tag = t_.U16(entry), type = t_.U16(entry + 2);
    const uint64_t count = t_.big ? t_.U64(entry + 4) : t_.U32(entry + 4);
    const uint8_t* field = entry + (t_.big ? 12 : 8);
    const size_t unit = PilTypeUnit(type), field_size = t_.big ? 8 : 4;
    if (unit == 0 || count == 0) return;  // skipped by Pillow; never ends the directory
    const bool out_of_line = count > field_size / unit;
    uint64_t at = 0, size = 0;
    if (out_of_line) {
      at = t_.Offset(field);
      size = count > kMaxOffset / unit ? kMaxOffset : count * unit;
    }
    if (tag != kOrientationTag) {
      if (out_of_line) pending_.push_back({at, size});
      return;
    }
    // Everything before this entry must load, or the directory ends before it.
    for (const auto& [p_at, p_size] : pending_) {
      if (!Inside(p_at, p_size)) {
        stopped_ = true;
        return;
      }
    }
    pending_.clear();
    uint8_t value[8] = {};
    if (out_of_line) {
      if (!Inside(at, size) || !t_.src.ReadAside(base_ + at, unit, value)) {
        stopped_ = true;
        return;
      }
    } else {
      std::memcpy(value, field, unit);
    }
    orientation_ = OrientationValue(t_, type, value);
  }

  int orientation() const { return orientation_; }

 private:
  // Whether [at, at + size) (relative) lies inside the data.
  bool Inside(uint64_t at, uint64_t size) const {
    if (at >= kMaxOffset - base_ || size > limit_ - std::min(limit_, base_ + at)) return false;
    if (limit_ != kMaxOffset) return true;  // an in-memory blob whose bounds are known
    uint8_t last;
    return t_.src.ReadAside(base_ + at + size - 1, 1, &last);
  }

  const TiffReader& t_;
  uint64_t base_, limit_;
  std::vector<std::pair<uint64_t, uint64_t>> pending_;  // out-of-line values since the last Orientation
  bool stopped_ = false;
  int orientation_ = 1;
};

// How Pillow's Exif.load takes an EXIF blob's 8-byte TIFF header: kNotTiff when the first four
// bytes are not a TIFF byte-order mark and magic (SyntaxError), kCutShort when they are but the
// header is shorter than 8 bytes or is "II+\0" BigTIFF, whose 8-byte IFD offset lies past the 8
// bytes Pillow reads (struct.error; "MM\0+" is read as classic big-endian TIFF, Pillow testing
// the BigTIFF magic byte at index 2 only).
enum class ExifHeader { kOk, kNotTiff, kCutShort };

// The Orientation in an EXIF blob (a TIFF structure, after "Exif\0\0" when `strip_prefix` and
// the blob starts so) at [at, at + len), as Pillow's Exif.load reads it. An empty blob is no EXIF.
int ExifOrientation(Source& src, uint64_t at, uint64_t len, bool strip_prefix, ExifHeader* header) {
  *header = ExifHeader::kOk;
  const uint8_t* p = nullptr;
  if (strip_prefix && len >= 6) {
    if (!(p = src.Get(at, 6))) return 1;
    if (std::memcmp(p, "Exif\0\0", 6) == 0) {
      at += 6;
      len -= 6;
    }
  }
  if (len == 0) return 1;
  if (len < 4) {
    *header = ExifHeader::kNotTiff;
    return 1;
  }
  if (!(p = src.Get(at, static_cast<size_t>(std::min<uint64_t>(len, 8))))) return 1;
  const bool tiff = std::memcmp(p, "MM\0*", 4) == 0 || std::memcmp(p, "II*\0", 4) == 0 ||
                    std::memcmp(p, "MM*\0", 4) == 0 || std::memcmp(p, "II\0*", 4) == 0 ||
                    std::memcmp(p, "MM\0+", 4) == 0 || std::memcmp(p, "II+\0", 4) == 0;
  if (!tiff) {
    *header = ExifHeader::kNotTiff;
    return 1;
  }
  if (len < 8 || p[2] == 0x2B) {
    *header = ExifHeader::kCutShort;
    return 1;
  }
  const TiffReader t{src, p[0] == 'I', false};
  const uint64_t ifd = t.U32(p + 4), end = at + len;
  if (ifd > len || len - ifd < 2 || !(p = src.Get(at + ifd, 2))) return 1;  // no directory: no tags
  const uint64_t entries = std::min<uint64_t>(t.U16(p), kMaxExifEntries);
  OrientationScan scan(t, at, end);
  for (uint64_t i = 0; i < entries; ++i) {
    const uint64_t e = at + ifd + 2 + 12 * i;
    if (e + 12 > end || !(p = src.Get(e, 12))) break;
    scan.Add(p);
  }
  return scan.orientation();
}

// ---------------------------------------------------------------------------------------- JPEG

// SOF0..SOF15, less the three C0-CF codes that are not frame headers.
bool IsSof(uint8_t m) { return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC; }

// PIL reads every marker up to SOS on open, so the size comes from the first SOF and the EXIF
// from the first "Exif\0" APP1 wherever it sits before SOS. After the SOF, the scan only goes on
// while no EXIF has been seen, and anything odd there (end of input, a bad marker, the caps)
// simply ends it with the size found: the size never depends on what follows the SOF.
Result<ImageInfo> ParseJpeg(Source& src) {
  uint64_t pos = 2;  // just past SOI (FF D8)
  int segments = 0;
  std::optional<ImageInfo> sized;  // set at the first SOF
  bool exif_seen = false;          // the first Exif APP1 has been read (later ones are ignored)
  bool dpi_known = false;          // a JFIF APP0 gave the DPI, so PIL's open did not call getexif()
  int orientation = 1;
  bool exif_unreadable = false;
  auto done = [&]() -> Result<ImageInfo> {
    sized->orientation = orientation;
    sized->exif_unreadable = exif_unreadable;
    return *sized;
  };
  for (;;) {
    if (pos >= kMaxScanBytes) {
      if (sized) return done();
      return Corrupt("JPEG", "no SOF marker in the first 64 MiB");
    }
    const uint8_t* p = src.Get(pos, 1);
    if (!p) {
      if (sized) return done();
      return Truncated("JPEG", "no SOF marker before end of file");
    }
    if (*p != 0xFF) {  // junk between segments: skipped byte by byte, as PIL does
      ++pos;
      continue;
    }
    const uint64_t marker_at = pos++;
    if (!(p = src.Get(pos, 1))) {
      if (sized) return done();
      return Truncated("JPEG", "no SOF marker before end of file");
    }
    const uint8_t m = *p;
    // A run of 0xFF is fill before the marker code: treat this 0xFF as junk and rescan from
    // the next one (the byte cap above bounds a file of nothing but 0xFF).
    if (m == 0xFF) continue;
    ++pos;
    if (m == 0x00) continue;                               // stuffed FF00: data, not a marker
    if (m == 0x01 || (m >= 0xD0 && m <= 0xD8)) continue;  // TEM, RST0-7, SOI: no length field
    if (sized && (m == 0xD9 || m == 0xDA || m < 0xC0)) return done();
    if (m == 0xD9) return Corrupt("JPEG", "EOI marker before any SOF marker");
    if (m == 0xDA) return Corrupt("JPEG", "SOS marker before any SOF marker");
    if (m < 0xC0) {
      return Corrupt("JPEG", "invalid marker 0xFF" + Hex2(m) + " at offset " + std::to_string(marker_at));
    }
    if (++segments > kMaxSegments) {
      if (sized) return done();
      return Corrupt("JPEG", "no SOF marker in the first 100000 segments");
    }
    if (!(p = src.Get(pos, 2))) {
      if (sized) return done();
      return Truncated("JPEG", "segment length cut short");
    }
    const uint16_t length = Be16(p);  // counts its own two bytes
    if (length < 2) {
      if (sized) return done();
      return Corrupt("JPEG", "segment length " + std::to_string(length) + " < 2 for marker 0xFF" + Hex2(m) +
                                 " at offset " + std::to_string(marker_at));
    }
    const uint64_t payload = pos + 2, payload_len = length - 2u;
    if (IsSof(m) && !sized) {
      // Length, then P (precision, 1), Y (lines, 2), X (samples per line, 2), Nf (1), ...
      if (length < 8) return Corrupt("JPEG", "SOF segment of " + std::to_string(length) + " bytes");
      if (!(p = src.Get(pos + 2, 5))) return Truncated("JPEG", "SOF segment cut short");
      // Y == 0 means "defined later by DNL"; no usable size, so Sized() rejects it.
      Result<ImageInfo> info = Sized(Be16(p + 3), Be16(p + 1), "JPEG");
      if (!info.ok()) return info.status();
      sized = *info;
      if (exif_seen) return done();
    } else if (m == 0xE0 && !exif_seen && payload_len >= 12) {
      // JFIF with density unit 1 (dots per inch) sets PIL's "dpi"; that decides whether a bad
      // EXIF header fails the open (see below).
      if ((p = src.Get(payload, 12)) && std::memcmp(p, "JFIF", 4) == 0 && p[7] == 1) dpi_known = true;
    } else if (m == 0xE1 && !exif_seen && payload_len >= 5 && (p = src.Get(payload, 5)) &&
               std::memcmp(p, "Exif\0", 5) == 0) {
      exif_seen = true;
      ExifHeader header;
      orientation = ExifOrientation(src, payload, payload_len, /*strip_prefix=*/true, &header);
      if (header != ExifHeader::kOk) {
        // Without a DPI yet, PIL's open reads the EXIF for one: it catches the SyntaxError of a
        // non-TIFF header (and the EXIF stays empty), not the struct.error of a short one. With
        // the DPI known, the first read is DJ's getexif() after load(), which catches neither.
        if (!dpi_known && header == ExifHeader::kCutShort) {
          return Corrupt("JPEG", "EXIF TIFF header at offset " + std::to_string(payload) +
                                     " is cut short (PIL cannot open it)");
        }
        exif_unreadable = dpi_known;
      }
      if (sized) return done();
    }
    pos += length;
  }
}

// ----------------------------------------------------------------------------------------- PNG

constexpr std::array<uint32_t, 256> MakeCrcTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t n = 0; n < 256; ++n) {
    uint32_t c = n;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
  return table;
}
constexpr std::array<uint32_t, 256> kCrcTable = MakeCrcTable();

uint32_t Crc32(const uint8_t* p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; ++i) c = kCrcTable[(c ^ p[i]) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

bool IsAsciiLetter(uint8_t c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

// The EXIF orientation of a PNG: the last eXIf chunk from IHDR to IEND. PIL's open reads the
// chunks up to the first IDAT, and load() (which DJ's loader calls before getexif()) the ones
// after the image data, up to IEND or, in an animation, the next frame's fcTL. The walk hops
// from chunk header to chunk header; anything odd (a bad type or length, the end of input, the
// caps) ends it with what was found, never an error: the size is already known.
void PngOrientation(Source& src, uint64_t pos, int chunks, ImageInfo* info) {
  std::optional<std::pair<uint64_t, uint64_t>> exif;  // data offset and length of the last eXIf
  bool animated = false, past_idat = false;
  for (; pos < kMaxScanBytes && chunks < kMaxSegments; ++chunks) {
    const uint8_t* p = src.GetSmall(pos, 8);
    if (!p) break;
    const uint32_t length = Be32(p);
    const uint8_t* type = p + 4;
    if (!std::all_of(type, type + 4, IsAsciiLetter) || length > 0x7FFFFFFFu) break;
    if (std::memcmp(type, "IEND", 4) == 0) break;
    if (std::memcmp(type, "IDAT", 4) == 0) {
      past_idat = true;
    } else if (std::memcmp(type, "fcTL", 4) == 0 && past_idat && animated) {
      break;
    } else if (std::memcmp(type, "acTL", 4) == 0 && !past_idat && length >= 8) {
      // num_frames; PIL ignores 0 and counts above 2^31.
      if (const uint8_t* a = src.Get(pos + 8, 4)) animated = Be32(a) > 1 && Be32(a) <= 0x80000000u;
    } else if (std::memcmp(type, "eXIf", 4) == 0) {
      exif.emplace(pos + 8, length);
    }
    pos += 12 + static_cast<uint64_t>(length);
  }
  if (!exif) return;
  // PIL stores "Exif\0\0" + the chunk and strips exactly that prefix: the chunk is the TIFF data.
  // A bad header raises in getexif(), which only DJ's path loader calls.
  ExifHeader header;
  info->orientation = ExifOrientation(src, exif->first, exif->second, /*strip_prefix=*/false, &header);
  info->exif_unreadable = header != ExifHeader::kOk;
}

Result<ImageInfo> ParsePng(Source& src) {
  // IHDR must come first, but PIL reads chunks in order until it meets one, so tolerate
  // chunks before it (Apple's CgBI) the same way.
  uint64_t pos = 8;
  for (int chunks = 0;; ++chunks) {
    if (pos >= kMaxScanBytes || chunks >= kMaxSegments) return Corrupt("PNG", "no IHDR chunk near the start");
    const uint8_t* p = src.Get(pos, 8);
    if (!p) return Truncated("PNG", "no IHDR chunk before end of file");
    const uint32_t length = Be32(p);
    const uint8_t* type = p + 4;
    if (!std::all_of(type, type + 4, IsAsciiLetter)) {
      return Corrupt("PNG", "invalid chunk type at offset " + std::to_string(pos));
    }
    if (length > 0x7FFFFFFFu) return Corrupt("PNG", "chunk length " + std::to_string(length) + " too large");
    if (std::memcmp(type, "IHDR", 4) == 0) {
      // 13 bytes by the spec; PIL reads the first 13 of a longer one, which is fine up to a point.
      if (length < 13 || length > 65536) return Corrupt("PNG", "IHDR chunk of " + std::to_string(length) + " bytes");
      // Type + data + CRC; the CRC covers type and data. PIL rejects a bad IHDR CRC.
      const uint8_t* c = src.Get(pos + 4, 4 + length + 4);
      if (!c) return Truncated("PNG", "IHDR chunk cut short");
      if (Crc32(c, 4 + length) != Be32(c + 4 + length)) return Corrupt("PNG", "IHDR chunk CRC mismatch");
      Result<ImageInfo> info = Sized(Be32(c + 4), Be32(c + 8), "PNG");
      if (info.ok()) PngOrientation(src, pos + 12 + length, chunks + 1, &*info);
      return info;
    }
    if (std::memcmp(type, "IDAT", 4) == 0 || std::memcmp(type, "IEND", 4) == 0) {
      return Corrupt("PNG", std::string(reinterpret_cast<const char*>(type), 4) + " chunk before IHDR");
    }
    pos += 12 + static_cast<uint64_t>(length);  // length, type, data, CRC
  }
}

// ----------------------------------------------------------------------------------------- GIF

Result<ImageInfo> ParseGif(Source& src) {
  const uint8_t* p = src.Get(0, 13);
  if (!p) return Truncated("GIF", "logical screen descriptor cut short");
  const int64_t screen_w = Le16(p + 6), screen_h = Le16(p + 8);
  const uint8_t flags = p[10];
  uint64_t pos = 13;
  if (flags & 0x80) pos += 3u << ((flags & 7) + 1);  // global colour table
  // PIL's size is the screen, grown to hold the first frame when that frame sticks out of it
  // (it reads the first image descriptor on open), so find that descriptor.
  for (int blocks = 0;; ++blocks) {
    if (pos >= kMaxScanBytes || blocks >= kMaxSegments) return Corrupt("GIF", "no image near the start");
    if (!(p = src.Get(pos, 1))) return Truncated("GIF", "no image descriptor before end of file");
    if (*p == 0x2C) {  // image descriptor: left, top, width, height, flags
      if (!(p = src.Get(pos + 1, 8))) return Truncated("GIF", "image descriptor cut short");
      const int64_t right = Le16(p) + static_cast<int64_t>(Le16(p + 4));
      const int64_t bottom = Le16(p + 2) + static_cast<int64_t>(Le16(p + 6));
      return Sized(std::max(screen_w, right), std::max(screen_h, bottom), "GIF");
    }
    if (*p == 0x3B) return Corrupt("GIF", "trailer before the first image");
    if (*p != 0x21) {  // PIL ignores stray bytes between blocks
      ++pos;
      continue;
    }
    // Extension: introducer, label, then data sub-blocks (length byte + data) up to a 0 length.
    pos += 2;
    for (;;) {
      if (pos >= kMaxScanBytes || ++blocks >= kMaxSegments) return Corrupt("GIF", "no image near the start");
      if (!(p = src.Get(pos, 1))) return Truncated("GIF", "extension block cut short");
      pos += 1 + static_cast<uint64_t>(*p);
      if (*p == 0) break;
    }
  }
}

// ----------------------------------------------------------------------------------------- BMP

// DIB header sizes with 32-bit dimensions: BITMAPINFOHEADER (40), V2 (52), V3 (56), OS/2 2.x
// (64), V4 (108), V5 (124). BITMAPCOREHEADER (12) has unsigned 16-bit ones.
bool IsInfoHeaderSize(uint32_t size) {
  return size == 40 || size == 52 || size == 56 || size == 64 || size == 108 || size == 124;
}

// Reads a DIB header at `at` (width, height as stored; height may be negative = top-down).
Status ReadDib(Source& src, uint64_t at, const char* format, int64_t* width, int64_t* height) {
  const uint8_t* p = src.Get(at, 4);
  if (!p) return Truncated(format, "bitmap header cut short");
  const uint32_t size = Le32(p);
  if (size == 12) {
    if (!(p = src.Get(at + 4, 4))) return Truncated(format, "bitmap header cut short");
    *width = Le16(p);
    *height = Le16(p + 2);
    return Status::Ok();
  }
  if (!IsInfoHeaderSize(size)) return Corrupt(format, "unsupported bitmap header size " + std::to_string(size));
  if (!(p = src.Get(at + 4, 8))) return Truncated(format, "bitmap header cut short");
  *width = static_cast<int32_t>(Le32(p));
  *height = static_cast<int32_t>(Le32(p + 4));
  return Status::Ok();
}

Result<ImageInfo> ParseBmp(Source& src) {
  int64_t width = 0, height = 0;
  WINNOW_RETURN_IF_ERROR(ReadDib(src, 14, "BMP", &width, &height));  // after the 14-byte file header
  if (height < 0) height = -height;  // top-down rows; PIL reports the magnitude
  return Sized(width, height, "BMP");
}

// ---------------------------------------------------------------------------------------- WEBP

// The EXIF orientation of an extended WebP whose VP8X flags announce EXIF: the first EXIF chunk
// within the RIFF size (what libwebp's demuxer hands PIL). Chunks are walked by their sizes (each
// padded to even); anything odd ends the walk with orientation 1.
void WebpOrientation(Source& src, uint64_t pos, ImageInfo* info) {
  const uint8_t* p = src.Get(4, 4);
  if (!p) return;
  const uint64_t riff_end = 8 + static_cast<uint64_t>(Le32(p));
  for (int chunks = 0; pos < kMaxScanBytes && chunks < kMaxSegments; ++chunks) {
    if (pos + 8 > riff_end || !(p = src.GetSmall(pos, 8))) return;
    const uint64_t size = Le32(p + 4);
    if (std::memcmp(p, "EXIF", 4) == 0) {
      if (size > riff_end - pos - 8) return;
      ExifHeader header;  // a bad one raises in getexif(), which only DJ's path loader calls
      info->orientation = ExifOrientation(src, pos + 8, size, /*strip_prefix=*/true, &header);
      info->exif_unreadable = header != ExifHeader::kOk;
      return;
    }
    pos += 8 + size + (size & 1);
  }
}

Result<ImageInfo> ParseWebp(Source& src) {
  const uint8_t* p = src.Get(12, 8);  // first chunk: FourCC, size
  if (!p) return Truncated("WEBP", "first chunk header cut short");
  const std::string fourcc(reinterpret_cast<const char*>(p), 4);
  const uint32_t chunk_size = Le32(p + 4);
  if (fourcc == "VP8 ") {
    // Simple lossy: 3-byte frame tag, start code 9D 01 2A, then 16-bit width and height whose
    // top two bits are a scale hint, not part of the size.
    if (chunk_size < 10) return Corrupt("WEBP", "VP8 chunk of " + std::to_string(chunk_size) + " bytes");
    if (!(p = src.Get(20, 10))) return Truncated("WEBP", "VP8 frame header cut short");
    const uint32_t tag = Le24(p);
    if (tag & 1) return Corrupt("WEBP", "VP8 frame is not a key frame");
    if (((tag >> 1) & 7) > 3) return Corrupt("WEBP", "unknown VP8 profile");
    if (!((tag >> 4) & 1)) return Corrupt("WEBP", "VP8 frame is not shown");
    if (p[3] != 0x9D || p[4] != 0x01 || p[5] != 0x2A) return Corrupt("WEBP", "missing VP8 start code");
    return Sized(Le16(p + 6) & 0x3FFF, Le16(p + 8) & 0x3FFF, "WEBP");
  }
  if (fourcc == "VP8L") {
    // Simple lossless: signature 0x2F, then bit-packed LE: 14 bits width-1, 14 bits height-1,
    // 1 bit alpha hint, 3 bits version (must be 0).
    if (chunk_size < 5) return Corrupt("WEBP", "VP8L chunk of " + std::to_string(chunk_size) + " bytes");
    if (!(p = src.Get(20, 5))) return Truncated("WEBP", "VP8L header cut short");
    if (p[0] != 0x2F) return Corrupt("WEBP", "missing VP8L signature");
    const uint32_t bits = Le32(p + 1);
    if (bits >> 29) return Corrupt("WEBP", "unknown VP8L version");
    return Sized((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, "WEBP");
  }
  if (fourcc == "VP8X") {
    // Extended: flags (1) + reserved (3), then the canvas as 24-bit width-1, height-1. The
    // canvas is what PIL (libwebp's demuxer) reports, for stills and animations alike.
    if (chunk_size < 10) return Corrupt("WEBP", "VP8X chunk of " + std::to_string(chunk_size) + " bytes");
    if (!(p = src.Get(20, 10))) return Truncated("WEBP", "VP8X header cut short");
    const int64_t width = static_cast<int64_t>(Le24(p + 4)) + 1, height = static_cast<int64_t>(Le24(p + 7)) + 1;
    if (width * height >= (int64_t{1} << 32)) return Corrupt("WEBP", "canvas larger than libwebp allows");
    const bool has_exif = p[0] & 0x08;
    Result<ImageInfo> info = Sized(width, height, "WEBP");
    if (info.ok() && has_exif) WebpOrientation(src, 20 + (static_cast<uint64_t>(chunk_size) + 1) / 2 * 2, &*info);
    return info;
  }
  std::string shown;
  for (char c : fourcc) shown += (c >= 0x20 && c < 0x7F) ? c : '?';
  return Corrupt("WEBP", "first chunk is '" + shown + "', not VP8, VP8L or VP8X");
}

// ---------------------------------------------------------------------------------------- TIFF

Result<ImageInfo> ParseTiff(Source& src) {
  const uint8_t* p = src.Get(0, 8);
  if (!p) return Truncated("TIFF", "header cut short");
  // II / MM sets the byte order; 42 is classic TIFF and 43 BigTIFF. PIL also accepts the magic
  // written in the other byte order, so look at both bytes rather than decode it.
  TiffReader t{src, p[0] == 'I', p[2] == 0x2B || p[3] == 0x2B};
  uint64_t ifd = 0;
  if (t.big) {
    // Then the offset size (8) and a reserved 0, which PIL does not check either.
    if (!(p = src.Get(8, 8))) return Truncated("TIFF", "BigTIFF header cut short");
    ifd = t.U64(p);
  } else {
    ifd = t.U32(p + 4);
  }
  if (ifd == 0) return Corrupt("TIFF", "no image file directory");
  const size_t count_size = t.big ? 8 : 2, entry_size = t.big ? 20 : 12, field_at = t.big ? 12 : 8;
  if (!(p = src.Get(ifd, count_size))) return Truncated("TIFF", "first IFD is past the end of the file");
  const uint64_t entries = t.big ? t.U64(p) : t.U16(p);
  std::optional<int64_t> width, height;
  bool cut_short = false;
  OrientationScan orientation(t, 0, kMaxOffset);  // Pillow's getexif() re-reads this IFD
  for (uint64_t i = 0; i < entries; ++i) {
    if (i >= kMaxTiffEntries) return Corrupt("TIFF", "first IFD claims " + std::to_string(entries) + " entries");
    // ifd < 2^62 (Source refused larger offsets above) and i is capped: no wrap.
    if (!(p = src.Get(ifd + count_size + i * entry_size, entry_size))) {
      // PIL keeps the tags read before a directory that runs off the end of the file.
      cut_short = true;
      break;
    }
    orientation.Add(p);
    const uint16_t tag = t.U16(p);
    if (tag != 256 && tag != 257) continue;
    const uint16_t type = t.U16(p + 2);
    const uint64_t count = t.big ? t.U64(p + 4) : t.U32(p + 4);
    const char* name = tag == 256 ? "ImageWidth" : "ImageLength";
    Result<int64_t> v = t.Value(name, type, count, p + field_at);
    if (!v.ok()) return v.status();
    // A repeated tag overrides the earlier one, as in PIL's tag dictionary.
    (tag == 256 ? width : height) = *v;
  }
  if (cut_short && (!width || !height)) return Truncated("TIFF", "first IFD cut short");
  if (!width && !height) return Corrupt("TIFF", "first IFD has no ImageWidth or ImageLength tag");
  if (!width) return Corrupt("TIFF", "first IFD has no ImageWidth tag");
  if (!height) return Corrupt("TIFF", "first IFD has no ImageLength tag");
  Result<ImageInfo> info = Sized(*width, *height, "TIFF");
  if (info.ok()) info->orientation = orientation.orientation();
  return info;
}

// ----------------------------------------------------------------------------------------- PPM

bool IsPnmSpace(uint8_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }

// One header number the way PIL tokenises it: leading whitespace skipped, '#' starts a comment
// that runs to CR/LF, at most 10 characters.
Result<int64_t> PnmNumber(Source& src, uint64_t* pos, const char* what) {
  std::string token;
  while (token.size() <= 10) {
    if (*pos >= kMaxScanBytes) return Corrupt("PPM", "header longer than 64 MiB");
    const uint8_t* p = src.Get(*pos, 1);
    if (!p) break;
    ++*pos;
    if (IsPnmSpace(*p)) {
      if (token.empty()) continue;
      break;
    }
    if (*p == '#') {
      // The comment's CR/LF goes with it, so "1#c\n2" is the one token "12" (PIL's reading).
      while (*pos < kMaxScanBytes && (p = src.Get(*pos, 1))) {
        ++*pos;
        if (*p == '\r' || *p == '\n') break;
      }
      continue;
    }
    token.push_back(static_cast<char>(*p));
  }
  if (token.empty()) return Truncated("PPM", std::string("header ends before the ") + what);
  if (token.size() > 10) return Corrupt("PPM", std::string(what) + " has more than 10 characters");
  int64_t v = 0;
  for (char c : token) {
    if (c < '0' || c > '9') return Corrupt("PPM", std::string(what) + " is not a number");
    v = v * 10 + (c - '0');
  }
  return v;
}

Result<ImageInfo> ParsePnm(Source& src, char kind) {
  uint64_t pos = 3;  // "Pn" and the whitespace after it
  Result<int64_t> width = PnmNumber(src, &pos, "width");
  if (!width.ok()) return width.status();
  Result<int64_t> height = PnmNumber(src, &pos, "height");
  if (!height.ok()) return height.status();
  if (kind != '1' && kind != '4') {  // bitmaps have no maxval; PIL checks the others'
    Result<int64_t> maxval = PnmNumber(src, &pos, "maxval");
    if (!maxval.ok()) return maxval.status();
    if (*maxval <= 0 || *maxval >= 65536) return Corrupt("PPM", "maxval " + std::to_string(*maxval) + " out of range");
  }
  return Sized(*width, *height, "PPM");
}

// ----------------------------------------------------------------------------------------- ICO

// ceil(log2(n)) for n >= 1.
int CeilLog2(unsigned n) {
  int k = 0;
  while ((1u << k) < n) ++k;
  return k;
}

Result<ImageInfo> ParseIco(Source& src) {
  const uint8_t* p = src.Get(0, 6);
  if (!p) return Truncated("ICO", "header cut short");
  const unsigned count = Le16(p + 4);
  if (count == 0) return Corrupt("ICO", "no images in the directory");
  // PIL opens the entry with the largest area, then the deepest colour, then the last listed
  // (a stable sort, reversed); a 0 width or height in the directory means 256.
  int64_t best_area = -1, best_depth = -1;
  uint64_t best_offset = 0;
  for (unsigned i = 0; i < count; ++i) {
    if (!(p = src.Get(6 + 16 * static_cast<uint64_t>(i), 16))) return Truncated("ICO", "directory cut short");
    const int64_t w = p[0] ? p[0] : 256, h = p[1] ? p[1] : 256;
    const unsigned colors = p[2], bpp = Le16(p + 6);
    int64_t depth = bpp ? bpp : (colors ? CeilLog2(colors) : 0);
    if (depth == 0) depth = 256;
    if (w * h > best_area || (w * h == best_area && depth >= best_depth)) {
      best_area = w * h;
      best_depth = depth;
      best_offset = Le32(p + 12);
    }
  }
  // PIL's size is that image's own: the embedded PNG's IHDR, or the DIB's width and half its
  // height (a DIB in an icon stacks the colour bitmap on its AND mask).
  if (!(p = src.Get(best_offset, 8))) return Truncated("ICO", "image data is past the end of the file");
  if (std::memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0) {
    if (!(p = src.Get(best_offset + 8, 16))) return Truncated("ICO", "embedded PNG header cut short");
    if (std::memcmp(p + 4, "IHDR", 4) != 0) return Corrupt("ICO", "embedded PNG does not start with IHDR");
    return Sized(Be32(p + 8), Be32(p + 12), "ICO");
  }
  int64_t width = 0, height = 0;
  WINNOW_RETURN_IF_ERROR(ReadDib(src, best_offset, "ICO", &width, &height));
  if (height < 0) height = -height;
  return Sized(width, height / 2, "ICO");
}

// ------------------------------------------------------------------------------------ dispatch

Result<ImageInfo> Parse(Source& src) {
  size_t got = 0;
  const uint8_t* p = src.Peek(0, 16, &got);
  if (got == 0) return Status::Error("empty file");
  auto starts = [&](const char* sig, size_t n) { return got >= n && std::memcmp(p, sig, n) == 0; };
  if (starts("\xFF\xD8\xFF", 3)) return ParseJpeg(src);
  if (starts("\x89PNG\r\n\x1a\n", 8)) return ParsePng(src);
  if (starts("GIF87a", 6) || starts("GIF89a", 6)) return ParseGif(src);
  if (starts("BM", 2)) return ParseBmp(src);
  if (starts("RIFF", 4) && got >= 12 && std::memcmp(p + 8, "WEBP", 4) == 0) return ParseWebp(src);
  if (starts("II\x2A\x00", 4) || starts("MM\x00\x2A", 4) || starts("II\x00\x2A", 4) || starts("MM\x2A\x00", 4) ||
      starts("II\x2B\x00", 4) || starts("MM\x00\x2B", 4)) {
    return ParseTiff(src);
  }
  if (starts("\x00\x00\x01\x00", 4)) return ParseIco(src);
  // PIL reads the magic up to whitespace, so "P6" must be followed by whitespace (or nothing).
  if (got >= 2 && p[0] == 'P' && p[1] >= '1' && p[1] <= '6' && (got == 2 || IsPnmSpace(p[2]))) {
    return ParsePnm(src, static_cast<char>(p[1]));
  }
  return Status::Error("unrecognised image format");
}

std::string ErrnoMessage(int err) { return std::generic_category().message(err); }

}  // namespace

Result<ImageInfo> ReadImageHeader(const ReadFn& read) {
  Source src(read);
  return Parse(src);
}

Result<ImageInfo> ReadImageHeaderBytes(std::string_view bytes) {
  Source src(bytes);
  return Parse(src);
}

Result<ImageInfo> ReadImageHeaderFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::Error("cannot open " + path + ": " + ErrnoMessage(errno));
  int read_errno = 0;
  const ReadFn read = [fd, &read_errno](uint64_t offset, size_t n, std::string* out) -> size_t {
    if (offset > static_cast<uint64_t>(std::numeric_limits<off_t>::max())) return 0;
    const size_t old = out->size();
    out->resize(old + n);
    ssize_t r;
    do {
      r = ::pread(fd, out->data() + old, n, static_cast<off_t>(offset));
    } while (r < 0 && errno == EINTR);
    if (r < 0) {
      read_errno = errno;
      r = 0;
    }
    out->resize(old + static_cast<size_t>(r));
    return static_cast<size_t>(r);
  };
  Source src(read);
  Result<ImageInfo> info = Parse(src);
  ::close(fd);
  // A failed read looks like end of file to the parser; report the real cause instead.
  if (read_errno != 0) return Status::Error("cannot read " + path + ": " + ErrnoMessage(read_errno));
  if (!info.ok()) return info.status().WithContext(path);
  return info;
}

}  // namespace winnow::media
