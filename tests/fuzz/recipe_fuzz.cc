// libFuzzer target: the recipe loader must turn any YAML into a recipe or an error, never a crash.
#include <cstdint>
#include <string>

#include "winnow/recipe/recipe.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string yaml(reinterpret_cast<const char*>(data), size);
  auto r = winnow::LoadRecipeFromString(yaml, "fuzz.yaml", {}, /*resolve_inputs=*/false);
  (void)r;
  return 0;
}
