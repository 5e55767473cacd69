#include "winnow/analysis/value_store.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>

namespace winnow::analysis {
namespace {

// Doubles as unsigned keys whose integer order is the numeric order (sign-magnitude flip).
inline uint64_t Key(double v) {
  uint64_t b = std::bit_cast<uint64_t>(v);
  return (b >> 63) ? ~b : b ^ (uint64_t{1} << 63);
}
inline double FromKey(uint64_t k) {
  return std::bit_cast<double>((k >> 63) ? k ^ (uint64_t{1} << 63) : ~k);
}

// numpy's pairwise summation (8 accumulators, blocks of 128) over the next n values.
template <typename Next>
double PairwiseSum(Next& next, uint64_t n) {
  if (n < 8) {
    double res = 0.;
    for (uint64_t i = 0; i < n; ++i) res += next();
    return res;
  }
  if (n <= 128) {
    double r[8];
    for (double& x : r) x = next();
    uint64_t i = 8;
    for (; i < n - (n % 8); i += 8)
      for (double& x : r) x += next();
    double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += next();
    return res;
  }
  uint64_t n2 = n / 2;
  n2 -= n2 % 8;
  double left = PairwiseSum(next, n2);
  return left + PairwiseSum(next, n - n2);
}

}  // namespace

ValueStore::ValueStore(std::string spill_path, size_t block_values, uint64_t load_limit)
    : path_(std::move(spill_path)), block_values_(std::max<size_t>(block_values, 1)),
      load_limit_(std::max<uint64_t>(load_limit, 1)) {}

ValueStore::~ValueStore() {
  if (file_) {
    std::fclose(file_);
    std::remove(path_.c_str());
  }
}

Status ValueStore::Add(double v) {
  if (std::isnan(v)) return Status::Ok();
  block_.push_back(v);
  return block_.size() >= block_values_ ? Flush() : Status::Ok();
}

Status ValueStore::Flush() {
  if (block_.empty()) return Status::Ok();
  if (!file_) {
    file_ = std::fopen(path_.c_str(), "w+b");
    if (!file_) return Status::Error(path_ + ": cannot create the analysis spill file: " + std::strerror(errno));
  }
  if (std::fseek(file_, 0, SEEK_END) != 0 ||
      std::fwrite(block_.data(), sizeof(double), block_.size(), file_) != block_.size())
    return Status::Error(path_ + ": write failed (disk full?)");
  spilled_ += block_.size();
  block_.clear();
  return Status::Ok();
}

Status ValueStore::ForEach(const std::function<void(const double*, size_t)>& f) const {
  if (file_) {
    if (std::fflush(file_) != 0 || std::fseek(file_, 0, SEEK_SET) != 0)
      return Status::Error(path_ + ": cannot read the analysis spill file back");
    std::vector<double> buf(block_values_);
    uint64_t left = spilled_;
    while (left > 0) {
      size_t want = static_cast<size_t>(std::min<uint64_t>(left, buf.size()));
      if (std::fread(buf.data(), sizeof(double), want, file_) != want)
        return Status::Error(path_ + ": short read from the analysis spill file");
      f(buf.data(), want);
      left -= want;
    }
  }
  if (!block_.empty()) f(block_.data(), block_.size());
  return Status::Ok();
}

Result<std::vector<double>> ValueStore::AtRanks(const std::vector<uint64_t>& ranks) const {
  std::vector<double> out(ranks.size(), 0.0);
  if (ranks.empty() || size() == 0) return out;
  if (size() <= load_limit_) {
    std::vector<double> all;
    all.reserve(size());
    auto st = ForEach([&](const double* p, size_t n) { all.insert(all.end(), p, p + n); });
    if (!st.ok()) return st;
    std::sort(all.begin(), all.end());
    for (size_t i = 0; i < ranks.size(); ++i) out[i] = all[std::min<uint64_t>(ranks[i], all.size() - 1)];
    return out;
  }
  // Radix refinement: each pass counts the keys inside a rank's current key range in 2^16
  // buckets and narrows the range to the bucket holding the rank, until the range holds few
  // enough values to load and select among.
  struct Search {
    uint64_t rank, lo = 0, hi = ~uint64_t{0}, below = 0;  // below: values with key < lo
    bool done = false;
    int shift = 0;
    std::vector<uint64_t> counts;
  };
  std::vector<Search> s(ranks.size());
  for (size_t i = 0; i < ranks.size(); ++i) s[i].rank = std::min<uint64_t>(ranks[i], size() - 1);
  for (;;) {
    std::vector<Search*> active;
    for (auto& x : s)
      if (!x.done) active.push_back(&x);
    if (active.empty()) break;
    for (Search* x : active) {
      uint64_t span = x->hi - x->lo;
      int bits = span == 0 ? 0 : 64 - std::countl_zero(span);
      x->shift = bits > 16 ? bits - 16 : 0;
      x->counts.assign(size_t{1} << 16, 0);
    }
    auto st = ForEach([&](const double* p, size_t n) {
      for (size_t j = 0; j < n; ++j) {
        uint64_t k = Key(p[j]);
        for (Search* x : active)
          if (k >= x->lo && k <= x->hi) ++x->counts[(k - x->lo) >> x->shift];
      }
    });
    if (!st.ok()) return st;
    std::vector<Search*> collect;
    for (Search* x : active) {
      uint64_t want = x->rank - x->below, acc = 0;
      size_t b = 0;
      while (acc + x->counts[b] <= want) acc += x->counts[b++];
      x->below += acc;
      uint64_t width = (x->shift == 64) ? ~uint64_t{0} : ((uint64_t{1} << x->shift) - 1);
      uint64_t new_lo = x->lo + (static_cast<uint64_t>(b) << x->shift);
      x->hi = (x->hi - new_lo <= width) ? x->hi : new_lo + width;
      x->lo = new_lo;
      if (x->counts[b] <= load_limit_ || x->lo == x->hi) collect.push_back(x);
      x->counts.clear();
      x->counts.shrink_to_fit();
    }
    if (collect.empty()) continue;
    for (Search* x : collect) {
      std::vector<uint64_t> keys;
      if (x->lo != x->hi) {
        st = ForEach([&](const double* p, size_t n) {
          for (size_t j = 0; j < n; ++j) {
            uint64_t k = Key(p[j]);
            if (k >= x->lo && k <= x->hi) keys.push_back(k);
          }
        });
        if (!st.ok()) return st;
        auto nth = keys.begin() + static_cast<ptrdiff_t>(x->rank - x->below);
        std::nth_element(keys.begin(), nth, keys.end());
        x->lo = *nth;
      }
      x->done = true;
    }
  }
  for (size_t i = 0; i < s.size(); ++i) out[i] = FromKey(s[i].lo);
  return out;
}

Result<double> ValueStore::Mean() const {
  uint64_t n = size();
  if (n == 0) return std::nan("");
  // numpy reduces a contiguous array in buffer-sized blocks of 8192, each summed pairwise.
  double sum = 0.;
  std::vector<double> carry;  // the values of a block of 8192 that straddles two chunks
  auto st = ForEach([&](const double* p, size_t m) {
    size_t i = 0;
    while (i < m) {
      size_t take = std::min<size_t>(8192 - carry.size(), m - i);
      carry.insert(carry.end(), p + i, p + i + take);
      i += take;
      if (carry.size() == 8192) {
        size_t k = 0;
        auto next = [&] { return carry[k++]; };
        sum += PairwiseSum(next, carry.size());
        carry.clear();
      }
    }
  });
  if (!st.ok()) return st;
  if (!carry.empty()) {
    size_t k = 0;
    auto next = [&] { return carry[k++]; };
    sum += PairwiseSum(next, carry.size());
  }
  return sum / static_cast<double>(n);
}

Result<double> ValueStore::Std() const {
  // bottleneck's nanstd (pandas uses it when installed, as in DJ's images): a sequential sum for
  // the mean, then a sequential sum of squared deviations.
  uint64_t n = size();
  if (n < 2) return std::nan("");
  double sum = 0.;
  auto st = ForEach([&](const double* p, size_t m) {
    for (size_t i = 0; i < m; ++i) sum += p[i];
  });
  if (!st.ok()) return st;
  const double mean = sum / static_cast<double>(n);
  double ssd = 0.;
  st = ForEach([&](const double* p, size_t m) {
    for (size_t i = 0; i < m; ++i) {
      double d = p[i] - mean;
      ssd += d * d;
    }
  });
  if (!st.ok()) return st;
  return std::sqrt(ssd / static_cast<double>(n - 1));
}

double NumpyLerp(double a, double b, double t) {
  double diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

void PercentileRanks(uint64_t n, double q, uint64_t* lo, uint64_t* hi, double* gamma) {
  // pandas passes q * 100 to np.percentile, which divides by 100 again.
  double qq = (q * 100.0) / 100.0;
  double virt = qq * static_cast<double>(n - 1);
  double prev = std::floor(virt);
  *gamma = virt - prev;
  *lo = static_cast<uint64_t>(std::max(0.0, std::min(prev, static_cast<double>(n - 1))));
  *hi = std::min<uint64_t>(*lo + 1, n - 1);
}

double LinearPercentile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return std::nan("");
  uint64_t lo, hi;
  double g;
  PercentileRanks(sorted.size(), q, &lo, &hi, &g);
  return NumpyLerp(sorted[lo], sorted[hi], g);
}

}  // namespace winnow::analysis
