#include "winnow/exec/executor.h"

#include <unistd.h>

#include <chrono>
#include <limits>
#include <map>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <future>
#include <memory>

#include "winnow/analysis/analysis_files.h"
#include "winnow/analysis/report.h"
#include "winnow/analysis/stats_collector.h"
#include "winnow/analysis/thresholds.h"
#include "winnow/exec/batch_processor.h"
#include "winnow/exec/export_sink.h"
#include "winnow/exec/group_source.h"
#include "winnow/exec/spill.h"
#include "winnow/exec/thread_pool.h"

namespace winnow {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

// A side file (dropped / quarantine / stats) opened on first use.
class LazyFile {
 public:
  explicit LazyFile(std::string path) : path_(std::move(path)) {}
  Status Write(const std::string& data) {
    if (data.empty()) return Status::Ok();
    if (!writer_) {
      std::error_code ec;
      fs::path parent = fs::path(path_).parent_path();
      if (!parent.empty()) fs::create_directories(parent, ec);
      auto w = ByteWriter::Create(path_);
      if (!w.ok()) return w.status();
      writer_ = std::move(*w);
    }
    return writer_->Write(data);
  }
  Status Close(std::vector<std::string>* outputs) {
    if (!writer_) return Status::Ok();
    outputs->push_back(path_);
    return writer_->Close();
  }

 private:
  std::string path_;
  std::unique_ptr<ByteWriter> writer_;
};

std::string StatsPath(const std::string& export_path) {
  std::string base = StripCompressionSuffix(export_path);
  size_t dot = base.find_last_of('.');
  size_t slash = base.find_last_of('/');
  if (dot != std::string::npos && (slash == std::string::npos || dot > slash)) base = base.substr(0, dot);
  return base + "_stats.jsonl";
}

std::string Duration(double s) {
  char buf[32];
  int t = static_cast<int>(s);
  std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", t / 3600, (t / 60) % 60, t % 60);
  return buf;
}

class Run {
 public:
  Run(const Recipe& r, const RunOptions& o) : recipe_(r), options_(o) {}

