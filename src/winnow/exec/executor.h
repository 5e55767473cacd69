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
};

// Runs the recipe; the ledger is also written to <work_dir>/ledger.json.
Result<Ledger> RunRecipe(const Recipe& recipe, const RunOptions& options);

}  // namespace winnow
