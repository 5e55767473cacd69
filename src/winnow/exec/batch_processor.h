// Runs one batch through a stage's ops and renders everything the stage emits for it: kept lines
// (or spill records), stats lines, dropped and quarantined entries, global-op keys and per-op
// counts. Pure with respect to the batch, so batches can run on any thread in any order.
//
// Streaming global ops (first-occurrence dedup) sit inside a stage: the worker computes their
// keys and carries on as if the sample survived; the executor decides in input order when it
// commits the batch (CommitTraces) and discards what a duplicate rendered after that op.
#pragma once

#include <string>
#include <vector>

#include "winnow/analysis/stat_capture.h"
#include "winnow/exec/ledger.h"
#include "winnow/io/record_source.h"
#include "winnow/ops/op.h"

namespace winnow {

struct StagePlan {
  std::vector<const Op*> ops;          // mappers, filters and streaming global ops, in order
  const GlobalOp* global = nullptr;    // a non-streaming global op that ends the stage, if any
  bool to_spill = false;               // survivors go to a spill file (global op follows)
  bool has_streaming = false;          // ops include a streaming global op
};

// What happened to one sample of a batch in a stage with streaming ops (decided at commit).
struct SampleTrace {
  enum How : uint8_t { kSurvived, kDropped, kQuarantined };
  static constexpr uint32_t kReader = 0xFFFFFFFFu;  // stop: quarantined before any op (parse)
  RowId row;
  uint32_t stop = 0;       // index in StagePlan::ops where it stopped (ops.size(): survived)
  How how = kSurvived;
  uint32_t first_key = 0;  // its keys for the streaming ops it passed, in BatchResult::stream_keys
  uint32_t bytes_begin = 0;  // its text bytes after each op it passed, in BatchResult::trace_bytes
  // Ends of its spans in the batch's output strings (it starts where the previous one ended).
  size_t out_end = 0, stats_end = 0, dropped_end = 0, quarantine_end = 0;
};

struct StreamKey {
  GlobalKey key;
  size_t snap_begin = 0, snap_end = 0;  // the sample's JSON at that op (for the dropped file)
};

// One traced sample of an op (DJ's tracer): a mapper's before/after text or a filter's dropped
// sample, as a JSON line. `trace` is the sample's index in BatchResult::traces in stages with
// streaming ops (a sample a dedup removes at commit never reached the later ops).
struct TraceRecord {
  uint32_t op = 0;     // index in StagePlan::ops
  uint32_t trace = 0;
  std::string line;
};

struct EmitOptions {
  bool keep_stats_in_res_ds = false;
  bool keep_hashes_in_res_ds = false;
  bool write_stats_lines = false;      // <export>_stats.jsonl
  bool write_dropped = false;          // --export-dropped
  bool skip_op_error = true;
  const std::vector<std::string>* files = nullptr;  // for file:line provenance
  // Tracer: per op of the stage (indexed like StagePlan::ops), whether it is traced; each batch
  // keeps at most trace_num records per op, so the first trace_num in input order are available.
  std::vector<bool> traced;
  size_t trace_num = 0;
  // Ops from this index on follow a streaming dedup, which may still remove a traced sample at
  // commit: their records are not capped per batch (they are bounded by the batch instead).
  size_t trace_uncapped_from = SIZE_MAX;

  // Analysis / report capture. Per stage op: its stat keys and their collector columns (empty:
  // nothing captured). With `analyze`, filters compute their stats but keep every sample.
  std::vector<std::vector<std::pair<std::string, uint32_t>>> stat_columns;
  bool analyze = false;
  bool capture_input_length = false;  // text bytes of each input sample (first stage)
  std::string text_key = "text";
  size_t example_num = 0;             // examples per op and kind, per batch
};

struct BatchResult {
  uint64_t seq = 0;
  std::string out;         // kept JSONL lines, or spill records
  std::string stats;       // stats lines for kept samples
  std::string dropped;     // dropped entries
  std::string quarantine;  // quarantined entries
  std::vector<GlobalKey> keys;         // one per survivor when the stage ends in a global op
  std::vector<uint32_t> spill_sizes;   // bytes of each spill record
  std::vector<OpCounts> counts;        // per op of the stage (seconds only, with traces)
  std::vector<SampleTrace> traces;     // one per parsed sample, when the stage has streaming ops
  std::vector<StreamKey> stream_keys;
  std::vector<uint64_t> trace_bytes;
  std::vector<TraceRecord> trace_records;
  std::string snapshots;
  analysis::StatBatch analysis;        // stat values and examples for the analysis / report
  OpCounts reader;                     // records parsed (in) and quarantined by the reader
  uint64_t kept = 0, input_bytes = 0;
  Status fatal;                        // an op error with skip_op_error = false
};

void ProcessBatch(const StagePlan& plan, const EmitOptions& opt, const RawBatch& batch, BatchResult* result);
// EmitOptions for one stage: `traced` indexed by the stage's ops.
EmitOptions StageEmitOptions(const EmitOptions& base, const StagePlan& plan, const std::vector<bool>& traced_by_stage_op,
                             size_t trace_num);

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