  Result<Ledger> Execute() {
    start_ = Clock::now();
    for (const auto& f : recipe_.inputs) files_.push_back(f.path);
    WINNOW_RETURN_IF_ERROR(BuildOps());
    emit_.keep_stats_in_res_ds = recipe_.keep_stats_in_res_ds;
    emit_.keep_hashes_in_res_ds = recipe_.keep_hashes_in_res_ds;
    emit_.skip_op_error = recipe_.skip_op_error;
    emit_.write_dropped = !recipe_.export_dropped.empty();
    emit_.files = &files_;
    for (const auto& op : ops_) emit_.write_stats_lines |= op->kind() == OpKind::kFilter;
    emit_.text_key = recipe_.text_keys.empty() ? "text" : recipe_.text_keys[0];
    emit_.analyze = options_.analyze;
    if (options_.analyze) emit_.keep_stats_in_res_ds = true;  // DJ exports the analysed dataset with stats
    SetUpAnalysis();
    // DJ's tracer: which mappers and filters are traced.
    traced_.assign(ops_.size(), false);
    traces_.assign(ops_.size(), {});
    if (recipe_.open_tracer && recipe_.trace_num > 0)
      for (size_t i = 0; i < ops_.size(); ++i) {
        const auto& names = recipe_.op_list_to_trace;
        bool listed = names.empty() || std::find(names.begin(), names.end(), ops_[i]->name()) != names.end();
        traced_[i] = listed && ops_[i]->kind() != OpKind::kSelector && ops_[i]->kind() != OpKind::kGrouper;
      }

    if (!options_.analyze || recipe_.export_original_dataset) {
      auto sink = ExportSink::Open(recipe_.export_path, recipe_.export_type, recipe_.export_shard_size);
      if (!sink.ok()) return sink.status();
      sink_ = std::move(*sink);
    }
    stats_file_ = std::make_unique<LazyFile>(StatsPath(recipe_.export_path));
    dropped_file_ = std::make_unique<LazyFile>(recipe_.export_dropped.empty() ? "" : recipe_.export_dropped);
    quarantine_file_ = std::make_unique<LazyFile>(
        recipe_.quarantine_path.empty() ? (fs::path(recipe_.work_dir) / "quarantine.jsonl").string()
                                        : recipe_.quarantine_path);

    BatchLimits limits;
    limits.max_rows = recipe_.batch_size;
    limits.max_record_bytes = recipe_.max_record_bytes;
    auto jsonl = JsonlSource::Open(recipe_.inputs, limits);
    if (!jsonl.ok()) return jsonl.status();
    JsonlSource* input = jsonl->get();
    std::unique_ptr<RecordSource> source = std::move(*jsonl);

    // Stages: split the op list at global ops.
    std::vector<StagePlan> stages(1);
    std::vector<size_t> first_op(1, 0);
    deciders_.resize(ops_.size());
    // Streaming decisions account one trace per input sample; with a 1 -> N mapper in the
    // recipe, deduplicators run as whole-dataset stages instead.
    bool any_expander = false;
    for (const auto& op : ops_)
      if (op->kind() == OpKind::kMapper && static_cast<const Mapper&>(*op).expands()) any_expander = true;
    for (size_t i = 0; i < ops_.size(); ++i) {
      auto* g = dynamic_cast<const GlobalOp*>(ops_[i].get());
      // A traced deduplicator runs as a whole-dataset stage: its duplicate pairs need both records.
      if (g && !any_expander && !traced_[i] && (deciders_[i] = g->MakeStreamDecider())) {
        stages.back().ops.push_back(g);  // decided at commit, inside the stage
        stages.back().has_streaming = true;
      } else if (g) {
        stages.back().global = g;
        stages.back().to_spill = true;
        stages.emplace_back();
        first_op.push_back(i + 1);
      } else {
        stages.back().ops.push_back(ops_[i].get());
      }
    }
    std::unique_ptr<SpillFile> prev_spill;
    for (size_t s = 0; s < stages.size(); ++s) {
      const StagePlan& plan = stages[s];
      std::unique_ptr<SpillFile> spill;
      if (plan.to_spill) {
        std::error_code ec;
        fs::create_directories(recipe_.work_dir, ec);
        auto sp = SpillFile::Create((fs::path(recipe_.work_dir) /
                                     (".winnow-" + std::to_string(::getpid()) + "-stage" + std::to_string(s) + ".spill"))
                                        .string());
        if (!sp.ok()) return sp.status();
        spill = std::move(*sp);
      }
      keys_.clear();
      stage_bytes_.clear();
      // A global op that streams its keys (MinHash's band index) gets them instead of keys_.
      key_sink_ = (plan.global && plan.global->kind() != OpKind::kGrouper) ? plan.global->MakeKeySink(recipe_.work_dir)
                                                                            : nullptr;
      WINNOW_RETURN_IF_ERROR(RunStage(plan, first_op[s], *source, spill.get(), s == 0));
      if (s == 0) {
        ledger_.warnings.insert(ledger_.warnings.end(), input->warnings.begin(), input->warnings.end());
        if (options_.progress) std::fprintf(stderr, "\n");
      }
      if (!plan.global) break;
      WINNOW_RETURN_IF_ERROR(spill->Finish());
      size_t gi = first_op[s] + plan.ops.size();
      auto t0 = Clock::now();
      if (auto* grouper = dynamic_cast<const Grouper*>(plan.global)) {
        // N -> 1: the members leave, one batched sample per group continues (the ledger shows
        // the groups as kept; "produced" goes negative by the samples merged away).
        auto groups = grouper->Group(keys_);
        OpCounts& c = counts_[gi];
        c.kept = groups.size();
        for (const auto& g : groups)
          for (uint32_t m : g) c.kept_text_bytes += stage_bytes_[m];
        c.seconds += std::chrono::duration<double>(Clock::now() - t0).count();
        auto next = GroupSource::Open(*spill, std::move(groups), limits);
        if (!next.ok()) return next.status();
        source = std::move(*next);
        prev_spill = std::move(spill);
        continue;
      }
      Selection sel;
      if (key_sink_) {
        auto r = key_sink_->Finish();
        if (!r.ok()) return Status::Error(plan.global->name() + ": " + r.status().message());
        sel = std::move(*r);
        key_sink_.reset();
      } else {
        sel = plan.global->Select(keys_);
      }
      OpCounts& c = counts_[gi];
      c.kept = sel.order.size();
      for (uint32_t i : sel.order) c.kept_text_bytes += stage_bytes_[i];
      c.dropped = stage_bytes_.size() - sel.order.size();
      c.seconds += std::chrono::duration<double>(Clock::now() - t0).count();
      if (emit_.write_dropped) WINNOW_RETURN_IF_ERROR(WriteGlobalDrops(*plan.global, *spill, sel, limits));
      if (traced_[gi] && !sel.duplicate_of.empty()) WINNOW_RETURN_IF_ERROR(TraceDuplicates(gi, *spill, sel, limits));
      auto next = SpillSource::Open(*spill, std::move(sel.order), limits);
      if (!next.ok()) return next.status();
      source = std::move(*next);
      prev_spill = std::move(spill);  // keep the file alive while the next stage reads it
    }
    return Finish();
  }

