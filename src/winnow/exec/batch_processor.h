// Runs one batch through a stage's ops (op-major over the batch's selection, as DJ applies one
// op to a whole batch) and renders everything the stage emits for it: kept lines (or spill
// records), stats lines, dropped and quarantined entries, global-op keys and per-op counts.
// Pure with respect to the batch, so batches can run on any thread in any order.
#pragma once

#include <string>
#include <vector>

#include "winnow/exec/ledger.h"
#include "winnow/io/record_source.h"
#include "winnow/ops/op.h"

namespace winnow {

struct StagePlan {
  std::vector<const Op*> ops;          // streaming ops (mappers, filters)
  const GlobalOp* global = nullptr;    // ends the stage, if any
  bool to_spill = false;               // survivors go to a spill file (global op follows)
};

struct EmitOptions {
  bool keep_stats_in_res_ds = false;
  bool keep_hashes_in_res_ds = false;
  bool write_stats_lines = false;      // <export>_stats.jsonl
  bool write_dropped = false;          // --export-dropped
  bool skip_op_error = true;
  const std::vector<std::string>* files = nullptr;  // for file:line provenance
};

struct BatchResult {
  uint64_t seq = 0;
  std::string out;         // kept JSONL lines, or spill records
  std::string stats;       // stats lines for kept samples
  std::string dropped;     // dropped entries
  std::string quarantine;  // quarantined entries
  std::vector<GlobalKey> keys;         // one per survivor when the stage ends in a global op
  std::vector<uint32_t> spill_sizes;   // bytes of each spill record
  std::vector<OpCounts> counts;        // per op of the stage
  OpCounts reader;                     // records parsed (in) and quarantined by the reader
  uint64_t kept = 0, input_bytes = 0;
  Status fatal;                        // an op error with skip_op_error = false
};

void ProcessBatch(const StagePlan& plan, const EmitOptions& opt, const RawBatch& batch, BatchResult* result);

// Spill record layout (native endianness, temporary files only).
struct SpillHeader {
  uint32_t json_len;
  uint32_t stats_len;
  uint32_t file;
  uint32_t pad;
  uint64_t line;
};

// JSON helpers for the side files, shared with the executor.
void AppendQuarantineEntry(std::string_view source, std::string_view op, std::string_view error,
                           std::string_view raw, bool raw_is_object, std::string* out);

}  // namespace winnow
