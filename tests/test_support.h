// Helpers for tests: temp dirs, file I/O, running a recipe given as YAML text.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "winnow/exec/executor.h"
#include "winnow/recipe/recipe.h"

namespace winnow::testing {

// A seeded xorshift64 generator for randomized tests (the same sequence on every platform).
struct XorShift64 {
  uint64_t state;
  explicit XorShift64(uint64_t seed) : state(seed ? seed : 1) {}
  uint64_t operator()() {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  }
};

// A fresh temporary directory, removed at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

void WriteFile(const std::string& path, const std::string& data);
std::string ReadFile(const std::string& path);  // "" if missing
std::vector<std::string> ReadLines(const std::string& path);
bool Exists(const std::string& path);

// Loads the YAML recipe (with overrides) and runs it quietly.
Result<Ledger> RunYaml(const std::string& yaml, const std::vector<std::pair<std::string, std::string>>& overrides = {});

// One readable, writable page followed by an inaccessible one: data placed to end at end()
// faults on any read past it (complements the sanitizers for hand-vectorised loads).
class GuardedPage {
 public:
  GuardedPage();
  ~GuardedPage();
  bool ok() const { return base_ != nullptr; }
  char* begin() const { return base_; }
  char* end() const { return base_ + size_; }
  size_t size() const { return size_; }

 private:
  char* base_ = nullptr;
  size_t size_ = 0;
};

// Path of a file in the source tree (tests/…).
std::string SourcePath(const std::string& rel);

}  // namespace winnow::testing
