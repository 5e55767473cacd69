// Byte-level file access with transparent compression: plain, gzip (.gz) and zstd (.zst),
// chosen by the file name's suffix. Readers and writers are streaming.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "winnow/core/status.h"

namespace winnow {

enum class Compression { kNone, kGzip, kZstd };
Compression CompressionFromPath(std::string_view path);
// The path without a compression suffix ("a.jsonl.zst" -> "a.jsonl").
std::string StripCompressionSuffix(std::string_view path);

class ByteReader {
 public:
  static Result<std::unique_ptr<ByteReader>> Open(const std::string& path);
  virtual ~ByteReader() = default;
  // Reads up to n decompressed bytes; 0 means end of stream. Errors name the file.
  virtual Result<size_t> Read(char* buf, size_t n) = 0;
  // Compressed bytes consumed so far (for progress).
  virtual uint64_t compressed_offset() const = 0;
};

class ByteWriter {
 public:
  static Result<std::unique_ptr<ByteWriter>> Create(const std::string& path);
  virtual ~ByteWriter() = default;
  virtual Status Write(std::string_view data) = 0;
  // Flushes and closes; must be called to get a complete file (errors are reported here).
  virtual Status Close() = 0;
  virtual uint64_t bytes_written() const = 0;  // uncompressed
};

}  // namespace winnow
