// MinHash-LSH band buckets at any scale: every (band, band hash, sample) entry goes into a buffer
// bounded by a memory budget; a full buffer is sorted and written as a run file; at the end the
// runs (and an earlier run's persisted index, for --dedup-index) are merged in (band, hash)
// order, every bucket links its samples in a union-find (the smallest index is each cluster's
// root, so the survivor is the lowest global row id whatever the budget, thread count or
// chunking), and the union of old and new buckets can be written back as the new index.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "winnow/core/status.h"
#include "winnow/ops/op.h"

namespace winnow {

struct BandEntry {
  uint64_t hash;
  uint32_t band;
  uint32_t node;  // 0: the persisted index; sample i is node i + 1
};

class BandIndex {
 public:
  // `memory_limit`: bytes for the entry buffer and the merge's read buffers (the union-find and
  // the selection, about 12 bytes per sample, come on top). `index_path`: an index to dedup against and to update ("" =
  // none); `fingerprint`: the MinHash settings the index must have been built with.
  BandIndex(std::string spill_dir, uint64_t memory_limit, std::string index_path, std::string fingerprint);
  ~BandIndex();

  // The bands of the next sample: band i's 64-bit hash in bytes [8i, 8i + 8).
  Status AddSample(const char* band_hashes, size_t bands);
  // Clusters (and updates the index file when there is one).
  Result<Selection> Finish();

  size_t runs_spilled() const { return runs_.size(); }

  class Cursor;

 private:
  static constexpr size_t kChunkEntries = size_t{1} << 20;  // 16 MiB
  static constexpr size_t kMaxRuns = 128;                    // merge fan-in
  Status SpillRun();
  Status MergeToRun(std::vector<std::unique_ptr<Cursor>> cursors);
  static Status Merge(std::vector<std::unique_ptr<Cursor>>& cursors, const std::function<Status(const BandEntry&)>& f);
  std::string spill_dir_, index_path_, fingerprint_;
  size_t buffer_entries_;
  std::vector<std::vector<BandEntry>> chunks_;  // the buffer, in fixed-size chunks
  size_t buffered_ = 0;
  std::vector<std::string> runs_;
  size_t run_serial_ = 0;
  uint32_t samples_ = 0;
};

// Sorts a buffer chunk into (band, hash, node) order with a stable LSD radix sort (six 11-bit
// digits of the hash, then the band), several times faster than std::sort on 16-byte entries.
// Relies on what AddSample produces: entries with equal band and hash are already in node order.
void SortBandEntries(std::vector<BandEntry>* entries);

// Parses a memory size: a number of bytes, or "512MB", "2GiB", "1.5G" (K/M/G/T, decimal with B,
// binary with iB or alone). "auto" is a quarter of the physical memory.
Result<uint64_t> ParseMemorySize(const std::string& s);

}  // namespace winnow
