#include "winnow/exec/batch_processor.h"

#include <algorithm>
#include <chrono>
#include <cstring>

#include "winnow/core/unicode.h"

namespace winnow {
namespace {

using Clock = std::chrono::steady_clock;

std::string Base64(std::string_view in) {
  static const char k[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    out += k[v >> 18]; out += k[(v >> 12) & 63]; out += k[(v >> 6) & 63]; out += k[v & 63];
  }
  if (i + 1 == in.size()) {
    uint32_t v = uint8_t(in[i]) << 16;
    out += k[v >> 18]; out += k[(v >> 12) & 63]; out += "==";
  } else if (i + 2 == in.size()) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += k[v >> 18]; out += k[(v >> 12) & 63]; out += k[(v >> 6) & 63]; out += '=';
  }
  return out;
}

// Byte offset of the first invalid UTF-8 sequence (for the message).
size_t FirstInvalidUtf8(std::string_view s) {
  size_t lo = 0, hi = s.size();
  // Binary search on prefixes would be wrong for split sequences; scan by sequences instead.
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size() || !unicode::IsValidUtf8(s.substr(i, n))) return i;
    i += n;
  }
  (void)lo; (void)hi;
  return s.size();
}

}  // namespace

void AppendQuarantineEntry(std::string_view source, std::string_view op, std::string_view error,
                           std::string_view raw, bool raw_is_object, std::string* out) {
  out->append("{\"source\": ");
  json::AppendString(source, out);
  out->append(", \"op\": ");
  json::AppendString(op, out);
  out->append(", \"error\": ");
  json::AppendString(error, out);
  if (raw_is_object) {
    out->append(", \"sample\": ");
    out->append(raw);
  } else if (unicode::IsValidUtf8(raw)) {
    out->append(", \"record\": ");
    json::AppendString(raw, out);
  } else {
    out->append(", \"record_base64\": \"");
    out->append(Base64(raw));
    out->push_back('"');
  }
  out->append("}\n");
}

