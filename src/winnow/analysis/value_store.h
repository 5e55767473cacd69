// The numeric values of one stat column, in arrival (input) order, in bounded memory: a block in
// memory, full blocks appended to a spill file. Everything the analysis reports from it is exact:
// order statistics by radix refinement over the file (no sketch), and mean / std with the same
// floating-point summation order as Data-Juicer's pandas (numpy's pairwise sum for the mean,
// bottleneck's sequential two-pass sum for the std), so overall.csv matches DJ digit for digit.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "winnow/core/status.h"

namespace winnow::analysis {

class ValueStore {
 public:
  // `spill_path`: where full blocks go (created on first spill, removed by the destructor).
  // `load_limit`: most values loaded into memory at once (sorting, the last refinement step).
  explicit ValueStore(std::string spill_path, size_t block_values = 1 << 16, uint64_t load_limit = kLoadLimit);
  ~ValueStore();
  ValueStore(const ValueStore&) = delete;
  ValueStore& operator=(const ValueStore&) = delete;

  Status Add(double v);  // NaN is not stored (pandas skips it); callers count it as missing
  uint64_t size() const { return spilled_ + block_.size(); }
  bool spilled() const { return spilled_ > 0; }

  // Calls f on consecutive chunks of the values, in arrival order.
  Status ForEach(const std::function<void(const double*, size_t)>& f) const;

  // Exact values at 0-based ranks of the sorted order (ranks < size()).
  Result<std::vector<double>> AtRanks(const std::vector<uint64_t>& ranks) const;

  // pandas' Series.mean / Series.std (ddof 1) as Data-Juicer's environment computes them.
  Result<double> Mean() const;
  Result<double> Std() const;

  static constexpr uint64_t kLoadLimit = 1u << 23;  // 64 MiB of doubles

 private:
  Status Flush();
  std::string path_;
  size_t block_values_;
  uint64_t load_limit_;
  std::vector<double> block_;
  mutable std::FILE* file_ = nullptr;
  uint64_t spilled_ = 0;
};

// numpy's percentile with the "linear" method (pandas' describe), on sorted values.
double LinearPercentile(const std::vector<double>& sorted, double q);
// The two ranks (floor, ceil of q * (n - 1)) LinearPercentile reads, for a column of n values.
void PercentileRanks(uint64_t n, double q, uint64_t* lo, uint64_t* hi, double* gamma);
// numpy's _lerp: a + (b - a) * t, computed from b when t >= 0.5.
double NumpyLerp(double a, double b, double t);

}  // namespace winnow::analysis
