// One-shot SHA-1 (FIPS 180-1) tuned for short messages.
//
// MinHash hashes every shingle on its own (typically 20-60 bytes, millions per second). OpenSSL's
// EVP init/update/final costs a few hundred nanoseconds per call on inputs that small, far more
// than the compression function itself, so this header offers a single call with no context, no
// allocation and a one-block fast path. On x86 CPUs with the SHA extensions it uses SHA-NI
// (chosen once at runtime); elsewhere a portable scalar implementation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace winnow {

// SHA-1 of data[0, n) into out[20] (the standard digest bytes, big-endian words h0..h4).
void Sha1(const void* data, size_t n, uint8_t out[20]);

// The first digest word (digest bytes 0-3 as a big-endian integer) of each of n messages, into
// out[0..n). Messages run sixteen at a time with AVX-512 where the
// CPU has it (sha1_multi.cc); allow_multi_lane = false forces one at a time (tests, benchmarks).
void Sha1FirstWords(const std::string_view* msgs, size_t n, uint32_t* out, bool allow_multi_lane = true);

// Which implementation Sha1() runs on this CPU: "sha-ni" or "portable".
const char* Sha1Implementation();

// The individual implementations, exposed so tests (and benchmarks) can run each one.
namespace sha1_internal {

// Plain C++; runs anywhere.
void Portable(const void* data, size_t n, uint8_t out[20]);

// Whether this CPU has the x86 SHA extensions (always false on other architectures).
bool HasShaNi();

// SHA-NI implementation. Only call it when HasShaNi() is true (it would fault with an illegal
// instruction otherwise); on non-x86 builds it forwards to Portable().
void ShaNi(const void* data, size_t n, uint8_t out[20]);

}  // namespace sha1_internal
}  // namespace winnow
