// The executor: runs a validated recipe as streaming stages (read -> ops on batches in parallel
// -> write in input order), with global ops (dedup, selectors) as stage boundaries.
#pragma once

#include "winnow/core/status.h"
#include "winnow/exec/ledger.h"
#include "winnow/recipe/recipe.h"

namespace winnow {

struct RunOptions {
  bool progress = false;  // a progress line on stderr
  bool quiet = false;     // no ledger table on stdout
  // `winnow analyze` (DJ's Analyzer): only the filters run, computing their stats without
  // dropping anything; writes work_dir/analysis (overall.csv/md, PNGs) and the stats jsonl.
  bool analyze = false;
};

// Runs the recipe; the ledger is also written to <work_dir>/ledger.json.
Result<Ledger> RunRecipe(const Recipe& recipe, const RunOptions& options);

}  // namespace winnow
