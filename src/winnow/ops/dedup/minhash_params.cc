#include "winnow/ops/dedup/minhash_params.h"

#include <cmath>
#include <limits>
#include <map>
#include <mutex>

namespace winnow {
namespace {

template <typename F>
double Simpson(F f, double a, double b, double fa, double fm, double fb, double whole, double eps, int depth) {
  double m = (a + b) / 2, lm = (a + m) / 2, rm = (m + b) / 2;
  double flm = f(lm), frm = f(rm);
  double left = (m - a) / 6 * (fa + 4 * flm + fm), right = (b - m) / 6 * (fm + 4 * frm + fb);
  if (depth <= 0 || std::fabs(left + right - whole) <= 15 * eps) return left + right + (left + right - whole) / 15;
  return Simpson(f, a, m, fa, flm, fm, left, eps / 2, depth - 1) + Simpson(f, m, b, fm, frm, fb, right, eps / 2, depth - 1);
}

template <typename F>
double Integrate(F f, double a, double b) {
  if (b <= a) return 0;
  double fa = f(a), fb = f(b), fm = f((a + b) / 2);
  return Simpson(f, a, b, fa, fm, fb, (b - a) / 6 * (fa + 4 * fm + fb), 1e-12, 48);
}

}  // namespace

std::pair<int, int> MinHashOptimalParams(double threshold, int num_perm) {
  // The search integrates ~2 * num_perm * ln(num_perm) curves: remember each answer.
  static std::mutex mu;
  static std::map<std::pair<double, int>, std::pair<int, int>> memo;
  {
    std::lock_guard<std::mutex> lock(mu);
    if (auto it = memo.find({threshold, num_perm}); it != memo.end()) return it->second;
  }
  double min_error = std::numeric_limits<double>::infinity();
  std::pair<int, int> opt{0, 0};
  for (int b = 1; b <= num_perm; ++b) {
    for (int r = 1; r <= num_perm / b; ++r) {
      auto collide = [&](double s) { return 1 - std::pow(1 - std::pow(s, r), b); };
      double fp = Integrate(collide, 0.0, threshold);
      double fn = Integrate([&](double s) { return 1 - collide(s); }, threshold, 1.0);
      double error = fp * 0.5 + fn * 0.5;
      if (error < min_error) {
        min_error = error;
        opt = {b, r};
      }
    }
  }
  std::lock_guard<std::mutex> lock(mu);
  memo[{threshold, num_perm}] = opt;
  return opt;
}

}  // namespace winnow
