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

namespace {

// The ops part of a batch run, for one sample (and, after a 1 -> N mapper, for each sample it
// produced, recursively).
class SampleRunner {
 public:
  SampleRunner(const StagePlan& plan, const EmitOptions& opt, BatchResult* res, std::vector<uint64_t>* cycles)
      : plan_(plan), opt_(opt), res_(res), cycles_(*cycles), n_ops_(plan.ops.size()), cur_bytes_(n_ops_, 0) {}

  // Runs ops [k, n) on s and emits it; false on a fatal error (skip_op_error: false).
  bool Run(Sample& s, size_t k, SampleTrace tr, std::vector<std::pair<std::string, std::string>> hashes,
           size_t depth) {
    auto source = [&] { return DescribeRow(*opt_.files, s.row()); };
    auto quarantine = [&](const Op& op, const Status& why) {
      scratch_.clear();
      s.Write(true, kNoExtra, &scratch_);
      AppendQuarantineEntry(source(), op.name(), why.message(), scratch_, true, &res_->quarantine);
    };
    for (; k < n_ops_; ++k) {
      const Op& op = *plan_.ops[k];
      OpCounts& c = res_->counts[k];
      ++c.in;
      uint64_t t0 = CycleClock::Now();
      bool keep = true;
      Status st;
      std::vector<std::string> produced;
      bool expands = false;
      if (op.kind() == OpKind::kFilter) {
        const auto& f = static_cast<const Filter&>(op);
        st = f.ComputeStats(s);
        if (st.ok()) {
          keep = f.Keep(s);
          if (!opt_.stat_columns.empty()) Capture(f, k, s, !keep);
          if (opt_.analyze) keep = true;  // stats only: nothing is dropped
        }
      } else if (op.kind() == OpKind::kMapper) {
        const auto& m = static_cast<const Mapper&>(op);
        expands = m.expands();
        bool trace = !expands && Tracing(k);
        bool example = !expands && WantExample(k, analysis::ExampleRecord::kChanged);
        std::string before;
        if (trace || example) {
          auto t = s.Text(op.text_key());
          if (t.ok()) before.assign(*t); else trace = example = false;
        }
        st = expands ? m.Expand(s, &produced) : m.Map(s);
        if ((trace || example) && st.ok()) {
          auto after = s.Text(op.text_key());
          if (after.ok() && *after != before) {
            if (trace) {
              std::string line = "{\"original text\": ";
              json::AppendString(before, &line);
              line += ", \"processed_text\": ";
              json::AppendString(*after, &line);
              line += "}\n";
              AddTrace(k, std::move(line));
            }
            if (example) {
              std::string e = "{\"source\": ";
              json::AppendString(source(), &e);
              e += ", \"before\": ";
              json::AppendString(analysis::TruncateText(before, analysis::kExampleTextChars), &e);
              e += ", \"after\": ";
              json::AppendString(analysis::TruncateText(*after, analysis::kExampleTextChars), &e);
              e += "}";
              AddExample(k, analysis::ExampleRecord::kChanged, std::move(e));
            }
          }
        }
      } else {
        // A streaming global op: its key now, its decision at commit.
        const auto& g = static_cast<const GlobalOp&>(op);
        StreamKey sk;
        st = g.ComputeKey(s, &sk.key);
        if (st.ok()) {
          if (opt_.write_dropped) {
            sk.snap_begin = res_->snapshots.size();
            s.Write(true, kNoExtra, &res_->snapshots);
            sk.snap_end = res_->snapshots.size();
          }
          if (opt_.keep_hashes_in_res_ds) g.HashMembers(sk.key, &hashes);
          res_->stream_keys.push_back(sk);
        }
      }
      cycles_[k] += CycleClock::Now() - t0;
      if (!st.ok()) {
        if (!opt_.skip_op_error) {
          res_->fatal = Status::Error(source() + ": " + op.name() + ": " + st.message());
          return false;
        }
        ++c.quarantined;
        quarantine(op, st);
        return EndTrace(tr, k, SampleTrace::kQuarantined);
      }
      if (expands) {
        if (produced.empty()) {
          ++c.dropped;
          if (opt_.write_dropped) AppendDropped(source(), op.name(), "produced no samples", s);
          return EndTrace(tr, k, SampleTrace::kDropped);
        }
        c.kept += produced.size();
        // Each produced record carries the parent's stats (if any; else its own) and provenance.
        std::string stats;
        if (!s.stats().empty()) s.stats().AppendJson(&stats);
        if (children_.size() <= depth) children_.push_back(std::make_unique<Sample>());
        Sample& child = *children_[depth];
        for (const std::string& record : produced) {
          Status init = child.Init(record, s.row(), stats);
          WINNOW_CHECK(init.ok());  // ops produce valid records
          KeptBytes(c, k, child);
          if (!Run(child, k + 1, tr, hashes, depth + 1)) return false;
        }
        return true;
      }
      if (!keep) {
        if (Tracing(k)) {
          std::string line;
          s.Write(true, kNoExtra, &line);
          line.push_back('\n');
          AddTrace(k, std::move(line));
        }
        ++c.dropped;
        if (opt_.write_dropped) AppendDropped(source(), op.name(), static_cast<const Filter&>(op).DropReason(s), s);
        return EndTrace(tr, k, SampleTrace::kDropped);
      }
      ++c.kept;
      KeptBytes(c, k, s);
    }

    GlobalKey key;
    if (plan_.global) {
      OpCounts& c = res_->counts.back();
      ++c.in;
      uint64_t t0 = CycleClock::Now();
      Status st = plan_.global->ComputeKey(s, &key);
      cycles_.back() += CycleClock::Now() - t0;
      if (!st.ok()) {
        if (!opt_.skip_op_error) {
          res_->fatal = Status::Error(source() + ": " + plan_.global->name() + ": " + st.message());
          return false;
        }
        ++c.quarantined;
        quarantine(*plan_.global, st);
        // The end op is not in traces: its own counts above stand.
        return EndTrace(tr, static_cast<uint32_t>(n_ops_), SampleTrace::kQuarantined);
      }
      key.text_bytes = TextBytes(s);
      res_->keys.push_back(key);
    }

    // Emit the survivor.
    if (plan_.to_spill) {
      size_t start = res_->out.size();
      res_->out.resize(start + sizeof(SpillHeader));
      if (opt_.keep_hashes_in_res_ds && plan_.global) plan_.global->HashMembers(key, &hashes);
      s.Write(false, hashes, &res_->out);
      size_t json_end = res_->out.size();
      s.stats().AppendJson(&res_->out);
      SpillHeader h{static_cast<uint32_t>(json_end - start - sizeof(SpillHeader)),
                    static_cast<uint32_t>(res_->out.size() - json_end), s.row().file, 0, s.row().line};
      std::memcpy(res_->out.data() + start, &h, sizeof h);
      res_->spill_sizes.push_back(static_cast<uint32_t>(res_->out.size() - start));
    } else {
      s.Write(opt_.keep_stats_in_res_ds, opt_.keep_hashes_in_res_ds ? hashes : kNoExtra, &res_->out);
      res_->out.push_back('\n');
      if (opt_.write_stats_lines) {
        res_->stats.append("{\"__dj__stats__\": ");
        s.stats().AppendJson(&res_->stats);
        res_->stats.append("}\n");
      }
    }
    ++res_->kept;
    return EndTrace(tr, static_cast<uint32_t>(n_ops_), SampleTrace::kSurvived);
  }

