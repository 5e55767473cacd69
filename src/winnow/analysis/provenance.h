// "Which samples were removed, and why?" over the dropped-samples file a run writes with
// export_dropped / --export-dropped (one JSON line per dropped sample: source file:line, op,
// reason with the stat value and the threshold, the sample with its stats). `winnow why` uses it.
#pragma once

#include <string>

#include "winnow/core/status.h"

namespace winnow::analysis {

struct DroppedQuery {
  std::string op;      // only this op
  std::string source;  // "file:line" exactly, or a prefix ("file" or "file:12" matches file:12*)
  std::string grep;    // a substring of the sample's JSON
  size_t limit = 20;   // entries printed (0 = all)
};

// With no filter set: counts per op and its most common reasons. Otherwise the matching
// entries, one block each (source, op, reason, the start of the text). Errors name the file
// and line of a malformed entry.
Result<std::string> ExplainDropped(const std::string& path, const DroppedQuery& q);

}  // namespace winnow::analysis
