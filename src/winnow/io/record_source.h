// Record batches: the unit of work the executor hands to threads. A batch owns its bytes; each
// record is a span into them plus its provenance (file, line).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "winnow/core/sample.h"
#include "winnow/core/status.h"
#include "winnow/io/byte_stream.h"
#include "winnow/io/dataset_path.h"

namespace winnow {

struct RecordRef {
  enum Flags : uint8_t { kNone = 0, kOversize = 1 };
  uint32_t off = 0, len = 0;
  uint32_t stats_off = 0, stats_len = 0;  // stats carried over from an earlier stage (spill)
  RowId row;
  uint8_t flags = kNone;
  uint64_t original_size = 0;  // for kOversize records: the full size in bytes
};

// A read-only memory mapping of a whole input file, shared by the batches that point into it.
class MappedFile {
 public:
  // Maps a regular, non-empty file; nullptr (not an error) if it cannot be mapped.
  static std::shared_ptr<MappedFile> Open(const std::string& path);
  ~MappedFile();
  // Drops the pages fully inside [p, p + n) from memory once a batch is done with them, so the
  // resident set stays bounded by the batches in flight rather than growing with the file.
  void Release(const char* p, size_t n) const;
  const char* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  const char* data_ = nullptr;
  size_t size_ = 0;
};

struct RawBatch {
  uint64_t seq = 0;
  std::string buf;                          // owned bytes (decompressed input, spill records)
  std::shared_ptr<MappedFile> mapping;      // or: a window of a mapped plain file (zero-copy)
  const char* window = nullptr;
  size_t window_size = 0;
  std::vector<RecordRef> recs;
  uint64_t input_bytes = 0;  // bytes of input this batch accounts for (progress, MB/s)
  // Record offsets are relative to this.
  const char* data() const { return window ? window : buf.data(); }
  RawBatch() = default;
  RawBatch(const RawBatch&) = delete;
  RawBatch& operator=(const RawBatch&) = delete;
  ~RawBatch() { ReleaseWindow(); }
  void ReleaseWindow() {
    if (mapping && window) mapping->Release(window, window_size);
    mapping.reset();
    window = nullptr;
    window_size = 0;
  }
  void Clear() {
    buf.clear();
    ReleaseWindow();
    recs.clear();
    input_bytes = 0;
  }
};

struct BatchLimits {
  size_t max_rows = 1000;              // DJ's default batch size
  size_t max_bytes = 4 << 20;          // and a byte cap so huge documents do not pile up
  size_t max_record_bytes = 512u << 20;  // longer records are quarantined, not loaded
};

class RecordSource {
 public:
  virtual ~RecordSource() = default;
  // Fills the next batch; returns false when the source is exhausted.
  virtual Result<bool> Next(RawBatch* batch) = 0;
  virtual uint64_t bytes_read() const = 0;
  virtual uint64_t total_bytes() const = 0;  // 0 if unknown
};

// Reads JSON Lines from the input files in order (blank lines skipped), applying DJ's dataset
// weights (a weight w keeps ceil(n*w) records of the file, chosen with a fixed seed).
class JsonlSource : public RecordSource {
 public:
  static Result<std::unique_ptr<JsonlSource>> Open(const std::vector<InputFile>& files, BatchLimits limits);
  Result<bool> Next(RawBatch* batch) override;
  uint64_t bytes_read() const override {
    return done_bytes_ + (reader_ ? reader_->compressed_offset() : 0) + (mapped_ ? mapped_pos_ : 0);
  }
  uint64_t total_bytes() const override { return total_bytes_; }

  // Non-fatal problems found while reading (empty files, ...), for the run summary.
  std::vector<std::string> warnings;

 private:
  struct Pass {
    uint32_t file_index;
    std::vector<bool> keep;  // empty = keep every record; else per record ordinal
  };
  Status OpenPass(size_t i);
  Result<bool> FillMore();  // appends input to pending_; false at end of current file
  // Fills the batch from the current mapped file; false when that file is finished.
  bool NextMapped(RawBatch* batch);
  // Accounts one line of the current pass; false if it is blank or not sampled.
  bool CountLine(std::string_view line);
  void FinishFile();

  std::vector<InputFile> files_;
  std::vector<Pass> passes_;
  BatchLimits limits_;
  size_t pass_ = 0;
  std::unique_ptr<ByteReader> reader_;     // compressed inputs (and unmappable files)
  std::shared_ptr<MappedFile> mapped_;     // plain files: read in place, no copy
  size_t mapped_pos_ = 0;
  std::string pending_;    // bytes read but not yet assigned to a batch
  size_t scan_from_ = 0;   // where to resume looking for '\n' in pending_
  uint64_t line_ = 0;      // lines consumed in the current file
  uint64_t ordinal_ = 0;   // non-blank records seen in the current file
  uint64_t records_in_file_ = 0;
  bool skipping_oversize_ = false;
  uint64_t seq_ = 0;
  uint64_t done_bytes_ = 0, total_bytes_ = 0;
};

// Counts the non-blank lines of a JSON Lines file (for weighted sampling).
Result<uint64_t> CountRecords(const std::string& path);

}  // namespace winnow
