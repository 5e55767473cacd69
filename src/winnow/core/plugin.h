// Loads Winnow's plugins (libwinnow_<name>.so, see src/winnow/plugins/README.md) with
// dlopen(RTLD_NOW | RTLD_LOCAL) on first use, and looks up their C functions.
// Search order: $WINNOW_PLUGIN_DIR, the build directory compiled in, the executable's directory
// and its parent.
#pragma once

#include <string>

#include "winnow/core/status.h"

namespace winnow {

// The address of `symbol` in plugin `name` (loaded once per process; thread-safe).
Result<void*> PluginSymbol(const std::string& name, const char* symbol);

template <typename Fn>
Result<Fn> PluginFunction(const std::string& name, const char* symbol) {
  auto p = PluginSymbol(name, symbol);
  if (!p.ok()) return p.status();
  return reinterpret_cast<Fn>(*p);
}

}  // namespace winnow
