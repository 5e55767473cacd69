// report.html: one offline page (ECharts inlined) that shows what a recipe did to the data —
// the recipe as run, the ledger as a waterfall, each stat's histogram with the op's thresholds
// and dropped share, examples, correlations, language and length distributions, and suggested
// thresholds as a recipe snippet. The page's data is one JSON object (ReportJson); the page
// itself is src/winnow/analysis/report_template.html, compiled in.
#pragma once

#include <string>
#include <vector>

#include "winnow/analysis/stats_collector.h"
#include "winnow/core/status.h"
#include "winnow/exec/ledger.h"
#include "winnow/recipe/recipe.h"

namespace winnow::analysis {

struct ReportInput {
  const Recipe* recipe = nullptr;
  const Ledger* ledger = nullptr;
  const AnalysisResult* analysis = nullptr;
  bool analyze = false;                // `winnow analyze`: nothing dropped, "would drop"
  std::vector<const OpConfig*> ops;    // the ops that ran, as in the ledger
  std::string generated;               // ISO time; now when empty
};

// The page's data object (the schema is documented in docs/report.md).
std::string ReportJson(const ReportInput& in);

// The recipe snippet with each filter's thresholds replaced by suggestions: "k_sigma" (DJ
// sandbox: mean -+ 3 sigma) or "quantile" (1% / 99%).
std::string SuggestedRecipe(const ReportInput& in, bool quantile);

// Fills the template with ECharts (from AssetDir()/echarts.min.js) and the data; writes `path`.
Status WriteReport(const ReportInput& in, const std::string& path);

// The template with its two placeholders filled (exposed for tests).
Result<std::string> RenderReport(const std::string& data_json, const std::string& echarts_js);

}  // namespace winnow::analysis
