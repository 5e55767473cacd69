// Loads FFmpeg's libraries for av_api.h (which this file includes without its macros: it needs
// the real names to fill the table).
#define WINNOW_AV_API_NO_MACROS
#include "winnow/media/av_api.h"

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace winnow::media::av_api {
namespace {

#define WN_STR2(x) #x
#define WN_STR(x) WN_STR2(x)

// The sonames of the libraries these headers describe, e.g. libavformat.so.59.
const char* Soname(const char* lib) {
  static const struct { const char* lib; const char* so; } kSonames[] = {
      {"avutil", "libavutil.so." WN_STR(LIBAVUTIL_VERSION_MAJOR)},
      {"avcodec", "libavcodec.so." WN_STR(LIBAVCODEC_VERSION_MAJOR)},
      {"avformat", "libavformat.so." WN_STR(LIBAVFORMAT_VERSION_MAJOR)},
      {"avfilter", "libavfilter.so." WN_STR(LIBAVFILTER_VERSION_MAJOR)},
      {"swscale", "libswscale.so." WN_STR(LIBSWSCALE_VERSION_MAJOR)},
      {"swresample", "libswresample.so." WN_STR(LIBSWRESAMPLE_VERSION_MAJOR)},
  };
  for (const auto& s : kSonames)
    if (std::string_view(s.lib) == lib) return s.so;
  return lib;
}

void* Symbol(const char* lib, const char* name) {
  void* h = ::dlopen(Soname(lib), RTLD_NOW | RTLD_LOCAL);
  void* sym = h ? ::dlsym(h, name) : nullptr;
  if (!sym) {
    std::fprintf(stderr, "winnow: cannot load %s from FFmpeg's %s (%s); run scripts/install-deps.sh\n", name,
                 Soname(lib), h ? "missing symbol" : ::dlerror());
    std::exit(2);
  }
  return sym;  // dlopen handles stay open for the process (reference-counted per library)
}

Api Load() {
  Api api;
#define WINNOW_AV_LOAD(lib, name) api.name = reinterpret_cast<decltype(api.name)>(Symbol(#lib, #name));
  WINNOW_AV_FUNCTIONS(WINNOW_AV_LOAD)
#undef WINNOW_AV_LOAD
  return api;
}

}  // namespace

const Api& Get() {
  static const Api api = Load();
  return api;
}

}  // namespace winnow::media::av_api
