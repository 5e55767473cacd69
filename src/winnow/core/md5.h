// MD5 (RFC 1321) for short messages, and the first eight digest bytes of many messages at once.
// SimHash hashes every shingle with MD5 (DJ's simhash.unsigned_hash); OpenSSL's EVP calls cost
// more than the compression on inputs that small, so this is a plain one-shot implementation
// plus the sixteen-lane AVX-512 batch in hash_lanes.cc.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace winnow {

// MD5 of data[0, n) into out[16] (the standard digest bytes).
void Md5(const void* data, size_t n, uint8_t out[16]);

// Digest bytes 0-7 of each message as a big-endian integer (simhash's unsigned_hash), into
// out[0..n). Messages run sixteen at a time where the CPU has AVX-512;
// allow_multi_lane = false forces one at a time (tests, benchmarks).
void Md5Prefix64Many(const std::string_view* msgs, size_t n, uint64_t* out, bool allow_multi_lane = true);

}  // namespace winnow
