#include "winnow/core/install_paths.h"

#include <cstdlib>

#ifndef WINNOW_CACHE_DIR
#define WINNOW_CACHE_DIR ".cache"
#endif

namespace winnow {

static std::string FromEnv(const char* var, const char* fallback) {
  const char* v = std::getenv(var);
  return v && *v ? std::string(v) : std::string(WINNOW_CACHE_DIR) + "/" + fallback;
}

std::string AssetDir() { return FromEnv("WINNOW_ASSETS_DIR", "assets"); }
std::string ModelDir() { return FromEnv("WINNOW_MODELS_DIR", "models"); }

}  // namespace winnow
