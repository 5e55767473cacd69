// The MinHash inner loop: for every permutation p,
//   mins[p] = min(mins[p], ((h * a[p] + b[p]) mod 2^64 mod (2^61 - 1)) & (2^32 - 1))
// (Data-Juicer's numpy uint64 arithmetic). Scalar, AVX2 and AVX-512 versions, chosen at run
// time; tests check that they agree.
#pragma once

#include <cstddef>
#include <cstdint>

namespace winnow {

void MinHashPermuteScalar(uint64_t h, const uint64_t* a, const uint64_t* b, uint64_t* mins, size_t n);
void MinHashPermuteAvx2(uint64_t h, const uint64_t* a, const uint64_t* b, uint64_t* mins, size_t n);
void MinHashPermuteAvx512(uint64_t h, const uint64_t* a, const uint64_t* b, uint64_t* mins, size_t n);
bool CpuHasAvx2();
bool CpuHasAvx512();
// The fastest version this CPU runs.
void MinHashPermute(uint64_t h, const uint64_t* a, const uint64_t* b, uint64_t* mins, size_t n);

// A whole document: MinHashPermute for each of `hashes` (mins start at UINT64_MAX). The AVX-512
// version keeps 32 permutations' minima in registers while it walks all the hashes, instead of
// loading and storing them once per hash.
void MinHashSignature(const uint32_t* hashes, size_t n_hashes, const uint64_t* a, const uint64_t* b, uint64_t* mins,
                      size_t n);
void MinHashSignatureAvx512(const uint32_t* hashes, size_t n_hashes, const uint64_t* a, const uint64_t* b,
                            uint64_t* mins, size_t n);

}  // namespace winnow
