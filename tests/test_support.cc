#include "test_support.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace winnow::testing {
namespace fs = std::filesystem;

TempDir::TempDir() {
  std::string tmpl = (fs::temp_directory_path() / "winnow-test-XXXXXX").string();
  char* p = ::mkdtemp(tmpl.data());
  path_ = p ? p : tmpl;
}
TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

GuardedPage::GuardedPage() {
  const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  void* mem = ::mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) return;
  if (::mprotect(static_cast<char*>(mem) + page, page, PROT_NONE) != 0) {
    ::munmap(mem, 2 * page);
    return;
  }
  base_ = static_cast<char*>(mem);
  size_ = page;
}
GuardedPage::~GuardedPage() {
  if (base_) ::munmap(base_, 2 * size_);
}

void WriteFile(const std::string& path, const std::string& data) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out << data;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> ReadLines(const std::string& path) {
  std::vector<std::string> lines;
  std::istringstream in(ReadFile(path));
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

bool Exists(const std::string& path) { return fs::exists(path); }

Result<Ledger> RunYaml(const std::string& yaml, const std::vector<std::pair<std::string, std::string>>& overrides) {
  auto recipe = LoadRecipeFromString(yaml, "test.yaml", overrides);
  if (!recipe.ok()) return recipe.status();
  RunOptions opts;
  opts.quiet = true;
  return RunRecipe(*recipe, opts);
}

std::string SourcePath(const std::string& rel) { return std::string(WINNOW_SOURCE_DIR) + "/" + rel; }

}  // namespace winnow::testing
