// The run ledger: per op, samples in / kept / dropped / quarantined and time; totals that must
// always satisfy in = kept + dropped + quarantined.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace winnow {

struct OpCounts {
  uint64_t in = 0, kept = 0, dropped = 0, quarantined = 0;
  uint64_t kept_text_bytes = 0;  // text bytes of the kept samples, after the op (the report's waterfall)
  double seconds = 0;
  void Add(const OpCounts& o) {
    in += o.in; kept += o.kept; dropped += o.dropped; quarantined += o.quarantined; seconds += o.seconds;
    kept_text_bytes += o.kept_text_bytes;
  }
};

struct LedgerRow {
  std::string name;  // op name, or "(input)" for the reader
  std::string kind;
  OpCounts counts;
};

struct Ledger {
  std::vector<LedgerRow> rows;     // "(input)" first, then ops in recipe order
  uint64_t input_records = 0, output_records = 0, dropped = 0, quarantined = 0;
  uint64_t input_bytes = 0, output_bytes = 0;
  double seconds = 0;
  std::vector<std::string> outputs;  // files written (export shards, stats, dropped, quarantine)
  std::vector<std::string> warnings;

  // Samples created by 1 -> N mappers beyond their inputs (0 for other ops).
  int64_t Produced() const {
    int64_t p = 0;
    for (const auto& r : rows)
      p += static_cast<int64_t>(r.counts.kept + r.counts.dropped + r.counts.quarantined) - static_cast<int64_t>(r.counts.in);
    return p;
  }
  // Nothing is lost: every input (and every produced sample) is kept, dropped or quarantined.
  bool Balanced() const {
    return static_cast<int64_t>(input_records) + Produced() ==
           static_cast<int64_t>(output_records + dropped + quarantined);
  }
  std::string Table() const;  // human-readable
  std::string Json() const;
};

}  // namespace winnow
