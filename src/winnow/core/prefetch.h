// PrefetchRead(p): a hint to bring p's cache line in (all levels) ahead of a load.
//
// GCC 12 counts __builtin_prefetch as free of side effects when it infers that a function is
// pure, so a small helper whose only effect is a prefetch gets all its calls deleted as dead
// code (it happened to the KenLM prober's Prefetch, and to a fastText variant in session 16:
// no prefetch instruction was left in the binary). The asm volatile form is never deleted.
#pragma once

namespace winnow {

inline void PrefetchRead(const void* p) {
#if defined(__x86_64__)
  asm volatile("prefetcht0 %0" : : "m"(*static_cast<const char*>(p)));
#else
  __builtin_prefetch(p);
#endif
}

}  // namespace winnow
