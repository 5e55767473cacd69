// Writes the result dataset: JSON Lines or a JSON array (DJ's .json export), optionally
// compressed, optionally sharded by export_shard_size with DJ's shard names
// (<name>-<i>-of-<n>.<ext>, renamed once n is known).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "winnow/io/byte_stream.h"

namespace winnow {

class ExportSink {
 public:
  static Result<std::unique_ptr<ExportSink>> Open(const std::string& path, const std::string& export_type,
                                                  int64_t shard_size);
  // `lines`: complete JSON lines, each ending in '\n'.
  Status Write(const std::string& lines);
  // Finishes all files; returns their final paths.
  Result<std::vector<std::string>> Close();
  uint64_t bytes_written() const { return bytes_; }

 private:
  Status OpenShard();
  Status CloseShard();
  Status WriteRecord(std::string_view line);  // without '\n'

  std::string path_;
  bool json_array_ = false;
  int64_t shard_size_ = 0;
  std::unique_ptr<ByteWriter> writer_;
  std::vector<std::string> shard_paths_;
  uint64_t shard_bytes_ = 0, shard_records_ = 0, bytes_ = 0;
};

}  // namespace winnow