 private:
  Status BuildOps() {
    OpEnv env;
    env.text_key = recipe_.text_keys.empty() ? "text" : recipe_.text_keys[0];
    env.skip_op_error = recipe_.skip_op_error;
    env.input_files = &files_;
    env.dedup_index = recipe_.dedup_index;
    env.image_key = recipe_.image_key;
    env.image_bytes_key = recipe_.image_bytes_key;
    env.audio_key = recipe_.audio_key;
    env.video_key = recipe_.video_key;
    env.video_special_token = recipe_.video_special_token;
    env.eoc_special_token = recipe_.eoc_special_token;
    for (const auto& cfg : recipe_.process) {
      // DJ's Analyzer runs only the filters (stats without dropping); mappers, deduplicators,
      // selectors and groupers are skipped.
      if (options_.analyze && cfg.info->kind != OpKind::kFilter) continue;
      ops_.push_back(cfg.info->factory(cfg.params, env));
      configs_.push_back(&cfg);
    }
    counts_.assign(ops_.size(), OpCounts{});
    return Status::Ok();
  }

  Status RunStage(const StagePlan& plan, size_t first_op, RecordSource& source, SpillFile* spill, bool first) {
    std::vector<bool> traced(plan.ops.size(), false);
    for (size_t k = 0; k < plan.ops.size(); ++k) traced[k] = traced_[first_op + k];
    EmitOptions stage_emit =
        StageEmitOptions(emit_, plan, traced, static_cast<size_t>(std::max<int64_t>(0, recipe_.trace_num)));
    if (collector_) {
      stage_emit.stat_columns.assign(op_columns_.begin() + static_cast<ptrdiff_t>(first_op),
                                     op_columns_.begin() + static_cast<ptrdiff_t>(first_op + plan.ops.size()));
      stage_emit.capture_input_length = first;
      stage_emit.example_num = recipe_.report ? static_cast<size_t>(recipe_.report_examples) : 0;
    }
    auto commit = [&](BatchResult& r) -> Status {
      if (!r.fatal.ok()) return r.fatal;
      if (plan.has_streaming) {
        ApplyStreamingDecisions(plan, first_op, r);
      } else {
        for (size_t k = 0; k < r.counts.size(); ++k) counts_[first_op + k].Add(r.counts[k]);
      }
      // Traced samples, in input order; a sample a streaming dedup removed did not reach later ops.
      for (auto& rec : r.trace_records) {
        if (plan.has_streaming && rec.trace < stops_.size() && stops_[rec.trace] <= rec.op) continue;
        auto& t = traces_[first_op + rec.op];
        if (t.size() < static_cast<size_t>(recipe_.trace_num)) t.push_back(std::move(rec.line));
      }
      if (first) {
        reader_.Add(r.reader);
        input_bytes_ += r.input_bytes;
      }
      if (spill) {
        WINNOW_RETURN_IF_ERROR(spill->Append(r.out, r.spill_sizes));
        for (const GlobalKey& k : r.keys) {
          stage_bytes_.push_back(static_cast<uint32_t>(std::min<uint64_t>(k.text_bytes, UINT32_MAX)));
          if (key_sink_) WINNOW_RETURN_IF_ERROR(key_sink_->Add(k));
        }
        if (!key_sink_) keys_.insert(keys_.end(), r.keys.begin(), r.keys.end());
      } else {
        if (sink_) WINNOW_RETURN_IF_ERROR(sink_->Write(r.out));
        WINNOW_RETURN_IF_ERROR(stats_file_->Write(r.stats));
        output_records_ += r.kept;
      }
      WINNOW_RETURN_IF_ERROR(dropped_file_->Write(r.dropped));
      WINNOW_RETURN_IF_ERROR(quarantine_file_->Write(r.quarantine));
      if (collector_ && !r.analysis.empty())
        WINNOW_RETURN_IF_ERROR(collector_->Add(r.analysis, first_op, plan.has_streaming ? &stops_ : nullptr));
      if (first && options_.progress) Progress(source);
      return Status::Ok();
    };

    const int np = std::max(1, recipe_.np);
    if (np == 1) {
      RawBatch batch;
      BatchResult result;
      for (;;) {
        auto more = source.Next(&batch);
        if (!more.ok()) return more.status();
        if (!*more) return Status::Ok();
        result = BatchResult{};
        ProcessBatch(plan, stage_emit, batch, &result);
        WINNOW_RETURN_IF_ERROR(commit(result));
      }
    }
    // Parallel: the main thread reads and commits in order; workers process batches.
    ThreadPool pool(np);
    std::deque<std::future<std::unique_ptr<BatchResult>>> inflight;
    const size_t max_inflight = static_cast<size_t>(np) * 2 + 1;
    bool done = false;
    Status status;
    while (true) {
      while (!done && inflight.size() < max_inflight) {
        auto batch = std::make_shared<RawBatch>();
        auto more = source.Next(batch.get());
        if (!more.ok()) { status = more.status(); done = true; break; }
        if (!*more) { done = true; break; }
        auto promise = std::make_shared<std::promise<std::unique_ptr<BatchResult>>>();
        inflight.push_back(promise->get_future());
        const EmitOptions* emit = &stage_emit;
        pool.Submit([&plan, emit, batch, promise] {
          auto r = std::make_unique<BatchResult>();
          ProcessBatch(plan, *emit, *batch, r.get());
          promise->set_value(std::move(r));
        });
      }
      if (inflight.empty()) break;
      std::unique_ptr<BatchResult> r = inflight.front().get();
      inflight.pop_front();
      if (status.ok()) status = commit(*r);
      if (!status.ok()) done = true;  // drain what is in flight, then stop
    }
    return status;
  }

