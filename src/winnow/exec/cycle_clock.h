// A cheap per-op timer: the CPU's time-stamp counter (a few ns to read, vs ~20 ns for
// steady_clock), converted to seconds with a rate calibrated once against steady_clock. Used
// for the ledger's per-op times, where ops run per sample and are often sub-microsecond.
#pragma once

#include <x86intrin.h>

#include <chrono>
#include <cstdint>
#include <thread>

namespace winnow {

class CycleClock {
 public:
  static uint64_t Now() { return __rdtsc(); }
  static double Seconds(uint64_t cycles) { return static_cast<double>(cycles) * SecondsPerCycle(); }

 private:
  static double SecondsPerCycle() {
    static const double rate = [] {
      auto t0 = std::chrono::steady_clock::now();
      uint64_t c0 = __rdtsc();
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      uint64_t c1 = __rdtsc();
      double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      return c1 > c0 ? s / static_cast<double>(c1 - c0) : 1e-9;
    }();
    return rate;
  }
};

}  // namespace winnow
