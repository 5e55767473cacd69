#include "winnow/core/plugin.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <vector>

namespace winnow {
namespace {

std::vector<std::string> SearchDirs() {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("WINNOW_PLUGIN_DIR"); env && *env) dirs.push_back(env);
#ifdef WINNOW_PLUGIN_DIR
  dirs.push_back(WINNOW_PLUGIN_DIR);
#endif
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    dirs.push_back(exe.parent_path().string());
    dirs.push_back(exe.parent_path().parent_path().string());
  }
  return dirs;
}

Result<void*> Open(const std::string& name) {
  std::string file = "libwinnow_" + name + ".so";
  std::string tried;
  for (const std::string& dir : SearchDirs()) {
    std::string path = dir + "/" + file;
    if (::access(path.c_str(), R_OK) != 0) {
      tried += (tried.empty() ? "" : ", ") + dir;
      continue;
    }
    void* h = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!h) return Status::Error("cannot load plugin " + path + ": " + ::dlerror());
    return h;
  }
  return Status::Error("plugin " + file + " not found (looked in " + tried + "; set WINNOW_PLUGIN_DIR)");
}

}  // namespace

Result<void*> PluginSymbol(const std::string& name, const char* symbol) {
  // Never destroyed: objects that outlive this table in static destruction (a cached
  // SentencePiece model freed at exit) still look their plugin's functions up.
  static auto* mu = new std::mutex;
  static auto* handles = new std::map<std::string, Result<void*>>;
  std::lock_guard<std::mutex> lock(*mu);
  auto it = handles->find(name);
  if (it == handles->end()) it = handles->emplace(name, Open(name)).first;
  if (!it->second.ok()) return it->second.status();
  void* sym = ::dlsym(*it->second, symbol);
  if (!sym) return Status::Error("plugin libwinnow_" + name + ".so lacks " + symbol);
  return sym;
}

}  // namespace winnow
