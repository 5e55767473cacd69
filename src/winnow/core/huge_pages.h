// An allocator for the models' large random-access tables (n-gram hash tables, word caches,
// fastText rows): blocks of 1 MB and more are 2 MB-aligned and advised onto transparent huge pages
// (madvise(MADV_HUGEPAGE); Debian's default THP mode is "madvise", so without it they get 4 KB
// pages). Each lookup in such a table lands on a random page; with 4 KB pages most of those
// also miss the TLB and wait for a page walk on top of the cache miss. Where the kernel has THP
// off the advice is ignored and the memory is ordinary. Smaller blocks use operator new (aligned).
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <new>
#include <vector>

namespace winnow {

namespace huge_pages {
constexpr size_t kPage = size_t{2} << 20;
constexpr size_t kMinBytes = size_t{1} << 20;

inline void* Allocate(size_t bytes, size_t align) {
  if (bytes < kMinBytes) return ::operator new(bytes, std::align_val_t(align));
  const size_t rounded = (bytes + kPage - 1) / kPage * kPage;
  void* p = std::aligned_alloc(kPage, rounded);
  if (!p) throw std::bad_alloc();
  madvise(p, rounded, MADV_HUGEPAGE);  // advice only: failure leaves ordinary pages
  return p;
}

inline void Free(void* p, size_t bytes, size_t align) {
  if (bytes < kMinBytes) {
    ::operator delete(p, std::align_val_t(align));
  } else {
    std::free(p);
  }
}
}  // namespace huge_pages

template <class T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <class U>
  HugePageAllocator(const HugePageAllocator<U>&) {}
  T* allocate(size_t n) {
    if (n > static_cast<size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
    return static_cast<T*>(huge_pages::Allocate(n * sizeof(T), alignof(T)));
  }
  void deallocate(T* p, size_t n) { huge_pages::Free(p, n * sizeof(T), alignof(T)); }
  template <class U>
  bool operator==(const HugePageAllocator<U>&) const { return true; }
};

// A vector whose large buffers sit on huge pages.
template <class T>
using HugeVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace winnow