  // Decides the streaming global ops of a batch in input order, counts every op from the
  // samples' traces, and removes from the batch's output what a rejected sample rendered.
  void ApplyStreamingDecisions(const StagePlan& plan, size_t first_op, BatchResult& r) {
    const size_t n_ops = plan.ops.size();
    for (size_t k = 0; k < n_ops; ++k) counts_[first_op + k].seconds += r.counts[k].seconds;
    if (plan.global) counts_[first_op + n_ops].Add(r.counts[n_ops]);
    OpCounts* end_op = plan.global ? &counts_[first_op + n_ops] : nullptr;
    // Pass 1: decide in input order, count, and render the drop entries of rejected samples.
    std::vector<std::pair<size_t, std::string>> rejected;  // trace index -> its dropped entry
    stops_.assign(r.traces.size(), 0);
    for (size_t i = 0; i < r.traces.size(); ++i) {
      const SampleTrace& t = r.traces[i];
      if (t.stop == SampleTrace::kReader) continue;
      uint32_t key_i = t.first_key;
      uint32_t stop = t.stop;
      bool discard = false;
      for (uint32_t p = 0; p < std::min<uint32_t>(t.stop, n_ops); ++p) {
        if (!deciders_[first_op + p]) continue;
        const StreamKey& sk = r.stream_keys[key_i++];
        RowId first;
        if (deciders_[first_op + p]->Admit(sk.key, t.row, &first)) continue;
        discard = true;
        stop = p;
        std::string entry;
        if (emit_.write_dropped) {
          entry = "{\"source\": ";
          json::AppendString(DescribeRow(files_, t.row), &entry);
          entry += ", \"op\": ";
          json::AppendString(plan.ops[p]->name(), &entry);
          entry += ", \"reason\": ";
          json::AppendString("duplicate of " + DescribeRow(files_, first), &entry);
          entry += ", \"sample\": ";
          entry.append(r.snapshots, sk.snap_begin, sk.snap_end - sk.snap_begin);
          entry += "}\n";
        }
        rejected.emplace_back(i, std::move(entry));
        break;
      }
      stops_[i] = discard ? stop : std::numeric_limits<uint32_t>::max();
      for (uint32_t q = 0; q < std::min<uint32_t>(stop, n_ops); ++q) {
        ++counts_[first_op + q].in;
        ++counts_[first_op + q].kept;
        counts_[first_op + q].kept_text_bytes += r.trace_bytes[t.bytes_begin + q];
      }
      if (discard) {
        ++counts_[first_op + stop].in;
        ++counts_[first_op + stop].dropped;
        if (t.stop == n_ops && end_op) {  // it had reached the stage's end op: uncount it there
          --end_op->in;
          if (t.how == SampleTrace::kQuarantined) --end_op->quarantined;
        }
      } else if (t.stop < n_ops) {
        OpCounts& c = counts_[first_op + t.stop];
        ++c.in;
        if (t.how == SampleTrace::kDropped) ++c.dropped;
        else ++c.quarantined;
      }
    }
    if (rejected.empty()) return;  // the common case: the batch's output stands as rendered
    // Pass 2: rebuild the outputs without what rejected samples rendered after the dedup.
    std::string out, stats, dropped, quarantine;
    std::vector<GlobalKey> keys;
    std::vector<uint32_t> spill_sizes;
    size_t prev_out = 0, prev_stats = 0, prev_dropped = 0, prev_q = 0, survivor = 0, next = 0;
    for (size_t i = 0; i < r.traces.size(); ++i) {
      const SampleTrace& t = r.traces[i];
      bool is_survivor = t.stop == n_ops && t.how == SampleTrace::kSurvived;
      if (next < rejected.size() && rejected[next].first == i) {
        dropped += rejected[next++].second;
        if (is_survivor) --r.kept;
      } else {
        out.append(r.out, prev_out, t.out_end - prev_out);
        stats.append(r.stats, prev_stats, t.stats_end - prev_stats);
        dropped.append(r.dropped, prev_dropped, t.dropped_end - prev_dropped);
        quarantine.append(r.quarantine, prev_q, t.quarantine_end - prev_q);
        if (is_survivor && plan.global) keys.push_back(r.keys[survivor]);
        if (is_survivor && !r.spill_sizes.empty()) spill_sizes.push_back(r.spill_sizes[survivor]);
      }
      if (is_survivor) ++survivor;
      prev_out = t.out_end;
      prev_stats = t.stats_end;
      prev_dropped = t.dropped_end;
      prev_q = t.quarantine_end;
    }
    r.out = std::move(out);
    r.stats = std::move(stats);
    r.dropped = std::move(dropped);
    r.quarantine = std::move(quarantine);
    if (plan.global) r.keys = std::move(keys);
    if (!r.spill_sizes.empty()) r.spill_sizes = std::move(spill_sizes);
  }

