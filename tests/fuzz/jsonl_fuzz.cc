// libFuzzer target: the JSONL reader (line splitting, oversize records, blank lines) and the
// record path (UTF-8 check, JSON scan, field access, rewrite) must never crash or hang.
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <string>

#include "winnow/core/sample.h"
#include "winnow/core/text_split.h"
#include "winnow/core/unicode.h"
#include "winnow/io/record_source.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/winnow-jsonl-fuzz-" + std::to_string(::getpid()) + ".jsonl";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  winnow::BatchLimits limits;
  limits.max_rows = 3;
  limits.max_bytes = 64;
  limits.max_record_bytes = 1 << 21;
  auto src = winnow::JsonlSource::Open({{path, 1.0}}, limits);
  if (!src.ok()) return 0;
  winnow::RawBatch batch;
  winnow::Sample sample;
  std::string out;
  for (;;) {
    auto more = (*src)->Next(&batch);
    if (!more.ok() || !*more) break;
    for (const auto& rec : batch.recs) {
      std::string_view raw(batch.data() + rec.off, rec.len);
      if (!winnow::unicode::IsValidUtf8(raw)) continue;
      if (!sample.Init(raw, rec.row, "").ok()) continue;
      auto ctx = sample.TextContext("text");
      if (ctx.ok()) {
        winnow::Lines(**ctx);
        size_t n = winnow::CountRefinedWords(winnow::unicode::PyLower((*ctx)->text));
        (void)n;
        sample.SetText("text", std::string((*ctx)->text) + "!");
      }
      sample.stats().SetDouble("x", 0.5);
      out.clear();
      sample.Write(true, {{"__dj__hash", "\"00\""}}, &out);
      out.clear();
      sample.Write(false, {}, &out);
    }
  }
  return 0;
}