  // Records where a sample stopped (only for stages with streaming ops), and closes its row of
  // analysis cells.
  bool EndTrace(SampleTrace t, size_t stop, SampleTrace::How how) {
    auto& a = res_->analysis;
    if (a.cells.size() > (a.rows.empty() ? 0 : a.rows.back().cells_end))
      a.EndRow(static_cast<uint32_t>(res_->traces.size()));
    if (!plan_.has_streaming) return true;
    t.bytes_begin = static_cast<uint32_t>(res_->trace_bytes.size());
    if (stop != SampleTrace::kReader)
      res_->trace_bytes.insert(res_->trace_bytes.end(), cur_bytes_.begin(),
                               cur_bytes_.begin() + static_cast<ptrdiff_t>(std::min(stop, n_ops_)));
    t.stop = static_cast<uint32_t>(stop);
    t.how = how;
    t.out_end = res_->out.size();
    t.stats_end = res_->stats.size();
    t.dropped_end = res_->dropped.size();
    t.quarantine_end = res_->quarantine.size();
    res_->traces.push_back(t);
    return true;
  }

 private:
  uint64_t TextBytes(Sample& s) {
    auto t = s.Text(opt_.text_key);
    return t.ok() ? t->size() : 0;
  }
  // A sample op k kept: its text bytes count toward the op's kept bytes (via the trace, in
  // stages where a streaming dedup decides at commit).
  void KeptBytes(OpCounts& c, size_t k, Sample& s) {
    uint64_t b = TextBytes(s);
    c.kept_text_bytes += b;
    if (plan_.has_streaming) {
      if (cur_bytes_.size() < n_ops_) cur_bytes_.resize(n_ops_);
      cur_bytes_[k] = b;
    }
  }