  Status WriteGlobalDrops(const GlobalOp& op, const SpillFile& spill, const Selection& sel, BatchLimits limits) {
    std::vector<bool> kept(stage_bytes_.size(), false);
    for (uint32_t i : sel.order) kept[i] = true;
    std::vector<uint32_t> dropped;
    for (uint32_t i = 0; i < kept.size(); ++i) if (!kept[i]) dropped.push_back(i);
    if (dropped.empty()) return Status::Ok();
    // Provenance of every spilled record (for "duplicate of file:line").
    std::vector<RowId> rows;
    if (!sel.duplicate_of.empty()) {
      std::vector<uint32_t> all(stage_bytes_.size());
      for (uint32_t i = 0; i < all.size(); ++i) all[i] = i;
      auto src = SpillSource::Open(spill, all, limits);
      if (!src.ok()) return src.status();
      RawBatch b;
      for (;;) {
        auto more = (*src)->Next(&b);
        if (!more.ok()) return more.status();
        if (!*more) break;
        for (const auto& rec : b.recs) rows.push_back(rec.row);
      }
    }
    auto src = SpillSource::Open(spill, dropped, limits);
    if (!src.ok()) return src.status();
    RawBatch b;
    size_t k = 0;
    std::string out;
    for (;;) {
      auto more = (*src)->Next(&b);
      if (!more.ok()) return more.status();
      if (!*more) break;
      out.clear();
      for (const auto& rec : b.recs) {
        uint32_t idx = dropped[k++];
        std::string reason = "not selected";
        if (!sel.duplicate_of.empty() && sel.duplicate_of[idx] == Selection::kIndexed)
          reason = "duplicate of data in the dedup index " + recipe_.dedup_index;
        else if (!sel.duplicate_of.empty() && sel.duplicate_of[idx] != Selection::kNone)
          reason = "duplicate of " + DescribeRow(files_, rows[sel.duplicate_of[idx]]);
        out += "{\"source\": ";
        json::AppendString(DescribeRow(files_, rec.row), &out);
        out += ", \"op\": ";
        json::AppendString(op.name(), &out);
        out += ", \"reason\": ";
        json::AppendString(reason, &out);
        out += ", \"stats\": ";
        out.append(b.buf, rec.stats_off, rec.stats_len);
        out += ", \"sample\": ";
        out.append(b.buf, rec.off, rec.len);
        out += "}\n";
      }
      WINNOW_RETURN_IF_ERROR(dropped_file_->Write(out));
    }
    return Status::Ok();
  }

