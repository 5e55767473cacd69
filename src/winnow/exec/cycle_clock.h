// A cheap per-op timer: the CPU's time-stamp counter (a few ns to read, vs ~20 ns for
// steady_clock), converted to seconds with a rate measured against steady_clock between the
// first use and the conversion (no calibration sleep). Used for the ledger's per-op times,
// where ops run per sample and are often sub-microsecond.
#pragma once

#include <x86intrin.h>

#include <chrono>
#include <cstdint>

namespace winnow {

class CycleClock {
 public:
  static uint64_t Now() {
    (void)Origin();
    return __rdtsc();
  }
  static double Seconds(uint64_t cycles) {
    const auto& o = Origin();
    uint64_t c1 = __rdtsc();
    auto t1 = std::chrono::steady_clock::now();
    // Spin briefly if too little time has passed for a meaningful rate.
    while (std::chrono::duration<double>(t1 - o.time).count() < 1e-3) {
      t1 = std::chrono::steady_clock::now();
      c1 = __rdtsc();
    }
    double rate = std::chrono::duration<double>(t1 - o.time).count() / static_cast<double>(c1 - o.cycles);
    return static_cast<double>(cycles) * rate;
  }

 private:
  struct Point {
    uint64_t cycles;
    std::chrono::steady_clock::time_point time;
  };
  static const Point& Origin() {
    static const Point p{__rdtsc(), std::chrono::steady_clock::now()};
    return p;
  }
};

}  // namespace winnow
