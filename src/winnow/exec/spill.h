// Spill files: survivors of a stage that ends in a global op (dedup, selector) are written to a
// temporary file while the op's keys are collected; after the op's finalize, the next stage
// streams the selected records back, in the selection's order.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "winnow/io/byte_stream.h"
#include "winnow/io/record_source.h"

namespace winnow {

class SpillFile {
 public:
  static Result<std::unique_ptr<SpillFile>> Create(const std::string& path);
  ~SpillFile();
  Status Append(const std::string& records, const std::vector<uint32_t>& sizes);
  Status Finish();  // flush; the file becomes readable
  size_t size() const { return offsets_.size(); }
  const std::string& path() const { return path_; }
  const std::vector<uint64_t>& offsets() const { return offsets_; }

 private:
  std::string path_;
  std::unique_ptr<ByteWriter> writer_;
  std::vector<uint64_t> offsets_;
  uint64_t end_ = 0;
};

// Reads spill records `order[0..]` back as batches.
class SpillSource : public RecordSource {
 public:
  static Result<std::unique_ptr<SpillSource>> Open(const SpillFile& spill, std::vector<uint32_t> order,
                                                   BatchLimits limits);
  ~SpillSource() override;
  Result<bool> Next(RawBatch* batch) override;
  uint64_t bytes_read() const override { return read_; }
  uint64_t total_bytes() const override { return 0; }

 private:
  int fd_ = -1;
  std::string path_;
  const std::vector<uint64_t>* offsets_ = nullptr;
  uint64_t file_end_ = 0;
  std::vector<uint32_t> order_;
  size_t pos_ = 0;
  uint64_t seq_ = 0, read_ = 0;
  BatchLimits limits_;
};

}  // namespace winnow