  void Progress(const RecordSource& source) {
    auto now = Clock::now();
    if (now - last_progress_ < std::chrono::milliseconds(500)) return;
    last_progress_ = now;
    double el = std::chrono::duration<double>(now - start_).count();
    double mb = static_cast<double>(source.bytes_read()) / 1e6;
    std::string eta;
    if (source.total_bytes() > 0 && source.bytes_read() > 0) {
      double frac = static_cast<double>(source.bytes_read()) / static_cast<double>(source.total_bytes());
      eta = "  ETA " + Duration(el / frac - el);
    }
    std::fprintf(stderr, "\r[winnow] %llu samples  %.1f samples/s  %.1f MB/s  elapsed %s%s   ",
                 static_cast<unsigned long long>(reader_.in), el > 0 ? reader_.in / el : 0.0, el > 0 ? mb / el : 0.0,
                 Duration(el).c_str(), eta.c_str());
    std::fflush(stderr);
  }

  // DJ's duplicate trace: {"dup1": kept sample, "dup2": its duplicate} for the first trace_num
  // duplicates in input order (DJ samples the largest clusters instead).
  Status TraceDuplicates(size_t gi, const SpillFile& spill, const Selection& sel, BatchLimits limits) {
    std::vector<std::pair<uint32_t, uint32_t>> pairs;  // (original, duplicate)
    for (uint32_t i = 0; i < sel.duplicate_of.size() && pairs.size() < static_cast<size_t>(recipe_.trace_num); ++i)
      if (sel.duplicate_of[i] != Selection::kNone && sel.duplicate_of[i] != Selection::kIndexed)
        pairs.emplace_back(sel.duplicate_of[i], i);
    if (pairs.empty()) return Status::Ok();
    std::vector<uint32_t> want;
    for (auto [a, b] : pairs) want.push_back(a), want.push_back(b);
    std::sort(want.begin(), want.end());
    want.erase(std::unique(want.begin(), want.end()), want.end());
    std::map<uint32_t, std::string> records;
    auto src = SpillSource::Open(spill, want, limits);
    if (!src.ok()) return src.status();
    RawBatch b;
    size_t k = 0;
    for (;;) {
      auto more = (*src)->Next(&b);
      if (!more.ok()) return more.status();
      if (!*more) break;
      for (const auto& rec : b.recs) records[want[k++]].assign(b.data() + rec.off, rec.len);
    }
    for (auto [a, b2] : pairs)
      traces_[gi].push_back("{\"dup1\": " + records[a] + ", \"dup2\": " + records[b2] + "}\n");
    return Status::Ok();
  }

