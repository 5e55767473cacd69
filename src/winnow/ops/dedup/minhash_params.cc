#include "winnow/ops/dedup/minhash_params.h"

#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <vector>

namespace winnow {
namespace {

// Gauss-Legendre nodes and weights on [-1, 1] (Newton's method on the Legendre recurrence).
void GaussLegendre(int n, std::vector<double>* x, std::vector<double>* w) {
  x->assign(n, 0);
  w->assign(n, 0);
  const double pi = std::acos(-1.0);
  for (int i = 0; i < (n + 1) / 2; ++i) {
    double z = std::cos(pi * (i + 0.75) / (n + 0.5));
    double dp = 0;
    for (int iter = 0; iter < 100; ++iter) {
      double p0 = 1, p1 = z;  // P_0, P_1
      for (int k = 2; k <= n; ++k) {
        double pk = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = pk;
      }
      if (n == 1) p0 = 1, p1 = z;
      dp = n * (z * p1 - p0) / (z * z - 1);  // P_n'(z)
      double dz = p1 / dp;
      z -= dz;
      if (std::fabs(dz) < 1e-16) break;
    }
    (*x)[i] = -z;
    (*x)[n - 1 - i] = z;
    (*w)[i] = (*w)[n - 1 - i] = 2 / ((1 - z * z) * dp * dp);
  }
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
  // Both integrands, 1 - (1 - s^r)^b and (1 - s^r)^b, are polynomials of degree r * b <=
  // num_perm, which an n-point Gauss-Legendre rule integrates exactly for 2n - 1 >= num_perm:
  // the integrals are exact up to rounding (scipy's quad, which DJ uses, is too), with a fixed
  // number of evaluations instead of an adaptive search.
  const int n = std::max(1, num_perm / 2 + 1);
  std::vector<double> nodes, weights;
  GaussLegendre(n, &nodes, &weights);
  auto integrate = [&](auto f, double a, double b) {
    if (b <= a) return 0.0;
    double half = (b - a) / 2, mid = (a + b) / 2, sum = 0;
    for (int i = 0; i < n; ++i) sum += weights[i] * f(mid + half * nodes[i]);
    return sum * half;
  };
  double min_error = std::numeric_limits<double>::infinity();
  std::pair<int, int> opt{0, 0};
  for (int b = 1; b <= num_perm; ++b) {
    for (int r = 1; r <= num_perm / b; ++r) {
      auto miss = [&](double s) { return std::pow(1 - std::pow(s, r), b); };  // 1 - P(collide)
      double fp = integrate([&](double s) { return 1 - miss(s); }, 0.0, threshold);
      double fn = integrate(miss, threshold, 1.0);
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
