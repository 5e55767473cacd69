// <xxhash.h>, with its vector path capped at AVX2. Built with -march=native on an AVX-512
// machine, xxhash's inlined AVX-512 path sets off GCC 12's -Wmaybe-uninitialized inside
// avx512fintrin.h (a known false positive); the hashes are the same on every path.
// Files that want the inline functions define XXH_INLINE_ALL before including this.
#pragma once

#if defined(__AVX512F__) && defined(__AVX2__) && !defined(XXH_VECTOR)
#define XXH_VECTOR 2  // XXH_AVX2
#endif
#include <xxhash.h>
