#include "winnow/exec/ledger.h"

#include <cstdio>

#include "winnow/core/json.h"

namespace winnow {

std::string Ledger::Table() const {
  std::string s;
  char line[512];
  std::snprintf(line, sizeof line, "%-36s %12s %12s %12s %12s %9s\n", "op", "in", "kept", "dropped", "quarantined",
                "time");
  s += line;
  for (const auto& r : rows) {
    std::snprintf(line, sizeof line, "%-36s %12llu %12llu %12llu %12llu %8.2fs\n", r.name.c_str(),
                  static_cast<unsigned long long>(r.counts.in), static_cast<unsigned long long>(r.counts.kept),
                  static_cast<unsigned long long>(r.counts.dropped),
                  static_cast<unsigned long long>(r.counts.quarantined), r.counts.seconds);
    s += line;
  }
  double mb = static_cast<double>(input_bytes) / 1e6;
  if (Produced() > 0) {
    std::snprintf(line, sizeof line, "(1 -> N mappers produced %lld samples beyond their inputs)\n",
                  static_cast<long long>(Produced()));
    s += line;
  } else if (Produced() < 0) {
    std::snprintf(line, sizeof line, "(groupers and 1 -> N mappers changed the sample count by %lld, net)\n",
                  static_cast<long long>(Produced()));
    s += line;
  }
  std::snprintf(line, sizeof line,
                "total: %llu in = %llu kept + %llu dropped + %llu quarantined; %.1f MB in %.2fs (%.1f MB/s)\n",
                static_cast<unsigned long long>(input_records), static_cast<unsigned long long>(output_records),
                static_cast<unsigned long long>(dropped), static_cast<unsigned long long>(quarantined), mb, seconds,
                seconds > 0 ? mb / seconds : 0.0);
  s += line;
  return s;
}

std::string Ledger::Json() const {
  std::string s = "{\"ops\": [";
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    if (i) s += ", ";
    s += "{\"op\": ";
    json::AppendString(r.name, &s);
    s += ", \"kind\": \"" + r.kind + "\", \"in\": " + std::to_string(r.counts.in) +
         ", \"kept\": " + std::to_string(r.counts.kept) + ", \"dropped\": " + std::to_string(r.counts.dropped) +
         ", \"quarantined\": " + std::to_string(r.counts.quarantined) +
         ", \"kept_text_bytes\": " + std::to_string(r.counts.kept_text_bytes) + ", \"seconds\": ";
    json::AppendDouble(r.counts.seconds, &s);
    s += "}";
  }
  s += "], \"input_records\": " + std::to_string(input_records) + ", \"output_records\": " +
       std::to_string(output_records) + ", \"dropped\": " + std::to_string(dropped) +
       ", \"quarantined\": " + std::to_string(quarantined) + ", \"input_bytes\": " + std::to_string(input_bytes) +
       ", \"output_bytes\": " + std::to_string(output_bytes) + ", \"seconds\": ";
  json::AppendDouble(seconds, &s);
  s += ", \"outputs\": [";
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (i) s += ", ";
    json::AppendString(outputs[i], &s);
  }
  s += "], \"warnings\": [";
  for (size_t i = 0; i < warnings.size(); ++i) {
    if (i) s += ", ";
    json::AppendString(warnings[i], &s);
  }
  s += "]}\n";
  return s;
}

}  // namespace winnow
