#include "winnow/exec/batch_processor.h"

#include <cstring>

#include "winnow/core/unicode.h"
#include "winnow/exec/cycle_clock.h"

namespace winnow {
namespace {


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
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size() || !unicode::IsValidUtf8(s.substr(i, n))) return i;
    i += n;
  }
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
  // Sample-major: each record runs through all of the stage's ops, is emitted, and its caches
  // are released before the next one, so a worker holds one document's intermediate data
  // (lines, words, ...) at a time, whatever the batch size. Decisions are per sample, so the
  // result is the same as applying each op to the whole batch in turn, as DJ does.
  thread_local Sample sample;
  res->seq = batch.seq;
  res->input_bytes = batch.input_bytes;
  const size_t n_ops = plan.ops.size();
  res->counts.assign(n_ops + (plan.global ? 1 : 0), OpCounts{});
  std::vector<uint64_t> cycles(res->counts.size(), 0);
  static const std::vector<std::pair<std::string, std::string>> kNoExtra;
  std::vector<std::pair<std::string, std::string>> hashes;
  std::string scratch;
  const bool trace = plan.has_streaming;
  auto end_trace = [&](SampleTrace& t) {
    t.out_end = res->out.size();
    t.stats_end = res->stats.size();
    t.dropped_end = res->dropped.size();
    t.quarantine_end = res->quarantine.size();
    res->traces.push_back(t);
  };
  auto reader_trace = [&] {
    if (!trace) return;
    SampleTrace t;
    t.stop = SampleTrace::kReader;
    t.how = SampleTrace::kQuarantined;
    end_trace(t);
  };

  for (size_t i = 0; i < batch.recs.size(); ++i) {
    const RecordRef& rec = batch.recs[i];
    std::string_view raw(batch.data() + rec.off, rec.len);
    auto source = [&] { return DescribeRow(*opt.files, rec.row); };
    ++res->reader.in;
    if (rec.flags & RecordRef::kOversize) {
      ++res->reader.quarantined;
      AppendQuarantineEntry(source(), "(input)",
                            "record of at least " + std::to_string(rec.original_size) +
                                " bytes exceeds max_record_bytes; only its first bytes are kept here",
                            raw, false, &res->quarantine);
      reader_trace();
      continue;
    }
    if (!unicode::IsValidUtf8(raw)) {
      ++res->reader.quarantined;
      AppendQuarantineEntry(source(), "(input)", "invalid UTF-8 at byte " + std::to_string(FirstInvalidUtf8(raw)),
                            raw, false, &res->quarantine);
      reader_trace();
      continue;
    }
    Status st = sample.Init(raw, rec.row, std::string_view(batch.data() + rec.stats_off, rec.stats_len));
    if (!st.ok()) {
      ++res->reader.quarantined;
      AppendQuarantineEntry(source(), "(input)", st.message(), raw, false, &res->quarantine);
      reader_trace();
      continue;
    }
    ++res->reader.kept;
    SampleTrace tr;
    tr.row = rec.row;
    tr.stop = static_cast<uint32_t>(n_ops);
    tr.first_key = static_cast<uint32_t>(res->stream_keys.size());
    hashes.clear();

    auto quarantine = [&](const Op& op, const Status& why) {
      scratch.clear();
      sample.Write(true, kNoExtra, &scratch);
      AppendQuarantineEntry(source(), op.name(), why.message(), scratch, true, &res->quarantine);
    };
    bool alive = true;
    for (size_t k = 0; k < n_ops && alive; ++k) {
      const Op& op = *plan.ops[k];
      OpCounts& c = res->counts[k];
      ++c.in;
      uint64_t t0 = CycleClock::Now();
      bool keep = true;
      if (op.kind() == OpKind::kFilter) {
        const auto& f = static_cast<const Filter&>(op);
        st = f.ComputeStats(sample);
        if (st.ok()) keep = f.Keep(sample);
      } else if (op.kind() == OpKind::kMapper) {
        st = static_cast<const Mapper&>(op).Map(sample);
      } else {
        // A streaming global op: its key now, its decision at commit.
        const auto& g = static_cast<const GlobalOp&>(op);
        StreamKey sk;
        st = g.ComputeKey(sample, &sk.key);
        if (st.ok()) {
          if (opt.write_dropped) {
            sk.snap_begin = res->snapshots.size();
            sample.Write(true, kNoExtra, &res->snapshots);
            sk.snap_end = res->snapshots.size();
          }
          if (opt.keep_hashes_in_res_ds) g.HashMembers(sk.key, &hashes);
          res->stream_keys.push_back(sk);
        }
      }
      cycles[k] += CycleClock::Now() - t0;
      if (!st.ok()) {
        if (!opt.skip_op_error) {
          res->fatal = Status::Error(source() + ": " + op.name() + ": " + st.message());
          return;
        }
        ++c.quarantined;
        quarantine(op, st);
        alive = false;
        tr.stop = static_cast<uint32_t>(k);
        tr.how = SampleTrace::kQuarantined;
      } else if (!keep) {
        ++c.dropped;
        alive = false;
        tr.stop = static_cast<uint32_t>(k);
        tr.how = SampleTrace::kDropped;
        if (opt.write_dropped) {
          std::string& e = res->dropped;
          e.append("{\"source\": ");
          json::AppendString(source(), &e);
          e.append(", \"op\": ");
          json::AppendString(op.name(), &e);
          e.append(", \"reason\": ");
          json::AppendString(static_cast<const Filter&>(op).DropReason(sample), &e);
          e.append(", \"sample\": ");
          sample.Write(true, kNoExtra, &e);
          e.append("}\n");
        }
      } else {
        ++c.kept;
      }
    }
    if (!alive) {
      if (trace) end_trace(tr);
      continue;
    }

    GlobalKey key;
    if (plan.global) {
      OpCounts& c = res->counts.back();
      ++c.in;
      uint64_t t0 = CycleClock::Now();
      st = plan.global->ComputeKey(sample, &key);
      cycles.back() += CycleClock::Now() - t0;
      if (!st.ok()) {
        if (!opt.skip_op_error) {
          res->fatal = Status::Error(source() + ": " + plan.global->name() + ": " + st.message());
          return;
        }
        ++c.quarantined;
        quarantine(*plan.global, st);
        if (trace) {
          tr.stop = static_cast<uint32_t>(n_ops);  // counted above: the end op is not in traces
          tr.how = SampleTrace::kQuarantined;
          end_trace(tr);
        }
        continue;
      }
      res->keys.push_back(key);
    }

    // Emit the survivor.
    if (plan.to_spill) {
      size_t start = res->out.size();
      res->out.resize(start + sizeof(SpillHeader));
      if (opt.keep_hashes_in_res_ds && plan.global) plan.global->HashMembers(key, &hashes);
      sample.Write(false, hashes, &res->out);
      size_t json_end = res->out.size();
      sample.stats().AppendJson(&res->out);
      SpillHeader h{static_cast<uint32_t>(json_end - start - sizeof(SpillHeader)),
                    static_cast<uint32_t>(res->out.size() - json_end), rec.row.file, 0, rec.row.line};
      std::memcpy(res->out.data() + start, &h, sizeof h);
      res->spill_sizes.push_back(static_cast<uint32_t>(res->out.size() - start));
    } else {
      sample.Write(opt.keep_stats_in_res_ds, opt.keep_hashes_in_res_ds ? hashes : kNoExtra, &res->out);
      res->out.push_back('\n');
      if (opt.write_stats_lines) {
        res->stats.append("{\"__dj__stats__\": ");
        sample.stats().AppendJson(&res->stats);
        res->stats.append("}\n");
      }
    }
    ++res->kept;
    if (trace) end_trace(tr);
  }
  for (size_t k = 0; k < cycles.size(); ++k) res->counts[k].seconds = CycleClock::Seconds(cycles[k]);
}

}  // namespace winnow
