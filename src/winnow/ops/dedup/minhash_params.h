// DJ's (datasketch's) optimal MinHash-LSH parameters: the (bands, rows) with bands * rows <=
// num_perm minimising 0.5 * P(false positive) + 0.5 * P(false negative), integrated over the
// Jaccard similarity below and above the threshold (DJ: scipy.integrate.quad; Winnow: Gauss-
// Legendre, exact for these polynomial integrands; the same pairs on the grid in minhash_test.cc).
#pragma once

#include <utility>

namespace winnow {

std::pair<int, int> MinHashOptimalParams(double threshold, int num_perm);

}  // namespace winnow