void ProcessBatch(const StagePlan& plan, const EmitOptions& opt, const RawBatch& batch, BatchResult* res) {
  thread_local std::vector<Sample> samples;
  thread_local std::vector<uint32_t> alive, next;
  // Dropped / quarantined entries are collected with their sample index and emitted in input
  // order at the end, so side files do not depend on batch boundaries (ops run op-major).
  thread_local std::vector<std::pair<uint32_t, std::string>> dropped, quarantined;
  dropped.clear();
  quarantined.clear();
  const size_t n = batch.recs.size();
  if (samples.size() < n) samples.resize(n);
  res->seq = batch.seq;
  res->input_bytes = batch.input_bytes;
  res->counts.assign(plan.ops.size() + (plan.global ? 1 : 0), OpCounts{});
  alive.clear();
  auto source = [&](size_t i) { return DescribeRow(*opt.files, batch.recs[i].row); };

  // Parse and validate every record.
  for (size_t i = 0; i < n; ++i) {
    const RecordRef& rec = batch.recs[i];
    std::string_view raw(batch.buf.data() + rec.off, rec.len);
    ++res->reader.in;
    if (rec.flags & RecordRef::kOversize) {
      ++res->reader.quarantined;
      quarantined.emplace_back(i, std::string());
      AppendQuarantineEntry(source(i), "(input)",
                            "record of at least " + std::to_string(rec.original_size) +
                                " bytes exceeds max_record_bytes; only its first bytes are kept here",
                            raw, false, &quarantined.back().second);
      continue;
    }
    if (!unicode::IsValidUtf8(raw)) {
      ++res->reader.quarantined;
      quarantined.emplace_back(i, std::string());
      AppendQuarantineEntry(source(i), "(input)",
                            "invalid UTF-8 at byte " + std::to_string(FirstInvalidUtf8(raw)), raw, false,
                            &quarantined.back().second);
      continue;
    }
    std::string_view stats(batch.buf.data() + rec.stats_off, rec.stats_len);
    Status st = samples[i].Init(raw, rec.row, stats);
    if (!st.ok()) {
      ++res->reader.quarantined;
      quarantined.emplace_back(i, std::string());
      AppendQuarantineEntry(source(i), "(input)", st.message(), raw, false, &quarantined.back().second);
      continue;
    }
    alive.push_back(static_cast<uint32_t>(i));
  }
  res->reader.kept = alive.size();

  std::string scratch;
  auto quarantine_sample = [&](uint32_t i, const Op& op, const Status& st) {
    scratch.clear();
    samples[i].Write(true, {}, &scratch);
    quarantined.emplace_back(i, std::string());
    AppendQuarantineEntry(source(i), op.name(), st.message(), scratch, true, &quarantined.back().second);
  };

  for (size_t k = 0; k < plan.ops.size(); ++k) {
    const Op& op = *plan.ops[k];
    OpCounts& c = res->counts[k];
    auto t0 = Clock::now();
    c.in = alive.size();
    next.clear();
    const bool is_filter = op.kind() == OpKind::kFilter;
    for (uint32_t i : alive) {
      Sample& s = samples[i];
      Status st;
      bool keep = true;
      if (is_filter) {
        const auto& f = static_cast<const Filter&>(op);
        st = f.ComputeStats(s);
        if (st.ok()) keep = f.Keep(s);
      } else {
        st = static_cast<const Mapper&>(op).Map(s);
      }
      if (!st.ok()) {
        if (!opt.skip_op_error) {
          res->fatal = Status::Error(source(i) + ": " + op.name() + ": " + st.message());
          return;
        }
        ++c.quarantined;
        quarantine_sample(i, op, st);
        continue;
      }
      if (!keep) {
        ++c.dropped;
        if (opt.write_dropped) {
          dropped.emplace_back(i, std::string());
          std::string& e = dropped.back().second;
          e.append("{\"source\": ");
          json::AppendString(source(i), &e);
          e.append(", \"op\": ");
          json::AppendString(op.name(), &e);
          e.append(", \"reason\": ");
          json::AppendString(static_cast<const Filter&>(op).DropReason(s), &e);
          e.append(", \"sample\": ");
          s.Write(true, {}, &e);
          e.append("}\n");
        }
        continue;
      }
      next.push_back(i);
    }
    c.kept = next.size();
    alive.swap(next);
    c.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  }

  if (plan.global) {
    OpCounts& c = res->counts.back();
    auto t0 = Clock::now();
    c.in = alive.size();
    next.clear();
    for (uint32_t i : alive) {
      GlobalKey key;
      Status st = plan.global->ComputeKey(samples[i], &key);
      if (!st.ok()) {
        if (!opt.skip_op_error) {
          res->fatal = Status::Error(source(i) + ": " + plan.global->name() + ": " + st.message());
          return;
        }
        ++c.quarantined;
        quarantine_sample(i, *plan.global, st);
        continue;
      }
      res->keys.push_back(key);
      next.push_back(i);
    }
    alive.swap(next);
    c.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  }

  auto flush_side = [](std::vector<std::pair<uint32_t, std::string>>& entries, std::string* out) {
    std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& e : entries) out->append(e.second);
  };
  flush_side(dropped, &res->dropped);
  flush_side(quarantined, &res->quarantine);

  // Emit survivors.
  static const std::vector<std::pair<std::string, std::string>> kNoExtra;
  std::vector<std::pair<std::string, std::string>> hashes;
  for (size_t j = 0; j < alive.size(); ++j) {
    Sample& s = samples[alive[j]];
    if (plan.to_spill) {
      size_t start = res->out.size();
      res->out.resize(start + sizeof(SpillHeader));
      hashes.clear();
      if (opt.keep_hashes_in_res_ds && plan.global) plan.global->HashMembers(res->keys[j], &hashes);
      s.Write(false, hashes, &res->out);
      size_t json_end = res->out.size();
      s.stats().AppendJson(&res->out);
      SpillHeader h{static_cast<uint32_t>(json_end - start - sizeof(SpillHeader)),
                    static_cast<uint32_t>(res->out.size() - json_end), s.row().file, 0, s.row().line};
      std::memcpy(res->out.data() + start, &h, sizeof h);
      res->spill_sizes.push_back(static_cast<uint32_t>(res->out.size() - start));
    } else {
      s.Write(opt.keep_stats_in_res_ds, kNoExtra, &res->out);
      res->out.push_back('\n');
      if (opt.write_stats_lines) {
        res->stats.append("{\"__dj__stats__\": ");
        s.stats().AppendJson(&res->stats);
        res->stats.append("}\n");
      }
    }
  }
  res->kept = alive.size();
}

}  // namespace winnow
