// Data-Juicer's analyzer output under work_dir/analysis: overall.csv / overall.md (pandas
// describe() of every stat, transposed as DJ writes it), {stat}-hist.png and {stat}-box.png per
// numeric stat ({stat}-hist.png only for string stats), stats-corr-pearson.png, and all-stats.png
// with save_stats_in_one_file.
#pragma once

#include <string>
#include <vector>

#include "winnow/analysis/stats_collector.h"
#include "winnow/core/status.h"

namespace winnow::analysis {

// The columns of DJ's overall table: one per stat key (the first op that writes it), in order.
std::vector<const ColumnResult*> OverallColumns(const AnalysisResult& r);

std::string OverallCsv(const AnalysisResult& r);
std::string OverallMarkdown(const AnalysisResult& r);

// Writes every file into `dir` (created); appends the paths written to *written.
Status WriteAnalysisFiles(const AnalysisResult& r, const std::string& dir, bool save_stats_in_one_file,
                          std::vector<std::string>* written);

}  // namespace winnow::analysis