  // work_dir/trace/mapper-<op>.jsonl (before/after text), filter-<op>.jsonl (dropped samples
  // with their stats) and duplicate-<op>.jsonl (pairs), the first trace_num of each op in input
  // order (DJ's tracer layout; for an op that appears twice, the later one's file is written, as
  // DJ does).
  Status WriteTraces() {
    for (size_t i = 0; i < ops_.size(); ++i) {
      if (!traced_[i] || traces_[i].empty()) continue;
      fs::path dir = fs::path(recipe_.work_dir) / "trace";
      std::error_code ec;
      fs::create_directories(dir, ec);
      OpKind k = ops_[i]->kind();
      std::string kind = k == OpKind::kMapper ? "mapper-" : k == OpKind::kFilter ? "filter-" : "duplicate-";
      std::string path = (dir / (kind + ops_[i]->name() + ".jsonl")).string();
      auto w = ByteWriter::Create(path);
      if (!w.ok()) return w.status();
      for (const auto& line : traces_[i]) WINNOW_RETURN_IF_ERROR((*w)->Write(line));
      WINNOW_RETURN_IF_ERROR((*w)->Close());
      if (std::find(ledger_.outputs.begin(), ledger_.outputs.end(), path) == ledger_.outputs.end())
        ledger_.outputs.push_back(path);
    }
    return Status::Ok();
  }

  Result<Ledger> Finish() {
    if (sink_) {
      auto shards = sink_->Close();
      if (!shards.ok()) return shards.status();
      ledger_.outputs = *shards;
    }
    WINNOW_RETURN_IF_ERROR(stats_file_->Close(&ledger_.outputs));
    WINNOW_RETURN_IF_ERROR(dropped_file_->Close(&ledger_.outputs));
    WINNOW_RETURN_IF_ERROR(quarantine_file_->Close(&ledger_.outputs));
    WINNOW_RETURN_IF_ERROR(WriteTraces());
    ledger_.rows.push_back({"(input)", "reader", reader_});
    ledger_.input_records = reader_.in;
    ledger_.quarantined = reader_.quarantined;
    for (size_t i = 0; i < ops_.size(); ++i) {
      ledger_.rows.push_back({ops_[i]->name(), OpKindName(ops_[i]->kind()), counts_[i]});
      ledger_.dropped += counts_[i].dropped;
      ledger_.quarantined += counts_[i].quarantined;
    }
    ledger_.output_records = output_records_;
    ledger_.input_bytes = input_bytes_;
    ledger_.output_bytes = sink_ ? sink_->bytes_written() : 0;
    ledger_.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    ledger_.warnings.insert(ledger_.warnings.begin(), recipe_.warnings.begin(), recipe_.warnings.end());
    WINNOW_CHECK(ledger_.Balanced());
    WINNOW_RETURN_IF_ERROR(WriteAnalysis());
    std::error_code ec;
    fs::create_directories(recipe_.work_dir, ec);
    std::string ledger_path = (fs::path(recipe_.work_dir) / "ledger.json").string();
    auto w = ByteWriter::Create(ledger_path);
    if (w.ok()) {
      (void)(*w)->Write(ledger_.Json());
      if ((*w)->Close().ok()) ledger_.outputs.push_back(ledger_path);
    }
    return ledger_;
  }

