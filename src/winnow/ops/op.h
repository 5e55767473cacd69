// Operator base classes. Ops are const after construction and shared by all worker threads;
// anything per-thread lives in the sample's cache or in thread_local scratch.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "winnow/core/sample.h"
#include "winnow/core/status.h"
#include "winnow/ops/params.h"

namespace winnow {

enum class OpKind { kMapper, kFilter, kDeduplicator, kSelector, kGrouper };
const char* OpKindName(OpKind k);

// Recipe-level settings an op may need (DJ's global keys).
struct OpEnv {
  std::string text_key = "text";  // first of text_keys, unless the op sets text_key
  bool skip_op_error = true;
  const std::vector<std::string>* input_files = nullptr;  // RowId::file -> path (provenance)
  std::string image_key = "images";  // the recipe's image_key (an op's image_key param overrides)
  std::string image_bytes_key = "image_bytes";
  std::string audio_key = "audios";
  std::string video_key = "videos";
  // DJ's SpecialTokens (the recipe's *_special_token keys), for mappers that rewrite them.
  std::string video_special_token = "<__dj__video>";
  std::string eoc_special_token = "<|__dj__eoc|>";
  std::string dedup_index;  // --dedup-index DIR: near-dedup against (and add to) earlier runs' data
};

class Op {
 public:
  Op(std::string name, const Params& params, const OpEnv& env);
  virtual ~Op() = default;
  virtual OpKind kind() const = 0;
  const std::string& name() const { return name_; }
  const std::string& text_key() const { return text_key_; }

 protected:
  std::string name_;
  std::string text_key_;
};

// sample -> sample (in place, via Sample::SetText & co).
class Mapper : public Op {
 public:
  using Op::Op;
  OpKind kind() const override { return OpKind::kMapper; }
  virtual Status Map(Sample& s) const { return Status::Ok(); }
  // 1 -> N mappers (DJ batched mappers that change the row count) return true and implement
  // Expand: the sample is replaced by the records written to *out (JSON objects, maybe none),
  // which inherit its stats and provenance and continue through the following ops.
  virtual bool expands() const { return false; }
  virtual Status Expand(Sample& s, std::vector<std::string>* out) const { return Status::Ok(); }
};

// Computes stats into the sample, then decides keep/drop from them (DJ's two halves).
class Filter : public Op {
 public:
  Filter(std::string name, const Params& params, const OpEnv& env);
  OpKind kind() const override { return OpKind::kFilter; }
  virtual Status ComputeStats(Sample& s) const = 0;
  virtual bool Keep(const Sample& s) const = 0;
  // Human-readable reason for a drop (stat and threshold), for the dropped-samples file.
  virtual std::string DropReason(const Sample& s) const;

 protected:
  // DJ's get_keep_boolean: closed/open bounds and reversed_range.
  bool KeepValue(double v, double min_v, double max_v) const;
  // Reason text for a single-stat range filter.
  std::string RangeReason(const Sample& s, std::string_view key, double min_v, double max_v) const;
  bool min_closed_ = true, max_closed_ = true, reversed_ = false;
};

// Per-sample key a global op computes in parallel before its single-threaded finalize.
struct GlobalKey {
  uint64_t h[2] = {0, 0};  // content hash (deduplicators)
  double number = 0;       // field value (selectors)
  std::string str;         // string field value (selectors comparing raw strings)
  bool has_str = false;
  uint64_t text_bytes = 0;  // the sample's text size (set by the executor, for the ledger's bytes)
};

struct Selection {
  std::vector<uint32_t> order;  // indices of the samples to emit, in output order
  // For deduplicators: for each input index, the index it duplicates (or kNone).
  std::vector<uint32_t> duplicate_of;
  static constexpr uint32_t kNone = 0xFFFFFFFFu;
  static constexpr uint32_t kIndexed = 0xFFFFFFFEu;  // duplicates data of an earlier run (--dedup-index)
};

// Consumes a global op's keys as a stream (in input order) instead of a vector held in memory,
// for ops whose keys outgrow memory at scale: it may spill to disk past a memory budget.
class KeySink {
 public:
  virtual ~KeySink() = default;
  virtual Status Add(const GlobalKey& key) = 0;
  virtual Result<Selection> Finish() = 0;
};

// Decides, in input order, whether a sample survives a streaming global op (e.g. "first
// occurrence wins" dedup), remembering what it has admitted. Used by one thread.
class StreamDecider {
 public:
  virtual ~StreamDecider() = default;
  // True if kept; otherwise *first is the row the sample duplicates.
  virtual bool Admit(const GlobalKey& key, RowId row, RowId* first) = 0;
};

// Dataset-level ops (deduplicators, selectors): sink keys -> finalize -> selection.
class GlobalOp : public Op {
 public:
  using Op::Op;
  // A streaming global op decides each sample from the samples before it (in input order), so
  // the executor runs it inside a streaming stage, deciding at commit time, with no spill.
  virtual std::unique_ptr<StreamDecider> MakeStreamDecider() const { return nullptr; }
  virtual Status ComputeKey(Sample& s, GlobalKey* key) const = 0;
  virtual Selection Select(const std::vector<GlobalKey>& keys) const = 0;
  // Ops that return a sink get their keys through it (and are not asked to Select).
  // `spill_dir`: where it may write temporary files.
  virtual std::unique_ptr<KeySink> MakeKeySink(const std::string& spill_dir) const { return nullptr; }
  // Extra members to write into kept samples with keep_hashes_in_res_ds (e.g. __dj__hash).
  virtual void HashMembers(const GlobalKey& key,
                           std::vector<std::pair<std::string, std::string>>* out) const {}
};

class Deduplicator : public GlobalOp {
 public:
  using GlobalOp::GlobalOp;
  OpKind kind() const override { return OpKind::kDeduplicator; }
};

class Selector : public GlobalOp {
 public:
  using GlobalOp::GlobalOp;
  OpKind kind() const override { return OpKind::kSelector; }
};

// N -> 1: merges groups of samples into batched samples ({field: [values of the members]}),
// DJ's groupers. The executor reads each group's members back from the stage's spill file.
class Grouper : public GlobalOp {
 public:
  using GlobalOp::GlobalOp;
  OpKind kind() const override { return OpKind::kGrouper; }
  // Groups of input indices, each in input order; groups in order of first appearance.
  virtual std::vector<std::vector<uint32_t>> Group(const std::vector<GlobalKey>& keys) const = 0;
  Selection Select(const std::vector<GlobalKey>& keys) const override { return {}; }
};

}  // namespace winnow
