// libFuzzer target: KenLM binary model files (header, probing tables, tries with quantization and
// pointer compression) must load or fail with an error, and a loaded model must score without
// reading outside the file, whatever the bytes.
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <string>

#include "winnow/models/kenlm_binary.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/winnow-kenlm-fuzz-" + std::to_string(::getpid()) + ".bin";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  auto m = winnow::KenlmBinaryModel::Load(path);
  if (!m.ok()) return 0;
  float total = 0;
  for (const char* s : {"", "w01 w02 w03 w04 w05 w06", "w05 zebra w07 </s> <s> w08 w09 w10 w11", "<unk> w29 w28"})
    total += (*m)->Score(s);
  total += (*m)->LogProb({"w01", "w02", "w03"}, "w04");
  return total == 12345.0f;  // keeps the scoring from being optimised away
}