  // Stat columns for the analysis / report: one per (filter, stat key), with the filter's
  // thresholds when its params name them.
  void SetUpAnalysis() {
    if (!options_.analyze && !recipe_.report) return;
    std::vector<analysis::ColumnSpec> specs;
    op_columns_.assign(ops_.size(), {});
    for (size_t i = 0; i < ops_.size(); ++i) {
      if (ops_[i]->kind() != OpKind::kFilter) continue;
      const OpConfig& cfg = *configs_[i];
      for (const std::string& key : cfg.info->stat_keys) {
        analysis::ColumnSpec spec;
        spec.key = key;
        spec.op = ops_[i]->name();
        spec.op_index = i;
        analysis::FindThresholds(cfg.params, key, cfg.info->stat_keys.size(), &spec);
        op_columns_[i].emplace_back(key, static_cast<uint32_t>(specs.size()));
        specs.push_back(std::move(spec));
      }
    }
    std::error_code ec;
    fs::create_directories(recipe_.work_dir, ec);
    collector_ = std::make_unique<analysis::StatsCollector>(std::move(specs), ops_.size(), recipe_.work_dir,
                                                            static_cast<size_t>(recipe_.report_examples));
  }

  // work_dir/analysis (analyze) and work_dir/report.html.
  Status WriteAnalysis() {
    if (!collector_) return Status::Ok();
    auto result = collector_->Finish(recipe_.percentiles);
    if (!result.ok()) return result.status();
    collector_.reset();
    if (options_.analyze)
      WINNOW_RETURN_IF_ERROR(analysis::WriteAnalysisFiles(*result, (fs::path(recipe_.work_dir) / "analysis").string(),
                                                          recipe_.save_stats_in_one_file, &ledger_.outputs));
    if (recipe_.report) {
      analysis::ReportInput in;
      in.recipe = &recipe_;
      in.ledger = &ledger_;
      in.analysis = &*result;
      in.analyze = options_.analyze;
      for (const OpConfig* c : configs_) in.ops.push_back(c);
      std::string path = (fs::path(recipe_.work_dir) / "report.html").string();
      auto st = analysis::WriteReport(in, path);
      if (!st.ok()) ledger_.warnings.push_back("report.html not written: " + st.message());
      else ledger_.outputs.push_back(path);
    }
    return Status::Ok();
  }

  const Recipe& recipe_;
  std::vector<const OpConfig*> configs_;  // per op in ops_: its recipe entry
  std::vector<std::vector<std::pair<std::string, uint32_t>>> op_columns_;  // per op: stat key -> column
  std::unique_ptr<analysis::StatsCollector> collector_;
  RunOptions options_;
  Clock::time_point start_, last_progress_{};
  std::vector<std::unique_ptr<Op>> ops_;
  std::vector<bool> traced_;                      // per op: traced by the tracer
  std::vector<std::vector<std::string>> traces_;  // per op: its traced lines, in input order
  std::vector<uint32_t> stops_;                   // per trace of the batch being committed: the op
                                                  // a streaming dedup removed it at (else max)
  std::vector<std::unique_ptr<StreamDecider>> deciders_;  // per op; set for streaming global ops
  std::vector<std::string> files_;
  EmitOptions emit_;
  std::unique_ptr<ExportSink> sink_;
  std::unique_ptr<LazyFile> stats_file_, dropped_file_, quarantine_file_;
  std::vector<OpCounts> counts_;
  OpCounts reader_;
  std::vector<GlobalKey> keys_;          // the stage's global-op keys (ops without a key sink)
  std::vector<uint32_t> stage_bytes_;    // per key: its sample's text bytes (records are < 4 GiB)
  std::unique_ptr<KeySink> key_sink_;
  uint64_t output_records_ = 0, input_bytes_ = 0;
  Ledger ledger_;
};

}  // namespace

Result<Ledger> RunRecipe(const Recipe& recipe, const RunOptions& options) {
  Run run(recipe, options);
  return run.Execute();
}

}  // namespace winnow