  // The filter's stat values into the analysis cells, and an example of the sample.
  void Capture(const Filter& f, size_t k, Sample& s, bool dropped) {
    const auto& columns = opt_.stat_columns[k];
    for (const auto& [key, column] : columns)
      if (const StatValue* v = s.stats().Find(key))
        res_->analysis.AddValue(column, static_cast<uint32_t>(k), dropped, *v);
    auto kind = dropped ? analysis::ExampleRecord::kDropped : analysis::ExampleRecord::kKept;
    if (!WantExample(k, kind)) return;
    std::string e = "{\"source\": ";
    json::AppendString(DescribeRow(*opt_.files, s.row()), &e);
    e += ", \"text\": ";
    auto text = s.Text(f.text_key());
    json::AppendString(text.ok() ? analysis::TruncateText(*text, analysis::kExampleTextChars) : "", &e);
    e += ", \"stats\": {";
    bool first = true;
    for (const auto& [key, column] : columns) {
      const StatValue* v = s.stats().Find(key);
      if (!v) continue;
      if (!first) e += ", ";
      first = false;
      json::AppendString(key, &e);
      e += ": ";
      v->AppendJson(&e);
    }
    e += "}";
    if (dropped) {
      e += ", \"reason\": ";
      json::AppendString(f.DropReason(s), &e);
    }
    e += "}";
    AddExample(k, kind, std::move(e));
  }
  bool WantExample(size_t k, analysis::ExampleRecord::Kind kind) {
    if (opt_.example_num == 0) return false;
    if (example_count_.empty()) example_count_.assign(n_ops_ * 3, 0);
    // After a streaming dedup a sample may still be removed at commit: keep more candidates.
    size_t cap = k >= opt_.trace_uncapped_from ? opt_.example_num * 4 : opt_.example_num;
    return example_count_[k * 3 + kind] < cap;
  }
  void AddExample(size_t k, analysis::ExampleRecord::Kind kind, std::string json) {
    ++example_count_[k * 3 + kind];
    res_->analysis.examples.push_back(analysis::ExampleRecord{
        static_cast<uint32_t>(k), static_cast<uint32_t>(res_->traces.size()), kind, std::move(json)});
  }

  bool Tracing(size_t k) {
    if (opt_.traced.empty() || !opt_.traced[k]) return false;
    if (traced_count_.empty()) traced_count_.assign(n_ops_, 0);
    return k >= opt_.trace_uncapped_from || traced_count_[k] < opt_.trace_num;
  }
  void AddTrace(size_t k, std::string line) {
    ++traced_count_[k];
    res_->trace_records.push_back(
        TraceRecord{static_cast<uint32_t>(k), static_cast<uint32_t>(res_->traces.size()), std::move(line)});
  }

  void AppendDropped(const std::string& source, const std::string& op, const std::string& reason, const Sample& s) {
    std::string& e = res_->dropped;
    e.append("{\"source\": ");
    json::AppendString(source, &e);
    e.append(", \"op\": ");
    json::AppendString(op, &e);
    e.append(", \"reason\": ");
    json::AppendString(reason, &e);
    e.append(", \"sample\": ");
    s.Write(true, kNoExtra, &e);
    e.append("}\n");
  }

  static inline const std::vector<std::pair<std::string, std::string>> kNoExtra;
  const StagePlan& plan_;
  const EmitOptions& opt_;
  BatchResult* res_;
  std::vector<uint64_t>& cycles_;
  const size_t n_ops_;
  std::string scratch_;
  std::vector<std::unique_ptr<Sample>> children_;  // one per expansion depth, reused
  std::vector<size_t> traced_count_;               // records this batch holds per op
  std::vector<size_t> example_count_;              // examples this batch holds per op and kind
  std::vector<uint64_t> cur_bytes_;                // text bytes after each op, for the trace
};

}  // namespace

EmitOptions StageEmitOptions(const EmitOptions& base, const StagePlan& plan, const std::vector<bool>& traced,
                             size_t trace_num) {
  EmitOptions o = base;
  o.traced = traced;
  o.trace_num = trace_num;
  for (size_t k = 0; k < plan.ops.size(); ++k)
    if (plan.ops[k]->kind() != OpKind::kMapper && plan.ops[k]->kind() != OpKind::kFilter) {
      o.trace_uncapped_from = k + 1;
      break;
    }
  return o;
}

void ProcessBatch(const StagePlan& plan, const EmitOptions& opt, const RawBatch& batch, BatchResult* res) {
  // Sample-major: each record runs through all of the stage's ops, is emitted, and its caches
  // are released before the next one, so a worker holds one document's intermediate data
  // (lines, words, ...) at a time, whatever the batch size. Decisions are per sample, so the
  // result is the same as applying each op to the whole batch in turn, as DJ does.
  thread_local Sample sample;
  res->seq = batch.seq;
  res->input_bytes = batch.input_bytes;
  res->counts.assign(plan.ops.size() + (plan.global ? 1 : 0), OpCounts{});
  std::vector<uint64_t> cycles(res->counts.size(), 0);
  SampleRunner runner(plan, opt, res, &cycles);

  for (size_t i = 0; i < batch.recs.size(); ++i) {
    const RecordRef& rec = batch.recs[i];
    std::string_view raw(batch.data() + rec.off, rec.len);
    auto source = [&] { return DescribeRow(*opt.files, rec.row); };
    ++res->reader.in;
    SampleTrace tr;
    tr.row = rec.row;
    Status st;
    std::string why;
    if (rec.flags & RecordRef::kOversize) {
      why = "record of at least " + std::to_string(rec.original_size) +
            " bytes exceeds max_record_bytes; only its first bytes are kept here";
    } else if (!unicode::IsValidUtf8(raw)) {
      why = "invalid UTF-8 at byte " + std::to_string(FirstInvalidUtf8(raw));
    } else if (!(st = sample.Init(raw, rec.row, std::string_view(batch.data() + rec.stats_off, rec.stats_len))).ok()) {
      why = st.message();
    }
    if (!why.empty()) {
      ++res->reader.quarantined;
      AppendQuarantineEntry(source(), "(input)", why, raw, false, &res->quarantine);
      runner.EndTrace(tr, SampleTrace::kReader, SampleTrace::kQuarantined);
      continue;
    }
    ++res->reader.kept;
    {
      auto text = sample.Text(opt.text_key);
      uint64_t bytes = text.ok() ? text->size() : 0;
      res->reader.kept_text_bytes += bytes;
      if (opt.capture_input_length) res->analysis.input_lengths.push_back(static_cast<double>(bytes));
    }
    tr.first_key = static_cast<uint32_t>(res->stream_keys.size());
    if (!runner.Run(sample, 0, tr, {}, 0)) return;
  }
  for (size_t k = 0; k < cycles.size(); ++k) res->counts[k].seconds = CycleClock::Seconds(cycles[k]);
}

}  // namespace winnow
